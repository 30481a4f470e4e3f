package conformance

import (
	"fmt"
	"io"
	"time"

	"github.com/onsi/ginkgo/v2/types"
)

// progress keeps one line up to date while specs run: how many are done of
// how many, how many passed and failed, and the time so far.
type progress struct {
	w                    io.Writer
	start                time.Time
	total, n, pass, fail int
	skip                 int
	lastDraw             time.Time
}

func (p *progress) done(s types.SpecReport) {
	if s.NumAttempts == 0 && s.Failure.Message == "" {
		return // left out by a filter (or after an interrupt): not counted in total
	}
	p.n++
	switch {
	case s.State.Is(types.SpecStatePassed):
		p.pass++
	case s.State.Is(types.SpecStateFailureStates):
		p.fail++
	default:
		p.skip++
	}
	// Redraw at most every 50ms: a fast run would spend its time drawing.
	if time.Since(p.lastDraw) >= 50*time.Millisecond || p.n == p.total {
		p.draw()
	}
}

func (p *progress) draw() {
	p.lastDraw = time.Now()
	fmt.Fprintf(p.w, "\r\033[K%d/%d scenarios  %d passed  %d failed  %d skipped  %s",
		p.n, p.total, p.pass, p.fail, p.skip, time.Since(p.start).Round(100*time.Millisecond))
}

func (p *progress) end() {
	p.draw()
	fmt.Fprintln(p.w)
}
