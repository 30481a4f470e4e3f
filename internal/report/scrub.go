package report

import (
	"strings"

	"github.com/onsi/ginkgo/v2/types"
)

// Ginkgo notes where in Go code each failure, skip, report entry and step
// happened, with stack traces for panics and interrupts, and its JUnit
// generator writes them into the failure text and the timeline. In a report
// of apiconform they would name this suite's source files, which mean
// nothing to the vendor who reads it: every such place becomes the place of
// the scenario in the plan ("genesys-ucs plan:12"), and stack traces and
// goroutine dumps go.

// scrubbed is a spec report with no place in Go code left in it.
func scrubbed(s types.SpecReport) types.SpecReport {
	leaf := placeOf(s.LeafNodeLocation, types.CodeLocation{})
	s.LeafNodeLocation = leaf
	locs := make([]types.CodeLocation, len(s.ContainerHierarchyLocations))
	for i, l := range s.ContainerHierarchyLocations {
		locs[i] = placeOf(l, leaf)
	}
	s.ContainerHierarchyLocations = locs
	s.Failure = scrubFailure(s.Failure, leaf, s.State)
	adds := make([]types.AdditionalFailure, len(s.AdditionalFailures))
	for i, a := range s.AdditionalFailures {
		adds[i] = types.AdditionalFailure{State: a.State, Failure: scrubFailure(a.Failure, leaf, a.State)}
	}
	s.AdditionalFailures = adds
	entries := make(types.ReportEntries, len(s.ReportEntries))
	for i, e := range s.ReportEntries {
		e.Location = placeOf(e.Location, leaf)
		entries[i] = e
	}
	s.ReportEntries = entries
	events := make(types.SpecEvents, len(s.SpecEvents))
	for i, e := range s.SpecEvents {
		e.CodeLocation = placeOf(e.CodeLocation, leaf)
		events[i] = e
	}
	s.SpecEvents = events
	// Progress reports are goroutine dumps.
	s.ProgressReports = nil
	return s
}

func scrubFailure(f types.Failure, leaf types.CodeLocation, state types.SpecState) types.Failure {
	f.Location = placeOf(f.Location, leaf)
	f.FailureNodeLocation = placeOf(f.FailureNodeLocation, leaf)
	f.ProgressReport = types.ProgressReport{}
	if !state.Is(types.SpecStatePanicked) {
		// The panic is in the message of the failure the run settled on;
		// left here it makes the generator print a stack trace header.
		f.ForwardedPanic = ""
	}
	if f.AdditionalFailure != nil {
		a := *f.AdditionalFailure
		a.Failure = scrubFailure(a.Failure, leaf, a.State)
		f.AdditionalFailure = &a
	}
	return f
}

// placeOf keeps a location that is a place in the plan and puts the
// fallback in place of one in Go code.
func placeOf(l, fallback types.CodeLocation) types.CodeLocation {
	if l.FullStackTrace != "" || strings.HasSuffix(l.FileName, ".go") || strings.Contains(l.FileName, "/") {
		return fallback
	}
	return l
}
