// Package verdict judges answers against the contract and the scenario's
// expectations: every rule of the catalogue is applied here, to one
// exchange (Judge) or to the exchanges of a sequence (a state switch, a
// burst). It collects every mismatch, each with its rule id, the rule's
// level and its source (an RFC section or the contract), so that a spec
// fails once with the whole list. The suite only sends the requests and
// records what this package says.
package verdict

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/apiconform/apiconform/internal/catalog"
	"github.com/apiconform/apiconform/internal/contract"
	"github.com/apiconform/apiconform/internal/plan"
	"github.com/apiconform/apiconform/internal/probe"
)

// Mismatch is one way an answer differs from what the rule requires.
type Mismatch struct {
	Rule string `json:"rule"`
	// Level is the rule's level (MUST, SHOULD, contract...): why the
	// mismatch fails the scenario or only warns.
	Level    catalog.Level `json:"level"`
	Source   string        `json:"source"`
	Expected string        `json:"expected"`
	Actual   string        `json:"actual"`
}

func (m Mismatch) String() string {
	if m.Level == "" {
		return fmt.Sprintf("[%s] expected %s; got %s (source: %s)", m.Rule, m.Expected, m.Actual, m.Source)
	}
	return fmt.Sprintf("[%s] expected %s; got %s (source: %s; %s)", m.Rule, m.Expected, m.Actual, m.Source, m.Level)
}

// Verdict is the judgement of one scenario.
type Verdict struct {
	// Mismatches break MUST-level rules: the scenario fails.
	Mismatches []Mismatch
	// Warnings break SHOULD-level rules: the scenario passes unless strict.
	Warnings []Mismatch
	// Inconclusive, when set, says why the answer cannot be judged.
	Inconclusive string
}

// mismatch makes a mismatch of a rule, with the rule's level and source.
func mismatch(r catalog.Rule, expected, actual string) Mismatch {
	return Mismatch{Rule: r.ID, Level: r.Level, Source: r.Source, Expected: expected, Actual: actual}
}

// add records a mismatch: a failure, or a warning where its level is
// SHOULD.
func (v *Verdict) add(m Mismatch) {
	if m.Level.Fails() {
		v.Mismatches = append(v.Mismatches, m)
	} else {
		v.Warnings = append(v.Warnings, m)
	}
}

// merge adds what another verdict found.
func (v *Verdict) merge(o *Verdict) {
	v.Mismatches = append(v.Mismatches, o.Mismatches...)
	v.Warnings = append(v.Warnings, o.Warnings...)
}

// OK tells whether the scenario passes; strict counts warnings as failures.
func (v *Verdict) OK(strict bool) bool {
	return v.Inconclusive == "" && len(v.Mismatches) == 0 && (!strict || len(v.Warnings) == 0)
}

// Judge applies every check that fits the scenario to its exchange. get is
// the GET exchange a HEAD scenario compares with (nil otherwise).
func Judge(c *contract.Contract, s *plan.Scenario, x, get *probe.Exchange) *Verdict {
	return JudgeWith(c, s, x, get, Options{})
}

// JudgeWith is Judge with the run's diagnosis of its own setup, which
// makes the answers a setup mistake explains inconclusive.
func JudgeWith(c *contract.Contract, s *plan.Scenario, x, get *probe.Exchange, opts Options) *Verdict {
	j := &judge{c: c, s: s, x: x, v: &Verdict{}, opts: opts}
	j.run(get)
	return j.v
}

type judge struct {
	c    *contract.Contract
	s    *plan.Scenario
	x    *probe.Exchange
	v    *Verdict
	opts Options
	// leftTo names the headers, canonical, that a rule of the sequence
	// judges (state.call.header): header.required leaves them alone.
	leftTo map[string]bool
}

// fail records a mismatch of a rule: a failure, or a warning where the
// catalogue puts the rule at SHOULD level.
func (j *judge) fail(r catalog.Rule, expected, actual string) {
	j.v.add(mismatch(r, expected, actual))
}

// warn records a mismatch as a warning whatever the rule's level: the
// contract has lowered it (x-conformance wwwAuthenticate: should).
func (j *judge) warn(r catalog.Rule, expected, actual string) {
	m := mismatch(r, expected, actual)
	m.Level = catalog.Should
	j.v.add(m)
}

// statusRule records a mismatch of the scenario family's status rule, the
// contract's where x-conformance states the statuses.
func (j *judge) statusRule(expected, actual string, warn bool) {
	m := mismatch(catalog.StatusRule(j.s.Family), expected, actual)
	if src := j.s.Expect.StatusSource; src != "" {
		m.Source, m.Level = src, catalog.Contract
	}
	if warn {
		m.Level = catalog.Should
	}
	j.v.add(m)
}

// expected tells whether the scenario expects a status: by its list, or by
// its class.
func (j *judge) expected(status int) bool {
	exp := j.s.Expect
	return slices.Contains(exp.Status, status) || (exp.StatusClass > 0 && status/100 == exp.StatusClass)
}

