package report

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/apiconform/apiconform/internal/probe"
)

//go:embed html.tmpl
var htmlSource string

// htmlTemplate is parsed once; html/template escapes every value by its
// context, so nothing from the target (bodies, headers, names) can inject
// markup or script into the report.
var htmlTemplate = template.Must(template.New("report").Parse(htmlSource))

// WriteHTML writes the HTML report of a run: one self-contained file (inline
// CSS, no external asset of any kind) with a header, the counts, a matrix of
// operations by scenario family, and the details of every failed and
// inconclusive scenario.
func WriteHTML(w io.Writer, run *Run, book *Book) error {
	return RenderHTML(w, NewJSONReport(run, book))
}

// RenderHTML writes the HTML report of JSON results, such as a file read
// back with ReadJSON; WriteHTML is RenderHTML of the run's own results.
func RenderHTML(w io.Writer, rep *JSONReport) error {
	return htmlTemplate.Execute(w, newHTMLPage(rep))
}

// The classes of a scenario in the HTML report, by how bad they are: a
// matrix cell shows its worst. A passed scenario with warnings is worse
// than a clean pass, better than an inconclusive one.
const (
	classSkipped      = "skipped"
	classPassed       = "passed"
	classWarned       = "warned"
	classInconclusive = "inconclusive"
	classFailed       = "failed"
)

// look is how a class is shown: colour (by CSS class), a symbol and a word,
// so that the report does not rely on colour alone.
type look struct {
	Class, Symbol, Short, Long string
	// Meaning explains the class in the legend.
	Meaning string
	rank    int
}

var looks = map[string]look{
	classFailed:       {classFailed, "✗", "fail", "failed", "a MUST-level rule did not hold", 5},
	classInconclusive: {classInconclusive, "?", "inconcl.", "inconclusive", "the answer could not be judged", 4},
	classWarned:       {classWarned, "!", "warn", "passed with warnings", "passed; a SHOULD-level rule did not hold", 3},
	classPassed:       {classPassed, "✓", "pass", "passed", "every rule held", 2},
	classSkipped:      {classSkipped, "–", "skip", "skipped", "not run: filtered out, not applicable, or after an earlier step failed", 1},
}

// legendOrder lists the classes from worst to best, as the legend shows them.
var legendOrder = []string{classFailed, classInconclusive, classWarned, classPassed, classSkipped}

func classOf(s *JSONScenario) string {
	switch s.Result {
	case Failed:
		return classFailed
	case Inconclusive:
		return classInconclusive
	case Passed:
		if len(s.Warnings) > 0 {
			return classWarned
		}
		return classPassed
	}
	return classSkipped
}

// htmlPage is what the template renders: everything is computed here, so
// the template only lays it out.
type htmlPage struct {
	Format  string
	Run     Run
	Summary JSONSummary
	// FailedRestores are the changes the suite could not undo.
	FailedRestores []string
	// Accepted lists the writes the target accepted where it should have
	// refused them, with what the suite did about each.
	Accepted    []htmlAccepted
	SHA         string
	Start       string
	Duration    string
	Config      []keyValue
	Verdict     look
	VerdictText string
	Tiles       []tile
	Legend      []look
	Groups      []colGroup
	Families    []colFamily
	Rows        []matrixRow
	Cases       []htmlCase
	Warned      []htmlWarning
	All         []htmlScenario
}

type keyValue struct{ Key, Value string }

// htmlAccepted is a write the target accepted, linked to its scenario.
type htmlAccepted struct {
	Href string
	S    *JSONScenario
	W    AcceptedWrite
}

type tile struct {
	look
	N int
}

// colGroup is a cell of the matrix's first header row: a family group such
// as "params" over its families, or a family without a group ("success")
// over both header rows.
type colGroup struct {
	Name   string
	Span   int
	Single bool
}

// colFamily is a cell of the second header row: the family's kind.
type colFamily struct {
	Family, Kind string
}

type matrixRow struct {
	Name, Sub string
	PathLevel bool
	// FirstPath marks the first path-level row, set apart from the
	// operations above it.
	FirstPath bool
	Cells     []matrixCell
}

