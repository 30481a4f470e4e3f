package report

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/apiconform/apiconform/internal/verdict"
)

// JSONFormat names the JSON results format and its version. A change that
// would make an existing reader misread a file (a field renamed, removed or
// given another meaning) takes a new version; new fields do not.
const JSONFormat = "apiconform-results/1"

// JSONReport is the JSON results file: the run, its counts and one entry per
// scenario. It is also what the HTML report is rendered from, so a report
// read back with ReadJSON (a merge of shards, say) renders the same way.
type JSONReport struct {
	// Format is always JSONFormat in what this version writes and reads.
	Format string `json:"format"`
	// FailedRestores lists the changes to the target the suite could not
	// undo. It comes first because it matters most: the run failed, and
	// the target needs a person's attention.
	FailedRestores []string       `json:"failed_restores"`
	Run            Run            `json:"run"`
	Summary        JSONSummary    `json:"summary"`
	Scenarios      []JSONScenario `json:"scenarios"`
}

// JSONSummary counts the scenarios by result. Warnings counts SHOULD-level
// mismatches, not scenarios: one scenario can carry several.
type JSONSummary struct {
	Passed       int `json:"passed"`
	Failed       int `json:"failed"`
	Skipped      int `json:"skipped"`
	Inconclusive int `json:"inconclusive"`
	Warnings     int `json:"warnings"`
	Total        int `json:"total"`
}

// JSONScenario is the result of one scenario. Every field is always written
// (empty lists as [], not null), so that a reader need not guess whether a
// missing field means "none" or "not recorded".
type JSONScenario struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// Operation is the contract's operation id, "" for a scenario aimed at
	// a path rather than a declared operation.
	Operation string `json:"operation"`
	// Subject is the operation id, or the method and path of a path-level
	// scenario.
	Subject string `json:"subject"`
	// Method and Path are the request's method and path template.
	Method string   `json:"method"`
	Path   string   `json:"path"`
	Family string   `json:"family"`
	Labels []string `json:"labels"`
	// Result is one of passed, failed, skipped, inconclusive.
	Result string `json:"result"`
	// Reason says why a scenario was skipped or inconclusive.
	Reason     string         `json:"reason"`
	Warnings   []JSONMismatch `json:"warnings"`
	Mismatches []JSONMismatch `json:"mismatches"`
	DurationMS float64        `json:"duration_ms"`
	// Transcript and Curl are redacted before they reach the report.
	Transcript string `json:"transcript"`
	Curl       string `json:"curl"`
	// AcceptedWrites holds the unsafe request the target accepted where
	// the scenario expected a refusal, and what the suite did to undo it;
	// empty when there was none.
	AcceptedWrites []AcceptedWrite `json:"accepted_writes"`
}

// JSONMismatch is one broken rule. It copies verdict.Mismatch field by field
// rather than embedding it so that a change to the verdict package cannot
// silently change a versioned file format.
type JSONMismatch struct {
	Rule string `json:"rule"`
	// Level is the rule's level (MUST, SHOULD, contract...), "" in files
	// written before levels were recorded.
	Level    string `json:"level"`
	Source   string `json:"source"`
	Expected string `json:"expected"`
	Actual   string `json:"actual"`
}

// NewJSONReport builds the report of a run from its book, scenarios in the
// book's order. A nil run gives an empty run description.
func NewJSONReport(run *Run, book *Book) *JSONReport {
	rep := &JSONReport{Format: JSONFormat, FailedRestores: append([]string{}, book.FailedRestores()...), Scenarios: []JSONScenario{}}
	if run != nil {
		rep.Run = *run
	}
	for _, r := range book.Records() {
		rep.Scenarios = append(rep.Scenarios, jsonScenario(r))
	}
	rep.Summarize()
	return rep
}

