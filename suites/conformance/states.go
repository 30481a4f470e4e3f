package conformance

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"

	"github.com/apiconform/apiconform/internal/plan"
	"github.com/apiconform/apiconform/internal/probe"
	"github.com/apiconform/apiconform/internal/verdict"
)

// The operational states: each runs as one ordered, serial container after
// every stateless scenario. A state the suite enters is left again and the
// restore verified, also when a step fails, the run times out or it is
// interrupted, at any instant of the switch (see restore.go).
func init() {
	registerFamily("state", family{Title: "operational states"})
}

// maxSwitchProbes bounds the requests sent while a switch is under way.
const maxSwitchProbes = 200

func (r *runner) states() {
	for _, f := range r.Plan.States {
		Describe(f.State.Name+" state", Ordered, Serial, Label("disruptive"), r.sequence("the "+f.State.Name+" state sequence"), func() {
			var entered, left, absent bool
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
						if entered && !left {
							r.restoreState(f, saved)
						}
					}, NodeTimeout(r.restoreFor(f)+restoreSlack), GracePeriod(r.restoreFor(f)+restoreSlack))
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
						r.judgeSwitch(s, f, during)
					})
				}
			}
			It(f.CheckSpec.Name, r.at(f.CheckSpec), Label(f.CheckSpec.Labels...), func(ctx SpecContext) {
				gate(f.CheckSpec)
				x := r.Client.Do(ctx, f.CheckSpec.ID, &f.CheckRequest)
				in, out, why := r.readState(f, x)
				v := &verdict.Verdict{}
				switch {
				case in:
				case !f.Driven && out:
					absent = true
					r.skip(f.CheckSpec, fmt.Sprintf("the target reports %s, not the %s state: nothing to observe (this needs the target in the state when the run starts)", why, f.State.Name))
				default:
					v.Mismatches = append(v.Mismatches, verdict.NewMismatch("state.check", "the target in the "+f.State.Name+" state", why))
				}
				r.conclude(f.CheckSpec, v, x.Duration, x)
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
					x, ok, why := r.waitOut(ctx, f)
					v := &verdict.Verdict{}
					if ok {
						left = true
					} else {
						v.Mismatches = append(v.Mismatches, verdict.NewMismatch("state.restore", fmt.Sprintf("the target out of the %s state within %s", f.State.Name, f.State.Wait), why))
					}
					r.conclude(f.RestoreSpec, v, 0, x)
				})
			} else {
				It(f.RecoverSpec.Name, r.at(f.RecoverSpec), Label(f.RecoverSpec.Labels...), func(ctx SpecContext) {
					gate(f.RecoverSpec)
					x, ok, why := r.waitOut(ctx, f)
					v := &verdict.Verdict{}
					if !ok {
						v.Mismatches = append(v.Mismatches, verdict.NewMismatch("state.recovers", fmt.Sprintf("the %s state over within %s", f.State.Name, f.State.Wait), why))
					}
					r.conclude(f.RecoverSpec, v, 0, x)
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

// runCalls sends the calls of a switch in order and judges each: its
// status, its headers and, as for any answer, its declared content.
//
// A call that saves a body takes a snapshot the leave calls write back.
// Only a complete 2xx answer is a snapshot: when the call fails, is cut or
// answers anything else, the switch stops there, inconclusive, and the
// snapshot is not kept. A call that writes back a snapshot that was not
// taken is never sent.
func (r *runner) runCalls(ctx context.Context, s *plan.Scenario, calls []*plan.Call, saved map[string][]byte, h switchHooks) {
	v := &verdict.Verdict{}
	var xs []*probe.Exchange
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
				v.Inconclusive = fmt.Sprintf("%s was not sent: the snapshot %q it writes back was not taken", call.Op.ID, call.BodyFrom)
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
				v.Inconclusive = fmt.Sprintf("the snapshot call %s (save: %s) %s", call.Op.ID, call.Save, why)
				if h.lost != nil {
					v.Inconclusive = h.lost(v.Inconclusive)
				}
				break
			}
			saved[call.Save] = x.RespBody
		}
		sc := *s
		sc.Operation, sc.Request = call.Op, req
		sc.Expect = plan.Expect{Status: call.Status, StatusClass: 2, Challenge: plan.NoChallenge}
		cv := r.judge(&sc, x, nil)
		if cv.Inconclusive != "" {
			v.Inconclusive = cv.Inconclusive
			break
		}
		for _, m := range cv.Mismatches {
			// a header the state's call names is judged by state.call.header
			if m.Rule == "header.required" && namesHeader(call.Headers, m.Actual) {
				continue
			}
			v.Mismatches = append(v.Mismatches, m)
		}
		v.Warnings = append(v.Warnings, cv.Warnings...)
		// The headers belong to the answer the call expects: on another
		// status the status mismatch says it all.
		expected := x.Err == nil && (slices.Contains(call.Status, x.Status) || (len(call.Status) == 0 && x.Status/100 == 2))
		for name, suffix := range call.Headers {
			if !expected {
				break
			}
			if got := x.RespHdr.Get(name); !strings.HasSuffix(got, suffix) {
				actual := "no " + name + " header"
				if got != "" {
					actual = name + ": " + got
				}
				v.Mismatches = append(v.Mismatches, verdict.NewMismatch("state.call.header", fmt.Sprintf("%s ending with %s on the answer of %s", name, suffix, call.Op.ID), actual))
			}
		}
		if x.Err != nil || x.Status/100 != 2 {
			break // a switch that failed cannot go on
		}
	}
	answered()
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
			select {
			case <-ctx.Done():
			case <-time.After(20 * time.Millisecond):
			}
		}
		done <- xs
	}()
	return func() []*probe.Exchange {
		cancel()
		return <-done
	}
}

