package main

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/apiconform/apiconform/internal/contract"
	"github.com/apiconform/apiconform/internal/plan"
	"github.com/apiconform/apiconform/internal/probe"
)

// runSetup is everything a run needs before it sends its first request:
// the options, the contract as the options change it, the plan, and the
// client. Building it sends nothing to the target, so the tests of option
// handling call buildRun in-process instead of running the binary.
type runSetup struct {
	o               *runOptions
	target          *url.URL
	contract        *contract.Contract
	overlayWarnings []string
	plan            *plan.Plan
	popts           probe.Options
	client          *probe.Client
	// restore puts back the standard logger, which redacts for the whole
	// run; the caller defers it.
	restore func()
}

// buildRun parses and checks the arguments, the environment and the config
// file of a run, loads the contract and builds the plan and the probe
// options. It returns the setup, or the exit code with done true when the
// command ends before anything is sent (a usage error, --help, a CI
// early exit); what it prints is what the run prints up to that point.
func buildRun(args []string, stdout, stderr io.Writer) (s *runSetup, code int, done bool) {
	o, e := runFlags(stderr)
	if err := e.parse(args); err != nil {
		return nil, usageError(stdout, stderr, err), true
	}
	restore := redactStdLog(o, stderr)
	defer func() {
		if done {
			restore()
		}
	}()
	if code, done := o.ci.early(o.contractSource(nil), o.values, stdout, stderr); done {
		return nil, code, true
	}
	target, err := checkRunOptions(o)
	if err == nil {
		err = distinctReports(o.reportPaths(), o.inputPaths(e.configPath))
	}
	if err != nil {
		fmt.Fprintf(stderr, "apiconform run: %v\n", err)
		return nil, exitUsage, true
	}
	c, overlayWarnings, err := o.contractSource(target).load()
	printOverlayWarnings(stderr, "run", overlayWarnings)
	if err != nil {
		fmt.Fprintf(stderr, "apiconform run: %v\n", err)
		return nil, loadExitCode(err), true
	}
	fmt.Fprint(stderr, c.WarningsText(contract.WarningLimit))
	o.basePath.apply(c)
	if err := applyValues(c, o.values); err != nil {
		fmt.Fprintf(stderr, "apiconform run: %v\n", err)
		return nil, exitUsage, true
	}
	if t := c.Conformance.Throttling; t != nil {
		if o.burst > 0 {
			t.Burst = o.burst
		}
		if o.burstWithin > 0 {
			t.Window = o.burstWithin
		}
	}
	p, err := plan.Build(c)
	if err == nil {
		p, err = o.ci.shardPlan(p, o.allowDisruptive, stderr)
	}
	if err != nil {
		fmt.Fprintf(stderr, "apiconform run: contract %s: %v\n", c.Source, err)
		return nil, exitUsage, true
	}
	popts := probe.Options{
		Target:    c.JoinBase(target),
		Timeout:   o.timeout,
		MaxBody:   o.maxBody,
		Header:    http.Header{},
		UserAgent: "apiconform/" + version,
		Rate:      o.rate,
	}
	if popts.MaxRetryWait = o.maxRetryWait; o.maxRetryWait == 0 {
		popts.MaxRetryWait = -1 // never waits
	}
	if cors := c.Conformance.CORS; cors != nil {
		popts.Origin = cors.Origin
	}
	if o.basicAuth != "" {
		popts.BasicUser, popts.BasicPassword, _ = strings.Cut(o.basicAuth, ":")
		popts.HasBasic = true
	}
	popts.BearerToken = o.bearer
	popts.CACert, popts.ClientCert, popts.ClientKey = o.caCert, o.clientCert, o.clientKey
	popts.InsecureSkipVerify = o.insecure
	if _, err := popts.TLSConfig(); err != nil {
		fmt.Fprintf(stderr, "apiconform run: %v\n", tlsFlagError(err))
		return nil, exitUsage, true
	}
	for _, h := range o.headers {
		name, val, _ := strings.Cut(h, ":")
		popts.Header.Add(strings.TrimSpace(name), strings.TrimSpace(val))
	}
	client := probe.New(popts)
	if err := writableReports(o.reportPaths()); err != nil {
		fmt.Fprintf(stderr, "apiconform run: %v\n", err)
		return nil, exitUsage, true
	}
	return &runSetup{o: o, target: target, contract: c, overlayWarnings: overlayWarnings,
		plan: p, popts: popts, client: client, restore: restore}, 0, false
}
