package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/apiconform/apiconform/internal/plan"
	"github.com/apiconform/apiconform/internal/probe"
	"github.com/apiconform/apiconform/internal/report"
)

// checkReach makes the run's one reachability check, before any scenario:
// any HTTP answer will do. When it fails, the run ends there: one line on
// stderr says why, and the reports asked for are written all the same, so
// that a CI job that publishes them finds a file that says so. stop tells
// whether the run ends, with code:
//
//   - a target that connects and then stays silent within --timeout is
//     there, too slow or stuck: the target's failure, exit 1;
//   - a target that cannot be reached at all (connection refused, DNS, TLS)
//     is exit 3.
//
// The reports hold one failed scenario, the check, with its exchange and a
// curl line, and every scenario of the plan as skipped, saying why: the
// same files, counted the same way, as those of any run, and a merge of
// shards still finds every scenario once.
func checkReach(client *probe.Client, p *plan.Plan, run *report.Run, o *runOptions, stdout, stderr io.Writer) (code int, stop bool) {
	x := client.ReachExchange(context.Background())
	if x.Err == nil {
		return 0, false
	}
	red := client.Redactor()
	code = exitUnreachable
	msg := fmt.Sprintf("the target %s cannot be reached: %s", run.Target, red.Clip(x.Err.Error(), probe.MaxShownText))
	var silent *probe.SilentError
	if errors.As(x.Err, &silent) {
		code = exitFailed
		msg = fmt.Sprintf("the target %s connected, but sent no answer within %s; raise --timeout if it is slow", run.Target, silent.Within)
	}
	fmt.Fprintf(stderr, "apiconform run: %s\n", msg)
	if o.junit == "" && o.jsonReport == "" && o.htmlReport == "" {
		return code, true
	}

	book := report.NewBook()
	book.Put(&report.Record{
		Scenario:   reachScenario(o),
		Result:     report.Failed,
		Reason:     msg,
		Duration:   x.Duration,
		Transcript: x.Transcript(red, maxReachTranscript),
		Curl:       x.Curl(red),
	})
	for _, s := range p.All() {
		book.Put(&report.Record{Scenario: s, Result: report.Skipped, Reason: "not run: the reachability check failed: " + msg})
	}
	run.Warnings = append(run.Warnings, msg)
	run.Duration = time.Since(run.Start)
	rep := report.NewJSONReport(run, book)
	writeReportFiles("run", rep, o.junit, o.jsonReport, o.htmlReport, stdout, stderr)
	return code, true
}

// maxReachTranscript caps the bodies of the check's transcript; a HEAD
// has none, so this only bounds what a broken target might send.
const maxReachTranscript = 4096

// reachScenario is the reachability check as the reports show it. Each
// shard of a run makes its own check, so its id and name name the shard:
// a merge of shards that all failed it keeps each once.
func reachScenario(o *runOptions) *plan.Scenario {
	s := &plan.Scenario{
		ID:      probe.ReachID,
		Family:  report.ReachFamily,
		Subject: "target",
		Request: plan.Request{Method: http.MethodHead, Path: "/"},
		Labels:  []string{report.ReachFamily},
	}
	s.Name = fmt.Sprintf("%s [%s] answers HEAD within --timeout %s", s.Subject, s.Family, o.timeout)
	if shard := o.ci.shard.String(); shard != "" {
		s.ID += " shard " + shard
		s.Name += " (shard " + shard + ")"
	}
	return s
}