// judgeSwitch judges the answers made while a switch was under way: once
// one has the switching status, every later one must have it too, and a
// Retry-After must be valid.
func (r *runner) judgeSwitch(s *plan.Scenario, f *plan.StateFlow, xs []*probe.Exchange) {
	v := &verdict.Verdict{}
	want := f.State.Switching.Status
	seen := false
	normal := 0
	var shown []*probe.Exchange
	for _, x := range xs {
		if x.Err != nil {
			continue
		}
		if slices.Contains(want, x.Status) {
			if !seen {
				shown = append(shown, x)
			}
			seen = true
			if ra := x.RespHdr.Get("Retry-After"); ra != "" && !verdict.ValidRetryAfter(ra) {
				v.Mismatches = append(v.Mismatches, verdict.NewMismatch("retry-after.valid", "Retry-After as an HTTP-date or a number of seconds", fmt.Sprintf("Retry-After: %q", ra)))
				shown = append(shown, x)
				break
			}
			continue
		}
		normal++
		if seen || normal > 1 {
			v.Mismatches = append(v.Mismatches, verdict.NewMismatch("state.switching.status", fmt.Sprintf("%s to every request while the switch is under way", statusList(want)), fmt.Sprintf("%d %s during the switch", x.Status, http.StatusText(x.Status))))
			shown = append(shown, x)
			break
		}
	}
	if !seen && len(v.Mismatches) == 0 {
		v.Inconclusive = fmt.Sprintf("no request could be made while the switch was under way (%d answered before it began or after it ended)", len(xs))
	}
	r.conclude(s, v, 0, shown...)
}

// readState reads the state from a check answer: in the state, out of it,
// and what was read.
func (r *runner) readState(f *plan.StateFlow, x *probe.Exchange) (in, out bool, what string) {
	ch := f.State.Check
	if x.Err != nil {
		return false, false, "no answer: " + x.Err.Error()
	}
	if ch.Field == "" {
		what = fmt.Sprintf("%d %s from %s", x.Status, http.StatusText(x.Status), f.CheckOp.ID)
		return slices.Contains(ch.InStatus, x.Status), slices.Contains(ch.OutStatus, x.Status), what
	}
	val, err := verdict.Field(r.Plan.Contract, f.CheckOp, x, ch.Field)
	if err != nil {
		return false, false, fmt.Sprintf("%s answered %d and its %s cannot be read: %v", f.CheckOp.ID, x.Status, ch.Field, err)
	}
	return slices.Contains(ch.In, val), slices.Contains(ch.Out, val), fmt.Sprintf("%s %s", ch.Field, val)
}

// waitOut polls the check with a bounded backoff until the target reports
// the normal state, for at most the state's wait.
func (r *runner) waitOut(ctx context.Context, f *plan.StateFlow) (*probe.Exchange, bool, string) {
	last, ok, what := r.pollOut(ctx, f, f.CheckSpec.ID+" (wait)")
	if !ok {
		what = fmt.Sprintf("after %s the target still reports %s", f.State.Wait, what)
	}
	return last, ok, what
}

// pollOut polls the check as id until the target reports the normal
// state, for at most the state's wait, and says what it read last.
func (r *runner) pollOut(ctx context.Context, f *plan.StateFlow, id string) (*probe.Exchange, bool, string) {
	var last *probe.Exchange
	what := ""
	ok := poll(ctx, f.State.Wait, func() (bool, time.Duration) {
		last = r.Client.Do(ctx, id, &f.CheckRequest)
		_, out, read := r.readState(f, last)
		what = read
		ra, _ := verdict.RetryAfter(last.RespHdr, time.Now())
		return out, ra
	})
	return last, ok, what
}

// poll calls try until it reports done, waiting between tries with a
// backoff (or the delay try asks for), for at most max in all. The number
// of tries is bounded too.
func poll(ctx context.Context, max time.Duration, try func() (done bool, retryAfter time.Duration)) bool {
	deadline := time.Now().Add(max)
	delay := 100 * time.Millisecond
	for i := 0; i < 200; i++ {
		done, ra := try()
		if done {
			return true
		}
		wait := delay
		if ra > 0 {
			wait = ra
		}
		if rest := time.Until(deadline); wait > rest {
			wait = rest
		}
		if wait <= 0 {
			return false
		}
		select {
		case <-ctx.Done():
			return false
		case <-time.After(wait):
		}
		if delay *= 2; delay > 2*time.Second {
			delay = 2 * time.Second
		}
	}
	return false
}

func statusList(codes []int) string {
	var words []string
	for _, c := range codes {
		words = append(words, fmt.Sprint(c))
	}
	return strings.Join(words, " or ")
}

// namesHeader tells whether a header.required mismatch ("no Location
// header") is about one of the headers a call names.
func namesHeader(headers map[string]string, actual string) bool {
	for name := range headers {
		if strings.EqualFold(actual, "no "+name+" header") {
			return true
		}
	}
	return false
}
