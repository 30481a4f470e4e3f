package report

import (
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
func WriteJUnit(r types.Report, path string) error {
	specs := make(types.SpecReports, len(r.SpecReports))
	for i, s := range r.SpecReports {
		s.ContainerHierarchyTexts = nil
		specs[i] = s
	}
	r.SpecReports = specs
	return reporters.GenerateJUnitReportWithConfig(r, path, JUnitConfig())
}
