package verdict

import (
	"fmt"
	"net/http"
	"slices"

	"github.com/apiconform/apiconform/internal/catalog"
	"github.com/apiconform/apiconform/internal/contract"
	"github.com/apiconform/apiconform/internal/plan"
	"github.com/apiconform/apiconform/internal/probe"
)

// StateReading is what an answer to a state's check request says.
type StateReading struct {
	// In tells whether the target reports the state, Out whether it
	// reports the normal state; neither when the answer cannot be read.
	In, Out bool
	// What is what was read, in words ("mode maintenance", "200 OK from
	// getSystemInfo"), or why nothing could be.
	What string
}

// ReadState reads the state from an answer to the check request, by the
// field or the statuses the contract's check names.
func ReadState(c *contract.Contract, f *plan.StateFlow, x *probe.Exchange) StateReading {
	ch := f.State.Check
	switch {
	case x == nil:
		return StateReading{What: "no answer"}
	case x.Err != nil:
		return StateReading{What: "no answer: " + x.Err.Error()}
	case ch.Field == "":
		return StateReading{
			In:   slices.Contains(ch.InStatus, x.Status),
			Out:  slices.Contains(ch.OutStatus, x.Status),
			What: fmt.Sprintf("%d %s from %s", x.Status, http.StatusText(x.Status), f.CheckOp.ID),
		}
	}
	val, err := Field(c, f.CheckOp, x, ch.Field)
	if err != nil {
		return StateReading{What: fmt.Sprintf("%s answered %d and its %s cannot be read: %v", f.CheckOp.ID, x.Status, ch.Field, err)}
	}
	return StateReading{In: slices.Contains(ch.In, val), Out: slices.Contains(ch.Out, val), What: fmt.Sprintf("%s %s", ch.Field, val)}
}

// JudgeStateCheck judges the answer to the check request after the switch
// into a state (or, for a state the suite only observes, at the start):
// the target must report the state (state.check).
func JudgeStateCheck(c *contract.Contract, f *plan.StateFlow, x *probe.Exchange) *Verdict {
	v := &Verdict{}
	if r := ReadState(c, f, x); !r.In {
		v.add(mismatch(catalog.StateCheck, "the target in the "+f.State.Name+" state", r.What))
	}
	return v
}

// JudgeStateRestore judges the last answer to the check request the suite
// polled, for at most the state's wait, after its leave calls: the target
// must report the normal state again (state.restore).
func JudgeStateRestore(c *contract.Contract, f *plan.StateFlow, last *probe.Exchange) *Verdict {
	return judgeOut(c, f, last, catalog.StateRestore, fmt.Sprintf("the target out of the %s state within %s", f.State.Name, f.State.Wait))
}

// JudgeStateRecovers is JudgeStateRestore for a state the suite only
// observes: the state must end by itself within its wait (state.recovers).
func JudgeStateRecovers(c *contract.Contract, f *plan.StateFlow, last *probe.Exchange) *Verdict {
	return judgeOut(c, f, last, catalog.StateRecovers, fmt.Sprintf("the %s state over within %s", f.State.Name, f.State.Wait))
}

func judgeOut(c *contract.Contract, f *plan.StateFlow, last *probe.Exchange, r catalog.Rule, want string) *Verdict {
	v := &Verdict{}
	if read := ReadState(c, f, last); !read.Out {
		v.add(mismatch(r, want, fmt.Sprintf("after %s the target still reports %s", f.State.Wait, read.What)))
	}
	return v
}
