package report

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/onsi/ginkgo/v2/types"
)

// leaks are what must not be in any report: places in this suite's Go
// code, the module path and stack traces.
var leaks = []string{"suites/conformance", ".go:", "github.com/apiconform/apiconform", "goroutine ", "Full Stack Trace"}

// TestJUnitNamesNoPlaceInGoCode gives WriteJUnit spec reports as Ginkgo
// makes them when a spec fails, panics, is interrupted and adds report
// entries, every place pointing into Go code: none may reach the file, and
// the places in the plan must stay.
func TestJUnitNamesNoPlaceInGoCode(t *testing.T) {
	goLoc := func(line int) types.CodeLocation {
		return types.CodeLocation{FileName: "/work/main/suites/conformance/suite.go", LineNumber: line,
			FullStackTrace: "github.com/apiconform/apiconform/suites/conformance.(*runner).check(...)\n\t/work/main/suites/conformance/suite.go:330 +0x1d"}
	}
	planLoc := func(line int) types.CodeLocation {
		return types.CodeLocation{FileName: "genesys-ucs plan", LineNumber: line}
	}
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	progress := types.ProgressReport{Message: "interrupted", CurrentNodeType: types.NodeTypeIt, CurrentNodeLocation: goLoc(40), TimelineLocation: types.TimelineLocation{Time: at},
		Goroutines: []types.Goroutine{{ID: 7, State: "running", IsSpecGoroutine: true,
			Stack: []types.FunctionCall{{Function: "github.com/apiconform/apiconform/suites/conformance.(*runner).check", Filename: "/work/main/suites/conformance/suite.go", Line: 270}}}}}
	specs := types.SpecReports{
		{ // failed by the verdict, with a warning entry
			LeafNodeType: types.NodeTypeIt, LeafNodeText: "getProfile [resource.missing-id] answers 404", LeafNodeLocation: planLoc(7),
			ContainerHierarchyTexts: []string{"genesys-ucs conformance"}, ContainerHierarchyLocations: []types.CodeLocation{planLoc(1)},
			State: types.SpecStateFailed, NumAttempts: 1, StartTime: at, EndTime: at,
			Failure: types.Failure{Message: "getProfile [resource.missing-id] answers 404\n1 mismatch:\n  - [envelope.schema] ...", Location: goLoc(330),
				FailureNodeType: types.NodeTypeIt, FailureNodeLocation: goLoc(244), TimelineLocation: types.TimelineLocation{Time: at}},
			ReportEntries: types.ReportEntries{{Name: "warning", Location: goLoc(317), Time: at, TimelineLocation: types.TimelineLocation{Time: at}}},
			SpecEvents:    types.SpecEvents{{SpecEventType: types.SpecEventNodeStart, NodeType: types.NodeTypeBeforeAll, CodeLocation: goLoc(31), TimelineLocation: types.TimelineLocation{Time: at}}},
		},
		{ // the suite panicked; the run settled it into a failure
			LeafNodeType: types.NodeTypeIt, LeafNodeText: "createProfile [success] create", LeafNodeLocation: planLoc(9),
			State: types.SpecStateFailed, NumAttempts: 1, StartTime: at, EndTime: at,
			Failure: types.Failure{Message: "createProfile [success] create\nthe suite panicked: index out of range", ForwardedPanic: "index out of range",
				Location: goLoc(88), FailureNodeType: types.NodeTypeIt, TimelineLocation: types.TimelineLocation{Time: at}},
		},
		{ // interrupted while it ran
			LeafNodeType: types.NodeTypeIt, LeafNodeText: "getServerStatus [success]", LeafNodeLocation: planLoc(11),
			State: types.SpecStateSkipped, NumAttempts: 1, StartTime: at, EndTime: at,
			Failure: types.Failure{Message: "not run to its end", Location: goLoc(20), ProgressReport: progress,
				AdditionalFailure: &types.AdditionalFailure{State: types.SpecStateTimedout, Failure: types.Failure{Message: "stuck", Location: goLoc(21), ProgressReport: progress}}},
			ProgressReports:    []types.ProgressReport{progress},
			AdditionalFailures: []types.AdditionalFailure{{State: types.SpecStateFailed, Failure: types.Failure{Message: "cleanup", Location: goLoc(40), FailureNodeLocation: goLoc(32)}}},
		},
	}
	rep := types.Report{SuitePath: "/work/main/cmd/apiconform", SuiteDescription: "apiconform genesys-ucs", SuiteSucceeded: false,
		StartTime: at, EndTime: at, SpecReports: specs}
	path := filepath.Join(t.TempDir(), "junit.xml")
	if err := WriteJUnit(rep, path, map[string]string{"apiconform.contract.name": "genesys-ucs"}); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	for _, leak := range append(leaks, "/work/main") {
		if strings.Contains(text, leak) {
			t.Errorf("the JUnit report carries %q:\n%s", leak, text)
		}
	}
	for _, want := range []string{"In [It] at: genesys-ucs plan:7", "warning - genesys-ucs plan:7", "the suite panicked: index out of range"} {
		if !strings.Contains(text, want) {
			t.Errorf("the JUnit report lacks %q:\n%s", want, text)
		}
	}
	// The spec reports given are not changed.
	if specs[0].Failure.Location.FileName != "/work/main/suites/conformance/suite.go" || specs[0].ReportEntries[0].Location.LineNumber != 317 {
		t.Error("WriteJUnit changed the report it was given")
	}
}
