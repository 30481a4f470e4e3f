package main

import (
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"regexp"
	"runtime/debug"
	"strings"
	"time"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/apiconform/apiconform/internal/console"
	"github.com/apiconform/apiconform/internal/probe"
	"github.com/apiconform/apiconform/internal/report"
	"github.com/apiconform/apiconform/suites/conformance"
)

// version is stamped at build time with -ldflags "-X main.version=...".
var version = "dev"

type runOptions struct {
	target, contract, basicAuth, bearer string
	headers, values, overlays           listFlag
	junit, labelFilter, focus           string
	jsonReport, htmlReport              string
	timeout, runTimeout                 time.Duration
	maxBody                             int64
	strict, allowWrites, verbose        bool
	allowDisruptive                     bool
	concurrency                         int
	rate                                float64
	maxRetryWait                        time.Duration
	burst                               int
	burstWithin                         time.Duration
	noColor                             bool
	ci                                  ciOptions
	caCert, clientCert, clientKey       string
	insecure                            bool
	basePath                            basePathFlag
}

func runFlags(stderr io.Writer) (*runOptions, *envFlags) {
	o := &runOptions{}
	fs, e := newFlagSet("run", "run --target URL --contract NAME|FILE|URL [--overlay FILE] [flags]", stderr)
	fs.StringVar(&o.target, "target", "", "the `URL` of the server under test (the base path, the contract's or --base-path, is added unless the URL ends with it)")
	e.env("target", "APICONFORM_TARGET")
	fs.Var(&o.basePath, "base-path", "the `PATH` the target serves the contract's paths under, in place of the path of the contract's servers[0].url; / for none")
	e.env("base-path", "APICONFORM_BASE_PATH")
	fs.StringVar(&o.contract, "contract", "", "a shipped contract's `NAME` (see 'apiconform contracts'), an OpenAPI file, or its http(s) URL")
	e.env("contract", "APICONFORM_CONTRACT")
	registerOverlay(fs, e, &o.overlays)
	fs.StringVar(&o.basicAuth, "basic-auth", "", "`USER:PASS` for operations whose security scheme is HTTP Basic")
	e.env("basic-auth", "APICONFORM_BASIC_AUTH")
	fs.StringVar(&o.bearer, "bearer-token", "", "`TOKEN` for operations whose security scheme is a bearer token (http bearer, oauth2, openIdConnect)")
	e.env("bearer-token", "APICONFORM_BEARER_TOKEN")
	fs.StringVar(&o.caCert, "ca-cert", "", "a PEM `FILE` of CA certificates trusted besides the system's, for an https:// target whose certificate a private CA signed")
	e.env("ca-cert", "APICONFORM_CA_CERT")
	fs.StringVar(&o.clientCert, "client-cert", "", "a PEM `FILE` with the client certificate for mutual TLS (with --client-key)")
	e.env("client-cert", "APICONFORM_CLIENT_CERT")
	fs.StringVar(&o.clientKey, "client-key", "", "a PEM `FILE` with the key of --client-cert")
	e.env("client-key", "APICONFORM_CLIENT_KEY")
	fs.BoolVar(&o.insecure, "insecure-skip-verify", false, "accept any server certificate (a warning in every report)")
	e.env("insecure-skip-verify", "APICONFORM_INSECURE_SKIP_VERIFY")
	fs.Var(&o.headers, "header", "a `'Name: value'` header added to every request; repeatable (the variable takes one per line); values are redacted in every output")
	e.env("header", "APICONFORM_HEADER")
	fs.Var(&o.values, "value", "a known `NAME=VALUE` for a parameter, such as an id that exists on the target; repeatable; wins over the contract's x-conformance values")
	e.env("value", "APICONFORM_VALUE")
	fs.StringVar(&o.junit, "junit-report", "", "write a JUnit XML report to `FILE`")
	e.env("junit-report", "APICONFORM_JUNIT_REPORT")
	fs.StringVar(&o.jsonReport, "json-report", "", "write the JSON results (format apiconform-results/1) to `FILE`")
	e.env("json-report", "APICONFORM_JSON_REPORT")
	fs.StringVar(&o.htmlReport, "html-report", "", "write the self-contained HTML report to `FILE`")
	e.env("html-report", "APICONFORM_HTML_REPORT")
	fs.StringVar(&o.labelFilter, "label-filter", "", "run only the scenarios whose labels match the Ginkgo label `EXPR`, e.g. 'credentials && !writes'")
	e.env("label-filter", "APICONFORM_LABEL_FILTER")
	fs.StringVar(&o.focus, "focus", "", "run only the scenarios whose names match the `REGEX`")
	e.env("focus", "APICONFORM_FOCUS")
	fs.DurationVar(&o.timeout, "timeout", 10*time.Second, "time limit of one exchange: connect, headers and body (`DURATION`)")
	e.env("timeout", "APICONFORM_TIMEOUT")
	fs.DurationVar(&o.runTimeout, "run-timeout", time.Hour, "time limit of the whole run (`DURATION`)")
	e.env("run-timeout", "APICONFORM_RUN_TIMEOUT")
	fs.Int64Var(&o.maxBody, "max-body", 1<<20, "the most `BYTES` read of a response body; a longer body is cut and reported")
	e.env("max-body", "APICONFORM_MAX_BODY")
	fs.IntVar(&o.concurrency, "concurrency", 8, "how many stateless exchanges are sent at once (`N`, 1 to 256); stateful scenarios always run one at a time")
	e.env("concurrency", "APICONFORM_CONCURRENCY")
	fs.Float64Var(&o.rate, "rate", 0, "the most requests per second over the whole run (`N`; 0: no limit)")
	e.env("rate", "APICONFORM_RATE")
	fs.DurationVar(&o.maxRetryWait, "max-retry-wait", probe.DefaultMaxRetryWait, "the most time the whole run waits on the Retry-After of 429 answers (`DURATION`; 0: never waits); past it a throttled scenario is inconclusive")
	e.env("max-retry-wait", "APICONFORM_MAX_RETRY_WAIT")
	fs.IntVar(&o.burst, "throttle-burst", 0, "the most requests of the throttling burst (`N`, 1 to 10000), instead of the contract's x-conformance throttling.burst")
	e.env("throttle-burst", "APICONFORM_THROTTLE_BURST")
	fs.DurationVar(&o.burstWithin, "throttle-within", 0, "the window of the throttling burst (`DURATION`), instead of the contract's throttling.within")
	e.env("throttle-within", "APICONFORM_THROTTLE_WITHIN")
	fs.BoolVar(&o.strict, "strict", false, "fail on warnings (SHOULD-level rules) and on inconclusive scenarios")
	e.env("strict", "APICONFORM_STRICT")
	fs.BoolVar(&o.allowWrites, "allow-writes", false, "run the happy paths of unsafe methods, which create, change and delete a resource of the suite's own, and the negative PUT, PATCH and DELETE aimed at existing resources (read first, put back if the target accepts one)")
	e.env("allow-writes", "APICONFORM_ALLOW_WRITES")
	fs.BoolVar(&o.allowDisruptive, "allow-disruptive", false, "run the operational-state and throttling scenarios (maintenance mode, bursts), which change the target's state and restore it")
	e.env("allow-disruptive", "APICONFORM_ALLOW_DISRUPTIVE")
	fs.BoolVar(&o.verbose, "v", false, "print every scenario as it runs")
	e.env("v", "APICONFORM_VERBOSE")
	fs.BoolVar(&o.noColor, "no-color", false, "no colour in the output (also when NO_COLOR is set)")
	e.env("no-color", "NO_COLOR")
	o.ci.register(fs, e)
	return o, e
}