type matrixCell struct {
	look
	Empty bool
	// Count is "n/m": n of the cell's m scenarios have the cell's (worst)
	// class; just "m" when they all have it.
	Count string
	// Title lists the cell's scenarios, one a line, for hovering; Label is
	// the same in one sentence for screen readers.
	Title, Label string
	// Href leads to the first failure or inconclusive scenario in the cell,
	// else to the cell's first scenario in the list of all scenarios.
	Href string
}

type htmlCase struct {
	Anchor   string
	Open     bool
	Look     look
	S        *JSONScenario
	Duration string
	Lines    []transcriptLine
	// CurlNote says what the curl line needs first (probe.CurlNote).
	CurlNote string
}

// transcriptLine is one line of a transcript, classed by direction so that
// the request and the response read apart.
type transcriptLine struct{ Class, Text string }

type htmlWarning struct {
	Anchor string
	S      *JSONScenario
	M      JSONMismatch
}

type htmlScenario struct {
	Anchor, Href string
	Look         look
	S            *JSONScenario
	Duration     string
	Why          string
}

// openCases is how many failure details stay open on their own: a person
// sees the explanations at once when there are a few, and a list of
// one-line summaries (the first one open, as an example) when there are
// many.
const openCases = 3

func newHTMLPage(rep *JSONReport) *htmlPage {
	p := &htmlPage{Format: rep.Format, Run: rep.Run, Summary: rep.Summary, FailedRestores: rep.FailedRestores}
	if p.Run.Tool == "" {
		p.Run.Tool = "apiconform"
	}
	p.SHA = rep.Run.Contract.SHA256
	if len(p.SHA) > 12 {
		p.SHA = p.SHA[:12]
	}
	p.Start = "-"
	if !rep.Run.Start.IsZero() {
		p.Start = rep.Run.Start.UTC().Format("2006-01-02 15:04:05 UTC")
	}
	p.Duration = rep.Run.Duration.Round(time.Millisecond).String()
	keys := make([]string, 0, len(rep.Run.Config))
	for k := range rep.Run.Config {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		p.Config = append(p.Config, keyValue{k, rep.Run.Config[k]})
	}

	sum := rep.Summary
	switch {
	case len(rep.FailedRestores) > 0:
		p.Verdict, p.VerdictText = looks[classFailed], "run failed: target not restored"
	case unreached(rep):
		// Nothing was judged: "does not conform" would say too much.
		p.Verdict, p.VerdictText = looks[classFailed], "run failed: the target did not answer"
	case sum.Failed > 0:
		p.Verdict, p.VerdictText = looks[classFailed], "does not conform"
	case sum.Inconclusive > 0:
		p.Verdict, p.VerdictText = looks[classInconclusive], "inconclusive"
	case sum.Warnings > 0:
		p.Verdict, p.VerdictText = looks[classWarned], "conforms, with warnings"
	case sum.Passed > 0:
		p.Verdict, p.VerdictText = looks[classPassed], "conforms"
	default:
		p.Verdict, p.VerdictText = looks[classSkipped], "nothing was run"
	}
	p.Tiles = []tile{
		{looks[classFailed], sum.Failed},
		{looks[classInconclusive], sum.Inconclusive},
		{looks[classPassed], sum.Passed},
		{looks[classSkipped], sum.Skipped},
	}
	// Warnings count mismatches, not scenarios: the tile is named
	// "warnings", not by the result "passed with warnings".
	w := looks[classWarned]
	w.Long = "warnings"
	p.Tiles = append(p.Tiles, tile{w, sum.Warnings})
	for _, c := range legendOrder {
		p.Legend = append(p.Legend, looks[c])
	}

	anchors := make([]string, len(rep.Scenarios))
	rows := make([]string, len(rep.Scenarios))
	for i := range rep.Scenarios {
		anchors[i] = fmt.Sprintf("s-%d", i+1)
		rows[i] = fmt.Sprintf("row-%d", i+1)
	}
	p.matrix(rep, anchors, rows)

	cases := 0
	for i := range rep.Scenarios {
		if c := classOf(&rep.Scenarios[i]); c == classFailed || c == classInconclusive {
			cases++
		}
	}
	for i := range rep.Scenarios {
		s := &rep.Scenarios[i]
		c := classOf(s)
		if c == classFailed || c == classInconclusive {
			p.Cases = append(p.Cases, htmlCase{
				Anchor:   anchors[i],
				Open:     cases <= openCases || len(p.Cases) == 0,
				Look:     looks[c],
				S:        s,
				Duration: ms(s.DurationMS),
				Lines:    transcriptLines(s.Transcript),
				CurlNote: probe.CurlNote(s.Curl),
			})
		} else {
			// A failed scenario shows its warnings in its own details.
			for _, m := range s.Warnings {
				p.Warned = append(p.Warned, htmlWarning{Anchor: rows[i], S: s, M: m})
			}
		}
		href := "#" + rows[i]
		if c == classFailed || c == classInconclusive {
			href = "#" + anchors[i]
		}
		for _, w := range s.AcceptedWrites {
			p.Accepted = append(p.Accepted, htmlAccepted{Href: href, S: s, W: w})
		}
		p.All = append(p.All, htmlScenario{Anchor: rows[i], Href: href, Look: looks[c], S: s, Duration: ms(s.DurationMS), Why: why(s)})
	}
	return p
}

