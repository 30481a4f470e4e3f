package audit

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/apiconform/apiconform/internal/catalog"
)

// Format names the JSON report's format and version. A change that would
// make an existing reader misread a file (a field renamed, removed or given
// another meaning) takes a new version; new fields do not.
const Format = "apiconform-audit/1"

// Report is the result of an audit, and the document of the JSON report.
// Every list is written, empty as [] rather than null, so that a reader
// need not guess whether a missing field means "none".
type Report struct {
	// Format is always the Format constant.
	Format   string       `json:"format"`
	Contract ContractInfo `json:"contract"`
	// Files are the logs read, in order; "stdin" for standard input.
	Files []string `json:"files"`
	// SlowMs is the --slow threshold in ms; 0 when slow requests were not
	// looked for.
	SlowMs int64 `json:"slow_threshold_ms"`
	Lines  Lines `json:"lines"`
	// Operations has one entry per operation of the contract, in the
	// contract's order, requested or not.
	Operations    []OperationReport `json:"operations"`
	UnknownRoutes UnknownRoutes     `json:"unknown_routes"`
	// Options counts OPTIONS requests on paths that do not declare OPTIONS:
	// any resource may answer them, so they are counted, not judged.
	Options int64      `json:"options_requests"`
	Slow    SlowReport `json:"slow"`
	// Undeclared counts the requests, over all operations, whose status the
	// operation does not declare.
	Undeclared int64 `json:"undeclared_requests"`
	// Passed is true when no request had an undeclared status and none went
	// to an unknown route: the audit's exit code is 0.
	Passed bool `json:"passed"`
}

// ContractInfo names the contract an audit used.
type ContractInfo struct {
	Name     string `json:"name"`
	Source   string `json:"source"`
	SHA256   string `json:"sha256"`
	BasePath string `json:"base_path"`
	Title    string `json:"title"`
	Version  string `json:"version"`
}

// Lines counts the lines read.
type Lines struct {
	// Total counts every line; Total = Parsed + Unparsed + Blank.
	Total    int64 `json:"total"`
	Parsed   int64 `json:"parsed"`
	Unparsed int64 `json:"unparsed"`
	Blank    int64 `json:"blank"`
	// FirstUnparsed are the first lines that did not parse, with why.
	FirstUnparsed []BadLine `json:"first_unparsed"`
}

// BadLine is a line that did not parse.
type BadLine struct {
	File   string `json:"file"`
	Line   int64  `json:"line"`
	Reason string `json:"reason"`
	// Text is the line, cut at 200 bytes, control characters replaced.
	Text string `json:"text"`
}

// Occurrence is one logged request a finding points at.
type Occurrence struct {
	File string `json:"file"`
	Line int64  `json:"line"`
	// Time is the date and time the request was received, as logged.
	Time   string `json:"time"`
	Method string `json:"method"`
	URL    string `json:"url"`
	Status int    `json:"status"`
	// Millis is the execution time; -1 when the log has none.
	Millis int64 `json:"ms"`
}

// OperationReport is what the log shows of one operation.
type OperationReport struct {
	ID     string `json:"id"`
	Method string `json:"method"`
	// Path is the template as the contract writes it, without the base
	// path.
	Path     string `json:"path"`
	Requests int64  `json:"requests"`
	// ServerErrors counts 5xx answers; ServerErrorRate is their share of
	// Requests (0 with no requests).
	ServerErrors    int64   `json:"server_errors"`
	ServerErrorRate float64 `json:"server_error_rate"`
	// Slow counts requests above the --slow threshold; MaxMs is the
	// longest execution time logged.
	Slow  int64 `json:"slow"`
	MaxMs int64 `json:"max_ms"`
	// Undeclared counts requests whose status the operation does not
	// declare.
	Undeclared int64 `json:"undeclared"`
	// Declared lists the response keys the contract gives the operation.
	Declared []string `json:"declared"`
	// Statuses counts the statuses answered, in ascending order.
	Statuses []StatusCount `json:"statuses"`
}

