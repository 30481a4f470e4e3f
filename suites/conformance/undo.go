package conformance

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"

	"github.com/apiconform/apiconform/internal/plan"
	"github.com/apiconform/apiconform/internal/probe"
	"github.com/apiconform/apiconform/internal/report"
)

// A negative scenario of an unsafe method expects a refusal, and a
// conforming target changes nothing. A target that accepts it instead may
// have made a resource or changed or deleted one, on someone else's
// staging server. The suite then says so in every report and undoes what it
// can: it deletes what was made, where the contract has a DELETE for it,
// and puts back what it read before a PUT, PATCH or DELETE aimed at an
// existing resource, where the contract has a PUT there; and it reads
// again to verify. What it cannot undo is a failed restore: the run fails
// and the reports give the curl lines to finish it by hand.

// unsafeMethods are the methods that may change data.
var unsafeMethods = map[string]bool{http.MethodPost: true, http.MethodPut: true, http.MethodPatch: true, http.MethodDelete: true}

// guarded tells whether a scenario's exchange is watched for a write the
// target should have refused: an unsafe method outside the writes
// lifecycles whose expectation admits no 2xx.
func guarded(s *plan.Scenario) bool {
	return unsafeMethods[s.Request.Method] && s.Phase != plan.PhaseWrites && expectsRefusal(s.Expect)
}

func expectsRefusal(e plan.Expect) bool {
	if e.StatusClass == 2 || len(e.Status) == 0 {
		return false
	}
	for _, st := range e.Status {
		if st/100 == 2 {
			return false
		}
	}
	return true
}

// existingSkip is why a guarded scenario aimed at an existing resource does
// not run without --allow-writes, "" when it runs.
func (r *runner) existingSkip(s *plan.Scenario) string {
	if !r.existingSkipped(s) {
		return ""
	}
	req := s.Request.Clone()
	req.Query = nil
	return fmt.Sprintf("aimed at the existing resource %s: a target that wrongly accepted it would change it; run with --allow-writes to include it",
		r.Client.Redactor().URL(r.Client.URLFor(&req)))
}

// existingSkipped tells whether the run leaves out a scenario aimed at an
// existing resource: without --allow-writes it does.
func (r *runner) existingSkipped(s *plan.Scenario) bool {
	return s.Existing && guarded(s) && !r.AllowWrites
}

// acceptedLog keeps the writes the target accepted, by scenario id, from
// the exchange (perhaps sent ahead) to the scenario's record.
type acceptedLog struct {
	mu   sync.Mutex
	byID map[string]*report.AcceptedWrite
}

func (l *acceptedLog) put(id string, w *report.AcceptedWrite) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.byID == nil {
		l.byID = map[string]*report.AcceptedWrite{}
	}
	l.byID[id] = w
}

func (l *acceptedLog) get(id string) *report.AcceptedWrite {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.byID[id]
}

// send makes a scenario's exchange the way its family does; a guarded one
// aimed at an existing resource is read first, and a guarded one the target
// accepted is undone before send returns.
func (r *runner) send(ctx context.Context, s *plan.Scenario) (x, get *probe.Exchange) {
	ex := exchangeOf(s.Family)
	if !guarded(s) {
		return ex(ctx, r, s)
	}
	var before *probe.Exchange
	if s.Existing {
		// One at a time: a read before one write must not see another
		// write the target wrongly accepted and the suite has not yet
		// put back.
		r.existing.Lock()
		defer r.existing.Unlock()
		before = r.readBefore(ctx, s)
	}
	x, get = ex(ctx, r, s)
	if x.Err != nil || x.Status/100 != 2 {
		return x, get
	}
	// The undo runs to its end also when the run is being stopped: each
	// request is bounded by --timeout, and there are a few.
	w := r.undo(context.WithoutCancel(ctx), s, x, before)
	r.accepted.put(s.ID, w)
	if !w.Undone {
		r.Book.RestoreFailed(w.FailedRestore(s.Name))
	}
	return x, get
}

// readBefore reads the resource a write is aimed at, nil when the contract
// has no GET for it.
func (r *runner) readBefore(ctx context.Context, s *plan.Scenario) *probe.Exchange {
	op := r.Plan.Contract.Find(http.MethodGet, s.Request.Path)
	if op == nil {
		return nil
	}
	req := r.Plan.RequestFor(op, s.Request.PathParams)
	return r.Client.Do(ctx, s.ID+" (read before)", &req)
}

