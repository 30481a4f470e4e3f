package report

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/apiconform/apiconform/internal/console"
	"github.com/apiconform/apiconform/internal/probe"
)

// SummaryOptions say what the terminal summary can point to: the report
// files of the run, which keep every transcript in full, and whether the
// run is strict.
type SummaryOptions struct {
	JUnit, JSON, HTML string
	Strict            bool
}

// Bounds of the failure list, so that a target that fails everything still
// gets a summary a person reads: each bound says what it left out and
// where the rest is.
const (
	// shownInFull is how many failed (and, apart, inconclusive) scenarios
	// are shown with their mismatches and curl line; the others get a line
	// each.
	shownInFull = 30
	// mismatchesShown is how many mismatches of a scenario are shown.
	mismatchesShown = 5
	// valueShown is the most characters of an expected or actual value.
	valueShown = 300
	// reasonLines is the most lines of a reason no mismatch explains.
	reasonLines = 6
	// curlShown is the longest curl line shown; a longer one is cut, and
	// cannot be run from the terminal.
	curlShown = 2000
)

// Summary writes the end-of-run summary: counts by family, the warnings,
// then every inconclusive and failed scenario with each of its mismatches
// (the rule, its level, what was expected and on what authority, what came
// back) and the curl line that sends its request again, and last where the
// transcripts are kept and which variables the curl lines read.
//
// Everything it writes is escaped for the terminal (see console.Escape):
// names, reasons and answers quote the contract and the target.
func Summary(w io.Writer, b *Book, elapsed time.Duration, o SummaryOptions) {
	w = console.NewWriter(w)
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
	var failed, inconclusive []JSONScenario
	var accepted, warned []string
	for _, r := range b.Records() {
		s := jsonScenario(r)
		if a := r.Accepted; a != nil {
			accepted = append(accepted, fmt.Sprintf("  ACCEPTED %s\n       %s\n       %s", console.Line(s.Name), console.Line(a.Accepted()), console.Line(a.Outcome())))
		}
		switch r.Result {
		case Failed:
			failed = append(failed, s)
		case Inconclusive:
			inconclusive = append(inconclusive, s)
		}
		if r.Result != Failed {
			for _, m := range s.Warnings {
				warned = append(warned, fmt.Sprintf("  WARN %s\n       [%s] expected %s; got %s", console.Line(s.Name), m.Rule, oneLine(m.Expected, valueShown), oneLine(m.Actual, valueShown)))
			}
		}
	}
	if len(accepted) > 0 {
		fmt.Fprintf(w, "\nwrites the target accepted where it should have refused:\n%s\n", strings.Join(accepted, "\n"))
	}
	if len(warned) > 0 {
		fmt.Fprintf(w, "\nwarnings (SHOULD-level; --strict makes them fail):\n%s\n", strings.Join(warned, "\n"))
	}
	where := o.where()
	note := ", answers that could not be judged (--strict makes them fail)"
	if o.Strict {
		note = ", answers that could not be judged: failures, since --strict is set"
	}
	own, shared := splitByReason(inconclusive)
	listShared(w, shared)
	curls := listScenarios(w, "inconclusive", note, "INCONCLUSIVE", own, where, o.Strict)
	curls += listScenarios(w, "failures", "", "FAIL", failed, where, o.Strict)
	if len(failed)+len(inconclusive) == 0 {
		return
	}
	fmt.Fprintln(w)
	if o.JUnit+o.JSON+o.HTML != "" {
		fmt.Fprintf(w, "The full request and response of each are in %s.\n", where)
	} else {
		fmt.Fprintln(w, "The full request and response of each are not kept: run again with --json-report FILE or --html-report FILE to keep them, or -v to print them.")
	}
	if note := probe.CurlNote(curls); note != "" {
		fmt.Fprintf(w, "The curl lines read the run's credentials from the environment: %s.\n", note)
	}
}

// splitByReason sets apart the inconclusive scenarios that share their
// reason with others: a diagnosed setup mistake (a wrong base path,
// refused credentials) makes dozens inconclusive for one cause, which is
// better said once than dozens of times. The groups keep the order of
// their first scenario.
func splitByReason(list []JSONScenario) (own []JSONScenario, shared [][]JSONScenario) {
	count := map[string]int{}
	for _, s := range list {
		count[s.Reason]++
	}
	at := map[string]int{}
	for _, s := range list {
		if count[s.Reason] < 2 {
			own = append(own, s)
			continue
		}
		i, seen := at[s.Reason]
		if !seen {
			i = len(shared)
			at[s.Reason] = i
			shared = append(shared, nil)
		}
		shared[i] = append(shared[i], s)
	}
	return own, shared
}

// listShared writes the groups of inconclusive scenarios that share a
// reason: their names, then the reason once.
func listShared(w io.Writer, shared [][]JSONScenario) {
	for _, group := range shared {
		fmt.Fprintf(w, "\ninconclusive for one reason (%d):\n", len(group))
		for _, s := range group {
			fmt.Fprintf(w, "  INCONCLUSIVE %s\n", console.Line(s.Name))
		}
		fmt.Fprintf(w, "       these %d: %s\n", len(group), oneLine(group[0].Reason, valueShown*2))
	}
}

