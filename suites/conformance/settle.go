package conformance

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/apiconform/apiconform/internal/plan"
	"github.com/apiconform/apiconform/internal/report"
)

// Every scenario of the plan is in every report exactly once, with the
// same result. Specs record their results in the book as they finish, but
// some specs never get that far: Ginkgo skips the rest of an Ordered
// container once a step failed, skips what is left when the run is
// interrupted or times out, and never starts what a label filter or a
// focus left out. Ginkgo's spec reports list every spec whatever happened
// to it, so after the run they are matched with the book: a spec with no
// record gets a skipped one saying why it did not run, a spec that failed
// after its record was made (in a cleanup, or while reading the created
// id) has its record turned into a failure, and the JUnit report is then
// written from spec reports that say what the records say. The terminal
// summary, the JSON and the HTML report all read the book, so the four
// agree by construction.

// at gives the It of a scenario its place in the plan (see loc) and
// remembers which scenario the spec at that place checks.
func (r *runner) at(s *plan.Scenario) types.CodeLocation {
	loc := r.loc()
	r.scenarioAt[loc.LineNumber] = s
	return loc
}

// sequence gives an Ordered container its place and remembers what to call
// it when it stops early ("the profiles lifecycle").
func (r *runner) sequence(desc string) types.CodeLocation {
	loc := r.loc()
	r.sequences[loc.LineNumber] = desc
	return loc
}

// scenarioOf is the scenario a spec checks, nil for a node that is none.
func (r *runner) scenarioOf(spec types.SpecReport) *plan.Scenario {
	if spec.LeafNodeType != types.NodeTypeIt || spec.LeafNodeLocation.FileName != r.planFile() {
		return nil
	}
	return r.scenarioAt[spec.LeafNodeLocation.LineNumber]
}

// sequenceOf is the innermost Ordered container of a spec: its place (0
// for none) and its description.
func (r *runner) sequenceOf(spec types.SpecReport) (int, string) {
	locs := spec.ContainerHierarchyLocations
	for i := len(locs) - 1; i >= 0; i-- {
		if locs[i].FileName != r.planFile() {
			continue
		}
		if desc, ok := r.sequences[locs[i].LineNumber]; ok {
			return locs[i].LineNumber, desc
		}
	}
	return 0, ""
}

func (r *runner) planFile() string { return r.Plan.Contract.Name + " plan" }

// settle makes the book hold exactly one record for every scenario of the
// plan, in the order of Ginkgo's report, and returns the report to write
// the JUnit file from: Ginkgo's, with each scenario's spec saying what its
// record says.
func (r *runner) settle(rep types.Report) types.Report {
	out := rep
	out.SpecReports = make(types.SpecReports, 0, len(rep.SpecReports))
	left := r.leftOut(rep.SuiteDescription)
	stopped := strings.Join(rep.SpecialSuiteFailureReasons, "; ")
	// failedIn names, for each Ordered container, the spec whose failure
	// made Ginkgo skip the specs after it.
	failedIn := map[int]string{}
	seen := map[string]bool{}
	var ids []string
	for _, spec := range rep.SpecReports {
		s := r.scenarioOf(spec)
		if s == nil || seen[s.ID] {
			out.SpecReports = append(out.SpecReports, spec)
			continue
		}
		seen[s.ID] = true
		ids = append(ids, s.ID)
		seq, desc := r.sequenceOf(spec)
		var why string
		switch {
		case left(spec) != "":
			why = left(spec)
		case failedIn[seq] != "" && spec.Failure.Message != "":
			// Ginkgo says why it skipped the spec: an earlier one of its
			// Ordered container failed (an interrupt leaves no message)
			why = fmt.Sprintf("%s stopped after %q failed", desc, failedIn[seq])
		case stopped != "":
			why = "the run was stopped early (" + stopped + ") before it came to this scenario"
		default:
			why = spec.Failure.Message
		}
		rec := r.settleRecord(s, spec, why, stopped)
		if rec.Accepted == nil {
			// a write accepted by an exchange sent ahead whose spec did
			// not record it (the run was stopped) is still reported
			rec.Accepted = r.accepted.get(s.ID)
		}
		if seq != 0 && failedIn[seq] == "" && spec.State.Is(types.SpecStateFailureStates) && rec.Result != report.Skipped {
			failedIn[seq] = s.Name
		}
		r.Book.Put(rec)
		out.SpecReports = append(out.SpecReports, asRecorded(spec, rec, r.Strict))
	}
	// Every scenario has a spec; should one ever lack it, it is still in
	// every report, JUnit included.
	for _, s := range r.Plan.All() {
		if seen[s.ID] {
			continue
		}
		seen[s.ID] = true
		ids = append(ids, s.ID)
		rec := &report.Record{Scenario: s, Result: report.Skipped, Reason: "not run: the suite made no spec of it"}
		r.Book.Put(rec)
		out.SpecReports = append(out.SpecReports, types.SpecReport{
			LeafNodeType: types.NodeTypeIt, LeafNodeText: s.Name,
			State: types.SpecStateSkipped, Failure: types.Failure{Message: rec.Reason},
		})
	}
	r.Book.Arrange(ids)
	return out
}

