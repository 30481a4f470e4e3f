package verdict

import (
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/apiconform/apiconform/internal/catalog"
	"github.com/apiconform/apiconform/internal/contract"
	"github.com/apiconform/apiconform/internal/plan"
	"github.com/apiconform/apiconform/internal/probe"
)

// BurstOver tells whether a throttling burst ends at this answer: there is
// none, it has the throttling status, or it has any status but a 2xx.
func BurstOver(f *plan.ThrottleFlow, x *probe.Exchange) bool {
	return x.Err != nil || slices.Contains(f.Config.Status, x.Status) || x.Status/100 != 2
}

// Throttled returns the answer of a burst that has the throttling status,
// nil when none has.
func Throttled(f *plan.ThrottleFlow, xs []*probe.Exchange) *probe.Exchange {
	for _, x := range xs {
		if x.Err == nil && slices.Contains(f.Config.Status, x.Status) {
			return x
		}
	}
	return nil
}

// JudgeBurst judges a throttling burst: the answers in the order they came
// (the suite stops at the first one BurstOver ends the burst at) and how
// long the burst took. The throttled answer is judged like any answer to
// its request, with the error envelope where the contract has one; a
// status that is neither a 2xx nor the throttling status, or a burst the
// target served to its end, breaks throttling.status.
func JudgeBurst(c *contract.Contract, f *plan.ThrottleFlow, xs []*probe.Exchange, took time.Duration, opts Options) *Verdict {
	v := &Verdict{}
	if throttled := Throttled(f, xs); throttled != nil {
		sc := *f.Burst
		sc.Expect = plan.Expect{Status: f.Config.Status, Envelope: c.Conformance.Envelope.Ref != nil, Challenge: plan.NoChallenge}
		return JudgeWith(c, &sc, throttled, nil, opts)
	}
	rule := catalog.Throttling.Status()
	var last *probe.Exchange
	if len(xs) > 0 {
		last = xs[len(xs)-1]
	}
	switch {
	case last != nil && last.Err != nil:
		v.Inconclusive = "no answer during the burst: " + last.Err.Error()
	case last != nil && last.Status/100 != 2:
		v.add(mismatch(rule, fmt.Sprintf("a 2xx, or %s once throttled", statusNumbers(f.Config.Status)), fmt.Sprintf("%d %s after %d requests", last.Status, http.StatusText(last.Status), len(xs))))
	default:
		v.add(mismatch(rule, fmt.Sprintf("%s within a burst of %d requests in %s", statusNumbers(f.Config.Status), f.Config.Burst, f.Config.Window), fmt.Sprintf("%d requests in %s all served", len(xs), took.Round(time.Millisecond))))
	}
	return v
}

// Serves tells whether an answer is a 2xx: the target serves.
func Serves(x *probe.Exchange) bool {
	return x != nil && x.Err == nil && x.Status/100 == 2
}

// JudgeThrottleRecovery judges the last answer the suite polled for, for
// at most the contract's maxWait, after waiting out the delay the
// throttled answer advertised (wait): the target must serve again
// (throttling.recovers). took is how long the recovery was given.
func JudgeThrottleRecovery(f *plan.ThrottleFlow, wait time.Duration, last *probe.Exchange, took time.Duration) *Verdict {
	v := &Verdict{}
	if Serves(last) {
		return v
	}
	got := "no answer"
	if last != nil && last.Err == nil {
		got = fmt.Sprintf("%d %s", last.Status, http.StatusText(last.Status))
	}
	v.add(mismatch(catalog.ThrottlingRecovers, fmt.Sprintf("a 2xx within %s of the advertised delay (%s)", f.Config.Wait, wait), got+fmt.Sprintf(" after %s", took.Round(time.Millisecond))))
	return v
}
