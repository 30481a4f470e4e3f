package conformance

import (
	"context"
	"fmt"
	"net/http"
	"time"

	. "github.com/onsi/ginkgo/v2"

	"github.com/apiconform/apiconform/internal/plan"
	"github.com/apiconform/apiconform/internal/probe"
	"github.com/apiconform/apiconform/internal/verdict"
)

// maxSwitchProbes bounds the requests sent while a switch is under way.
const maxSwitchProbes = 200

// states adds the operational states: each runs as one ordered, serial
// container after every stateless scenario. A state the suite enters is
// left again and the restore verified, also when a step fails, the run
// times out or it is interrupted, at any instant of the switch (see
// restore.go). The suite sends the requests in order; verdict judges what
// came back.
func (r *runner) states() {
	for _, f := range r.Plan.States {
		Describe(f.State.Name+" state", Ordered, Serial, Label("disruptive"), r.sequence("the "+f.State.Name+" state sequence"), func() {
			var entered, left, absent, cleaned bool
			// stopped says why the switch into the state stopped at a
			// snapshot it could not take: the state's other scenarios
			// have nothing to observe, and none may write back.
			var stopped string
			saved := map[string][]byte{}
			var during []*probe.Exchange
			gate := func(s *plan.Scenario) {
				r.skipIfNotRunnable(s)
				if absent {
					r.skip(s, fmt.Sprintf("the target is not in the %s state: nothing to observe", f.State.Name))
				}
				if stopped != "" {
					r.skip(s, stopped)
				}
			}
			if f.Driven && r.AllowDisruptive {
				// The restore is registered before the first call of
				// the switch is sent: a call that was sent may have
				// switched the target even if its answer never came.
				// It has a context and a time of its own (see
				// restore.go); Ginkgo's node timeout and grace period
				// reach past that time, so Ginkgo waits for it.
				BeforeAll(func() {
					DeferCleanup(func(SpecContext) {
						cleaned = true
						if entered && !left {
							r.restoreState(f, saved)
						}
					}, NodeTimeout(r.restoreFor(f)+restoreSlack), GracePeriod(r.restoreFor(f)+restoreSlack))
				})
			}
			if f.Driven && r.AllowDisruptive {
				r.owed = append(r.owed, func() {
					if entered && !left && !cleaned {
						r.restoreState(f, saved)
					}
				})
			}
			if f.Driven {
				It(f.EnterSpec.Name, r.at(f.EnterSpec), Label(f.EnterSpec.Labels...), func(ctx SpecContext) {
					gate(f.EnterSpec)
					var stop func() []*probe.Exchange
					if f.SwitchingSpec != nil {
						stop = r.watchSwitch(ctx, f)
					}
					r.runCalls(ctx, f.EnterSpec, f.Enter, saved, switchHooks{
						// A call may switch even if its answer is wrong:
						// the state counts as entered from the first call
						// that is not a read taking a snapshot.
						sending: func(c *plan.Call) {
							if !takesSnapshot(c) {
								entered = true
							}
						},
						answered: func() {
							if stop != nil {
								during = stop()
								stop = nil
							}
						},
						lost: func(why string) string {
							if entered {
								stopped = fmt.Sprintf("not run: the switch into the %s state stopped: %s", f.State.Name, why)
								return why + ": the switch into the state stopped there, and the target is switched back without writing that snapshot back"
							}
							stopped = fmt.Sprintf("not run: the %s state was not entered: %s", f.State.Name, why)
							return why + ": the suite did not enter the state and wrote nothing back; the target was left untouched"
						},
					})
				})
				if s := f.SwitchingSpec; s != nil {
					It(s.Name, r.at(s), Label(s.Labels...), func(ctx SpecContext) {
						gate(s)
						v, shown := verdict.JudgeSwitching(f, during)
						r.conclude(s, v, 0, shown...)
					})
				}
			}
			It(f.CheckSpec.Name, r.at(f.CheckSpec), Label(f.CheckSpec.Labels...), func(ctx SpecContext) {
				gate(f.CheckSpec)
				x := r.Client.Do(ctx, f.CheckSpec.ID, &f.CheckRequest)
				if read := verdict.ReadState(r.Plan.Contract, f, x); !f.Driven && !read.In && read.Out {
					absent = true
					r.skip(f.CheckSpec, fmt.Sprintf("the target reports %s, not the %s state: nothing to observe (this needs the target in the state when the run starts)", read.What, f.State.Name))
				}
				r.conclude(f.CheckSpec, verdict.JudgeStateCheck(r.Plan.Contract, f, x), x.Duration, x)
			})
			for _, s := range append(append([]*plan.Scenario(nil), f.Serves...), f.Refuses...) {
				It(s.Name, r.at(s), Label(s.Labels...), func(ctx SpecContext) {
					gate(s)
					r.check(ctx, s, nil)
				})
			}
			if f.Driven {
				It(f.LeaveSpec.Name, r.at(f.LeaveSpec), Label(f.LeaveSpec.Labels...), func(ctx SpecContext) {
					gate(f.LeaveSpec)
					r.runCalls(ctx, f.LeaveSpec, f.Leave, saved, switchHooks{})
				})
				It(f.RestoreSpec.Name, r.at(f.RestoreSpec), Label(f.RestoreSpec.Labels...), func(ctx SpecContext) {
					gate(f.RestoreSpec)
					x, ok := r.pollOut(ctx, f, f.CheckSpec.ID+" (wait)")
					left = ok
					r.conclude(f.RestoreSpec, verdict.JudgeStateRestore(r.Plan.Contract, f, x), 0, x)
				})
			} else {
				It(f.RecoverSpec.Name, r.at(f.RecoverSpec), Label(f.RecoverSpec.Labels...), func(ctx SpecContext) {
					gate(f.RecoverSpec)
					x, _ := r.pollOut(ctx, f, f.CheckSpec.ID+" (wait)")
					r.conclude(f.RecoverSpec, verdict.JudgeStateRecovers(r.Plan.Contract, f, x), 0, x)
				})
			}
			for _, s := range f.After {
				It(s.Name, r.at(s), Label(s.Labels...), func(ctx SpecContext) {
					gate(s)
					r.check(ctx, s, nil)
				})
			}
		})
	}
}