func (j *judge) run(get *probe.Exchange) {
	x, s := j.x, j.s
	if x.Err != nil {
		if x.TimedOut {
			j.v.Inconclusive = "no answer within the timeout: " + x.Err.Error()
		} else {
			j.v.Inconclusive = "no answer: " + x.Err.Error()
		}
		return
	}
	if x.Status == 429 && !slices.Contains(s.Expect.Status, 429) {
		j.v.Inconclusive = "the target throttled the request (429 Too Many Requests)"
		if x.Throttled != "" {
			j.v.Inconclusive += ": " + x.Throttled
		}
		return
	}
	if why := j.setup(); why != "" {
		j.v.Inconclusive = why
		return
	}
	explained := j.forbiddenStatus() || j.serverError()
	if !explained && !j.status(get) {
		return
	}
	if !explained {
		j.declared()
	}
	j.content()
	j.headers()
	j.cors()
}

// forbiddenStatus applies the contract's never and statusOnlyOn lists. When
// one of them explains a wrong status, it is the one mismatch about the
// status: the family's status rule and status.declared would only say the
// same thing less precisely.
func (j *judge) forbiddenStatus() bool {
	o, st := j.s.Operation, j.x.Status
	if o == nil || j.s.Expect.SameAsGet {
		return false
	}
	if j.c.Never(o, st) && !slices.Contains(j.s.Expect.Status, st) {
		j.fail(catalog.StatusNever, fmt.Sprintf("any status but %d, which the contract says %s never answers", st, o.ID), statusText(st))
		return true
	}
	if only := j.c.OnlyOn(st); len(only) > 0 && !slices.Contains(only, o.ID) && !slices.Contains(j.s.Expect.Status, st) {
		j.fail(catalog.StatusOnlyOn, fmt.Sprintf("%d only from %s", st, strings.Join(only, ", ")), fmt.Sprintf("%s from %s", statusText(st), o.ID))
		return true
	}
	return false
}

// serverError fails a 5xx the scenario does not expect, in every family:
// the server failed on a request it should have answered (a refusal of a
// bad request is a 4xx). It is the one mismatch about the status, as a
// declared 500 documents a failure rather than permits one. HEAD is left to
// the comparison with GET, whose own scenario judges a 5xx.
func (j *judge) serverError() bool {
	st := j.x.Status
	if st < 500 || st > 599 || j.expected(st) || j.s.Expect.SameAsGet || ownAvailabilityRule(j.s.Family) {
		return false
	}
	want := "no 5xx"
	switch {
	case len(j.s.Expect.Status) > 0:
		want = statusList(j.s.Expect.Status)
	case j.s.Expect.StatusClass > 0:
		want = fmt.Sprintf("a %dxx status", j.s.Expect.StatusClass)
	case j.s.Expect.Gone:
		want = "404 Not Found after the resource was deleted"
	}
	j.fail(catalog.ServerError, want+" (a 5xx means the server failed)", statusText(st))
	return true
}

// ownAvailabilityRule tells the families whose contract statement is about
// availability itself (x-conformance states and throttling: a 503 in a
// state, service again after it): their status rule, at the contract's
// level, is the more precise name for a 5xx there.
func ownAvailabilityRule(family string) bool {
	f, _ := catalog.FamilyOf(family)
	return f.ID == catalog.State.ID || f.ID == catalog.StateSwitching.ID || f.ID == catalog.Throttling.ID
}

// status checks the expected status; false means the answer cannot be
// judged further.
func (j *judge) status(get *probe.Exchange) bool {
	x, s := j.x, j.s
	exp := s.Expect
	got := statusText(x.Status)
	switch {
	case exp.SameAsGet:
		if get == nil || get.Err != nil {
			j.v.Inconclusive = "the GET to compare with got no answer"
			return false
		}
		if get.Status == 429 {
			j.v.Inconclusive = "the GET to compare with was throttled (429 Too Many Requests)"
			return false
		}
		if get.Status != x.Status {
			j.fail(catalog.MethodHead.Status(), fmt.Sprintf("%s, as GET answered", statusText(get.Status)), got)
		}
		// Content-Types are compared only for the same status: an error
		// answer's media type differs from a success's by design.
		if a, b := mediaType(get.RespHdr.Get("Content-Type")), mediaType(x.RespHdr.Get("Content-Type")); a != b && get.Status == x.Status {
			j.fail(catalog.HeadHeaders, fmt.Sprintf("Content-Type %q, as GET answered", a), fmt.Sprintf("%q", b))
		}
	case exp.Gone:
		if x.Status != 404 && x.Status != 410 {
			j.fail(catalog.LifecycleGone, "404 Not Found (or 410 Gone) after the resource was deleted", got)
		}
	case len(exp.Status) > 0 || exp.StatusClass > 0:
		if j.expected(x.Status) {
			break
		}
		want := statusList(exp.Status)
		if exp.StatusClass > 0 {
			class := fmt.Sprintf("a %dxx status", exp.StatusClass)
			if want == "" {
				want = class
			} else {
				want = class + " or " + want
			}
		}
		if slices.Contains(exp.Tolerated, x.Status) {
			j.statusRule(want+" (RFC 9110 prefers it; the operation's declared "+fmt.Sprint(x.Status)+" is tolerated)", got, true)
			break
		}
		if x.Status == 404 && len(s.Invented) > 0 {
			j.v.Inconclusive = fmt.Sprintf("404 where %s was expected, on a path id the suite had to invent (%s): %s", want, s.Request.URLPath(), plan.ValueHint("an existing id", s.Invented))
			return false
		}
		j.statusRule(want, got, false)
	}
	return true
}

