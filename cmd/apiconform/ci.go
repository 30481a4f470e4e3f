package main

import (
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/apiconform/apiconform/internal/plan"
)

// shardFlag is --shard I/N: run the I-th of N parts of the plan.
type shardFlag struct{ i, n int }

func (s *shardFlag) String() string {
	if s == nil || s.n == 0 {
		return ""
	}
	return fmt.Sprintf("%d/%d", s.i, s.n)
}

// Set checks the shard at once, so that a bad one is a usage error naming
// the flag, the variable or the file line it came from. "" is no shard.
func (s *shardFlag) Set(v string) error {
	v = strings.TrimSpace(v)
	if v == "" {
		*s = shardFlag{}
		return nil
	}
	is, ns, ok := strings.Cut(v, "/")
	i, err1 := strconv.Atoi(is)
	n, err2 := strconv.Atoi(ns)
	if !ok || err1 != nil || err2 != nil {
		return fmt.Errorf("expected I/N, e.g. 2/3 for the second of three shards")
	}
	if err := plan.CheckShard(i, n); err != nil {
		return err
	}
	*s = shardFlag{i, n}
	return nil
}

// ciOptions are the options of run (and list) for CI pipelines: split the
// plan between jobs, and two that answer a question and exit.
type ciOptions struct {
	shard       shardFlag
	listLabels  bool
	showVersion bool
}

// register adds the options to run's flags, and the configuration file.
func (c *ciOptions) register(fs *flag.FlagSet, e *envFlags) {
	fs.Var(&c.shard, "shard", "run only shard `I/N` of the plan (1 <= I <= N <= 1000), for N CI jobs that together run it once; see 'apiconform merge'")
	e.env("shard", "APICONFORM_SHARD")
	fs.BoolVar(&c.listLabels, "list-labels", false, "print every label of the plan, one per line, and exit (needs only --contract)")
	fs.BoolVar(&c.showVersion, "version", false, "print apiconform's version and exit")
	e.useConfigFile()
}

// early answers --version and --list-labels, which need no target. done
// tells whether the command ends here, with code.
func (c *ciOptions) early(src contractSource, values []string, stdout, stderr io.Writer) (code int, done bool) {
	switch {
	case c.showVersion:
		return versionCmd(nil, stdout, stderr), true
	case c.listLabels:
		return printLabels("run", src, values, c.shard, stdout, stderr), true
	}
	return 0, false
}

// shardPlan keeps the run's shard of the plan. The disruptive scenarios
// change the target's state for everyone who uses it: shards running at
// the same time against one target would see each other's maintenance mode
// and throttling, so a run that has both is warned.
func (c *ciOptions) shardPlan(p *plan.Plan, allowDisruptive bool, stderr io.Writer) (*plan.Plan, error) {
	if c.shard.n == 0 {
		return p, nil
	}
	if allowDisruptive && c.shard.n > 1 {
		fmt.Fprintln(stderr, "apiconform run: note: --allow-disruptive with --shard: disruptive scenarios change the target's state for every job that tests it at the same time; run them in a job of their own (--label-filter disruptive) unless each shard has its own target")
	}
	return p.Shard(c.shard.i, c.shard.n)
}

// printLabels prints every label of a contract's plan (of one shard, when
// given), one per line.
func printLabels(cmd string, src contractSource, values []string, shard shardFlag, stdout, stderr io.Writer) int {
	if src.ref == "" {
		fmt.Fprintf(stderr, "apiconform %s: --list-labels needs --contract (or APICONFORM_CONTRACT)\n", cmd)
		return exitUsage
	}
	p, err := loadSourcePlan(cmd, src, values, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "apiconform %s: %v\n", cmd, err)
		return loadExitCode(err)
	}
	if shard.n > 0 {
		if p, err = p.Shard(shard.i, shard.n); err != nil {
			fmt.Fprintf(stderr, "apiconform %s: --shard: %v\n", cmd, err)
			return exitUsage
		}
	}
	for _, l := range p.Labels() {
		fmt.Fprintln(stdout, l)
	}
	return exitOK
}

// loadPlan loads a contract by name or file, adds the known values, and
// plans it.
func loadPlan(ref string, values []string) (*plan.Plan, error) {
	return loadSourcePlan("", contractSource{ref: ref}, values, io.Discard)
}

// loadSourcePlan loads a contract from its source, adds the known values,
// and plans it; the overlays' warnings go to stderr.
func loadSourcePlan(cmd string, src contractSource, values []string, stderr io.Writer) (*plan.Plan, error) {
	c, warnings, err := src.load()
	printOverlayWarnings(stderr, cmd, warnings)
	if err != nil {
		return nil, err
	}
	if err := applyValues(c, values); err != nil {
		return nil, err
	}
	p, err := plan.Build(c)
	if err != nil {
		return nil, fmt.Errorf("contract %s: %v", c.Source, err)
	}
	return p, nil
}
