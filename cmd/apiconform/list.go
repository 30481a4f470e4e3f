package main

import (
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/apiconform/apiconform/internal/console"
	"github.com/apiconform/apiconform/internal/contract"
	"github.com/apiconform/apiconform/internal/plan"
)

// listCmd prints the plan of a contract, scenario by scenario with its
// labels, without sending a request.
func listCmd(args []string, stdout, stderr io.Writer) int {
	var ref, labelFilter, focus string
	var values listFlag
	fs, e := newFlagSet("list", "list --contract NAME|FILE|URL [--overlay FILE] [--label-filter EXPR] [--focus REGEX] [--shard I/N] [--list-labels]", stderr)
	fs.StringVar(&ref, "contract", "", "a shipped contract's `NAME`, an OpenAPI file, or its http(s) URL")
	e.env("contract", "APICONFORM_CONTRACT")
	var src sourceFlags
	src.register(fs, e)
	fs.StringVar(&labelFilter, "label-filter", "", "list only the scenarios whose labels match the `EXPR`")
	e.env("label-filter", "APICONFORM_LABEL_FILTER")
	fs.StringVar(&focus, "focus", "", "list only the scenarios whose names match the `REGEX`")
	e.env("focus", "APICONFORM_FOCUS")
	fs.Var(&values, "value", "a known `NAME=VALUE` for a parameter, as for run; repeatable")
	e.env("value", "APICONFORM_VALUE")
	var shard shardFlag
	fs.Var(&shard, "shard", "list only shard `I/N` of the plan, the scenarios 'run --shard I/N' runs")
	e.env("shard", "APICONFORM_SHARD")
	listLabels := fs.Bool("list-labels", false, "print every label of the plan, one per line, instead of the scenarios")
	// One configuration file serves run and list, so that list shows what
	// run would run: list takes the keys it has and only checks run's others.
	e.useConfigFile()
	if err := e.parse(args); err != nil {
		return usageError(stdout, stderr, err)
	}
	if *listLabels {
		return printLabels("list", src.source(ref), values, shard, stdout, stderr)
	}
	match := func([]string) bool { return true }
	if labelFilter != "" {
		f, err := types.ParseLabelFilter(labelFilter)
		if err != nil {
			fmt.Fprintf(stderr, "apiconform list: --label-filter %q: %s\n", labelFilter, oneLine(err.Error()))
			return exitUsage
		}
		match = f
	}
	var re *regexp.Regexp
	if focus != "" {
		var err error
		if re, err = regexp.Compile(focus); err != nil {
			fmt.Fprintf(stderr, "apiconform list: --focus %q: %v\n", focus, err)
			return exitUsage
		}
	}
	c, overlayWarnings, err := src.source(ref).load()
	printOverlayWarnings(stderr, "list", overlayWarnings)
	if err != nil {
		fmt.Fprintf(stderr, "apiconform list: %v\n", err)
		return loadExitCode(err)
	}
	fmt.Fprint(stderr, c.WarningsText(contract.WarningLimit))
	if err := applyValues(c, values); err != nil {
		fmt.Fprintf(stderr, "apiconform list: %v\n", err)
		return exitUsage
	}
	p, err := plan.Build(c)
	if err != nil {
		fmt.Fprintf(stderr, "apiconform list: contract %s: %v\n", c.Source, err)
		return exitUsage
	}
	whole := len(p.All())
	if shard.n > 0 {
		if p, err = p.Shard(shard.i, shard.n); err != nil {
			fmt.Fprintf(stderr, "apiconform list: --shard: %v\n", err)
			return exitUsage
		}
	}
	n := 0
	for _, s := range p.All() {
		if !match(s.Labels) || (re != nil && !re.MatchString(s.Name)) {
			continue
		}
		n++
		line := fmt.Sprintf("%s  [%s]", console.Line(s.Name), console.Line(strings.Join(s.Labels, ", ")))
		if s.Skip != "" {
			line += "  (skipped: " + console.Line(s.Skip) + ")"
		}
		fmt.Fprintln(stdout, line)
	}
	if shard.n > 0 {
		fmt.Fprintf(stderr, "%d of %d scenarios in shard %s (the whole plan has %d)\n", n, len(p.All()), shard.String(), whole)
	} else {
		fmt.Fprintf(stderr, "%d of %d scenarios\n", n, len(p.All()))
	}
	return exitOK
}
