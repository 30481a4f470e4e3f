package report

import (
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
// their titles would only make the names longer and less stable.
//
// props are added to the suite's properties (tool version, contract,
// target, the redacted configuration): Ginkgo's generator writes only its
// own, so its file is read back and completed.
func WriteJUnit(r types.Report, path string, props map[string]string) error {
	specs := make(types.SpecReports, len(r.SpecReports))
	for i, s := range r.SpecReports {
		s.ContainerHierarchyTexts = nil
		specs[i] = s
	}
	r.SpecReports = specs
	if err := reporters.GenerateJUnitReportWithConfig(r, path, JUnitConfig()); err != nil {
		return err
	}
	if len(props) == 0 {
		return nil
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
		var own []reporters.JUnitProperty
		for _, k := range keys {
			own = append(own, reporters.JUnitProperty{Name: k, Value: props[k]})
		}
		suites.TestSuites[i].Properties.Properties = append(own, suites.TestSuites[i].Properties.Properties...)
	}
	out, err := xml.MarshalIndent(suites, "  ", "    ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append([]byte(xml.Header), out...), 0o644)
}
