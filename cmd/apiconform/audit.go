package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/apiconform/apiconform/internal/audit"
)

type auditOptions struct {
	source            sourceFlags
	contract, format  string
	junit, jsonReport string
	slow              time.Duration
}

// auditFlags binds the audit's flags. Its report and tuning variables carry
// AUDIT_ in their names so that a pipeline setting APICONFORM_JUNIT_REPORT
// for a run does not make an audit overwrite that report; the contract is
// the same thing to both, so it shares APICONFORM_CONTRACT.
func auditFlags(stderr io.Writer) (*auditOptions, *envFlags) {
	o := &auditOptions{}
	fs, e := newFlagSet("audit", "audit --contract NAME|FILE|URL [--overlay FILE] [--format ucs] [--slow DURATION] [--junit-report FILE] [--json-report FILE] LOGFILE...\n\nLOGFILE may be - for standard input; gzip files are read transparently", stderr)
	fs.StringVar(&o.contract, "contract", "", "a shipped contract's `NAME` (see 'apiconform contracts'), an OpenAPI file, or its http(s) URL")
	e.env("contract", "APICONFORM_CONTRACT")
	o.source.register(fs, e)
	fs.StringVar(&o.format, "format", "ucs", "the access-log `FORMAT`; only ucs (the UCS access-log line) for now")
	e.env("format", "APICONFORM_AUDIT_FORMAT")
	fs.DurationVar(&o.slow, "slow", 0, "report requests whose logged execution time exceeds `DURATION`, e.g. 500ms (0: off)")
	e.env("slow", "APICONFORM_AUDIT_SLOW")
	fs.StringVar(&o.junit, "junit-report", "", "write a JUnit XML report to `FILE`")
	e.env("junit-report", "APICONFORM_AUDIT_JUNIT_REPORT")
	fs.StringVar(&o.jsonReport, "json-report", "", "write a JSON report (format apiconform-audit/1) to `FILE`")
	e.env("json-report", "APICONFORM_AUDIT_JSON_REPORT")
	return o, e
}

// parseAuditArgs reads flags and log files in any order: the flag package
// stops at the first argument that is not a flag, so each stop takes one
// file and parsing resumes after it. "-" (standard input) is not a flag to
// the flag package, and "--" ends the flags. The environment fills the
// flags not given, as for every command.
func parseAuditArgs(e *envFlags, args []string) ([]string, error) {
	var files []string
	rest := args
	// Each pass consumes at least one argument, so there are at most
	// len(args) passes.
	for pass := 0; pass <= len(args) && len(rest) > 0; pass++ {
		if err := e.parseFlags(rest); err != nil {
			return nil, err
		}
		left := e.fs.Args()
		if len(left) == 0 {
			break
		}
		if used := len(rest) - len(left); used > 0 && rest[used-1] == "--" {
			files = append(files, left...)
			break
		}
		files = append(files, left[0])
		rest = left[1:]
	}
	if err := e.parse(nil); err != nil {
		return nil, err
	}
	return files, nil
}

func checkAuditOptions(o *auditOptions, files []string) error {
	if o.contract == "" {
		return errors.New("--contract is required (or APICONFORM_CONTRACT): a file, or one of the names 'apiconform contracts' lists")
	}
	if o.format != "ucs" {
		return fmt.Errorf("--format %q: the only format is ucs", o.format)
	}
	if o.slow < 0 {
		return errors.New("--slow must not be negative")
	}
	if o.slow > 0 && o.slow < time.Millisecond {
		return errors.New("--slow must be at least 1ms: the log has whole ms")
	}
	if len(files) == 0 {
		return errors.New("no LOGFILE given (use - for standard input)")
	}
	stdin := 0
	for _, f := range files {
		if f == "-" {
			if stdin++; stdin > 1 {
				return errors.New("- (standard input) is given twice")
			}
			continue
		}
		// Every file is checked before any is read, so that a typo in the
		// last one does not come after minutes of reading the first.
		st, err := os.Stat(f)
		if err != nil {
			return err
		}
		if st.IsDir() {
			return fmt.Errorf("%s is a directory", f)
		}
	}
	for _, p := range []string{o.junit, o.jsonReport} {
		if p != "" {
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				return err
			}
		}
	}
	return nil
}

func auditCmd(args []string, stdout, stderr io.Writer) int {
	o, e := auditFlags(stderr)
	files, err := parseAuditArgs(e, args)
	if err != nil {
		return usageError(stdout, stderr, err)
	}
	if err = checkAuditOptions(o, files); err == nil {
		err = distinctReports([]namedPath{{"junit-report", o.junit}, {"json-report", o.jsonReport}}, auditInputs(o.contract, files))
	}
	if err != nil {
		fmt.Fprintf(stderr, "apiconform audit: %v\n", err)
		return exitUsage
	}
	c, overlayWarnings, err := o.source.source(o.contract).load()
	printOverlayWarnings(stderr, "audit", overlayWarnings)
	if err != nil {
		fmt.Fprintf(stderr, "apiconform audit: %v\n", err)
		return loadExitCode(err)
	}
	a := audit.New(c, audit.Options{Slow: o.slow})
	for _, name := range files {
		if err := readLog(a, name); err != nil {
			fmt.Fprintf(stderr, "apiconform audit: %v\n", err)
			return exitUsage
		}
	}
	rep := a.Report()
	audit.WriteSummary(stdout, rep)
	for _, out := range []struct {
		path  string
		write func(io.Writer, *audit.Report) error
		what  string
	}{{o.junit, audit.WriteJUnit, "JUnit"}, {o.jsonReport, audit.WriteJSON, "JSON"}} {
		if out.path == "" {
			continue
		}
		if err := audit.WriteFile(out.path, rep, out.write); err != nil {
			fmt.Fprintf(stderr, "apiconform audit: %s report: %v\n", out.what, err)
			return exitUsage
		}
		fmt.Fprintf(stdout, "%s report: %s\n", out.what, out.path)
	}
	if !rep.Passed {
		return exitFailed
	}
	return exitOK
}

// readLog audits one file, or standard input for "-".
func readLog(a *audit.Auditor, name string) error {
	if name == "-" {
		return a.Read("stdin", os.Stdin)
	}
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	return a.Read(name, f)
}
