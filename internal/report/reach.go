package report

import (
	"strings"

	"github.com/apiconform/apiconform/internal/probe"
)

// ReachFamily is the family of the reachability check a run makes before
// any scenario. A run whose target does not answer it reports the check as
// one failed scenario of this family and every scenario of its plan as
// skipped, in every report.
const ReachFamily = "reachability"

// reachCheck tells whether a scenario is a run's reachability check, which
// is in no plan.
func reachCheck(s JSONScenario) bool {
	return s.Family == ReachFamily && strings.HasPrefix(s.ID, probe.ReachID)
}

// unreached tells whether a run stopped at the reachability check.
func unreached(rep *JSONReport) bool {
	for i := range rep.Scenarios {
		if s := &rep.Scenarios[i]; s.Family == ReachFamily && s.Result == Failed {
			return true
		}
	}
	return false
}
