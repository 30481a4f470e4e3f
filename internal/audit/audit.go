// Package audit checks access logs against a contract: every logged request
// is mapped to an operation, and its status is judged the way a run judges
// an answer (is it one the operation declares?). Production traffic is the
// largest conformance test there is.
//
// The audit streams: a log is read a line at a time through a fixed buffer,
// each line is parsed in place and mapped through a trie built once, and
// only counts and the first few occurrences of each finding are kept. Its
// memory depends on the contract and on those caps, never on the log's
// length.
package audit

import (
	"bufio"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/apiconform/apiconform/internal/catalog"
	"github.com/apiconform/apiconform/internal/contract"
)

// Options tune an audit.
type Options struct {
	// Slow is the execution time above which a request is reported as
	// slow; 0 turns the check off.
	Slow time.Duration
	// First is how many occurrences of each finding are kept (undeclared
	// status, unknown route, slow request, unparsed line); 0 means 5.
	First int
}

const (
	defaultFirst = 5
	// maxUnknownRoutes caps the distinct unknown routes kept apart: a
	// scanner probing random paths must not make the audit's memory grow.
	// Requests to further routes are only counted.
	maxUnknownRoutes = 100
	// maxLine is the longest line read whole; a longer one is counted as
	// unparsed and skipped. Real lines are a few hundred bytes.
	maxLine = 64 << 10
	// maxShown caps the bytes kept of a URL or a bad line for the report.
	maxShown = 200
)

// ErrTooLong is the reason given for a line longer than maxLine.
var ErrTooLong = fmt.Errorf("the line is longer than %d KiB", maxLine>>10)

// Auditor accumulates the audit of one or more logs against a contract. It
// is not safe for concurrent use.
type Auditor struct {
	c      *contract.Contract
	m      *Matcher
	first  int
	slowMs int64 // -1: off

	ops      []opStat
	unknown  map[string]*routeStat
	unkTotal int64
	unkOther int64
	options  int64

	files                          []string
	total, parsed, blank, badCount int64
	bad                            []BadLine
	slowCount                      int64
	slowest                        []Occurrence

	rec Record
	key []byte
}

type opStat struct {
	requests, errors5xx, slow, maxMs int64
	// statuses is short (the few statuses an operation answers), so a
	// linear scan beats a map on the hot path.
	statuses []*statusStat
}

type statusStat struct {
	status   int
	count    int64
	declared bool
	rule     string
	first    []Occurrence
}

type routeStat struct {
	method, path, reason string
	// seq is the audit-wide number of the line that first showed the
	// route: it orders routes across files in the order they were read.
	seq      int64
	count    int64
	statuses map[int]int64
	first    []Occurrence
}

// New starts an audit of logs against c.
func New(c *contract.Contract, o Options) *Auditor {
	a := &Auditor{
		c:       c,
		m:       NewMatcher(c),
		first:   o.First,
		slowMs:  -1,
		ops:     make([]opStat, len(c.Operations)),
		unknown: map[string]*routeStat{},
	}
	if a.first <= 0 {
		a.first = defaultFirst
	}
	if o.Slow > 0 {
		// Logged times are whole ms: ms > floor(slow in ms) is ms > slow.
		a.slowMs = o.Slow.Milliseconds()
	}
	return a
}

// Read audits one log. name is how reports refer to it. A gzip stream is
// recognised by its magic bytes and decompressed, whatever the name says.
// Lines that do not parse are counted, never fatal; the error is one of
// reading (or decompressing) the stream.
func (a *Auditor) Read(name string, r io.Reader) error {
	a.files = append(a.files, name)
	br := bufio.NewReaderSize(r, maxLine)
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		defer zr.Close()
		br = bufio.NewReaderSize(zr, maxLine)
	}
	var n int64
	for {
		line, err := br.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			n++
			a.total++
			a.unparsed(name, n, ErrTooLong, line)
			// Skip the rest of the line; each pass consumes a full buffer
			// or reaches the newline or the end of the stream.
			for errors.Is(err, bufio.ErrBufferFull) {
				_, err = br.ReadSlice('\n')
			}
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return fmt.Errorf("%s: line %d: %w", name, n, err)
			}
			continue
		}
		if len(line) > 0 {
			n++
			a.Line(name, n, line)
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: line %d: %w", name, n+1, err)
		}
	}
}