func jsonScenario(r *Record) JSONScenario {
	s := r.Scenario
	out := JSONScenario{
		ID:         s.ID,
		Name:       s.Name,
		Subject:    s.Subject,
		Method:     s.Request.Method,
		Path:       s.Request.Path,
		Family:     s.Family,
		Labels:     append([]string{}, s.Labels...),
		Result:     r.Result,
		Reason:     r.Reason,
		Warnings:   []JSONMismatch{},
		Mismatches: []JSONMismatch{},
		// Microsecond precision: exchanges with a local target take well
		// under a millisecond, and whole milliseconds would show them as 0.
		DurationMS: float64(r.Duration.Round(time.Microsecond).Microseconds()) / 1000,
		Transcript: clipTranscript(r.Transcript),
		Curl:       r.Curl,
		// never null: a reader need not guess what a missing list means
		AcceptedWrites: []AcceptedWrite{},
	}
	if r.Accepted != nil {
		w := *r.Accepted
		w.Commands = append([]string{}, w.Commands...)
		w.Transcript = clipTranscript(w.Transcript)
		out.AcceptedWrites = append(out.AcceptedWrites, w)
	}
	if s.Operation != nil {
		out.Operation = s.Operation.ID
	}
	if v := r.Verdict; v != nil {
		out.Warnings = jsonMismatches(v.Warnings)
		out.Mismatches = jsonMismatches(v.Mismatches)
	}
	return out
}

func jsonMismatches(ms []verdict.Mismatch) []JSONMismatch {
	out := make([]JSONMismatch, 0, len(ms))
	for _, m := range ms {
		out = append(out, JSONMismatch{Rule: m.Rule, Level: string(m.Level), Source: m.Source, Expected: m.Expected, Actual: m.Actual})
	}
	return out
}

// Summarize recounts Summary from Scenarios, the same way Book.Count does:
// after a merge of shards, the counts follow the merged scenarios.
func (r *JSONReport) Summarize() {
	var c JSONSummary
	for _, s := range r.Scenarios {
		switch s.Result {
		case Passed:
			c.Passed++
		case Failed:
			c.Failed++
		case Skipped:
			c.Skipped++
		case Inconclusive:
			c.Inconclusive++
		}
		c.Warnings += len(s.Warnings)
	}
	c.Total = c.Passed + c.Failed + c.Skipped + c.Inconclusive
	r.Summary = c
}

// WriteJSON writes the JSON results of a run: the format version, the run's
// description, the counts and every scenario in the book's order. The same
// run and book always give the same bytes.
func WriteJSON(w io.Writer, run *Run, book *Book) error {
	return EncodeJSON(w, NewJSONReport(run, book))
}

// EncodeJSON writes JSON results, such as merged ones, laid out as a run
// writes its own.
func EncodeJSON(w io.Writer, rep *JSONReport) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	// Transcripts hold <, > and & all the time; \u003c escapes would only
	// make the file harder to read, and no one embeds it in HTML.
	enc.SetEscapeHTML(false)
	return enc.Encode(rep)
}

// ReadJSON reads a JSON results file. It refuses a file of another format
// or version rather than misread it, one without its list of scenarios, a
// scenario with an unknown result and a transcript longer than
// MaxTranscriptBytes.
func ReadJSON(r io.Reader) (*JSONReport, error) {
	var rep JSONReport
	if err := json.NewDecoder(r).Decode(&rep); err != nil {
		return nil, fmt.Errorf("reading JSON results: %w", err)
	}
	switch {
	case rep.Format == "":
		return nil, errors.New(`reading JSON results: no "format" field: not an apiconform results file`)
	case rep.Format != JSONFormat:
		return nil, fmt.Errorf("reading JSON results: format %q is not supported: this apiconform reads %q", rep.Format, JSONFormat)
	case rep.Scenarios == nil:
		// every run writes the list, [] when empty: a file without one
		// would merge into a report that looks whole and is not
		return nil, errors.New(`reading JSON results: "scenarios" is null or missing: not a complete results file`)
	}
	if why := transcriptOver(&rep); why != "" {
		return nil, errors.New("reading JSON results: " + why)
	}
	if rep.FailedRestores == nil {
		rep.FailedRestores = []string{}
	}
	for i, s := range rep.Scenarios {
		switch s.Result {
		case Passed, Failed, Skipped, Inconclusive:
		default:
			return nil, fmt.Errorf("reading JSON results: scenario %d (%q): unknown result %q", i, s.ID, s.Result)
		}
		// files written before accepted writes were recorded have none
		if s.AcceptedWrites == nil {
			rep.Scenarios[i].AcceptedWrites = []AcceptedWrite{}
		}
		for j := range rep.Scenarios[i].AcceptedWrites {
			if rep.Scenarios[i].AcceptedWrites[j].Commands == nil {
				rep.Scenarios[i].AcceptedWrites[j].Commands = []string{}
			}
		}
	}
	return &rep, nil
}
