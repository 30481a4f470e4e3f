package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"

	"github.com/apiconform/apiconform/internal/console"
	"github.com/apiconform/apiconform/internal/plan"
	"github.com/apiconform/apiconform/internal/probe"
	"github.com/apiconform/apiconform/internal/report"
)

type mergeOptions struct {
	junit, jsonOut, htmlOut, ref string
}

// mergeFlags binds merge's flags. No environment variables: a merge job
// that inherits the pipeline's APICONFORM_JSON_REPORT would otherwise write
// over one of its inputs.
func mergeFlags(stderr io.Writer) (*mergeOptions, *envFlags) {
	o := &mergeOptions{}
	fs, e := newFlagSet("merge", "merge [--junit-report OUT] [--json-report OUT] [--html-report OUT] IN...\n\nIN are the JSON reports (--json-report) of the shards of one run; flags and files may come in any order", stderr)
	fs.StringVar(&o.junit, "junit-report", "", "write the merged JUnit XML report to `FILE`")
	fs.StringVar(&o.jsonOut, "json-report", "", "write the merged JSON results to `FILE`")
	fs.StringVar(&o.htmlOut, "html-report", "", "write the merged HTML report to `FILE`")
	fs.StringVar(&o.ref, "contract", "", "the contract the reports judged, `NAME|FILE|URL`, to put the scenarios in its plan's order (default: the one the reports name; without it, by scenario id)")
	return o, e
}

// mergeCmd merges the JSON reports of the shards of a run into the JSON,
// JUnit and HTML reports of one run, as a vendor hands them in.
func mergeCmd(args []string, stdout, stderr io.Writer) int {
	o, e := mergeFlags(stderr)
	files, err := parseAuditArgs(e, args)
	if err != nil {
		return usageError(stdout, stderr, err)
	}
	switch {
	case len(files) == 0:
		fmt.Fprintln(stderr, "apiconform merge: no report given: name the JSON reports of the shards")
		return exitUsage
	case o.junit == "" && o.jsonOut == "" && o.htmlOut == "":
		fmt.Fprintln(stderr, "apiconform merge: nothing to write: give --junit-report, --json-report or --html-report")
		return exitUsage
	}
	ins := make([]namedPath, len(files))
	for i, f := range files {
		ins[i] = namedPath{"merged", f}
	}
	if err := distinctReports([]namedPath{{"junit-report", o.junit}, {"json-report", o.jsonOut}, {"html-report", o.htmlOut}}, ins); err != nil {
		fmt.Fprintf(stderr, "apiconform merge: %v\n", err)
		return exitUsage
	}
	inputs := make([]report.MergeInput, 0, len(files))
	for _, name := range files {
		rep, err := readReport(name)
		if err != nil {
			fmt.Fprintf(stderr, "apiconform merge: %s: %v\n", name, err)
			return exitUsage
		}
		inputs = append(inputs, report.MergeInput{Name: name, Report: rep})
	}
	if inputs, err = checkShards(inputs); err != nil {
		fmt.Fprintf(stderr, "apiconform merge: %v\n", err)
		return exitUsage
	}
	order, err := planOrder(inputs[0].Report, o.ref)
	if err != nil {
		if o.ref != "" {
			fmt.Fprintf(stderr, "apiconform merge: --contract: %v\n", err)
			return exitUsage
		}
		fmt.Fprintf(stderr, "apiconform merge: note: scenarios sorted by id, and not checked against the plan: %v\n", err)
	}
	merged, err := report.Merge(inputs, order)
	if err != nil {
		fmt.Fprintf(stderr, "apiconform merge: %v\n", err)
		return exitUsage
	}
	if !writeReportFiles("merge", merged, o.junit, o.jsonOut, o.htmlOut, stdout, stderr) {
		return exitFailed
	}
	c := merged.Summary
	fmt.Fprintf(stdout, "apiconform merge: %d reports, contract %s: %d scenarios: %d passed, %d failed, %d inconclusive, %d skipped, %d warnings\n",
		len(inputs), console.Line(merged.Run.Contract.Name), c.Total, c.Passed, c.Failed, c.Inconclusive, c.Skipped, c.Warnings)
	for _, msg := range merged.FailedRestores {
		fmt.Fprintf(stdout, "\n!!!!!!!!!!\n%s\n!!!!!!!!!!\n", msg)
	}
	// The exit code reads as a run's: a pipeline can gate on the merge.
	if c.Failed > 0 || c.Inconclusive > 0 || len(merged.FailedRestores) > 0 {
		return exitFailed
	}
	return exitOK
}

func readReport(name string) (*report.JSONReport, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return report.ReadJSON(f)
}