// Line audits one line of a log: n is its number in the file. This is the
// hot path; it allocates only when it keeps an occurrence.
func (a *Auditor) Line(file string, n int64, line []byte) {
	a.total++
	r := &a.rec
	if err := ParseLine(line, r); err != nil {
		if err == ErrBlank {
			a.blank++
			return
		}
		a.unparsed(file, n, err, line)
		return
	}
	a.parsed++
	slow := a.slowMs >= 0 && r.Millis > a.slowMs
	if slow {
		a.slowCount++
		a.keepSlowest(file, n)
	}
	op, kind := a.m.Match(r.Method, r.URL)
	switch kind {
	case Matched:
	case OptionsMethod:
		a.options++
		return
	default:
		a.unknownRoute(file, n, kind)
		return
	}
	s := &a.ops[op]
	s.requests++
	if r.Status >= 500 {
		s.errors5xx++
	}
	if slow {
		s.slow++
	}
	if r.Millis > s.maxMs {
		s.maxMs = r.Millis
	}
	var st *statusStat
	for _, x := range s.statuses {
		if x.status == r.Status {
			st = x
			break
		}
	}
	if st == nil {
		st = &statusStat{status: r.Status}
		st.declared, st.rule = a.judge(a.c.Operations[op], r.Status)
		s.statuses = append(s.statuses, st)
	}
	st.count++
	if !st.declared && len(st.first) < a.first {
		st.first = append(st.first, a.occurrence(file, n))
	}
}

// judge decides once per operation and status whether the status is one
// the operation may answer, and names the rule when not: the same rules a
// run applies to an answer.
func (a *Auditor) judge(op *contract.Operation, status int) (bool, string) {
	if a.c.Never(op, status) {
		return false, catalog.StatusNever.ID
	}
	if only := a.c.OnlyOn(status); len(only) > 0 && !slices.Contains(only, op.ID) {
		return false, catalog.StatusOnlyOn.ID
	}
	// default covers a status as in a run (where it leaves at most a
	// warning to declare the status explicitly)
	if _, cov := op.Response(status); !cov.Declared() {
		return false, catalog.StatusDeclared.ID
	}
	return true, ""
}

func (a *Auditor) unknownRoute(file string, n int64, kind Kind) {
	r := &a.rec
	a.unkTotal++
	path := requestPath(r.URL)
	if path == nil {
		path = r.URL
	}
	// The key is built in a reused buffer; a map look-up with string(key)
	// does not allocate.
	a.key = append(append(append(a.key[:0], r.Method...), ' '), path...)
	rs := a.unknown[string(a.key)]
	if rs == nil {
		if len(a.unknown) >= maxUnknownRoutes {
			a.unkOther++
			return
		}
		reason := "path"
		switch kind {
		case UnknownMethod:
			reason = "method"
		case NoBasePath:
			reason = "base-path"
		}
		rs = &routeStat{method: shown(r.Method), path: shown(path), reason: reason, seq: a.total, statuses: map[int]int64{}}
		a.unknown[string(a.key)] = rs
	}
	rs.count++
	rs.statuses[r.Status]++
	if len(rs.first) < a.first {
		rs.first = append(rs.first, a.occurrence(file, n))
	}
}

// keepSlowest keeps the a.first slowest requests, slowest first.
func (a *Auditor) keepSlowest(file string, n int64) {
	ms := a.rec.Millis
	if len(a.slowest) == a.first && a.slowest[len(a.slowest)-1].Millis >= ms {
		return
	}
	o := a.occurrence(file, n)
	i, _ := slices.BinarySearchFunc(a.slowest, ms, func(x Occurrence, ms int64) int {
		// Descending by time; equal times keep the earlier line first.
		if x.Millis >= ms {
			return -1
		}
		return 1
	})
	a.slowest = slices.Insert(a.slowest, i, o)
	if len(a.slowest) > a.first {
		a.slowest = a.slowest[:a.first]
	}
}

func (a *Auditor) unparsed(file string, n int64, err error, line []byte) {
	a.badCount++
	if len(a.bad) < a.first {
		for len(line) > 0 && (line[len(line)-1] == '\n' || line[len(line)-1] == '\r') {
			line = line[:len(line)-1]
		}
		a.bad = append(a.bad, BadLine{File: file, Line: n, Reason: err.Error(), Text: shown(line)})
	}
}