// matrix lays out the scenarios as operations (rows) by families (columns).
// Operations come sorted by id, then the path-level rows sorted by path:
// the book's order is the order specs ran, which a reader cannot guess.
func (p *htmlPage) matrix(rep *JSONReport, anchors, rowAnchors []string) {
	type rowData struct {
		matrixRow
		byFamily map[string][]int
		subWeak  bool
	}
	rowsByKey := map[string]*rowData{}
	var opKeys, pathKeys []string
	famSeen := map[string]bool{}
	var fams []string
	for i := range rep.Scenarios {
		s := &rep.Scenarios[i]
		key, name, pathLevel := rowOf(s)
		r := rowsByKey[key]
		if r == nil {
			r = &rowData{matrixRow: matrixRow{Name: name, PathLevel: pathLevel}, byFamily: map[string][]int{}}
			rowsByKey[key] = r
			if pathLevel {
				pathKeys = append(pathKeys, key)
			} else {
				opKeys = append(opKeys, key)
			}
		}
		// An operation's row names its method and path: those of a
		// scenario that keeps the operation's method (method.head sends
		// HEAD to a GET operation), else of any scenario.
		if !pathLevel && s.Path != "" && (r.Sub == "" || r.subWeak && !strings.HasPrefix(s.Family, "method.")) {
			r.Sub = strings.TrimSpace(s.Method + " " + s.Path)
			r.subWeak = strings.HasPrefix(s.Family, "method.")
		}
		r.byFamily[s.Family] = append(r.byFamily[s.Family], i)
		if !famSeen[s.Family] {
			famSeen[s.Family] = true
			fams = append(fams, s.Family)
		}
	}
	// Families sorted, so that a group's families stand together under one
	// heading; the happy path first, as the column one reads first.
	sort.Slice(fams, func(i, j int) bool {
		if (fams[i] == "success") != (fams[j] == "success") {
			return fams[i] == "success"
		}
		return fams[i] < fams[j]
	})
	for _, f := range fams {
		group, kind, ok := strings.Cut(f, ".")
		if !ok {
			p.Groups = append(p.Groups, colGroup{Name: f, Span: 1, Single: true})
			p.Families = append(p.Families, colFamily{Family: f})
			continue
		}
		if n := len(p.Groups); n > 0 && !p.Groups[n-1].Single && p.Groups[n-1].Name == group {
			p.Groups[n-1].Span++
		} else {
			p.Groups = append(p.Groups, colGroup{Name: group, Span: 1})
		}
		p.Families = append(p.Families, colFamily{Family: f, Kind: kind})
	}
	sort.Strings(opKeys)
	sort.Slice(pathKeys, func(i, j int) bool {
		// "(paths)" holds what has no path at all: last.
		a, b := rowsByKey[pathKeys[i]].Name, rowsByKey[pathKeys[j]].Name
		if (a == "(paths)") != (b == "(paths)") {
			return b == "(paths)"
		}
		return a < b
	})
	for _, key := range append(opKeys, pathKeys...) {
		r := rowsByKey[key]
		if r.PathLevel {
			r.Sub = "path-level"
			r.FirstPath = len(p.Rows) == len(opKeys)
		}
		for _, f := range fams {
			r.Cells = append(r.Cells, newCell(rep, r.Name, f, r.byFamily[f], anchors, rowAnchors))
		}
		p.Rows = append(p.Rows, r.matrixRow)
	}
}

