package report

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// MergeInput is one report to merge and the name it is known by in
// messages (its file).
type MergeInput struct {
	Name   string
	Report *JSONReport
}

// Merge combines the JSON results of runs that split one plan between them
// (the shards of a CI pipeline) into the results of one run. It refuses
// reports of different formats, contracts or apiconform versions, which
// could not have come from one run, and a scenario reported twice.
//
// The merged scenarios follow order (the scenario IDs of the contract's
// plan), and a scenario order does not list is refused: the reports are
// not of that plan. The reachability checks of runs that stopped there,
// in no plan, come after. With no order all are sorted by ID. The summary is recounted. The run spans
// the inputs: the earliest start, until the latest end. A configuration
// value on which the inputs differ (the shard, say) lists each distinct
// value once, in the inputs' order; so do the targets.
func Merge(inputs []MergeInput, order []string) (*JSONReport, error) {
	if len(inputs) == 0 {
		return nil, fmt.Errorf("no report to merge")
	}
	first := inputs[0]
	out := &JSONReport{Format: JSONFormat, FailedRestores: []string{}, Scenarios: []JSONScenario{}}
	out.Run = first.Report.Run
	out.Run.Config = map[string]string{}
	out.Run.Warnings = nil
	seen := map[string]string{}
	inPlan := make(map[string]bool, len(order))
	for _, id := range order {
		inPlan[id] = true
	}
	var end time.Time
	var targets []string
	configs := map[string][]string{}
	for _, in := range inputs {
		r := in.Report
		switch {
		case r.Format != JSONFormat:
			return nil, fmt.Errorf("%s: format %q, not %q", in.Name, r.Format, JSONFormat)
		case r.Run.Contract.SHA256 != first.Report.Run.Contract.SHA256:
			return nil, fmt.Errorf("%s judged the contract %s (sha256 %s), but %s judged %s (sha256 %s): merge reports of one contract",
				in.Name, r.Run.Contract.Name, r.Run.Contract.SHA256, first.Name, first.Report.Run.Contract.Name, first.Report.Run.Contract.SHA256)
		case r.Run.Version != first.Report.Run.Version:
			return nil, fmt.Errorf("%s was written by apiconform %s, but %s by %s: merge reports of one version, which judge alike",
				in.Name, r.Run.Version, first.Name, first.Report.Run.Version)
		}
		for _, s := range r.Scenarios {
			if order != nil && !inPlan[s.ID] && !reachCheck(s) {
				return nil, fmt.Errorf("%s: scenario %q is not in the plan of the contract %s: merge reports of runs of this contract, with the overlays they name", in.Name, s.ID, first.Report.Run.Contract.Name)
			}
			if prev, dup := seen[s.ID]; dup {
				return nil, fmt.Errorf("scenario %q is in both %s and %s: each scenario must be in one report only", s.ID, prev, in.Name)
			}
			seen[s.ID] = in.Name
			out.Scenarios = append(out.Scenarios, s)
		}
		out.FailedRestores = append(out.FailedRestores, r.FailedRestores...)
		for _, w := range r.Run.Warnings {
			out.Run.Warnings = appendNew(out.Run.Warnings, w)
		}
		targets = appendNew(targets, r.Run.Target)
		for k, v := range r.Run.Config {
			configs[k] = appendNew(configs[k], v)
		}
		if r.Run.Start.Before(out.Run.Start) {
			out.Run.Start = r.Run.Start
		}
		if e := r.Run.Start.Add(r.Run.Duration); e.After(end) {
			end = e
		}
	}
	// A key some inputs lack is one they did not record, not one they
	// left empty: it counts as the empty value among the others.
	for k, vs := range configs {
		n := 0
		for _, in := range inputs {
			if _, ok := in.Report.Run.Config[k]; ok {
				n++
			}
		}
		if n < len(inputs) {
			vs = appendNew(vs, "")
		}
		out.Run.Config[k] = strings.Join(vs, ", ")
	}
	out.Run.Target = strings.Join(targets, ", ")
	out.Run.Duration = end.Sub(out.Run.Start)
	sortScenarios(out.Scenarios, order)
	out.Summarize()
	return out, nil
}

// sortScenarios puts the scenarios in the order of the IDs listed, the
// others after them by ID.
func sortScenarios(ss []JSONScenario, order []string) {
	rank := make(map[string]int, len(order))
	for i, id := range order {
		if _, dup := rank[id]; !dup {
			rank[id] = i
		}
	}
	sort.SliceStable(ss, func(a, b int) bool {
		ra, okA := rank[ss[a].ID]
		rb, okB := rank[ss[b].ID]
		switch {
		case okA && okB:
			return ra < rb
		case okA != okB:
			return okA
		}
		return ss[a].ID < ss[b].ID
	})
}

func appendNew(list []string, v string) []string {
	for _, x := range list {
		if x == v {
			return list
		}
	}
	return append(list, v)
}