// undoer undoes one accepted write and keeps what it sent.
type undoer struct {
	r  *runner
	s  *plan.Scenario
	w  *report.AcceptedWrite
	xs []*probe.Exchange
}

// undo undoes a write the target accepted: what a POST made, what a PUT or
// PATCH made at an id no resource had, or the resource a PUT, PATCH or
// DELETE aimed at an existing one changed. before is the read before it,
// nil when none was made.
func (r *runner) undo(ctx context.Context, s *plan.Scenario, x, before *probe.Exchange) *report.AcceptedWrite {
	red := r.Client.Redactor()
	w := &report.AcceptedWrite{
		Method:   x.Method,
		URL:      red.URL(x.URL),
		Status:   x.Status,
		Location: red.Clip(x.RespHdr.Get("Location"), probe.MaxShownValue),
		Commands: []string{x.Curl(red)},
	}
	u := &undoer{r: r, s: s, w: w}
	if before != nil {
		u.xs = append(u.xs, before)
	}
	switch {
	case s.Request.Method == http.MethodPost:
		u.created(ctx, x)
	case s.Existing && (before == nil || before.Err != nil || !gone(before.Status)):
		u.putBack(ctx, before)
	default:
		u.atMissing(ctx, x, before)
	}
	var parts []string
	for _, ux := range u.xs {
		parts = append(parts, ux.Transcript(red, maxTranscript))
	}
	w.Transcript = strings.Join(parts, "\n\n")
	return w
}

func (u *undoer) done(format string, args ...any) {
	u.w.Undone, u.w.Undo = true, fmt.Sprintf(format, args...)
}

func (u *undoer) failed(format string, args ...any) {
	u.w.Undone, u.w.Undo = false, fmt.Sprintf(format, args...)
}

// send sends one request of the undo and keeps it for the transcript and
// the curl lines.
func (u *undoer) send(ctx context.Context, what string, req *plan.Request) *probe.Exchange {
	x := u.r.Client.Do(ctx, u.s.ID+" ("+what+")", req)
	u.xs = append(u.xs, x)
	u.w.Commands = append(u.w.Commands, x.Curl(u.r.Client.Redactor()))
	return x
}

// said is what an exchange of the undo came to, for a sentence.
func (u *undoer) said(x *probe.Exchange) string {
	where := x.Method + " " + u.r.Client.Redactor().URL(x.URL)
	if x.Err != nil {
		return where + " got no answer (" + u.r.Client.Redactor().Clip(x.Err.Error(), probe.MaxShownText) + ")"
	}
	return fmt.Sprintf("%s answered %d", where, x.Status)
}

func gone(status int) bool { return status == http.StatusNotFound || status == http.StatusGone }

// created deletes what a POST made. The contract's collection and item
// pair (the one the writes lifecycle uses) says where it is; the answer's
// Location or id says which, as in the lifecycle.
func (u *undoer) created(ctx context.Context, x *probe.Exchange) {
	path := u.s.Request.Path
	var l *plan.Lifecycle
	for _, c := range u.r.Plan.Lifecycles {
		if c.Create.Request.Method == http.MethodPost && c.Create.Request.Path == path {
			l = c
			break
		}
	}
	if l == nil {
		u.failed("the contract has no DELETE for what a POST to %s makes, so the suite cannot remove it", path)
		return
	}
	id, err := createdID(x, l.IDParam)
	if err != nil {
		u.failed("the answer gives no Location and no id, so the suite cannot tell what it made")
		return
	}
	params := copyParams(u.s.Request.PathParams)
	params[l.IDParam] = id
	u.deleteAndVerify(ctx, l.Delete.Request.Path, params)
}

