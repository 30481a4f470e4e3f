// Package report turns the results of a run into what a vendor hands in and
// reads: Ginkgo's JUnit report, configured, and the terminal summary.
package report

import (
	"sort"
	"sync"
	"time"

	"github.com/apiconform/apiconform/internal/plan"
	"github.com/apiconform/apiconform/internal/verdict"
)

// The results a scenario can have.
const (
	Passed       = "passed"
	Failed       = "failed"
	Skipped      = "skipped"
	Inconclusive = "inconclusive"
)

// Record is the result of one scenario.
type Record struct {
	Scenario *plan.Scenario
	Result   string
	// Reason says why a scenario was skipped or inconclusive.
	Reason   string
	Verdict  *verdict.Verdict
	Duration time.Duration
	// Transcript and Curl are redacted.
	Transcript string
	Curl       string
	// Accepted is set when the target accepted the scenario's unsafe
	// request where it should have refused it: what the suite did to undo
	// it.
	Accepted *AcceptedWrite
}

// Book collects the records of a run; specs write to it as they finish.
type Book struct {
	mu       sync.Mutex
	records  map[string]*Record
	order    []string
	restores []string
	stops    []string
}

// RestoreFailed notes that the suite could not undo a change it made to the
// target: the run fails, and every report says so first.
func (b *Book) RestoreFailed(msg string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.restores = append(b.restores, msg)
}

// Stopped notes why the run ended before its end (the run timeout, an
// interrupt); the run fails, and the reports say so.
func (b *Book) Stopped(why string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.stops = append(b.stops, why)
}

// Stops lists why the run ended early, if it did.
func (b *Book) Stops() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.stops...)
}

// FailedRestores lists the restores that failed.
func (b *Book) FailedRestores() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.restores...)
}

// NewBook makes an empty book.
func NewBook() *Book { return &Book{records: map[string]*Record{}} }

// Put stores a scenario's record, replacing an earlier one.
func (b *Book) Put(r *Record) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if _, seen := b.records[r.Scenario.ID]; !seen {
		b.order = append(b.order, r.Scenario.ID)
	}
	b.records[r.Scenario.ID] = r
}

// Get returns a scenario's record, or nil.
func (b *Book) Get(id string) *Record {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.records[id]
}

// Records lists the records in the order they were first stored.
func (b *Book) Records() []*Record {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := make([]*Record, 0, len(b.order))
	for _, id := range b.order {
		out = append(out, b.records[id])
	}
	return out
}

// Arrange puts the records in the order of ids, the order the reports list
// the scenarios in; records of IDs not listed follow in their own order.
func (b *Book) Arrange(ids []string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	order := make([]string, 0, len(b.order))
	placed := map[string]bool{}
	for _, id := range ids {
		if _, ok := b.records[id]; ok && !placed[id] {
			order = append(order, id)
			placed[id] = true
		}
	}
	for _, id := range b.order {
		if !placed[id] {
			order = append(order, id)
		}
	}
	b.order = order
}

// Counts tallies results.
type Counts struct {
	Passed, Failed, Skipped, Inconclusive, Warnings int
}

// Total is the number of scenarios counted.
func (c Counts) Total() int { return c.Passed + c.Failed + c.Skipped + c.Inconclusive }

// Count tallies the records, overall and by family.
func (b *Book) Count() (Counts, map[string]*Counts, []string) {
	var all Counts
	by := map[string]*Counts{}
	for _, r := range b.Records() {
		fam := r.Scenario.Family
		if by[fam] == nil {
			by[fam] = &Counts{}
		}
		for _, c := range []*Counts{&all, by[fam]} {
			switch r.Result {
			case Passed:
				c.Passed++
			case Failed:
				c.Failed++
			case Skipped:
				c.Skipped++
			case Inconclusive:
				c.Inconclusive++
			}
			if r.Verdict != nil {
				c.Warnings += len(r.Verdict.Warnings)
			}
		}
	}
	fams := make([]string, 0, len(by))
	for f := range by {
		fams = append(fams, f)
	}
	sort.Strings(fams)
	return all, by, fams
}
