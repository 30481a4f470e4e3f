package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// A run that cannot write its reports should say so before it sends
// anything, not after an hour of scenarios. The paths are checked twice:
// first against each other and the files the run reads (before the
// contract is loaded), then by opening each for writing (once the contract
// is, where the report directories were always made). The check leaves
// nothing behind: a report file that does not exist yet is created and
// removed again, one that exists is opened without being truncated, and
// keeps its content until the run writes the new report.

// namedPath is a file the command line names, by its flag.
type namedPath struct{ flag, path string }

// reportPaths are the reports a run is asked to write.
func (o *runOptions) reportPaths() []namedPath {
	return []namedPath{{"junit-report", o.junit}, {"json-report", o.jsonReport}, {"html-report", o.htmlReport}}
}

// inputPaths are the files a run reads, which no report may write over:
// the contract (unless shipped or a URL), the overlays, the configuration
// file and the TLS files.
func (o *runOptions) inputPaths(configPath string) []namedPath {
	var in []namedPath
	if o.contract != "" && !isURL(o.contract) {
		if _, err := os.Stat(o.contract); err == nil {
			in = append(in, namedPath{"contract", o.contract})
		}
	}
	for _, ov := range o.overlays {
		if !isURL(ov) {
			in = append(in, namedPath{"overlay", ov})
		}
	}
	return append(in, namedPath{"config", configPath}, namedPath{"ca-cert", o.caCert},
		namedPath{"client-cert", o.clientCert}, namedPath{"client-key", o.clientKey})
}

// auditInputs are the files an audit reads: the contract and the logs
// ("-" is standard input).
func auditInputs(contract string, logs []string) []namedPath {
	var in []namedPath
	if contract != "" && !isURL(contract) {
		in = append(in, namedPath{"contract", contract})
	}
	for _, l := range logs {
		if l != "-" {
			in = append(in, namedPath{"log", l})
		}
	}
	return in
}

// distinctReports refuses two reports written to one file, and a report
// written over a file the command reads. Files are the same when their
// absolute paths are, or when they exist and are one file (a link to it).
func distinctReports(reports, inputs []namedPath) error {
	var given []namedPath
	for _, r := range reports {
		if r.path == "" {
			continue
		}
		for _, prev := range given {
			if prev.path == r.path {
				return fmt.Errorf("--%s and --%s both name %s: each report needs a file of its own", prev.flag, r.flag, r.path)
			}
			if samePath(prev.path, r.path) {
				return fmt.Errorf("--%s %s and --%s %s are the same file: each report needs a file of its own", prev.flag, prev.path, r.flag, r.path)
			}
		}
		for _, in := range inputs {
			if in.path != "" && samePath(in.path, r.path) {
				what := "the file of --" + in.flag
				switch in.flag {
				case "contract":
					what = "the contract"
				case "config":
					what = "the configuration file"
				case "merged":
					what = "one of the reports to merge"
				case "log":
					what = "one of the access logs to audit"
				}
				return fmt.Errorf("--%s %s is %s: the report would write over it", r.flag, r.path, what)
			}
		}
		given = append(given, r)
	}
	return nil
}

func samePath(a, b string) bool {
	if resolved(a) == resolved(b) {
		return true
	}
	sa, errA := os.Stat(a)
	sb, errB := os.Stat(b)
	return errA == nil && errB == nil && os.SameFile(sa, sb)
}

// resolved is the absolute path a file will be written at: through the
// links to it, which may point to a file not there yet (the report of a
// first run), and the links among its directories.
func resolved(p string) string {
	abs, err := filepath.Abs(p)
	if err != nil {
		return p
	}
	for range 40 { // the most links a path may go through (Linux's own bound)
		target, err := os.Readlink(abs)
		if err != nil {
			break
		}
		if !filepath.IsAbs(target) {
			target = filepath.Join(filepath.Dir(abs), target)
		}
		abs = target
	}
	if dir, err := filepath.EvalSymlinks(filepath.Dir(abs)); err == nil {
		abs = filepath.Join(dir, filepath.Base(abs))
	}
	return abs
}

// writableReports makes each report's directory, as a run always has, and
// opens each report file for writing, so that one that cannot be written
// (a directory, a directory of someone else's, a full disk, /dev/full) is
// found before anything is sent.
func writableReports(reports []namedPath) error {
	for _, r := range reports {
		if r.path == "" {
			continue
		}
		if err := writable(r.path); err != nil {
			return fmt.Errorf("--%s %s: the report cannot be written there: %w", r.flag, r.path, err)
		}
	}
	return nil
}

func writable(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	st, err := os.Stat(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		if _, lerr := os.Lstat(path); lerr == nil {
			// a link to a file not there yet: creating the file
			// to check would leave it behind
			return nil
		}
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err != nil {
			return err
		}
		f.Close()
		if err := os.Remove(path); err != nil {
			return err
		}
		return spaceFor(path)
	case err != nil:
		return err
	case st.IsDir():
		return errors.New("it is a directory")
	case st.Mode()&(os.ModeNamedPipe|os.ModeSocket) != 0:
		// Opening a pipe for writing waits for its reader: it is left
		// to the end of the run, where the report is written.
		return nil
	case st.Mode()&os.ModeCharDevice != 0 && alwaysFull(st):
		return errors.New("it is a device that is always full, as /dev/full is")
	}
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	f.Close()
	if st.Mode().IsRegular() {
		return spaceFor(path)
	}
	return nil
}