// StatusCount is how often an operation answered one status.
type StatusCount struct {
	Status   int   `json:"status"`
	Count    int64 `json:"count"`
	Declared bool  `json:"declared"`
	// Rule names why an undeclared status is one: status.declared (the
	// operation's responses lack it; default does not count), status.never
	// or status.only-on (the contract's x-conformance). "" when declared.
	Rule string `json:"rule"`
	// First are its first occurrences, kept for undeclared statuses only.
	First []Occurrence `json:"first"`
}

// UnknownRoutes are the requests no operation of the contract covers.
type UnknownRoutes struct {
	Requests int64 `json:"requests"`
	// Routes groups them by method and path (query removed), most
	// requested first; at most 100 distinct routes are kept apart.
	Routes []UnknownRoute `json:"routes"`
	// OtherRequests counts requests to routes beyond the first 100.
	OtherRequests int64 `json:"other_requests"`
}

// UnknownRoute is one method and path the contract does not have.
type UnknownRoute struct {
	Method string `json:"method"`
	Path   string `json:"path"`
	// Reason is "path" (no template matches), "method" (a template
	// matches, but declares no such method) or "base-path" (the path lacks
	// the contract's base path, without which it would match).
	Reason string `json:"reason"`
	Count  int64  `json:"count"`
	// Statuses counts the statuses answered, by status.
	Statuses map[string]int64 `json:"statuses"`
	First    []Occurrence     `json:"first"`
}

// SlowReport is the requests above the --slow threshold.
type SlowReport struct {
	ThresholdMs int64 `json:"threshold_ms"`
	Requests    int64 `json:"requests"`
	// Slowest are the slowest of them, slowest first.
	Slowest []Occurrence `json:"slowest"`
}

