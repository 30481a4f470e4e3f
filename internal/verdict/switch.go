package verdict

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/apiconform/apiconform/internal/catalog"
	"github.com/apiconform/apiconform/internal/contract"
	"github.com/apiconform/apiconform/internal/plan"
	"github.com/apiconform/apiconform/internal/probe"
)

// CallAnswer is one call of a state switch as it was sent, and its answer.
type CallAnswer struct {
	Call *plan.Call
	// Request is the request sent: the call's, with the snapshot it
	// writes back as its body.
	Request plan.Request
	X       *probe.Exchange
}

// JudgeCalls judges the calls of a switch into or out of a state (s is the
// state.enter or state.leave scenario), in the order they were sent. Each
// answer is judged as any answer is, held to the statuses the call gives
// (any 2xx when it gives none) by the step's status rule; on the status it
// expects, it must carry the headers the call names (state.call.header),
// which header.required then leaves alone. The first inconclusive answer
// makes the switch inconclusive. cut, when set, says why the suite stopped
// the switch before its last call; it is the reason the scenario is
// inconclusive unless an answer already is.
func JudgeCalls(c *contract.Contract, s *plan.Scenario, answers []CallAnswer, cut string, opts Options) *Verdict {
	v := &Verdict{}
	for _, a := range answers {
		sc := *s
		sc.Operation, sc.Request = a.Call.Op, a.Request
		sc.Expect = plan.Expect{Status: a.Call.Status, StatusClass: 2, Challenge: plan.NoChallenge}
		j := &judge{c: c, s: &sc, x: a.X, v: &Verdict{}, opts: opts, leftTo: map[string]bool{}}
		for name := range a.Call.Headers {
			j.leftTo[http.CanonicalHeaderKey(name)] = true
		}
		j.run(nil)
		if j.v.Inconclusive != "" {
			v.Inconclusive = j.v.Inconclusive
			return v
		}
		v.merge(j.v)
		x := a.X
		// The headers belong to the answer the call expects: on another
		// status the status mismatch says it all.
		if x.Err != nil || !(slices.Contains(a.Call.Status, x.Status) || (len(a.Call.Status) == 0 && x.Status/100 == 2)) {
			continue
		}
		for _, name := range sortedKeys(a.Call.Headers) {
			suffix := a.Call.Headers[name]
			if got := x.RespHdr.Get(name); !strings.HasSuffix(got, suffix) {
				v.add(mismatch(catalog.StateCallHeader, fmt.Sprintf("%s ending with %s on the answer of %s", name, suffix, a.Call.Op.ID), headerOrNone(name, got)))
			}
		}
	}
	if cut != "" {
		v.Inconclusive = cut
	}
	return v
}

// JudgeSwitching judges the answers to the check request sent over and over
// while the first call of a switch was under way (s is the state.switching
// scenario). The watch starts when the call is sent and ends when its
// answer arrives, which is not when the target begins and ends the switch:
// normal answers before the first switching one (the target had not taken
// the call yet) and after the last (it had finished, and its answer was on
// its way) are the edges of the switch, not in it. So a normal answer
// between two switching ones fails, as do only normal answers when there
// are two or more (the target served as usual all along); a Retry-After
// must be valid. Answers that are no answers are passed over. shown are
// the answers the verdict rests on, for the transcript.
func JudgeSwitching(f *plan.StateFlow, xs []*probe.Exchange) (v *Verdict, shown []*probe.Exchange) {
	v = &Verdict{}
	want := f.State.Switching.Status
	var answered []*probe.Exchange
	first, last := -1, -1
	for _, x := range xs {
		if x.Err != nil {
			continue
		}
		if slices.Contains(want, x.Status) {
			if first < 0 {
				first = len(answered)
			}
			last = len(answered)
		}
		answered = append(answered, x)
	}
	fail := func(x *probe.Exchange) {
		v.add(mismatch(catalog.StateSwitching.Status(), fmt.Sprintf("%s to every request while the switch is under way", statusNumbers(want)), fmt.Sprintf("%d %s during the switch", x.Status, http.StatusText(x.Status))))
		shown = append(shown, x)
	}
	if first < 0 {
		if len(answered) > 1 {
			fail(answered[1])
			return v, shown
		}
		v.Inconclusive = fmt.Sprintf("no request could be made while the switch was under way (%d answered before it began or after it ended)", len(xs))
		return v, shown
	}
	shown = append(shown, answered[first])
	for _, x := range answered[first : last+1] {
		if !slices.Contains(want, x.Status) {
			fail(x)
			return v, shown
		}
		if m, bad := retryAfterMismatch(x.RespHdr); bad {
			v.add(m)
			if x != answered[first] {
				shown = append(shown, x)
			}
			return v, shown
		}
	}
	return v, shown
}