func runCmd(args []string, stdout, stderr io.Writer) int {
	// A run is short-lived and holds little: collecting garbage less often
	// saves a good part of its CPU time, for some more memory.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	s, code, done := buildRun(args, stdout, stderr)
	if done {
		return code
	}
	defer s.restore()
	o, target, c, overlayWarnings, p, popts, client := s.o, s.target, s.contract, s.overlayWarnings, s.plan, s.popts, s.client
	red := client.Redactor()
	book := report.NewBook()
	start := time.Now()
	run := &report.Run{
		Tool:    "apiconform",
		Version: version,
		Contract: report.ContractInfo{
			Name: c.Name, Title: c.Doc.Info.Title, Version: c.Doc.Info.Version, SHA256: c.SHA256, Source: c.Source,
			Overlays: o.overlays,
		},
		Target: red.URL(popts.Target),
		Config: o.redacted(),
		Start:  start.UTC(),
	}
	if len(c.Warnings) > 0 {
		run.Warnings = append(run.Warnings, c.WarningsSummary()+" (listed on stderr)")
	}
	run.Warnings = append(run.Warnings, overlayWarnings...)
	if o.insecure {
		fmt.Fprintf(stderr, "apiconform run: warning: %s\n", insecureWarning)
		run.Warnings = append(run.Warnings, insecureWarning)
	}
	if code, stop := checkReach(client, p, run, o, stdout, stderr); stop {
		return code
	}
	fmt.Fprintf(stdout, "apiconform %s: contract %s (%s %s), %d scenarios planned, target %s\n",
		version, console.Line(c.Name), console.Line(c.Doc.Info.Title), console.Line(c.Doc.Info.Version), len(p.All()), red.URL(popts.Target))
	pre := diagnose(client, p, o, target, stderr)
	run.Warnings = append(pre.lines(), run.Warnings...)
	var ginkgoOut, progress io.Writer
	if o.verbose {
		ginkgoOut = stdout
	} else if isTerminal(stdout) {
		progress = console.Raw(stdout) // it draws its line with escape sequences
	}
	ok, err := conformance.Run(conformance.Options{
		VerboseOutput:   ginkgoOut,
		Progress:        progress,
		JUnitProperties: report.JUnitProperties(run),
		Plan:            p,
		Client:          client,
		AllowWrites:     o.allowWrites,
		AllowDisruptive: o.allowDisruptive,
		Concurrency:     o.concurrency,
		Strict:          o.strict,
		LabelFilter:     o.labelFilter,
		Focus:           o.focus,
		RunTimeout:      o.runTimeout,
		JUnitReport:     o.junit,
		Verbose:         o.verbose,
		NoColor:         o.noColor || !isTerminal(stdout),
		Book:            book,
		Diagnosis:       pre.diagnosis,
		Sent:            pre.sent,
	})
	report.Summary(stdout, book, time.Since(start), report.SummaryOptions{JUnit: o.junit, JSON: o.jsonReport, HTML: o.htmlReport, Strict: o.strict})
	// A run stopped early has the scenarios it had not run as skipped:
	// say why, everywhere.
	for _, why := range book.Stops() {
		msg := "the run was stopped early (" + why + "): the scenarios not run by then are reported as skipped"
		if strings.Contains(strings.ToLower(why), "timeout") {
			msg = fmt.Sprintf("the run reached --run-timeout %s and was stopped: the scenarios not run by then are reported as skipped", o.runTimeout)
		}
		fmt.Fprintf(stderr, "apiconform run: %s\n", msg)
		run.Warnings = append(run.Warnings, msg)
		ok = false
	}
	if err != nil {
		fmt.Fprintf(stderr, "apiconform run: %v\n", err)
		return exitFailed
	}
	run.Duration = time.Since(start)
	if err := writeReports(run, book, o); err != nil {
		fmt.Fprintf(stderr, "apiconform run: %v\n", err)
		return exitFailed
	}
	for _, r := range []struct{ kind, path string }{{"JUnit", o.junit}, {"JSON", o.jsonReport}, {"HTML", o.htmlReport}} {
		if r.path != "" {
			fmt.Fprintf(stdout, "%s report: %s\n", r.kind, r.path)
		}
	}
	all, _, _ := book.Count()
	if !ok || all.Failed > 0 || all.Inconclusive > 0 || len(book.FailedRestores()) > 0 {
		return exitFailed
	}
	return exitOK
}