// WriteJSON writes the report as indented JSON.
func WriteJSON(w io.Writer, r *Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// UnknownRoutesCase is the name of the JUnit testcase of unknown routes.
const UnknownRoutesCase = "unknown routes"

// CaseName is the JUnit testcase name of an operation: its id, method and
// path template, stable from one audit to the next.
func CaseName(o *OperationReport) string { return o.ID + " " + o.Method + " " + o.Path }

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string          `xml:"name,attr"`
	Package    string          `xml:"package,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Properties []junitProperty `xml:"properties>property"`
	Cases      []junitCase     `xml:"testcase"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitFailure `xml:"failure"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

// WriteJUnit writes the report as JUnit XML: one testsuite, one testcase
// per operation (failed when it answered an undeclared status) and one for
// unknown routes (failed when there were any). The failure text lists
// counts and first occurrences with their lines; passing testcases carry
// their counts in system-out.
func WriteJUnit(w io.Writer, r *Report) error {
	suite := junitSuite{
		Name:    "apiconform audit " + r.Contract.Name,
		Package: r.Contract.Source,
		Properties: []junitProperty{
			{"format", r.Format},
			{"contract", r.Contract.Name},
			{"contract.source", r.Contract.Source},
			{"contract.sha256", r.Contract.SHA256},
			{"contract.base-path", r.Contract.BasePath},
			{"lines.total", strconv.FormatInt(r.Lines.Total, 10)},
			{"lines.parsed", strconv.FormatInt(r.Lines.Parsed, 10)},
			{"lines.unparsed", strconv.FormatInt(r.Lines.Unparsed, 10)},
			{"slow.threshold-ms", strconv.FormatInt(r.SlowMs, 10)},
			{"options-requests", strconv.FormatInt(r.Options, 10)},
		},
	}
	for _, f := range r.Files {
		suite.Properties = append(suite.Properties, junitProperty{"file", f})
	}
	for i := range r.Operations {
		o := &r.Operations[i]
		tc := junitCase{Name: CaseName(o), Classname: r.Contract.Name, Time: "0", SystemOut: operationLine(o, r.SlowMs)}
		if o.Undeclared > 0 {
			var codes []string
			for _, s := range o.Statuses {
				if !s.Declared {
					codes = append(codes, fmt.Sprintf("%d (%d)", s.Status, s.Count))
				}
			}
			tc.Failure = &junitFailure{
				Message: fmt.Sprintf("%s answered %d with a status it does not declare: %s", o.ID, o.Undeclared, strings.Join(codes, ", ")),
				Type:    catalog.StatusDeclared.ID,
				Text:    undeclaredText(o),
			}
		}
		suite.Cases = append(suite.Cases, tc)
	}
	u := r.UnknownRoutes
	tc := junitCase{Name: UnknownRoutesCase, Classname: r.Contract.Name, Time: "0", SystemOut: "no request to a route the contract does not have"}
	if u.Requests > 0 {
		tc.SystemOut = ""
		tc.Failure = &junitFailure{
			Message: fmt.Sprintf("%s to routes the contract does not have", plural(u.Requests, "request")),
			Type:    catalog.RouteUnknown.ID,
			Text:    unknownText(&u, 0),
		}
	}
	suite.Cases = append(suite.Cases, tc)
	suite.Tests = len(suite.Cases)
	for _, c := range suite.Cases {
		if c.Failure != nil {
			suite.Failures++
		}
	}
	doc := junitSuites{Name: suite.Name, Tests: suite.Tests, Failures: suite.Failures, Suites: []junitSuite{suite}}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// WriteFile writes a report to a file with one of the writers above.
func WriteFile(path string, r *Report, write func(io.Writer, *Report) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := write(f, r); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// operationLine is the one-line account of an operation.
func operationLine(o *OperationReport, slowMs int64) string {
	if o.Requests == 0 {
		return "no requests"
	}
	s := fmt.Sprintf("%s; statuses %s; 5xx %s", plural(o.Requests, "request"), statusList(o), percent(o.ServerErrorRate))
	if slowMs > 0 {
		s += fmt.Sprintf("; %d over %d ms", o.Slow, slowMs)
	}
	return s + fmt.Sprintf("; longest %d ms", o.MaxMs)
}

func statusList(o *OperationReport) string {
	if len(o.Statuses) == 0 {
		return "-"
	}
	parts := make([]string, 0, len(o.Statuses))
	for _, s := range o.Statuses {
		mark := ""
		if !s.Declared {
			mark = "!"
		}
		parts = append(parts, fmt.Sprintf("%d%s:%d", s.Status, mark, s.Count))
	}
	return strings.Join(parts, " ")
}

func undeclaredText(o *OperationReport) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s %s declares %s\n", o.ID, o.Method, o.Path, strings.Join(o.Declared, ", "))
	for _, s := range o.Statuses {
		if s.Declared {
			continue
		}
		fmt.Fprintf(&b, "  - [%s] %d: %s, first:\n", s.Rule, s.Status, plural(s.Count, "request"))
		for _, oc := range s.First {
			fmt.Fprintf(&b, "      %s\n", oc)
		}
	}
	return b.String()
}

// unknownText lists the unknown routes, at most limit of them (0: all).
func unknownText(u *UnknownRoutes, limit int) string {
	var b strings.Builder
	for i, rt := range u.Routes {
		if limit > 0 && i == limit {
			fmt.Fprintf(&b, "  - and %d more routes (all of them are in the JSON and JUnit reports)\n", len(u.Routes)-limit)
			break
		}
		fmt.Fprintf(&b, "  - %s %s (%s): %s, statuses %s, first:\n", rt.Method, rt.Path, reasonText(rt.Reason), plural(rt.Count, "request"), statusMap(rt.Statuses))
		for _, oc := range rt.First {
			fmt.Fprintf(&b, "      %s\n", oc)
		}
	}
	if u.OtherRequests > 0 {
		fmt.Fprintf(&b, "  - and %s to further routes\n", plural(u.OtherRequests, "request"))
	}
	return b.String()
}

func reasonText(reason string) string {
	switch reason {
	case "method":
		return "the path does not declare the method"
	case "base-path":
		return "the path lacks the base path"
	}
	return "no such path"
}

func statusMap(m map[string]int64) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	// Statuses are three digits: string order is numeric order.
	slices.Sort(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s:%d", k, m[k])
	}
	return strings.Join(parts, " ")
}

// String formats an occurrence as file:line, then what the log says.
func (o Occurrence) String() string {
	ms := "- ms"
	if o.Millis >= 0 {
		ms = strconv.FormatInt(o.Millis, 10) + " ms"
	}
	return fmt.Sprintf("%s:%d  %s  %s %s -> %d (%s)", o.File, o.Line, o.Time, o.Method, o.URL, o.Status, ms)
}

func plural(n int64, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.FormatInt(n, 10) + " " + word + "s"
}

func percent(rate float64) string { return strconv.FormatFloat(rate*100, 'f', 1, 64) + "%" }

// summaryRoutes is how many unknown routes the terminal summary lists: a
// log full of scanner traffic should not scroll the result away.
const summaryRoutes = 10

// WriteSummary writes the audit for a terminal: the lines read, one row
// per operation, then each finding with its first occurrences, then the
// result.
func WriteSummary(w io.Writer, r *Report) {
	c := r.Contract
	base := ""
	if c.BasePath != "" {
		base = ", base path " + c.BasePath
	}
	fmt.Fprintf(w, "apiconform audit: contract %s (%s %s)%s\n", c.Name, c.Title, c.Version, base)
	l := r.Lines
	fmt.Fprintf(w, "%s read from %s: %d parsed, %d unparsed, %d blank\n\n", plural(l.Total, "line"), strings.Join(r.Files, ", "), l.Parsed, l.Unparsed, l.Blank)

	// Numbers are padded to the width of their heading, so that they line
	// up on the right while the names line up on the left.
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  operation\tmethod\tpath\trequests\t    5xx\t5xx rate\t   slow\t max ms\tstatuses (! undeclared)")
	for i := range r.Operations {
		o := &r.Operations[i]
		slow := "-"
		if r.SlowMs > 0 {
			slow = strconv.FormatInt(o.Slow, 10)
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%8d\t%7d\t%8s\t%7s\t%7d\t%s\n", o.ID, o.Method, o.Path, o.Requests, o.ServerErrors, percent(o.ServerErrorRate), slow, o.MaxMs, statusList(o))
	}
	tw.Flush()

	if r.Undeclared > 0 {
		fmt.Fprintf(w, "\nundeclared statuses (%s):\n", plural(r.Undeclared, "request"))
		for i := range r.Operations {
			if o := &r.Operations[i]; o.Undeclared > 0 {
				fmt.Fprint(w, indent(undeclaredText(o), "  "))
			}
		}
	}
	if u := r.UnknownRoutes; u.Requests > 0 {
		fmt.Fprintf(w, "\nunknown routes (%s):\n%s", plural(u.Requests, "request"), unknownText(&u, summaryRoutes))
	}
	if r.SlowMs > 0 {
		fmt.Fprintf(w, "\nslow requests (over %d ms): %d", r.SlowMs, r.Slow.Requests)
		if len(r.Slow.Slowest) > 0 {
			fmt.Fprint(w, "; the slowest:")
		}
		fmt.Fprintln(w)
		for _, oc := range r.Slow.Slowest {
			fmt.Fprintf(w, "  %s\n", oc)
		}
	}
	if l.Unparsed > 0 {
		fmt.Fprintf(w, "\nunparsed lines: %d; the first:\n", l.Unparsed)
		for _, b := range l.FirstUnparsed {
			fmt.Fprintf(w, "  %s:%d: %s\n      %q\n", b.File, b.Line, b.Reason, b.Text)
		}
	}
	if r.Options > 0 {
		fmt.Fprintf(w, "\nOPTIONS on paths that do not declare it (counted, not judged): %d\n", r.Options)
	}
	if r.Passed {
		fmt.Fprintf(w, "\nresult: passed: every request went to a route of the contract and answered a status it declares\n")
		return
	}
	var why []string
	if r.Undeclared > 0 {
		why = append(why, fmt.Sprintf("%s answered a status the operation does not declare", plural(r.Undeclared, "request")))
	}
	if n := r.UnknownRoutes.Requests; n > 0 {
		why = append(why, fmt.Sprintf("%s went to routes the contract does not have", plural(n, "request")))
	}
	fmt.Fprintf(w, "\nresult: failed: %s\n", strings.Join(why, "; "))
}

func indent(s, prefix string) string {
	lines := strings.SplitAfter(s, "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = prefix + l
		}
	}
	return strings.Join(lines, "")
}
