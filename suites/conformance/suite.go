// Package conformance is the Ginkgo suite: it turns a plan into specs, one
// It per scenario, sends each scenario's request, has the verdict judge the
// answer and fails the spec once with every mismatch. It judges nothing
// itself. A scenario family needs no file here: its heading comes from the
// catalogue, and its request is sent as it is. Only the families whose
// exchange is more than that request have one (head.go sends the GET to
// compare with too), and the sequences (lifecycle.go, states.go,
// throttling.go).
package conformance

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	. "github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/formatter"
	"github.com/onsi/ginkgo/v2/types"

	"github.com/apiconform/apiconform/internal/catalog"
	"github.com/apiconform/apiconform/internal/plan"
	"github.com/apiconform/apiconform/internal/probe"
	"github.com/apiconform/apiconform/internal/report"
	"github.com/apiconform/apiconform/internal/verdict"
)

// Options configures a run of the suite.
type Options struct {
	Plan   *plan.Plan
	Client *probe.Client
	// AllowWrites lets the writes lifecycles run.
	AllowWrites bool
	// AllowDisruptive lets the operational-state and throttling scenarios
	// run.
	AllowDisruptive bool
	// Concurrency is how many stateless exchanges are sent ahead at once.
	Concurrency int
	// Strict fails warnings and inconclusive scenarios.
	Strict bool
	// LabelFilter and Focus select scenarios; both must have been
	// validated, since Ginkgo exits or panics on bad ones.
	LabelFilter string
	Focus       string
	// RunTimeout bounds the whole run.
	RunTimeout time.Duration
	// JUnitReport is the path of the JUnit file ("" for none).
	JUnitReport string
	// Verbose writes every scenario to VerboseOutput as it finishes.
	Verbose bool
	// NoColor keeps colour out of VerboseOutput: set it unless the output
	// is a terminal.
	NoColor bool
	// Book receives every scenario's record.
	Book *report.Book
	// VerboseOutput receives the account of each scenario with Verbose;
	// nil discards it.
	VerboseOutput io.Writer
	// Progress, when set, receives a progress line rewritten in place as
	// specs finish: for a terminal only.
	Progress io.Writer
	// JUnitProperties are added to the JUnit suite's properties.
	JUnitProperties map[string]string
	// Diagnosis is what the run found wrong with its own setup before the
	// specs ran (nil: nothing); the judge makes the answers it explains
	// inconclusive.
	Diagnosis *verdict.Diagnosis
	// Sent are exchanges of stateless scenarios already made, by scenario
	// id (a pre-flight's): they are judged as they are, not sent again.
	Sent map[string]*probe.Exchange
}

// maxTranscript caps each body in a transcript: a report must stay readable.
const maxTranscript = 4096

// exchangeFunc sends a scenario: its answer, and the GET to compare with
// for a HEAD.
type exchangeFunc func(ctx context.Context, r *runner, s *plan.Scenario) (x, get *probe.Exchange)

// exchanges holds, by catalogue family, the exchanges that are more than
// the scenario's request; a family's file registers its own.
var exchanges = map[string]exchangeFunc{}

// exchangeOf is how a scenario of the family is sent.
func exchangeOf(family string) exchangeFunc {
	if f, ok := catalog.FamilyOf(family); ok && exchanges[f.ID] != nil {
		return exchanges[f.ID]
	}
	return plainExchange
}

// titleOf is the heading a family's scenarios run under: the catalogue's.
func titleOf(family string) string {
	if f, ok := catalog.FamilyOf(family); ok && f.Title != "" {
		return f.Title
	}
	return family
}

type runner struct {
	Options
	line int
	// texts are the specs' full texts, as Ginkgo's focus sees them.
	texts map[*plan.Scenario]string
	ahead *prefetcher
	// scenarioAt and sequences name what stands at a line of the plan
	// (see at and sequence), for settle.
	scenarioAt map[int]*plan.Scenario
	sequences  map[int]string
	// accepted keeps the writes the target accepted where it should have
	// refused (see send); existing serialises the guarded writes aimed at
	// existing resources.
	accepted acceptedLog
	existing sync.Mutex
	// interrupts counts the run's signals; restoring has every restore
	// under way, which the reports wait for (see restore.go).
	interrupts *interrupts
	restoring  sync.WaitGroup
	// owed has, per state switch, the restore to run after the specs if
	// the target may still be in the state and no cleanup node restored
	// it; specsDone is set once they have ended (see restoreOwed).
	owed      []func()
	specsDone bool
}

// loc gives each node a code location in the plan, so that Ginkgo, which
// orders specs by code location, runs them in plan order and names the
// scenario's place in its output.
func (r *runner) loc() types.CodeLocation {
	r.line++
	return types.CodeLocation{FileName: r.Plan.Contract.Name + " plan", LineNumber: r.line}
}

// shim is the testing.T that RunSpecs needs outside go test.
type shim struct{ failed bool }

func (s *shim) Fail() { s.failed = true }

