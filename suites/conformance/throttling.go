package conformance

import (
	"fmt"
	"net/http"
	"slices"
	"time"

	. "github.com/onsi/ginkgo/v2"

	"github.com/apiconform/apiconform/internal/plan"
	"github.com/apiconform/apiconform/internal/probe"
	"github.com/apiconform/apiconform/internal/verdict"
)

// Throttling: a bounded burst must be throttled as the contract says, and
// the target must serve again after the delay it advertised.
func init() {
	registerFamily("throttling", family{Title: "throttling"})
}

func (r *runner) throttling() {
	f := r.Plan.Throttle
	if f == nil {
		return
	}
	Describe("throttling", Ordered, Serial, Label("disruptive"), r.sequence("the throttling sequence"), func() {
		var throttled *probe.Exchange
		It(f.Burst.Name, r.at(f.Burst), Label(f.Burst.Labels...), func(ctx SpecContext) {
			r.skipIfNotRunnable(f.Burst)
			start := time.Now()
			deadline := start.Add(f.Config.Window)
			var last *probe.Exchange
			v := &verdict.Verdict{}
			sent := 0
			for ; sent < f.Config.Burst && time.Now().Before(deadline); sent++ {
				last = r.Client.DoOnce(ctx, f.Burst.ID, &f.Request)
				if last.Err != nil {
					v.Inconclusive = "no answer during the burst: " + last.Err.Error()
					break
				}
				if slices.Contains(f.Config.Status, last.Status) {
					throttled = last
					break
				}
				if last.Status/100 != 2 {
					v.Mismatches = append(v.Mismatches, verdict.NewMismatch("throttling.status", fmt.Sprintf("a 2xx, or %s once throttled", statusList(f.Config.Status)), fmt.Sprintf("%d %s after %d requests", last.Status, http.StatusText(last.Status), sent+1)))
					break
				}
			}
			switch {
			case throttled != nil:
				// the throttled answer is judged like any: declared, with
				// the envelope and a valid Retry-After
				sc := *f.Burst
				sc.Expect = plan.Expect{Status: f.Config.Status, Envelope: r.Plan.Contract.Conformance.Envelope.Ref != nil, Challenge: plan.NoChallenge}
				v = r.judge(&sc, throttled, nil)
			case v.Inconclusive == "" && len(v.Mismatches) == 0:
				v.Mismatches = append(v.Mismatches, verdict.NewMismatch("throttling.status", fmt.Sprintf("%s within a burst of %d requests in %s", statusList(f.Config.Status), f.Config.Burst, f.Config.Window), fmt.Sprintf("%d requests in %s all served", sent, time.Since(start).Round(time.Millisecond))))
			}
			r.conclude(f.Burst, v, time.Since(start), last)
		})
		It(f.Recover.Name, r.at(f.Recover), Label(f.Recover.Labels...), func(ctx SpecContext) {
			r.skipIfNotRunnable(f.Recover)
			if throttled == nil {
				r.skip(f.Recover, "the burst was not throttled: nothing to recover from")
			}
			start := time.Now()
			wait, ok := verdict.RetryAfter(throttled.RespHdr, start)
			if !ok {
				wait = time.Second
			}
			if wait > f.Config.Wait {
				wait = f.Config.Wait
			}
			select {
			case <-ctx.Done():
			case <-time.After(wait):
			}
			var last *probe.Exchange
			served := poll(ctx, f.Config.Wait, func() (bool, time.Duration) {
				last = r.Client.DoOnce(ctx, f.Recover.ID, &f.Request)
				ra, _ := verdict.RetryAfter(last.RespHdr, time.Now())
				return last.Err == nil && last.Status/100 == 2, ra
			})
			v := &verdict.Verdict{}
			if !served {
				got := "no answer"
				if last != nil && last.Err == nil {
					got = fmt.Sprintf("%d %s", last.Status, http.StatusText(last.Status))
				}
				v.Mismatches = append(v.Mismatches, verdict.NewMismatch("throttling.recovers", fmt.Sprintf("a 2xx within %s of the advertised delay (%s)", f.Config.Wait, wait), got+fmt.Sprintf(" after %s", time.Since(start).Round(time.Millisecond))))
			}
			r.conclude(f.Recover, v, time.Since(start), last)
		})
	})
}