// checkRunOptions validates what Ginkgo would otherwise exit or panic on,
// and everything else a run needs, before anything is sent.
func checkRunOptions(o *runOptions) (*url.URL, error) {
	if o.target == "" {
		return nil, errors.New("--target is required (or APICONFORM_TARGET)")
	}
	if o.contract == "" {
		return nil, errors.New("--contract is required (or APICONFORM_CONTRACT): a file, or one of the names 'apiconform contracts' lists")
	}
	u, err := url.Parse(o.target)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("--target %q is not an http:// or https:// URL", o.target)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("--target %q: the URL must not carry a query or fragment", o.target)
	}
	if o.labelFilter != "" {
		if _, err := types.ParseLabelFilter(o.labelFilter); err != nil {
			return nil, fmt.Errorf("--label-filter %q: %s", o.labelFilter, oneLine(err.Error()))
		}
	}
	if o.focus != "" {
		if _, err := regexp.Compile(o.focus); err != nil {
			return nil, fmt.Errorf("--focus %q: %v", o.focus, err)
		}
	}
	if o.basicAuth != "" && !strings.Contains(o.basicAuth, ":") {
		return nil, errors.New("--basic-auth takes USER:PASS")
	}
	for _, h := range o.headers {
		name, _, ok := strings.Cut(h, ":")
		if !ok || strings.TrimSpace(name) == "" || strings.ContainsAny(strings.TrimSpace(name), " \t") {
			return nil, fmt.Errorf("--header %q: expected 'Name: value'", h)
		}
	}
	for _, v := range o.values {
		if name, _, ok := strings.Cut(v, "="); !ok || name == "" {
			return nil, fmt.Errorf("--value %q: expected NAME=VALUE", v)
		}
	}
	if o.timeout <= 0 || o.runTimeout <= 0 {
		return nil, errors.New("--timeout and --run-timeout must be positive")
	}
	if o.maxBody <= 0 {
		return nil, errors.New("--max-body must be positive")
	}
	if o.burst < 0 || o.burst > 10000 {
		return nil, fmt.Errorf("--throttle-burst %d: must be from 1 to 10000", o.burst)
	}
	if o.burstWithin < 0 {
		return nil, fmt.Errorf("--throttle-within %s: must be positive", o.burstWithin)
	}
	if o.concurrency < 1 || o.concurrency > 256 {
		return nil, fmt.Errorf("--concurrency %d: must be from 1 to 256", o.concurrency)
	}
	if o.maxRetryWait < 0 {
		return nil, fmt.Errorf("--max-retry-wait %s: must be 0 (never wait) or more", o.maxRetryWait)
	}
	if o.rate < 0 || o.rate != o.rate {
		return nil, fmt.Errorf("--rate %v: must be 0 (no limit) or more", o.rate)
	}
	return u, nil
}