// switchHooks tell the caller of runCalls how the calls go; each may be
// nil.
type switchHooks struct {
	// sending runs before a call is sent.
	sending func(*plan.Call)
	// answered runs once the first call has answered, or when none was
	// sent.
	answered func()
	// lost runs when a snapshot could not be taken, with why; it returns
	// the reason the scenario is inconclusive.
	lost func(why string) string
}

// runCalls sends the calls of a switch in order, and has verdict judge
// their answers: their statuses, the headers the calls name and, as for
// any answer, their declared content.
//
// A call that saves a body takes a snapshot the leave calls write back.
// Only a complete 2xx answer is a snapshot: when the call fails, is cut or
// answers anything else, the switch stops there, inconclusive, and the
// snapshot is not kept. A call that writes back a snapshot that was not
// taken is never sent. A call that fails ends the switch too: the next
// would act on a target in no known state.
func (r *runner) runCalls(ctx context.Context, s *plan.Scenario, calls []*plan.Call, saved map[string][]byte, h switchHooks) {
	var answers []verdict.CallAnswer
	var xs []*probe.Exchange
	cut := ""
	start := time.Now()
	answered := func() {
		if h.answered != nil {
			h.answered()
			h.answered = nil
		}
	}
	for _, call := range calls {
		req := call.Request.Clone()
		if call.BodyFrom != "" {
			body, ok := saved[call.BodyFrom]
			if !ok {
				cut = fmt.Sprintf("%s was not sent: the snapshot %q it writes back was not taken", call.Op.ID, call.BodyFrom)
				break
			}
			req.Body, req.ContentType = body, "application/json"
		}
		if h.sending != nil {
			h.sending(call)
		}
		x := r.Client.Do(ctx, s.ID, &req)
		answered()
		xs = append(xs, x)
		if call.Save != "" {
			if why := notSnapshot(x); why != "" {
				cut = fmt.Sprintf("the snapshot call %s (save: %s) %s", call.Op.ID, call.Save, why)
				if h.lost != nil {
					cut = h.lost(cut)
				}
				break
			}
			saved[call.Save] = x.RespBody
		}
		answers = append(answers, verdict.CallAnswer{Call: call, Request: req, X: x})
		if !verdict.Serves(x) {
			break
		}
	}
	answered()
	v := verdict.JudgeCalls(r.Plan.Contract, s, answers, cut, verdict.Options{Diagnosis: r.Diagnosis})
	r.conclude(s, v, time.Since(start), xs...)
}

// takesSnapshot tells whether a call only reads, to save what it reads: it
// changes nothing on the target.
func takesSnapshot(c *plan.Call) bool {
	return c.Save != "" && (c.Request.Method == http.MethodGet || c.Request.Method == http.MethodHead)
}

// notSnapshot says why an answer cannot be kept as a snapshot to write
// back later, "" when it can: it must be a complete 2xx answer.
func notSnapshot(x *probe.Exchange) string {
	switch {
	case x.TimedOut:
		return "sent no answer within --timeout"
	case x.Err != nil:
		return "got no complete answer: " + x.Err.Error()
	case x.Status/100 != 2:
		return fmt.Sprintf("answered %d %s", x.Status, http.StatusText(x.Status))
	case x.Truncated:
		return fmt.Sprintf("answered %d %s with a body longer than --max-body (cut at %d bytes)", x.Status, http.StatusText(x.Status), len(x.RespBody))
	}
	return ""
}

// watchSwitch sends the state's check request over and over while the
// first call of the switch is under way; the returned function stops it
// and gives what came back.
func (r *runner) watchSwitch(ctx context.Context, f *plan.StateFlow) func() []*probe.Exchange {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan []*probe.Exchange, 1)
	go func() {
		defer GinkgoRecover()
		var xs []*probe.Exchange
		for i := 0; i < maxSwitchProbes && ctx.Err() == nil; i++ {
			x := r.Client.DoOnce(ctx, f.SwitchingSpec.ID, &f.CheckRequest)
			if ctx.Err() != nil {
				break // cut short by the switch's end: not an answer
			}
			xs = append(xs, x)
			wall.Sleep(ctx, 20*time.Millisecond)
		}
		done <- xs
	}()
	return func() []*probe.Exchange {
		cancel()
		return <-done
	}
}

// pollOut polls the check as id until the target reports the normal
// state, for at most the state's wait, and returns the last answer.
func (r *runner) pollOut(ctx context.Context, f *plan.StateFlow, id string) (*probe.Exchange, bool) {
	var last *probe.Exchange
	ok := poll(ctx, wall, f.State.Wait, func() (bool, time.Duration) {
		last = r.Client.Do(ctx, id, &f.CheckRequest)
		return verdict.ReadState(r.Plan.Contract, f, last).Out, advertised(last)
	})
	return last, ok
}