// declared checks the operation's responses cover the status. A status
// the scenario expects by name (the RFC's, or one of the same meaning) is
// the target doing right: if the contract does not declare it, or only
// through default, that is a gap in the documentation, a warning. Any
// other status must be covered, default included.
func (j *judge) declared() {
	o, st := j.s.Operation, j.x.Status
	if o == nil || j.s.Expect.SameAsGet {
		// a HEAD answer is held to GET's status, not to the declarations
		return
	}
	_, cov := o.Response(st)
	named := slices.Contains(j.s.Expect.Status, st) || slices.Contains(j.s.Expect.Tolerated, st)
	switch {
	case cov == contract.ByCode || cov == contract.ByRange:
	case cov == contract.ByDefault:
		if !named && !j.expected(st) {
			return // the status rule has said what is wrong
		}
		j.fail(catalog.StatusExplicit, fmt.Sprintf("%d declared by %s with its code (default covers it)", st, o.ID), "only default covers it")
	case named:
		j.fail(catalog.StatusExplicit, fmt.Sprintf("%d declared by %s, which answers it as the scenario expects", st, o.ID), fmt.Sprintf("%s declares only %s", o.ID, strings.Join(o.Statuses(), ", ")))
	default:
		j.fail(catalog.StatusDeclared, fmt.Sprintf("one of the statuses %s declares (%s)", o.ID, strings.Join(o.Statuses(), ", ")), statusText(st))
	}
}

// ownRule names the headers that rules of their own check, so that a
// contract marking them required does not report them twice.
var ownRule = map[string]bool{"Allow": true, "Www-Authenticate": true}

func (j *judge) headers() {
	x, s := j.x, j.s
	allow, hasAllow := x.RespHdr["Allow"]
	switch {
	case x.Method == "OPTIONS" && s.Expect.Allow != nil && x.Status/100 == 2:
		if !hasAllow {
			j.fail(catalog.OptionsAllow, "an Allow header listing "+strings.Join(s.Expect.Allow, ", "), "no Allow header")
		} else if diff := allowDiff(allow, s.Expect.Allow); diff != "" {
			j.fail(catalog.OptionsAllow, "Allow: "+strings.Join(s.Expect.Allow, ", "), fmt.Sprintf("Allow: %s (%s)", strings.Join(allow, ", "), diff))
		}
	case x.Status == 405:
		if !hasAllow {
			j.fail(catalog.AllowPresent, "an Allow header on 405", "no Allow header")
		} else if s.Expect.Allow != nil {
			if diff := allowDiff(allow, s.Expect.Allow); diff != "" {
				j.fail(catalog.AllowExact, "Allow: "+strings.Join(s.Expect.Allow, ", "), fmt.Sprintf("Allow: %s (%s)", strings.Join(allow, ", "), diff))
			}
		}
	}
	if m, bad := retryAfterMismatch(x.RespHdr); bad {
		j.v.add(m)
	}
	if x.Status == 401 {
		challenges := x.RespHdr.Values("WWW-Authenticate")
		if len(challenges) == 0 {
			if j.c.Conformance.WWWAuthenticate == "should" {
				j.warn(catalog.WWWAuthenticatePresent, "a WWW-Authenticate challenge on 401 (SHOULD under this contract)", "no WWW-Authenticate header")
			} else {
				j.fail(catalog.WWWAuthenticatePresent, "a WWW-Authenticate challenge on 401", "no WWW-Authenticate header")
			}
		} else if want := s.Expect.Challenge; want != "" && want != plan.NoChallenge && !offers(challenges, want) {
			j.fail(catalog.WWWAuthenticateScheme, "a "+want+" challenge", "WWW-Authenticate: "+strings.Join(challenges, ", "))
		}
	}
	if o := s.Operation; o != nil && x.Method != "HEAD" {
		if r, _ := o.Response(x.Status); r != nil {
			for _, name := range sortedKeys(r.Headers) {
				h := r.Headers[name]
				if h == nil || h.Value == nil || !h.Value.Required || ownRule[http.CanonicalHeaderKey(name)] || j.leftTo[http.CanonicalHeaderKey(name)] {
					continue
				}
				if x.RespHdr.Get(name) == "" {
					j.fail(catalog.HeaderRequired, fmt.Sprintf("a %s header on %d (required by %s)", name, x.Status, o.ID), "no "+name+" header")
				}
			}
		}
	}
}