// Run builds the spec tree from the plan and runs it. It returns whether
// every spec passed in Ginkgo's view; the book has the per-scenario
// results, inconclusive ones among them.
func Run(opts Options) (bool, error) {
	if opts.Book == nil {
		opts.Book = report.NewBook()
	}
	r := &runner{Options: opts, texts: map[*plan.Scenario]string{}, scenarioAt: map[int]*plan.Scenario{}, sequences: map[int]string{}, interrupts: newInterrupts()}
	ReportBeforeSuite(func(Report) { r.interrupts.listen() })
	defer r.interrupts.stop()
	suiteCfg, reporterCfg := GinkgoConfiguration()
	suiteCfg.RandomSeed = 1
	suiteCfg.LabelFilter = opts.LabelFilter
	if opts.Focus != "" {
		suiteCfg.FocusStrings = []string{opts.Focus}
	}
	suiteCfg.Timeout = opts.RunTimeout
	if suiteCfg.Timeout <= 0 {
		suiteCfg.Timeout = time.Hour
	}
	reporterCfg.NoColor = true
	reporterCfg.Succinct = true
	// Ginkgo's console reporter writes to this package-level writer. Its
	// account is for the authors of Go tests (code locations in this
	// suite's files, stack traces), so it goes nowhere: the summary and the
	// reports say what a person needs, and -v has an account of its own.
	formatter.ColorableStdOut = io.Discard
	if opts.Verbose && opts.VerboseOutput != nil {
		v := &verbose{w: opts.VerboseOutput, color: !opts.NoColor, r: r}
		ReportAfterEach(func(s SpecReport) { v.done(s) })
	}
	if opts.Progress != nil {
		p := &progress{w: opts.Progress, start: time.Now()}
		ReportBeforeSuite(func(rep Report) { p.total = rep.PreRunStats.SpecsThatWillRun })
		ReportAfterEach(func(s SpecReport) { p.done(s) })
		ReportAfterSuite("progress", func(Report) { p.end() })
	}
	// Ginkgo ends a run early at the suite timeout or on SIGINT/SIGTERM
	// (a SIGHUP is sent on as a SIGTERM: see interrupts),
	// and says so only in its own output: the book keeps the reason.
	ReportAfterSuite("stops", func(rep Report) {
		for _, reason := range rep.SpecialSuiteFailureReasons {
			r.Book.Stopped(reason)
		}
	})
	// One node settles the book against Ginkgo's report and then writes
	// the JUnit file from the settled report, so that every report has
	// every scenario of the plan, with the same result.
	var junitErr error
	ReportAfterSuite("reports", func(rep Report) {
		r.restoring.Wait()
		settled := r.settle(rep)
		if opts.JUnitReport != "" {
			junitErr = report.WriteJUnit(settled, opts.JUnitReport, opts.JUnitProperties)
		}
	})
	// Container bodies run inside RunSpecs, after the prefetch has started:
	// the texts the focus is matched against are known before, from the
	// groups alone.
	r.groupTexts()
	Describe(r.Plan.Contract.Name+" conformance", r.loc(), func() {
		r.stateless()
		r.writes()
		r.states()
		r.throttling()
	})
	r.ahead = r.startPrefetch(r.texts)
	defer r.ahead.stop()
	t := &shim{}
	ok := RunSpecs(t, "apiconform "+r.Plan.Contract.Name, suiteCfg, reporterCfg)
	// After a third interrupt Ginkgo returns without waiting for a
	// restore; the second has cut it short, and its message is not lost.
	r.restoring.Wait()
	r.restoreOwed()
	if junitErr != nil {
		return ok, fmt.Errorf("writing the JUnit report: %w", junitErr)
	}
	return ok && !t.failed, nil
}

// groups sorts the stateless scenarios into their family containers, in
// plan order.
func (r *runner) groups() ([]string, map[string][]*plan.Scenario) {
	var groups []string
	byGroup := map[string][]*plan.Scenario{}
	for _, s := range r.Plan.Scenarios {
		if s.Phase != plan.PhaseStateless {
			continue
		}
		title := titleOf(s.Family)
		if _, seen := byGroup[title]; !seen {
			groups = append(groups, title)
		}
		byGroup[title] = append(byGroup[title], s)
	}
	return groups, byGroup
}

// groupTexts records the full text of every stateless spec as Ginkgo's
// focus will match it, so that the prefetch sends only what will run.
func (r *runner) groupTexts() {
	top := r.Plan.Contract.Name + " conformance"
	groups, byGroup := r.groups()
	for _, g := range groups {
		for _, s := range byGroup[g] {
			r.texts[s] = top + " " + g + " " + s.Name
		}
	}
}

// stateless adds the specs of every stateless scenario, a container per
// family group, in plan order.
func (r *runner) stateless() {
	groups, byGroup := r.groups()
	for _, g := range groups {
		scenarios := byGroup[g]
		Describe(g, r.loc(), func() {
			for _, s := range scenarios {
				r.spec(s, nil)
			}
		})
	}
	for _, s := range r.Plan.Scenarios {
		switch s.Phase {
		case plan.PhaseWrites:
			Describe("writes", r.loc(), func() { r.spec(s, nil) })
		case plan.PhaseDisruptive:
			Describe("disruptive", Serial, r.loc(), func() { r.spec(s, nil) })
		}
	}
}

