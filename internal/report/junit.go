package report

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"os"
	"sort"

	"github.com/onsi/ginkgo/v2/reporters"
	"github.com/onsi/ginkgo/v2/types"
)

// JUnitConfig is how apiconform configures Ginkgo's JUnit generator: one
// testcase per scenario, named by the scenario alone (no node type, no
// labels), no suite setup nodes, and no timeline for specs that passed.
func JUnitConfig() reporters.JunitReportConfig {
	return reporters.JunitReportConfig{
		OmitLeafNodeType:          true,
		OmitSpecLabels:            true,
		OmitSuiteSetupNodes:       true,
		OmitTimelinesForSpecState: types.SpecStatePassed,
	}
}

// WriteJUnit writes Ginkgo's report as JUnit XML. Each testcase is named by
// its scenario alone: the containers group specs for the terminal, and
// their titles would only make the names longer and less stable. No place
// in Go code is left in it (see scrubbed).
//
// props are added to the suite's properties (tool version, contract,
// target, the redacted configuration): Ginkgo's generator writes only its
// own, so its file is read back and completed.
func WriteJUnit(r types.Report, path string, props map[string]string) error {
	specs := make(types.SpecReports, len(r.SpecReports))
	for i, s := range r.SpecReports {
		s = scrubbed(s)
		s.ContainerHierarchyTexts = nil
		specs[i] = s
	}
	r.SpecReports = specs
	// The directory the run started in: nothing a reader of the report
	// needs, and a report of merged results has none.
	r.SuitePath = ""
	if err := reporters.GenerateJUnitReportWithConfig(r, path, JUnitConfig()); err != nil {
		return err
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var suites reporters.JUnitTestSuites
	if err := xml.Unmarshal(data, &suites); err != nil {
		return fmt.Errorf("reading back %s: %w", path, err)
	}
	keys := make([]string, 0, len(props))
	for k := range props {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for i := range suites.TestSuites {
		suite := &suites.TestSuites[i]
		var own []reporters.JUnitProperty
		for _, k := range keys {
			own = append(own, reporters.JUnitProperty{Name: k, Value: props[k]})
		}
		// The JUnit schema Jenkins validates against has no properties on
		// a testcase, where Ginkgo puts report entries: a warning becomes a
		// suite property naming its testcase, and a line of the
		// testcase's output.
		n := 0
		for j := range suite.TestCases {
			tc := &suite.TestCases[j]
			if tc.Properties == nil {
				continue
			}
			for _, p := range tc.Properties.Properties {
				value := p.Value
				var s string
				if json.Unmarshal([]byte(value), &s) == nil {
					value = s
				}
				n++
				own = append(own, entryProperty(p.Name, n, tc.Name, value))
				tc.SystemOut += entryOutput(p.Name, value)
			}
			tc.Properties = nil
		}
		suite.Properties.Properties = append(own, suite.Properties.Properties...)
	}
	out, err := xml.MarshalIndent(suites, "  ", "    ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append([]byte(xml.Header), out...), 0o644)
}