// checkShards checks that the reports are the whole of one sharded run
// when any of them is a shard's: every shard of the same count, each once.
// A merge that lacks a shard would be a report that looks whole and is
// not. It returns the inputs in shard order, so that the merge does not
// depend on the order the files were named in.
func checkShards(inputs []report.MergeInput) ([]report.MergeInput, error) {
	shards := make([]shardFlag, len(inputs))
	sharded := -1
	for k, in := range inputs {
		v := in.Report.Run.Config["shard"]
		if v == "" {
			continue
		}
		if err := shards[k].Set(v); err != nil {
			return nil, fmt.Errorf("%s: shard %q: %v", in.Name, v, err)
		}
		sharded = k
	}
	if sharded < 0 {
		return inputs, nil
	}
	n := shards[sharded].n
	by := map[int]string{}
	for k, in := range inputs {
		s := shards[k]
		switch {
		case s.n == 0:
			return nil, fmt.Errorf("%s is the report of a whole run, but %s of shard %s: merge the reports of the shards of one run", in.Name, inputs[sharded].Name, shards[sharded].String())
		case s.n != n:
			return nil, fmt.Errorf("%s is of shard %s, but %s of shard %s: merge the shards of one split", in.Name, s.String(), inputs[sharded].Name, shards[sharded].String())
		case by[s.i] != "":
			return nil, fmt.Errorf("%s and %s are both of shard %s", by[s.i], in.Name, s.String())
		}
		by[s.i] = in.Name
	}
	for i := 1; i <= n; i++ {
		if by[i] == "" {
			return nil, fmt.Errorf("the report of shard %d/%d is missing: merge the reports of all %d shards", i, n, n)
		}
	}
	out := append([]report.MergeInput(nil), inputs...)
	sort.SliceStable(out, func(a, b int) bool {
		var sa, sb shardFlag
		sa.Set(out[a].Report.Run.Config["shard"])
		sb.Set(out[b].Report.Run.Config["shard"])
		return sa.i < sb.i
	})
	return out, nil
}

// planOrder lists the scenario IDs of a fresh plan of the contract the
// report judged, for the merged scenarios to come in the order of a run.
// It is an error when the contract cannot be loaded or is not the one the
// report judged (another version of the file).
func planOrder(rep *report.JSONReport, ref string) ([]string, error) {
	named := ref != ""
	if ref == "" {
		ref = rep.Run.Config["contract"]
	}
	if ref == "" {
		ref = rep.Run.Contract.Name
	}
	if !named && isURL(ref) {
		// A merge fetches nothing it was not asked to; the URL in the
		// report is redacted anyway.
		return nil, fmt.Errorf("the reports' contract is the URL %s: pass --contract to have the plan's order", ref)
	}
	// The overlays the run applied, so that the plan is the run's.
	src := contractSource{ref: ref, overlays: rep.Run.Contract.Overlays, fetch: probe.Options{UserAgent: "apiconform/" + version}}
	p, err := loadSourcePlan("merge", src, nil, io.Discard)
	if err != nil {
		return nil, err
	}
	if p.Contract.SHA256 != rep.Run.Contract.SHA256 {
		return nil, fmt.Errorf("the contract %s (sha256 %s) is not the one the reports judged (sha256 %s)", ref, p.Contract.SHA256, rep.Run.Contract.SHA256)
	}
	return planIDs(p), nil
}

func planIDs(p *plan.Plan) []string {
	var ids []string
	for _, s := range p.All() {
		ids = append(ids, s.ID)
	}
	return ids
}

// writeReportFiles writes the JUnit, JSON and HTML reports of rep to the
// paths given ("" for none), each named on stdout once written; a report
// that cannot be written is said on stderr and the others are still
// written. It tells whether all were.
func writeReportFiles(cmd string, rep *report.JSONReport, junit, json, html string, stdout, stderr io.Writer) bool {
	ok := true
	for _, out := range []struct {
		flag, path, kind string
		write            func(io.Writer, *report.JSONReport) error
	}{
		{"junit-report", junit, "JUnit", report.WriteJUnitJSON},
		{"json-report", json, "JSON", report.EncodeJSON},
		{"html-report", html, "HTML", report.RenderHTML},
	} {
		if out.path == "" {
			continue
		}
		if err := writeFile(out.path, rep, out.write); err != nil {
			fmt.Fprintf(stderr, "apiconform %s: --%s: %v\n", cmd, out.flag, err)
			ok = false
			continue
		}
		fmt.Fprintf(stdout, "%s report: %s\n", out.kind, out.path)
	}
	return ok
}

// writeFile writes a report through a temporary file in the same
// directory, so that a failed write leaves no half report behind.
func writeFile(path string, rep *report.JSONReport, write func(io.Writer, *report.JSONReport) error) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".apiconform-merge-*")
	if err != nil {
		return err
	}
	// CreateTemp makes the file private; a report is for everyone who can
	// read the directory, as run writes it.
	werr := f.Chmod(0o644)
	if werr == nil {
		werr = write(f, rep)
	}
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Rename(f.Name(), path)
	}
	if werr != nil {
		os.Remove(f.Name())
		return errors.Join(fmt.Errorf("writing %s", path), werr)
	}
	return nil
}
