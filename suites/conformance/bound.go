package conformance

import (
	"github.com/apiconform/apiconform/internal/probe"
	"github.com/apiconform/apiconform/internal/verdict"
)

// boundVerdict redacts every text of a verdict and cuts each to
// probe.MaxShownText before the reports keep it: a mismatch quotes what
// the target sent (a header value, a schema error about its body, Go's
// error about a broken answer), and the target may send megabytes, or
// echo the run's credentials.
func boundVerdict(v *verdict.Verdict, red *probe.Redactor) {
	v.Inconclusive = red.Clip(v.Inconclusive, probe.MaxShownText)
	for _, ms := range [][]verdict.Mismatch{v.Mismatches, v.Warnings} {
		for i := range ms {
			ms[i].Expected = red.Clip(ms[i].Expected, probe.MaxShownText)
			ms[i].Actual = red.Clip(ms[i].Actual, probe.MaxShownText)
		}
	}
}
