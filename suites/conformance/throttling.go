package conformance

import (
	"time"

	. "github.com/onsi/ginkgo/v2"

	"github.com/apiconform/apiconform/internal/catalog"
	"github.com/apiconform/apiconform/internal/probe"
	"github.com/apiconform/apiconform/internal/verdict"
)

// Throttling: a bounded burst must be throttled as the contract says, and
// the target must serve again after the delay it advertised. The suite
// sends the burst and the polls; verdict judges them.
func (r *runner) throttling() {
	f := r.Plan.Throttle
	if f == nil {
		return
	}
	Describe(catalog.Throttling.ID, Ordered, Serial, Label("disruptive"), r.sequence("the throttling sequence"), func() {
		var throttled *probe.Exchange
		It(f.Burst.Name, r.at(f.Burst), Label(f.Burst.Labels...), func(ctx SpecContext) {
			r.skipIfNotRunnable(f.Burst)
			start := time.Now()
			deadline := start.Add(f.Config.Window)
			var xs []*probe.Exchange
			for len(xs) < f.Config.Burst && time.Now().Before(deadline) {
				x := r.Client.DoOnce(ctx, f.Burst.ID, &f.Request)
				xs = append(xs, x)
				if verdict.BurstOver(f, x) {
					break
				}
			}
			throttled = verdict.Throttled(f, xs)
			v := verdict.JudgeBurst(r.Plan.Contract, f, xs, time.Since(start), verdict.Options{Diagnosis: r.Diagnosis})
			var last *probe.Exchange
			if len(xs) > 0 {
				last = xs[len(xs)-1]
			}
			r.conclude(f.Burst, v, time.Since(start), last)
		})
		It(f.Recover.Name, r.at(f.Recover), Label(f.Recover.Labels...), func(ctx SpecContext) {
			r.skipIfNotRunnable(f.Recover)
			if throttled == nil {
				r.skip(f.Recover, "the burst was not throttled: nothing to recover from")
			}
			start := wall.Now()
			wait := recoverAfter(throttled, f.Config.Wait, start)
			wall.Sleep(ctx, wait)
			var last *probe.Exchange
			poll(ctx, wall, f.Config.Wait, func() (bool, time.Duration) {
				last = r.Client.DoOnce(ctx, f.Recover.ID, &f.Request)
				return verdict.Serves(last), advertised(last)
			})
			r.conclude(f.Recover, verdict.JudgeThrottleRecovery(f, wait, last, time.Since(start)), time.Since(start), last)
		})
	})
}