// occurrence copies what a report shows of the current record.
func (a *Auditor) occurrence(file string, n int64) Occurrence {
	r := &a.rec
	return Occurrence{
		File:   file,
		Line:   n,
		Time:   string(r.Date) + " " + string(r.Time),
		Method: shown(r.Method),
		URL:    shown(r.URL),
		Status: r.Status,
		Millis: r.Millis,
	}
}

// shown copies bytes from a log for a report or a terminal: at most
// maxShown bytes, invalid UTF-8 and control characters replaced, so that a
// crafted URL can neither break a report nor drive the terminal.
func shown(b []byte) string {
	cut := len(b) > maxShown
	if cut {
		b = b[:maxShown]
	}
	var sb strings.Builder
	sb.Grow(len(b))
	for len(b) > 0 {
		c, size := utf8.DecodeRune(b)
		switch {
		case c == utf8.RuneError && size <= 1, c < 0x20 && c != '\t', c == 0x7f:
			sb.WriteRune('\uFFFD')
		default:
			sb.Write(b[:size])
		}
		b = b[size:]
	}
	if cut {
		sb.WriteString("...")
	}
	return sb.String()
}

// Report returns the audit so far. The Auditor may go on reading.
func (a *Auditor) Report() *Report {
	c := a.c
	rep := &Report{
		Format: Format,
		Contract: ContractInfo{
			Name: c.Name, Source: c.Source, SHA256: c.SHA256, BasePath: c.BasePath,
			Title: c.Doc.Info.Title, Version: c.Doc.Info.Version,
		},
		Files:         append([]string{}, a.files...),
		SlowMs:        max(a.slowMs, 0),
		Lines:         Lines{Total: a.total, Parsed: a.parsed, Unparsed: a.badCount, Blank: a.blank, FirstUnparsed: append([]BadLine{}, a.bad...)},
		Operations:    []OperationReport{},
		UnknownRoutes: UnknownRoutes{Requests: a.unkTotal, OtherRequests: a.unkOther, Routes: []UnknownRoute{}},
		Options:       a.options,
		Slow:          SlowReport{ThresholdMs: max(a.slowMs, 0), Requests: a.slowCount, Slowest: append([]Occurrence{}, a.slowest...)},
	}
	for i, op := range c.Operations {
		s := &a.ops[i]
		or := OperationReport{
			ID: op.ID, Method: op.Method, Path: op.Path,
			Requests: s.requests, ServerErrors: s.errors5xx, Slow: s.slow, MaxMs: s.maxMs,
			Declared: append([]string{}, op.Statuses()...),
			Statuses: []StatusCount{},
		}
		if s.requests > 0 {
			or.ServerErrorRate = float64(s.errors5xx) / float64(s.requests)
		}
		for _, st := range s.statuses {
			sc := StatusCount{Status: st.status, Count: st.count, Declared: st.declared, Rule: st.rule, First: append([]Occurrence{}, st.first...)}
			or.Statuses = append(or.Statuses, sc)
			if !st.declared {
				or.Undeclared += st.count
			}
		}
		slices.SortFunc(or.Statuses, func(x, y StatusCount) int { return x.Status - y.Status })
		rep.Undeclared += or.Undeclared
		rep.Operations = append(rep.Operations, or)
	}
	routes := make([]*routeStat, 0, len(a.unknown))
	for _, rs := range a.unknown {
		routes = append(routes, rs)
	}
	// Most requested first; ties in the order the logs first showed them.
	slices.SortFunc(routes, func(x, y *routeStat) int {
		if x.count != y.count {
			return cmpDesc(x.count, y.count)
		}
		return cmpDesc(y.seq, x.seq)
	})
	for _, rs := range routes {
		ur := UnknownRoute{Method: rs.method, Path: rs.path, Reason: rs.reason, Count: rs.count, Statuses: map[string]int64{}, First: append([]Occurrence{}, rs.first...)}
		for st, n := range rs.statuses {
			ur.Statuses[strconv.Itoa(st)] = n
		}
		rep.UnknownRoutes.Routes = append(rep.UnknownRoutes.Routes, ur)
	}
	rep.Passed = rep.Undeclared == 0 && rep.UnknownRoutes.Requests == 0
	return rep
}

// cmpDesc orders larger numbers first.
func cmpDesc(x, y int64) int {
	switch {
	case x > y:
		return -1
	case x < y:
		return 1
	}
	return 0
}
