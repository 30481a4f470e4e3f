package verdict

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/apiconform/apiconform/internal/contract"
	"github.com/apiconform/apiconform/internal/plan"
	"github.com/apiconform/apiconform/internal/probe"
)

// Mismatch is one way an answer differs from what the rule requires.
type Mismatch struct {
	Rule     string `json:"rule"`
	Source   string `json:"source"`
	Expected string `json:"expected"`
	Actual   string `json:"actual"`
}

func (m Mismatch) String() string {
	return fmt.Sprintf("[%s] expected %s; got %s (source: %s)", m.Rule, m.Expected, m.Actual, m.Source)
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

// NewMismatch makes a mismatch of a rule, with the rule's source, for checks
// a suite makes over several exchanges (a state switch, a burst).
func NewMismatch(ruleID, expected, actual string) Mismatch {
	r, ok := rules[ruleID]
	if !ok {
		r = StatusRule(strings.TrimSuffix(ruleID, ".status"))
	}
	return Mismatch{Rule: r.ID, Source: r.Source, Expected: expected, Actual: actual}
}

// OK tells whether the scenario passes; strict counts warnings as failures.
func (v *Verdict) OK(strict bool) bool {
	return v.Inconclusive == "" && len(v.Mismatches) == 0 && (!strict || len(v.Warnings) == 0)
}

// Judge applies every check that fits the scenario to its exchange. get is
// the GET exchange a HEAD scenario compares with (nil otherwise).
func Judge(c *contract.Contract, s *plan.Scenario, x, get *probe.Exchange) *Verdict {
	j := &judge{c: c, s: s, x: x, v: &Verdict{}}
	j.run(get)
	if s.Warn {
		j.v.Warnings = append(j.v.Warnings, j.v.Mismatches...)
		j.v.Mismatches = nil
	}
	return j.v
}

type judge struct {
	c *contract.Contract
	s *plan.Scenario
	x *probe.Exchange
	v *Verdict
}

func (j *judge) fail(ruleID, expected, actual string) {
	j.v.Mismatches = append(j.v.Mismatches, NewMismatch(ruleID, expected, actual))
}

// warn records a mismatch of a SHOULD-level rule.
func (j *judge) warn(ruleID, expected, actual string) {
	j.fail(ruleID, expected, actual)
	last := len(j.v.Mismatches) - 1
	j.v.Warnings = append(j.v.Warnings, j.v.Mismatches[last])
	j.v.Mismatches = j.v.Mismatches[:last]
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
		return
	}
	explained := j.forbiddenStatus()
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
		j.fail("status.never", fmt.Sprintf("any status but %d, which the contract says %s never answers", st, o.ID), statusText(st))
		return true
	}
	if only := j.c.OnlyOn(st); len(only) > 0 && !slices.Contains(only, o.ID) && !slices.Contains(j.s.Expect.Status, st) {
		j.fail("status.only-on", fmt.Sprintf("%d only from %s", st, strings.Join(only, ", ")), fmt.Sprintf("%s from %s", statusText(st), o.ID))
		return true
	}
	return false
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
			j.fail("method.head.status", fmt.Sprintf("%s, as GET answered", statusText(get.Status)), got)
		}
		// Content-Types are compared only for the same status: an error
		// answer's media type differs from a success's by design.
		if a, b := mediaType(get.RespHdr.Get("Content-Type")), mediaType(x.RespHdr.Get("Content-Type")); a != b && get.Status == x.Status {
			j.fail("head.headers", fmt.Sprintf("Content-Type %q, as GET answered", a), fmt.Sprintf("%q", b))
		}
	case exp.Gone:
		if x.Status != 404 {
			j.fail("lifecycle.gone", "404 Not Found after the resource was deleted", got)
		}
	case len(exp.Status) > 0:
		if !slices.Contains(exp.Status, x.Status) {
			if x.Status == 404 && s.Invented {
				j.v.Inconclusive = fmt.Sprintf("404 where %s was expected, on a path id the suite had to invent (%s): give a known value in x-conformance values", statusList(exp.Status), s.Request.URLPath())
				return false
			}
			j.fail(s.Family+".status", statusList(exp.Status), got)
		}
	case exp.StatusClass > 0:
		if x.Status/100 != exp.StatusClass {
			j.fail(s.Family+".status", fmt.Sprintf("a %dxx status", exp.StatusClass), got)
		}
	}
	return true
}

// declared checks the contract declares the status: default does not count.
func (j *judge) declared() {
	o := j.s.Operation
	if o == nil || j.s.Expect.SameAsGet {
		// a HEAD answer is held to GET's status, not to the declarations
		return
	}
	if _, ok := o.Response(j.x.Status); !ok {
		j.fail("status.declared", fmt.Sprintf("one of the statuses %s declares (%s)", o.ID, strings.Join(o.Statuses(), ", ")), statusText(j.x.Status))
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
			j.fail("options.allow", "an Allow header listing "+strings.Join(s.Expect.Allow, ", "), "no Allow header")
		} else if diff := allowDiff(allow, s.Expect.Allow); diff != "" {
			j.fail("options.allow", "Allow: "+strings.Join(s.Expect.Allow, ", "), fmt.Sprintf("Allow: %s (%s)", strings.Join(allow, ", "), diff))
		}
	case x.Status == 405:
		if !hasAllow {
			j.fail("allow.present", "an Allow header on 405", "no Allow header")
		} else if s.Expect.Allow != nil {
			if diff := allowDiff(allow, s.Expect.Allow); diff != "" {
				j.fail("allow.exact", "Allow: "+strings.Join(s.Expect.Allow, ", "), fmt.Sprintf("Allow: %s (%s)", strings.Join(allow, ", "), diff))
			}
		}
	}
	if ra := x.RespHdr.Get("Retry-After"); ra != "" && !ValidRetryAfter(ra) {
		j.fail("retry-after.valid", "Retry-After as an HTTP-date or a number of seconds", fmt.Sprintf("Retry-After: %q", ra))
	}
	if x.Status == 401 {
		challenges := x.RespHdr.Values("WWW-Authenticate")
		if len(challenges) == 0 {
			if j.c.Conformance.WWWAuthenticate == "should" {
				j.warn("www-authenticate.present", "a WWW-Authenticate challenge on 401 (SHOULD under this contract)", "no WWW-Authenticate header")
			} else {
				j.fail("www-authenticate.present", "a WWW-Authenticate challenge on 401", "no WWW-Authenticate header")
			}
		} else if want := s.Expect.Challenge; want != "" && want != plan.NoChallenge && !offers(challenges, want) {
			j.fail("www-authenticate.scheme", "a "+want+" challenge", "WWW-Authenticate: "+strings.Join(challenges, ", "))
		}
	}
	if o := s.Operation; o != nil && x.Method != "HEAD" {
		if r, _ := o.Response(x.Status); r != nil {
			for _, name := range sortedKeys(r.Headers) {
				h := r.Headers[name]
				if h == nil || h.Value == nil || !h.Value.Required || ownRule[http.CanonicalHeaderKey(name)] {
					continue
				}
				if x.RespHdr.Get(name) == "" {
					j.fail("header.required", fmt.Sprintf("a %s header on %d (required by %s)", name, x.Status, o.ID), "no "+name+" header")
				}
			}
		}
	}
}
