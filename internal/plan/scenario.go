// Package plan derives scenarios from a contract: for each operation and
// each scenario family, the request to send and what the contract says must
// come back. Planning is deterministic: the same contract gives the same
// scenarios, in the same order, with the same names.
package plan

import (
	"net/http"
	"net/url"
	"sort"
	"strings"

	"github.com/apiconform/apiconform/internal/contract"
)

// Auth says which credentials a request carries.
type Auth int

// The credentials a scenario sends.
const (
	// AuthValid sends the credentials the run was given.
	AuthValid Auth = iota
	// AuthNone sends no credentials at all.
	AuthNone
	// AuthInvalid sends credentials of the right kind that cannot be valid.
	AuthInvalid
)

// Phase orders scenarios: stateless ones first, then the writes lifecycles.
type Phase int

// The phases of a run, in the order they run.
const (
	PhaseStateless Phase = iota
	PhaseWrites
	// PhaseDisruptive holds the scenarios that change the target's state
	// (operational states, throttling); they run last, serially.
	PhaseDisruptive
)

// Request is what a scenario sends, relative to the target's base URL.
type Request struct {
	Method string
	// Path is the path template; PathParams fills it.
	Path       string
	PathParams map[string]string
	Query      url.Values
	Header     http.Header
	// Body is sent as is; ContentType, when set, is its Content-Type.
	Body        []byte
	ContentType string
	Auth        Auth
	// Schemes are the security schemes whose credentials the request
	// carries (or deliberately lacks).
	Schemes []*contract.Scheme
}

// URLPath fills the path template with the path parameters, escaped.
func (r *Request) URLPath() string {
	var b strings.Builder
	rest := r.Path
	for {
		open := strings.IndexByte(rest, '{')
		if open < 0 {
			b.WriteString(rest)
			return b.String()
		}
		end := strings.IndexByte(rest[open:], '}')
		if end < 0 {
			b.WriteString(rest)
			return b.String()
		}
		name := rest[open+1 : open+end]
		b.WriteString(rest[:open])
		b.WriteString(url.PathEscape(r.PathParams[name]))
		rest = rest[open+end+1:]
	}
}

// Clone copies a request so that a lifecycle step can fill in its own ids.
func (r Request) Clone() Request {
	c := r
	c.PathParams = map[string]string{}
	for k, v := range r.PathParams {
		c.PathParams[k] = v
	}
	c.Query = url.Values{}
	for k, v := range r.Query {
		c.Query[k] = append([]string(nil), v...)
	}
	c.Header = r.Header.Clone()
	if c.Header == nil {
		c.Header = http.Header{}
	}
	return c
}

// Expect is what the contract says must come back.
type Expect struct {
	// Status lists the acceptable statuses; when empty, any status of
	// StatusClass (2 for 2xx) is acceptable.
	Status      []int
	StatusClass int
	// Tolerated statuses pass with a warning of the family's status rule:
	// a 400 the operation declares, answered to an undeclared media type
	// where RFC 9110 prefers 415.
	Tolerated []int
	// StatusSource, when set, says the contract states the statuses
	// (x-conformance status) in place of the RFC: the status rule is then
	// the contract's.
	StatusSource string
	// Envelope requires the error envelope as the body.
	Envelope bool
	// Allow, when not nil, is the exact set of methods an Allow header must
	// list (HEAD and OPTIONS tolerated besides).
	Allow []string
	// Challenge requires a WWW-Authenticate header; when not "-", it names
	// the auth-scheme the challenge must offer ("" for any).
	Challenge string
	// NoBody requires an empty body.
	NoBody bool
	// SameAsGet compares a HEAD answer with the GET answer of the same URL.
	SameAsGet bool
	// Gone is set on the read after a delete: the suite expects 404.
	Gone bool
	// Mentions is a word the error envelope must contain.
	Mentions string
}

// NoChallenge is Expect.Challenge when no WWW-Authenticate is required.
const NoChallenge = "-"

// Scenario is one request and its expectations: one spec, one testcase.
type Scenario struct {
	// ID is stable and unique, and is sent as X-Apiconform-Scenario.
	ID string
	// Name is the spec's text: a sentence that names the subject, the
	// family and the expectation.
	Name string
	// Family is the scenario kind, such as "resource.missing-id".
	Family string
	// Subject is the operation id, or the path for path-level scenarios.
	Subject string
	// Operation is the contract operation, nil for scenarios aimed at no
	// declared operation (an unsupported method, an unknown path).
	Operation *contract.Operation
	Request   Request
	Expect    Expect
	Labels    []string
	Phase     Phase
	// Skip, when set, says why the scenario cannot run against this contract
	// (no value to build the request from, an x-conformance skip).
	Skip string
	// Invented names the path parameters whose ids the suite made up
	// (nil when none): a 404 then cannot be blamed on the target.
	Invented []string
	// Existing is set on a PUT, PATCH or DELETE outside the writes
	// lifecycles whose URL names a resource the contract says exists:
	// every path parameter carries its known value (--value, x-conformance
	// values, an example), or the path has none. A target that wrongly
	// accepted it would change data the suite did not make.
	Existing bool
}

// Lifecycle is an ordered series of writes on a resource the suite creates
// itself: create, read back, update, other writes, delete, read again.
type Lifecycle struct {
	// Name is the container's text, such as "profiles lifecycle".
	Name string
	// IDParam is the item path's parameter that the created id fills.
	IDParam string
	// Create makes the resource; Delete removes it and is also the cleanup.
	Create, Delete *Scenario
	// Steps run between create and delete, in order.
	Steps []*Scenario
	// Gone reads the resource after the delete and expects 404.
	Gone *Scenario
}

// Plan is every scenario of a contract, in run order.
type Plan struct {
	Contract   *contract.Contract
	Scenarios  []*Scenario
	Lifecycles []*Lifecycle
	States     []*StateFlow
	Throttle   *ThrottleFlow
}

// All lists every scenario, lifecycle steps included, in run order.
func (p *Plan) All() []*Scenario {
	out := append([]*Scenario(nil), p.Scenarios...)
	for _, l := range p.Lifecycles {
		out = append(out, l.Create)
		out = append(out, l.Steps...)
		out = append(out, l.Delete)
		if l.Gone != nil {
			out = append(out, l.Gone)
		}
	}
	for _, f := range p.States {
		out = append(out, f.Scenarios()...)
	}
	if p.Throttle != nil {
		out = append(out, p.Throttle.Burst, p.Throttle.Recover)
	}
	return out
}

// Labels lists every label the plan uses, sorted.
func (p *Plan) Labels() []string {
	seen := map[string]bool{}
	for _, s := range p.All() {
		for _, l := range s.Labels {
			seen[l] = true
		}
	}
	out := make([]string, 0, len(seen))
	for l := range seen {
		out = append(out, l)
	}
	sort.Strings(out)
	return out
}
