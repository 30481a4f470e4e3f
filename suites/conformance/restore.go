package conformance

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"

	"github.com/apiconform/apiconform/internal/plan"
	"github.com/apiconform/apiconform/internal/probe"
	"github.com/apiconform/apiconform/internal/verdict"
)

// A restore takes the target out of a state the suite put it in when the
// state's own steps did not: a step failed, the run was interrupted
// (SIGINT, SIGTERM, SIGHUP) or it reached --run-timeout, at whatever instant of
// the switch. By then the run's contexts have ended, and a switch the run
// cut may still be under way on the target; so the restore has a context
// and a time of its own, sends each leave call again while the target
// answers that it cannot take it yet, and only a second interrupt cuts it
// short.

// restoreFor is the time a restore has, whatever is left of the run's:
// one minute, plus twice the state's maxWait and --timeout (1m40s for 10s
// and 10s). It bounds the leave calls, their retries and the wait for the
// normal state together: room for a call that got no answer within
// --timeout, the call again, and the wait.
func (r *runner) restoreFor(f *plan.StateFlow) time.Duration {
	return time.Minute + 2*(f.State.Wait+r.Client.Timeout())
}

// restoreSlack is how much longer than restoreFor Ginkgo waits for the
// cleanup node of a restore before it gives up on it: the restore ends
// within restoreFor, so Ginkgo never needs to.
const restoreSlack = 30 * time.Second

// restoreOwed restores, once the specs have ended, every state the run
// may have left the target in without its cleanup node having run: Ginkgo
// runs an Ordered container's cleanup when it is interrupted between two
// of its specs, but not at every instant, and a state left behind is the
// one thing a run must never do. The book takes a failure, as from the
// cleanup node.
func (r *runner) restoreOwed() {
	r.specsDone = true
	for _, owed := range r.owed {
		owed()
	}
}

// restoreState leaves a state and verifies the restore. A failed restore
// fails the run loudly: the target is left in a state the vendor must undo
// by hand, and the message says how.
func (r *runner) restoreState(f *plan.StateFlow, saved map[string][]byte) {
	r.restoring.Add(1)
	defer r.restoring.Done()
	seen := r.interrupts.count()
	bound := r.restoreFor(f)
	ctx, cancel := r.interrupts.restoreContext(bound)
	defer cancel()
	id := f.LeaveSpec.ID + " (restore)"
	var curls []string
	for _, call := range f.Leave {
		req := call.Request.Clone()
		if call.BodyFrom != "" {
			body, ok := saved[call.BodyFrom]
			if !ok {
				// The switch stopped at that snapshot, before anything
				// it protects was changed: there is nothing to write
				// back, and a body that is no snapshot must never be.
				curls = append(curls, fmt.Sprintf("# %s not sent: the snapshot %q was not taken", call.Op.ID, call.BodyFrom))
				continue
			}
			req.Body, req.ContentType = body, "application/json"
		}
		var x *probe.Exchange
		if ctx.Err() != nil {
			x = r.Client.Unsent(id, &req)
		} else {
			x = r.leaveCall(ctx, f, id, &req)
		}
		curls = append(curls, x.Curl(r.Client.Redactor()))
	}
	last, ok := r.pollOut(ctx, f, f.CheckSpec.ID+" (restore)")
	if ok {
		return
	}
	what := verdict.ReadState(r.Plan.Contract, f, last).What
	why := fmt.Sprintf("after %s the target still reports %s", f.State.Wait, what)
	switch cause := context.Cause(ctx); {
	case errors.Is(cause, errSecondInterrupt):
		why = fmt.Sprintf("%v before the target was seen out of the state", cause)
	case errors.Is(cause, context.DeadlineExceeded):
		why = fmt.Sprintf("the restore's own time (%s) ran out before the target was seen out of the state; it last reported %s", bound, what)
	}
	msg := fmt.Sprintf("RESTORE FAILED: the suite put the target into the %s state and could not bring it back: %s.\nUndo it by hand, e.g.:\n  %s",
		f.State.Name, why, strings.Join(curls, "\n  "))
	if note := probe.CurlNote(strings.Join(curls, "\n")); note != "" {
		msg += "\n  # " + note
	}
	r.Book.RestoreFailed(msg)
	// Ginkgo stops waiting for a cleanup at the second interrupt that
	// comes while it runs, and goes on to the reports: a failure raised
	// after that would land on whatever node runs then. The book has it
	// either way, and the summary prints it first.
	if !r.specsDone && r.interrupts.count()-seen < 2 {
		Fail(msg)
	}
}

// leaveCall sends one call of a restore, and sends it again while the
// target answers that it cannot take it yet (no answer, a 429 or a 5xx:
// a 503 while a switch the run cut short is still under way), after the
// Retry-After it gives or a backoff, for up to the state's maxWait and
// --timeout: a call that got no answer is always sent again. Any other
// answer is the call's answer: whether it worked, the check says.
func (r *runner) leaveCall(ctx context.Context, f *plan.StateFlow, id string, req *plan.Request) *probe.Exchange {
	var x *probe.Exchange
	poll(ctx, wall, f.State.Wait+r.Client.Timeout(), func() (bool, time.Duration) {
		x = r.Client.Do(ctx, id, req)
		if x.Err == nil && x.Status != 429 && x.Status/100 != 5 {
			return true, 0
		}
		return false, advertised(x)
	})
	return x
}