// listScenarios writes a block of failed or inconclusive scenarios, the
// first shownInFull in full and the rest a line each, and returns their
// curl lines.
func listScenarios(w io.Writer, title, note, tag string, list []JSONScenario, where string, strict bool) string {
	if len(list) == 0 {
		return ""
	}
	fmt.Fprintf(w, "\n%s (%d)%s:\n", title, len(list), note)
	var curls strings.Builder
	for i, s := range list {
		if i == shownInFull {
			fmt.Fprintf(w, "\n  %d more, a line each: their mismatches and curl lines are in %s\n", len(list)-shownInFull, where)
		}
		if i >= shownInFull {
			fmt.Fprintf(w, "  %s %s%s\n", tag, console.Line(s.Name), ruleList(s))
			continue
		}
		fmt.Fprintf(w, "\n  %s %s\n", tag, console.Line(s.Name))
		writeScenario(w, &s, where, strict)
		curls.WriteString(s.Curl + "\n")
	}
	return curls.String()
}

// writeScenario writes what a person needs to act on one failed or
// inconclusive scenario.
func writeScenario(w io.Writer, s *JSONScenario, where string, strict bool) {
	type shown struct {
		m       JSONMismatch
		warning bool
	}
	var ms []shown
	for _, m := range s.Mismatches {
		ms = append(ms, shown{m, false})
	}
	for _, m := range s.Warnings {
		ms = append(ms, shown{m, true})
	}
	if s.Reason != "" || len(ms) == 0 {
		writeReason(w, s.Reason, where)
	}
	if a := answerOf(s.Transcript); a != "" {
		fmt.Fprintf(w, "    answer: %s\n", a)
	}
	for i, sm := range ms {
		if i == mismatchesShown {
			var rules []string
			for _, rest := range ms[i:] {
				rules = append(rules, rest.m.Rule)
			}
			fmt.Fprintf(w, "    ... %d more (%s): all in %s\n", len(ms)-i, strings.Join(rules, ", "), where)
			break
		}
		m := sm.m
		fmt.Fprintf(w, "    %s\n", strings.TrimSpace("["+m.Rule+"] "+levelText(m.Level, sm.warning, strict)))
		fmt.Fprintf(w, "      expected: %s\n", oneLine(m.Expected, valueShown))
		if m.Source != "" {
			fmt.Fprintf(w, "      because:  %s\n", oneLine(m.Source, valueShown))
		}
		fmt.Fprintf(w, "      got:      %s\n", oneLine(m.Actual, valueShown))
	}
	switch {
	case s.Curl == "":
	case len(s.Curl) > curlShown:
		fmt.Fprintf(w, "    reproduce: the curl line is %d characters long: it is in %s\n", len(s.Curl), where)
	default:
		fmt.Fprintf(w, "    reproduce:\n      %s\n", s.Curl)
	}
}

// writeReason writes the reason of a scenario no mismatch explains (or
// that has one besides them), cut to reasonLines lines.
func writeReason(w io.Writer, reason, where string) {
	if reason == "" {
		reason = "failed, with no reason recorded"
	}
	lines := strings.Split(strings.TrimRight(reason, "\n"), "\n")
	for i, l := range lines {
		if i == reasonLines {
			fmt.Fprintf(w, "    ... %d more lines: in %s\n", len(lines)-i, where)
			break
		}
		fmt.Fprintf(w, "    %s\n", console.Line(l))
	}
}

// levelText says how binding a broken rule is, and why it fails the
// scenario when it is only a SHOULD.
func levelText(level string, warning, strict bool) string {
	switch {
	case warning && strict:
		return "SHOULD: a failure, since --strict is set"
	case warning:
		return "SHOULD: a warning"
	case level == "contract":
		return "the contract"
	}
	return level
}

// ruleList names the rules a scenario broke, for its one-line form.
func ruleList(s JSONScenario) string {
	var rules []string
	for _, m := range s.Mismatches {
		rules = append(rules, m.Rule)
	}
	for _, m := range s.Warnings {
		rules = append(rules, m.Rule)
	}
	if len(rules) == 0 {
		return ": " + oneLine(s.Reason, 120)
	}
	return " [" + strings.Join(rules, ", ") + "]"
}

// oneLine puts a value on one line, cuts it to n characters and escapes
// what a terminal would act on.
func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return console.Line(string(r[:n])) + fmt.Sprintf("... (%d characters in all)", len(r))
	}
	return console.Line(s)
}

// where names the reports that keep what the summary leaves out.
func (o SummaryOptions) where() string {
	var kept []string
	for _, r := range []struct{ kind, path string }{{"JSON", o.JSON}, {"HTML", o.HTML}, {"JUnit", o.JUnit}} {
		if r.path != "" {
			kept = append(kept, "the "+r.kind+" report "+r.path)
		}
	}
	switch len(kept) {
	case 0:
		return "the JSON report (run again with --json-report FILE to keep one)"
	case 1:
		return kept[0]
	}
	return strings.Join(kept[:len(kept)-1], ", ") + " and " + kept[len(kept)-1]
}

// answerOf is what came back in the last exchange of a transcript, in a
// line: the status line and the Content-Type, or why there was no answer.
func answerOf(transcript string) string {
	exchanges := strings.Split(transcript, "\n\n")
	var status, ctype string
	for _, l := range strings.Split(exchanges[len(exchanges)-1], "\n") {
		switch {
		case strings.HasPrefix(l, "< HTTP/"), strings.HasPrefix(l, "< (no answer"):
			status = strings.TrimPrefix(l, "< ")
		case status != "" && ctype == "" && strings.HasPrefix(strings.ToLower(l), "< content-type: "):
			ctype = ", " + strings.TrimPrefix(l, "< ")
		}
	}
	return oneLine(status+ctype, valueShown)
}