// insecureWarning is the run warning of --insecure-skip-verify: a report
// of such a run must not read as if the target's certificate were checked.
const insecureWarning = "--insecure-skip-verify: the TLS certificate of the target was not verified"

// tlsFlagError names the flag of a certificate or key file that cannot be
// used.
func tlsFlagError(err error) error {
	var fe *probe.FileError
	if !errors.As(err, &fe) {
		return err
	}
	flag := map[string]string{"CACert": "ca-cert", "ClientCert": "client-cert", "ClientKey": "client-key"}[fe.Option]
	return fmt.Errorf("--%s %s: %v", flag, fe.Path, fe.Err)
}

func oneLine(s string) string {
	s = strings.ReplaceAll(s, "\n", " ")
	return strings.Join(strings.Fields(s), " ")
}

// writeReports writes the JSON and HTML reports the options ask for.
func writeReports(run *report.Run, book *report.Book, o *runOptions) error {
	for _, r := range []struct {
		flag, path string
		write      func(io.Writer, *report.Run, *report.Book) error
	}{{"json-report", o.jsonReport, report.WriteJSON}, {"html-report", o.htmlReport, report.WriteHTML}} {
		if r.path == "" {
			continue
		}
		f, err := os.Create(r.path)
		if err != nil {
			return fmt.Errorf("--%s: %w", r.flag, err)
		}
		werr := r.write(f, run, book)
		if cerr := f.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			return fmt.Errorf("--%s %s: %w", r.flag, r.path, werr)
		}
	}
	return nil
}

// redacted is the run's configuration as the reports show it: every flag
// with its value, credentials and header values hidden.
func (o *runOptions) redacted() map[string]string {
	hide := func(v string) string {
		if v == "" {
			return ""
		}
		return "[redacted]"
	}
	var headers []string
	for _, h := range o.headers {
		name, _, _ := strings.Cut(h, ":")
		headers = append(headers, strings.TrimSpace(name)+": [redacted]")
	}
	return map[string]string{
		// Paths of certificate files are no secrets; their contents
		// never show.
		"ca-cert":              o.caCert,
		"client-cert":          o.clientCert,
		"client-key":           o.clientKey,
		"insecure-skip-verify": fmt.Sprint(o.insecure),

		"contract":         redactContractRef(o.contract),
		"overlay":          strings.Join(o.overlays, "; "),
		"base-path":        o.basePath.path,
		"basic-auth":       hide(o.basicAuth),
		"bearer-token":     hide(o.bearer),
		"header":           strings.Join(headers, "; "),
		"value":            strings.Join(o.values, "; "),
		"label-filter":     o.labelFilter,
		"focus":            o.focus,
		"timeout":          o.timeout.String(),
		"run-timeout":      o.runTimeout.String(),
		"max-body":         fmt.Sprint(o.maxBody),
		"strict":           fmt.Sprint(o.strict),
		"allow-writes":     fmt.Sprint(o.allowWrites),
		"allow-disruptive": fmt.Sprint(o.allowDisruptive),
		"shard":            o.ci.shard.String(),
		"concurrency":      fmt.Sprint(o.concurrency),
		"throttle-burst":   fmt.Sprint(o.burst),
		"throttle-within":  o.burstWithin.String(),
		"rate":             fmt.Sprint(o.rate),
		"max-retry-wait":   o.maxRetryWait.String(),
	}
}

// isTerminal tells whether w is a terminal, where a progress line that
// rewrites itself makes sense.
func isTerminal(w io.Writer) bool {
	f, ok := console.Raw(w).(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