// settleRecord is the one record of a scenario given how its spec ended.
// why says why it did not run, if it did not.
func (r *runner) settleRecord(s *plan.Scenario, spec types.SpecReport, why, stopped string) *report.Record {
	rec := r.Book.Get(s.ID)
	switch {
	case spec.State.Is(types.SpecStateInterrupted|types.SpecStateAborted) ||
		spec.State.Is(types.SpecStateTimedout) && strings.HasPrefix(spec.Failure.Message, "A suite timeout"):
		// Cut short by the end of the run: whatever it recorded was
		// judged on an exchange that may have been cut too.
		cause := stopped
		if cause == "" {
			cause = firstLine(spec.Failure.Message)
		}
		out := &report.Record{Scenario: s, Result: report.Skipped, Reason: "not run to its end: the run was stopped early (" + cause + ") while it ran"}
		if rec != nil {
			out.Scenario, out.Duration, out.Transcript, out.Curl = rec.Scenario, rec.Duration, rec.Transcript, rec.Curl
		}
		return out
	case spec.State.Is(types.SpecStateFailureStates):
		if rec != nil && (rec.Result == report.Failed || rec.Result == report.Inconclusive && r.Strict) {
			return rec
		}
		// It failed after its verdict or without one: the create answer
		// gave no id, a cleanup failed, the suite panicked.
		out := &report.Record{Scenario: s, Result: report.Failed, Reason: failureReason(spec), Duration: spec.RunTime}
		if rec != nil {
			out.Scenario, out.Verdict, out.Duration, out.Transcript, out.Curl = rec.Scenario, rec.Verdict, rec.Duration, rec.Transcript, rec.Curl
		}
		return out
	case rec != nil:
		return rec
	case spec.State.Is(types.SpecStatePassed):
		// Every spec records its verdict before it passes; a pass with
		// no record is still a pass in every report.
		return &report.Record{Scenario: s, Result: report.Passed, Duration: spec.RunTime}
	}
	if why == "" {
		why = "Ginkgo skipped it"
	}
	return &report.Record{Scenario: s, Result: report.Skipped, Reason: "not run: " + why}
}

// leftOut tells whether the label filter or the focus left a spec out, as
// Ginkgo decides it, and says which.
func (r *runner) leftOut(description string) func(types.SpecReport) string {
	var keep func([]string) bool
	if r.LabelFilter != "" {
		keep, _ = types.ParseLabelFilter(r.LabelFilter)
	}
	var focus *regexp.Regexp
	if r.Focus != "" {
		focus, _ = regexp.Compile(r.Focus)
	}
	return func(spec types.SpecReport) string {
		switch {
		case keep != nil && !keep(spec.Labels()):
			return fmt.Sprintf("left out by --label-filter %q", r.LabelFilter)
		case focus != nil && !focus.MatchString(description+" "+spec.FullText()):
			return fmt.Sprintf("left out by --focus %q", r.Focus)
		}
		return ""
	}
}

// asRecorded is a scenario's spec report as the JUnit report shows it: in
// the state its record says (a skip carries the record's reason; an
// inconclusive scenario is skipped, or failed with --strict), so that
// JUnit counts what the other reports count. Ginkgo's timeline and
// failure location stay.
func asRecorded(spec types.SpecReport, rec *report.Record, strict bool) types.SpecReport {
	skip := func(msg string) {
		spec.State = types.SpecStateSkipped
		spec.Failure.Message = msg
		spec.Failure.ForwardedPanic = ""
	}
	fail := func(msg string) {
		if !spec.State.Is(types.SpecStateFailed | types.SpecStateTimedout) {
			spec.State = types.SpecStateFailed
		}
		if msg != "" {
			spec.Failure.Message = msg
		}
	}
	switch rec.Result {
	case report.Passed:
		spec.State, spec.Failure = types.SpecStatePassed, types.Failure{}
	case report.Skipped:
		skip(rec.Reason)
	case report.Inconclusive:
		if strict {
			fail("")
		} else {
			skip(report.InconclusiveSkip(rec.Reason))
		}
	case report.Failed:
		// A failure the verdict found carries the suite's message
		// already; one settled here gets it in the same form, as the
		// JUnit report of merged results has it.
		if rec.Reason != "" {
			fail(report.ExplainRecord(rec, rec.Reason))
		} else {
			fail("")
		}
	}
	return spec
}

// failureReason says in a line or a few why a spec failed, as the summary
// and the JSON report show it.
func failureReason(spec types.SpecReport) string {
	f := spec.Failure
	msg := strings.TrimSpace(f.Message)
	if spec.State.Is(types.SpecStatePanicked) {
		msg = strings.TrimSpace("the suite panicked: " + f.ForwardedPanic)
	}
	if msg == "" {
		msg = "failed (" + spec.State.String() + ")"
	}
	return msg
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	return line
}