// rowOf says which matrix row a scenario belongs to: its operation, or for
// a scenario aimed at no declared operation, its path.
func rowOf(s *JSONScenario) (key, name string, pathLevel bool) {
	if s.Operation != "" {
		return "op " + s.Operation, s.Operation, false
	}
	path := s.Path
	if path == "" {
		// A path-level subject is "METHOD /path" or "/path".
		if _, p, ok := strings.Cut(s.Subject, " "); ok && strings.HasPrefix(p, "/") {
			path = p
		} else if strings.HasPrefix(s.Subject, "/") {
			path = s.Subject
		}
	}
	if path == "" {
		path = "(paths)"
	}
	return "path " + path, path, true
}

func newCell(rep *JSONReport, row, family string, idx []int, anchors, rowAnchors []string) matrixCell {
	if len(idx) == 0 {
		return matrixCell{Empty: true, Label: row + ", " + family + ": no scenario"}
	}
	worst := looks[classSkipped]
	n := 0
	var lines []string
	for _, i := range idx {
		s := &rep.Scenarios[i]
		l := looks[classOf(s)]
		switch {
		case l.rank > worst.rank:
			worst, n = l, 1
		case l.rank == worst.rank:
			n++
		}
		lines = append(lines, l.Symbol+" "+l.Long+": "+s.Name)
	}
	c := matrixCell{look: worst, Title: strings.Join(lines, "\n")}
	c.Count = fmt.Sprintf("%d/%d", n, len(idx))
	if n == len(idx) {
		c.Count = fmt.Sprint(n)
	}
	c.Label = fmt.Sprintf("%s, %s: %d of %d %s", row, family, n, len(idx), worst.Long)
	c.Href = "#" + rowAnchors[idx[0]]
	for _, i := range idx {
		if k := classOf(&rep.Scenarios[i]); k == classFailed || k == classInconclusive {
			c.Href = "#" + anchors[i]
			break
		}
	}
	return c
}

// why is the one-line reason of the list of all scenarios.
func why(s *JSONScenario) string {
	switch {
	case len(s.Mismatches) > 0:
		m := s.Mismatches[0]
		out := fmt.Sprintf("[%s] expected %s; got %s", m.Rule, m.Expected, m.Actual)
		if n := len(s.Mismatches) - 1; n > 0 {
			out += fmt.Sprintf(" (+%d more)", n)
		}
		return out
	case s.Reason != "":
		return s.Reason
	case len(s.Warnings) > 0:
		m := s.Warnings[0]
		return fmt.Sprintf("warning [%s] expected %s; got %s", m.Rule, m.Expected, m.Actual)
	}
	return ""
}

func transcriptLines(t string) []transcriptLine {
	if t == "" {
		return nil
	}
	var out []transcriptLine
	for _, line := range strings.Split(strings.TrimRight(t, "\n"), "\n") {
		class := ""
		switch {
		case strings.HasPrefix(line, ">"):
			class = "req"
		case strings.HasPrefix(line, "<"):
			class = "resp"
		}
		out = append(out, transcriptLine{class, line})
	}
	return out
}

func ms(v float64) string {
	if v < 10 {
		return fmt.Sprintf("%.1f ms", v)
	}
	return fmt.Sprintf("%.0f ms", v)
}