// spec adds the It of one scenario. prepare, when given, fills in what an
// earlier step of a lifecycle learnt (the created id).
func (r *runner) spec(s *plan.Scenario, prepare func(*plan.Request)) {
	args := []any{r.at(s), Label(s.Labels...)}
	args = append(args, func(ctx SpecContext) {
		r.check(ctx, s, prepare)
	})
	It(s.Name, args...)
}

// check runs one scenario: skip it, or exchange, judge and record.
func (r *runner) check(ctx context.Context, s *plan.Scenario, prepare func(*plan.Request)) *probe.Exchange {
	r.skipIfNotRunnable(s)
	req := s.Request.Clone()
	if prepare != nil {
		prepare(&req)
	}
	sc := *s
	sc.Request = req
	start := time.Now()
	x, get, ahead := (*probe.Exchange)(nil), (*probe.Exchange)(nil), false
	if prepare == nil {
		x, get, ahead = r.ahead.take(ctx, s.ID)
	}
	if !ahead {
		x, get = r.send(ctx, &sc)
	} else if x.Duration > 0 {
		start = time.Now().Add(-x.Duration)
	}
	v := r.judge(&sc, x, get)
	exchanges := []*probe.Exchange{x}
	if get != nil {
		exchanges = []*probe.Exchange{get, x}
	}
	r.conclude(&sc, v, time.Since(start), exchanges...)
	return x
}

// skipIfNotRunnable skips, and records as skipped, a scenario the plan
// could not build or the run's options leave out.
func (r *runner) skipIfNotRunnable(s *plan.Scenario) {
	if reason := r.skipReason(s); reason != "" {
		r.skip(s, reason)
	}
}

// skipReason says why a scenario does not run, "" when it does.
func (r *runner) skipReason(s *plan.Scenario) string {
	switch {
	case r.interrupts != nil && r.interrupts.count() > 0:
		// Ginkgo takes a signal on a goroutine of its own and may start
		// the next spec before it has: nothing new starts once one came,
		// least of all a state switch.
		return "the run was stopped early (Interrupted by User) before it came to this scenario"
	case s.Skip != "":
		return s.Skip
	case s.Phase == plan.PhaseWrites && !r.AllowWrites:
		return "changes data on the target: run with --allow-writes to include it"
	case s.Phase == plan.PhaseDisruptive && !r.AllowDisruptive:
		return "disruptive (changes the target's state): run with --allow-disruptive to include it"
	}
	return r.existingSkip(s)
}

// skip records a scenario as skipped and ends its spec.
func (r *runner) skip(s *plan.Scenario, reason string) {
	r.Book.Put(&report.Record{Scenario: s, Result: report.Skipped, Reason: reason})
	Skip(reason)
}

// conclude records a judged scenario and ends its spec as the verdict says:
// passed, failed with every mismatch, or inconclusive (skipped, or failed
// with --strict). The exchanges make the transcript; the last one gives
// the curl line.
func (r *runner) conclude(s *plan.Scenario, v *verdict.Verdict, d time.Duration, exchanges ...*probe.Exchange) {
	rec := &report.Record{Scenario: s, Verdict: v, Duration: d, Accepted: r.accepted.get(s.ID)}
	red := r.Client.Redactor()
	boundVerdict(v, red)
	var parts []string
	for _, x := range exchanges {
		if x != nil {
			parts = append(parts, x.Transcript(red, maxTranscript))
			rec.Curl = x.Curl(red)
		}
	}
	rec.Transcript = strings.Join(parts, "\n\n")
	for _, w := range v.Warnings {
		AddReportEntry("warning", w.String())
	}
	switch {
	case v.Inconclusive != "":
		rec.Result, rec.Reason = report.Inconclusive, v.Inconclusive
		r.Book.Put(rec)
		if r.Strict {
			Fail(report.ExplainRecord(rec, report.StrictInconclusive(v.Inconclusive)))
		}
		Skip(report.InconclusiveSkip(v.Inconclusive))
	case !v.OK(r.Strict):
		rec.Result = report.Failed
		r.Book.Put(rec)
		Fail(report.ExplainRecord(rec, ""))
	default:
		rec.Result = report.Passed
		r.Book.Put(rec)
	}
}

// judge has the verdict judge an answer, with the run's diagnosis.
func (r *runner) judge(s *plan.Scenario, x, get *probe.Exchange) *verdict.Verdict {
	return verdict.JudgeWith(r.Plan.Contract, s, x, get, verdict.Options{Diagnosis: r.Diagnosis})
}

func plainExchange(ctx context.Context, r *runner, s *plan.Scenario) (*probe.Exchange, *probe.Exchange) {
	return r.Client.Do(ctx, s.ID, &s.Request), nil
}

// errNoID is returned when a created resource's id cannot be found.
var errNoID = errors.New("the create answer carries no Location and no id field")
