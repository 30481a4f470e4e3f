package conformance

import (
	"regexp"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/apiconform/apiconform/internal/plan"
)

// Selected lists the stateless scenarios of a plan that a run with these
// filters sends, in plan order: those the plan does not skip, that the
// label filter keeps and whose spec text the focus matches, as Ginkgo will
// select them. A pre-flight that sends some of them before the specs run
// sends nothing the run would not. The filters must be valid.
func Selected(p *plan.Plan, labelFilter, focus string) []*plan.Scenario {
	r := &runner{Options: Options{Plan: p, LabelFilter: labelFilter, Focus: focus}, texts: map[*plan.Scenario]string{}}
	r.groupTexts()
	sends := r.sends(r.texts)
	var out []*plan.Scenario
	for _, s := range p.Scenarios {
		if sends(s) {
			out = append(out, s)
		}
	}
	return out
}

// sends tells whether the run sends a scenario ahead of its spec: a
// stateless one that will run (not one the run skips for want of
// --allow-writes, which has no spec to take its answer). texts are the specs' full texts.
func (r *runner) sends(texts map[*plan.Scenario]string) func(*plan.Scenario) bool {
	keep := func([]string) bool { return true }
	if r.LabelFilter != "" {
		if f, err := types.ParseLabelFilter(r.LabelFilter); err == nil {
			keep = f
		}
	}
	var focus *regexp.Regexp
	if r.Focus != "" {
		focus, _ = regexp.Compile(r.Focus)
	}
	return func(s *plan.Scenario) bool {
		if s.Phase != plan.PhaseStateless || s.Skip != "" || r.existingSkipped(s) || !keep(s.Labels) {
			return false
		}
		return focus == nil || focus.MatchString(texts[s])
	}
}