// atMissing undoes a PUT or PATCH aimed at an id no resource had (made up
// by the suite, or not found by the read before): it may have made one
// there. A DELETE of it changed nothing.
func (u *undoer) atMissing(ctx context.Context, x, before *probe.Exchange) {
	c := u.r.Plan.Contract
	path := u.s.Request.Path
	params := copyParams(u.s.Request.PathParams)
	if u.s.Request.Method == http.MethodDelete {
		if before != nil {
			u.done("nothing to undo: %s before it, so there was nothing to delete", u.said(before))
		} else {
			u.done("nothing to undo: no resource has the id it names, so there was nothing to delete")
		}
		return
	}
	if names := plan.PathParamNames(path); len(names) > 0 && (x.Status == http.StatusCreated || x.RespHdr.Get("Location") != "") {
		// made where the answer says
		last := names[len(names)-1]
		if id, err := createdID(x, last); err == nil {
			params[last] = id
		}
	}
	if get := c.Find(http.MethodGet, path); get != nil {
		req := u.r.Plan.RequestFor(get, params)
		gx := u.send(ctx, "was anything made", &req)
		switch {
		case gx.Err == nil && gone(gx.Status):
			u.done("nothing to undo: %s after it, so nothing was made there", u.said(gx))
			return
		case gx.Err != nil || gx.Status/100 != 2:
			u.failed("the suite cannot tell whether it made a resource: %s", u.said(gx))
			return
		}
	} else if c.Find(http.MethodDelete, path) == nil {
		u.failed("the contract has neither a GET nor a DELETE on %s: the suite can neither tell whether it made a resource nor remove one", path)
		return
	}
	u.deleteAndVerify(ctx, path, params)
}

// deleteAndVerify deletes the resource a path and its parameters name, and
// reads it again where the contract has a GET: it must be gone (404 or
// 410).
func (u *undoer) deleteAndVerify(ctx context.Context, path string, params map[string]string) {
	c := u.r.Plan.Contract
	del := c.Find(http.MethodDelete, path)
	if del == nil {
		u.failed("the contract has no DELETE on %s to remove it with", path)
		return
	}
	req := u.r.Plan.RequestFor(del, params)
	dx := u.send(ctx, "delete what it made", &req)
	if dx.Err != nil || dx.Status/100 != 2 {
		u.failed("deleting it failed: %s", u.said(dx))
		return
	}
	get := c.Find(http.MethodGet, path)
	if get == nil {
		u.done("%s (not verified: the contract has no GET on %s)", u.said(dx), path)
		return
	}
	greq := u.r.Plan.RequestFor(get, params)
	gx := u.send(ctx, "verify the delete", &greq)
	if gx.Err != nil || !gone(gx.Status) {
		u.failed("%s, but then %s, not 404 or 410: it may still be there", u.said(dx), u.said(gx))
		return
	}
	u.done("%s, and %s", u.said(dx), u.said(gx))
}

// putBack puts back the representation read before a PUT, PATCH or DELETE
// aimed at an existing resource, with the contract's PUT on that path, and
// reads it again: it must be the representation read before.
func (u *undoer) putBack(ctx context.Context, before *probe.Exchange) {
	c := u.r.Plan.Contract
	path := u.s.Request.Path
	switch {
	case before == nil:
		u.failed("the contract has no GET on %s, so the suite could not read the resource before and cannot put it back", path)
		return
	case before.Err != nil || before.Status/100 != 2:
		u.failed("the read before it came to nothing to put back: %s", u.said(before))
		return
	case before.Truncated:
		u.failed("the representation read before was cut at the --max-body limit, so it cannot be put back whole")
		return
	}
	put := c.Find(http.MethodPut, path)
	if put == nil {
		u.failed("the contract has no PUT on %s to put back what %s before it (in the undo transcript)", path, u.said(before))
		return
	}
	body, ct, ok := plan.RestoreBody(put, before.RespBody)
	if !ok {
		u.failed("what %s before it is not a JSON body %s takes, so the suite cannot put it back", u.said(before), put.ID)
		return
	}
	req := u.r.Plan.RequestFor(put, u.s.Request.PathParams)
	req.Body, req.ContentType = body, ct
	px := u.send(ctx, "put back what was read before", &req)
	if px.Err != nil || px.Status/100 != 2 {
		u.failed("putting back what was read before failed: %s", u.said(px))
		return
	}
	get := c.Find(http.MethodGet, path)
	gr := u.r.Plan.RequestFor(get, u.s.Request.PathParams)
	gx := u.send(ctx, "verify the put back", &gr)
	if gx.Err != nil || gx.Status/100 != 2 || !plan.SameRepresentation(before.RespBody, gx.RespBody) {
		why := "a representation other than the one read before"
		if gx.Err != nil || gx.Status/100 != 2 {
			why = "no representation"
		}
		u.failed("%s, but then %s with %s", u.said(px), u.said(gx), why)
		return
	}
	u.done("%s with the representation read before, and %s with it again", u.said(px), u.said(gx))
}

func copyParams(in map[string]string) map[string]string {
	out := make(map[string]string, len(in))
	for k, v := range in {
		out[k] = v
	}
	return out
}
