package report

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// Summary writes the end-of-run summary: counts by family, then every
// failure and inconclusive scenario with a one-line reason, then warnings.
func Summary(w io.Writer, b *Book, elapsed time.Duration) {
	all, by, fams := b.Count()
	for _, msg := range b.FailedRestores() {
		fmt.Fprintf(w, "\n!!!!!!!!!!\n%s\n!!!!!!!!!!\n", msg)
	}
	fmt.Fprintf(w, "\napiconform: %d scenarios in %s: %d passed, %d failed, %d inconclusive, %d skipped, %d warnings\n",
		all.Total(), elapsed.Round(time.Millisecond), all.Passed, all.Failed, all.Inconclusive, all.Skipped, all.Warnings)
	width := len("family")
	for _, f := range fams {
		width = max(width, len(f))
	}
	fmt.Fprintf(w, "\n  %-*s %6s %6s %6s %6s %6s\n", width, "family", "passed", "failed", "inconc", "skip", "warn")
	for _, f := range fams {
		c := by[f]
		fmt.Fprintf(w, "  %-*s %6d %6d %6d %6d %6d\n", width, f, c.Passed, c.Failed, c.Inconclusive, c.Skipped, c.Warnings)
	}
	var accepted, failed, warned []string
	var inconclusive []*Record
	for _, r := range b.Records() {
		if w := r.Accepted; w != nil {
			accepted = append(accepted, fmt.Sprintf("  ACCEPTED %s\n       %s\n       %s", r.Scenario.Name, w.Accepted(), w.Outcome()))
		}
		switch r.Result {
		case Failed:
			reason := r.Reason
			if r.Verdict != nil && len(r.Verdict.Mismatches) > 0 {
				m := r.Verdict.Mismatches[0]
				reason = fmt.Sprintf("[%s] expected %s; got %s", m.Rule, m.Expected, m.Actual)
				if n := len(r.Verdict.Mismatches) - 1; n > 0 {
					reason += fmt.Sprintf(" (+%d more)", n)
				}
			} else if r.Verdict != nil && len(r.Verdict.Warnings) > 0 {
				m := r.Verdict.Warnings[0]
				reason = fmt.Sprintf("[%s] expected %s; got %s (strict)", m.Rule, m.Expected, m.Actual)
			}
			failed = append(failed, fmt.Sprintf("  FAIL %s\n       %s", r.Scenario.Name, reason))
		case Inconclusive:
			inconclusive = append(inconclusive, r)
		}
		if r.Verdict != nil && r.Result != Failed {
			for _, m := range r.Verdict.Warnings {
				warned = append(warned, fmt.Sprintf("  WARN %s\n       [%s] expected %s; got %s", r.Scenario.Name, m.Rule, m.Expected, m.Actual))
			}
		}
	}
	for _, block := range []struct {
		title string
		lines []string
	}{{"writes the target accepted where it should have refused", accepted}, {"failures", failed}, {"inconclusive", inconclusiveLines(inconclusive)}, {"warnings (SHOULD-level; --strict makes them fail)", warned}} {
		if len(block.lines) > 0 {
			fmt.Fprintf(w, "\n%s:\n%s\n", block.title, strings.Join(block.lines, "\n"))
		}
	}
}

// inconclusiveLines lists the inconclusive scenarios, those that share a
// reason together with the reason once: a diagnosed setup mistake (a wrong
// base path, refused credentials) makes dozens inconclusive for one cause,
// which is said once rather than dozens of times.
func inconclusiveLines(records []*Record) []string {
	var reasons []string
	byReason := map[string][]*Record{}
	for _, r := range records {
		if _, seen := byReason[r.Reason]; !seen {
			reasons = append(reasons, r.Reason)
		}
		byReason[r.Reason] = append(byReason[r.Reason], r)
	}
	var out []string
	for _, reason := range reasons {
		group := byReason[reason]
		if len(group) == 1 {
			out = append(out, fmt.Sprintf("  INCONCLUSIVE %s\n       %s", group[0].Scenario.Name, reason))
			continue
		}
		for _, r := range group {
			out = append(out, "  INCONCLUSIVE "+r.Scenario.Name)
		}
		out = append(out, fmt.Sprintf("       these %d: %s", len(group), reason))
	}
	return out
}
