package report

import (
	"fmt"
	"strings"

	"github.com/apiconform/apiconform/internal/catalog"
	"github.com/apiconform/apiconform/internal/probe"
	"github.com/apiconform/apiconform/internal/verdict"
)

// Explain writes the failure message of a scenario: its name, the headline
// (why it failed when no mismatch says it, "" for none), every mismatch
// (the warnings when a strict run failed on warnings alone), the exchange
// and how to reproduce it, with what the curl line needs first. The suite fails a spec with it, and the JUnit
// report of merged JSON results carries it again: one function, so that a
// merged report reads exactly as the report of a single run.
func Explain(s *JSONScenario, headline string) string {
	var b strings.Builder
	b.WriteString(s.Name + "\n")
	if headline != "" {
		b.WriteString(headline + "\n")
	}
	ms := s.Mismatches
	if len(ms) == 0 {
		ms = s.Warnings
	}
	if len(ms) > 0 {
		if len(ms) == 1 {
			b.WriteString("1 mismatch:\n")
		} else {
			fmt.Fprintf(&b, "%d mismatches:\n", len(ms))
		}
		for _, m := range ms {
			b.WriteString("  - " + m.verdict().String() + "\n")
		}
	}
	for _, w := range s.AcceptedWrites {
		b.WriteString(w.Accepted() + "\n" + w.Outcome() + "\n")
	}
	fmt.Fprintf(&b, "exchange (scenario id %q):\n%s\n", s.ID, s.Transcript)
	fmt.Fprintf(&b, "reproduce:\n  %s\n", s.Curl)
	if note := probe.CurlNote(s.Curl); note != "" {
		// A comment, so that copying both lines into a shell does no harm.
		fmt.Fprintf(&b, "  # %s\n", note)
	}
	for _, w := range s.AcceptedWrites {
		if w.Transcript != "" {
			fmt.Fprintf(&b, "undo:\n%s\n", w.Transcript)
		}
		if !w.Undone && len(w.Commands) > 0 {
			fmt.Fprintf(&b, "check and undo it by hand (the request the target accepted, then what the suite sent to undo it):\n  %s\n", strings.Join(w.Commands, "\n  "))
		}
	}
	return b.String()
}

// ExplainRecord is Explain of a record, for the suite as a spec fails.
func ExplainRecord(r *Record, headline string) string {
	s := jsonScenario(r)
	return Explain(&s, headline)
}

// StrictInconclusive is the headline of an inconclusive scenario that
// fails because the run is strict.
func StrictInconclusive(reason string) string {
	return "inconclusive, and --strict is set: " + reason
}

// InconclusiveSkip is how an inconclusive scenario's spec is skipped when
// the run is not strict.
func InconclusiveSkip(reason string) string { return "inconclusive: " + reason }

// verdict turns the report's copy of a mismatch back into the verdict's, so
// that it prints the way the verdict prints it.
func (m JSONMismatch) verdict() verdict.Mismatch {
	return verdict.Mismatch{Rule: m.Rule, Level: catalog.Level(m.Level), Source: m.Source, Expected: m.Expected, Actual: m.Actual}
}
