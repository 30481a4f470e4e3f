package conformance

import (
	"fmt"
	"io"
	"strings"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/apiconform/apiconform/internal/console"
	"github.com/apiconform/apiconform/internal/report"
)

// verbose is the -v account of a run: each scenario as it finishes, its
// result, and for a failure or an inconclusive scenario what the JUnit
// report says of it (every mismatch, the exchange, the curl line). It takes
// the place of Ginkgo's console reporter, whose account is written for the
// authors of Go tests: code locations in this suite's own files, node
// types, stack traces, and colour whatever the output is.
type verbose struct {
	w     io.Writer
	color bool
	r     *runner
}

// ANSI colours of the result tags, on a terminal only.
const (
	green  = "\x1b[32m"
	red    = "\x1b[31m"
	yellow = "\x1b[33m"
	reset  = "\x1b[0m"
)

func (v *verbose) done(spec types.SpecReport) {
	if spec.NumAttempts == 0 && spec.Failure.Message == "" {
		return // left out by a filter: the summary counts it
	}
	name, rec := spec.LeafNodeText, (*report.Record)(nil)
	if s := v.r.scenarioOf(spec); s != nil {
		name, rec = s.Name, v.r.Book.Get(s.ID)
	}
	tag, colour, detail := v.account(spec, rec)
	// The tag's colour is the only escape sequence written raw: the name
	// and the detail quote the contract and the target, and are escaped.
	if v.color {
		io.WriteString(console.Raw(v.w), colour+tag+reset)
	} else {
		io.WriteString(v.w, tag)
	}
	// A prefetched exchange took its time before its spec ran: the
	// record has it.
	took := spec.RunTime
	if rec != nil && rec.Duration > 0 {
		took = rec.Duration
	}
	if took > 0 && rec != nil && rec.Result != report.Skipped {
		fmt.Fprintf(v.w, " %s (%.1fms)\n", console.Line(name), float64(took.Microseconds())/1000)
	} else {
		fmt.Fprintf(v.w, " %s\n", console.Line(name))
	}
	if detail = strings.TrimRight(detail, "\n"); detail != "" {
		fmt.Fprintf(v.w, "%s\n", console.Escape(indentLines(detail, "    ")))
	}
}

// account is the result tag of a finished spec, its colour and what to say
// under it.
func (v *verbose) account(spec types.SpecReport, rec *report.Record) (tag, colour, detail string) {
	switch {
	case spec.State.Is(types.SpecStateInterrupted | types.SpecStateAborted):
		return "STOPPED", yellow, "the run was stopped while this scenario ran: " + firstLine(spec.Failure.Message)
	case spec.State.Is(types.SpecStateFailureStates):
		if rec != nil && rec.Result == report.Inconclusive {
			return "INCONCLUSIVE", red, afterName(rec, report.ExplainRecord(rec, report.StrictInconclusive(rec.Reason)))
		}
		if rec != nil && rec.Result == report.Failed {
			return "FAIL", red, afterName(rec, report.ExplainRecord(rec, rec.Reason))
		}
		// It failed without a verdict that says so: a step of a
		// lifecycle, a cleanup, the suite itself.
		return "FAIL", red, failureReason(spec)
	case rec != nil && rec.Result == report.Inconclusive:
		return "INCONCLUSIVE", yellow, afterName(rec, report.ExplainRecord(rec, report.InconclusiveSkip(rec.Reason)))
	case rec != nil && rec.Result == report.Skipped:
		return "SKIP", yellow, rec.Reason
	case spec.State.Is(types.SpecStateSkipped):
		if seq, desc := v.r.sequenceOf(spec); seq != 0 && strings.Contains(spec.Failure.Message, "ordered container failed") {
			// Ginkgo skips the rest of an Ordered container after a
			// failed step, and says so in its own terms.
			return "SKIP", yellow, "not run: " + desc + " stopped after an earlier step failed"
		}
		return "SKIP", yellow, "not run: " + firstLine(spec.Failure.Message)
	}
	var warnings []string
	if rec != nil && rec.Verdict != nil {
		for _, w := range rec.Verdict.Warnings {
			warnings = append(warnings, "warning: "+w.String())
		}
	}
	return "PASS", green, strings.Join(warnings, "\n")
}

// afterName drops the scenario's name, which the tag line shows already,
// from the head of an explanation: the whole name, which may hold a line
// break of the contract's.
func afterName(rec *report.Record, explanation string) string {
	if rest, ok := strings.CutPrefix(explanation, rec.Scenario.Name+"\n"); ok {
		return rest
	}
	_, rest, _ := strings.Cut(explanation, "\n")
	return rest
}

func indentLines(s, prefix string) string {
	return prefix + strings.ReplaceAll(s, "\n", "\n"+prefix)
}
