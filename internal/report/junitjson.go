package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"sort"
	"time"

	"github.com/onsi/ginkgo/v2/reporters"
)

// JUnitProperties are the suite-level properties of a JUnit report: what
// was tested, against what, how and when. A run hands them to WriteJUnit;
// WriteJUnitJSON computes them from the JSON results, so that both reports
// carry the same.
func JUnitProperties(run *Run) map[string]string {
	props := map[string]string{
		"apiconform.version":          run.Version,
		"apiconform.contract.name":    run.Contract.Name,
		"apiconform.contract.title":   run.Contract.Title,
		"apiconform.contract.version": run.Contract.Version,
		"apiconform.contract.sha256":  run.Contract.SHA256,
		"apiconform.target":           run.Target,
		"apiconform.start":            run.Start.Format(time.RFC3339),
	}
	// Warnings about the run itself (TLS verification off) travel with
	// the report to whoever reads it.
	for i, w := range run.Warnings {
		props[fmt.Sprintf("apiconform.run.warning.%d", i+1)] = w
	}
	for k, v := range run.Config {
		props["apiconform.config."+k] = v
	}
	return props
}

// SuiteName is the name of the JUnit testsuite (and the classname of its
// testcases) for a contract: what Ginkgo calls the suite of a run.
func SuiteName(contract string) string { return "apiconform " + contract }

// entryProperty is the suite property that carries a report entry of a
// testcase (a warning): the JUnit schema Jenkins validates against has no
// properties on a testcase. n numbers the entries across the suite.
func entryProperty(name string, n int, testcase, value string) reporters.JUnitProperty {
	return reporters.JUnitProperty{Name: fmt.Sprintf("apiconform.%s.%d", name, n), Value: testcase + ": " + value}
}

// entryOutput is the line of a testcase's output that carries a report
// entry of it.
func entryOutput(name, value string) string { return name + ": " + value + "\n" }

// JUnitOfJSON builds the JUnit report of JSON results, the way Ginkgo's
// generator and WriteJUnit build it for a run: a testsuite named after the
// contract, one testcase per scenario with the scenario's name, failures
// with the suite's failure message (Explain), skips with the reason Ginkgo
// gives them ("skipped - REASON"), warnings as suite properties and
// testcase output, and the run's properties. The scenarios a run did not run
// (left out by a filter, after a failed step of a lifecycle, after an
// interrupt) are skipped testcases with their reason, as in the run's own
// JUnit report. What it cannot have is what only Ginkgo saw: code
// locations and the spec timelines in system-err.
func JUnitOfJSON(rep *JSONReport) reporters.JUnitTestSuites {
	name := SuiteName(rep.Run.Contract.Name)
	strict := rep.Run.Config["strict"] == "true"
	suite := reporters.JUnitTestSuite{
		Name:      name,
		Time:      rep.Run.Duration.Seconds(),
		Timestamp: rep.Run.Start.Format("2006-01-02T15:04:05"),
	}
	props := JUnitProperties(&rep.Run)
	keys := make([]string, 0, len(props))
	for k := range props {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		suite.Properties.Properties = append(suite.Properties.Properties, reporters.JUnitProperty{Name: k, Value: props[k]})
	}
	n := 0
	for i := range rep.Scenarios {
		s := &rep.Scenarios[i]
		tc := reporters.JUnitTestCase{Name: s.Name, Classname: name, Status: s.Result, Time: s.DurationMS / 1000}
		fail := func(headline string) {
			msg := Explain(s, headline)
			tc.Status = Failed
			tc.Failure = &reporters.JUnitFailure{Message: msg, Type: "failed", Description: "[FAILED] " + msg}
		}
		skip := func(reason string) {
			tc.Status = Skipped
			tc.Skipped = &reporters.JUnitSkipped{Message: "skipped"}
			if reason != "" {
				tc.Skipped.Message += " - " + reason
			}
		}
		switch s.Result {
		case Failed:
			// A failure no mismatch explains (a cleanup that failed)
			// has its reason as the headline, as the run's report has.
			fail(s.Reason)
		case Skipped:
			skip(s.Reason)
		case Inconclusive:
			if strict {
				fail(StrictInconclusive(s.Reason))
			} else {
				skip(InconclusiveSkip(s.Reason))
			}
		}
		for _, w := range s.Warnings {
			n++
			value := w.verdict().String()
			suite.Properties.Properties = append(suite.Properties.Properties, entryProperty("warning", n, tc.Name, value))
			tc.SystemOut += entryOutput("warning", value)
		}
		switch {
		case tc.Failure != nil:
			suite.Failures++
		case tc.Skipped != nil:
			suite.Skipped++
		}
		suite.TestCases = append(suite.TestCases, tc)
	}
	suite.Tests = len(suite.TestCases)
	return reporters.JUnitTestSuites{
		Tests:      suite.Tests,
		Disabled:   suite.Skipped,
		Failures:   suite.Failures,
		Time:       suite.Time,
		TestSuites: []reporters.JUnitTestSuite{suite},
	}
}

// WriteJUnitJSON writes the JUnit XML report of JSON results (JUnitOfJSON),
// laid out as WriteJUnit lays out a run's.
func WriteJUnitJSON(w io.Writer, rep *JSONReport) error {
	out, err := xml.MarshalIndent(JUnitOfJSON(rep), "  ", "    ")
	if err != nil {
		return err
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	_, err = w.Write(append(out, '\n'))
	return err
}
