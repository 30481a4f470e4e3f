package plan

import (
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"

	"github.com/apiconform/apiconform/internal/catalog"
	"github.com/apiconform/apiconform/internal/contract"
)

// Generator derives the scenarios of one or more families of the
// catalogue. Each registers from its own file, so that adding a family
// touches no other file here.
type Generator struct {
	// Families are the catalogue families its scenarios carry (a contract
	// scenario carries "scenario.NAME", a kind of catalog.Scenario).
	Families []catalog.Family
	// Order places the family's scenarios in the run; lower runs first.
	Order int
	// Generate returns the family's scenarios for a contract.
	Generate func(b *Builder) []*Scenario
}

var generators []Generator

func register(g Generator) {
	generators = append(generators, g)
	sort.SliceStable(generators, func(i, j int) bool { return generators[i].Order < generators[j].Order })
}

// Families lists the families the generators make, in run order: the
// catalogue's, but for those the state and throttling flows make.
func Families() []string {
	var out []string
	for _, g := range generators {
		for _, f := range g.Families {
			out = append(out, f.ID)
		}
	}
	return out
}

// Build plans every scenario of a contract.
func Build(c *contract.Contract) (*Plan, error) {
	b := &Builder{C: c}
	p := &Plan{Contract: c}
	for _, g := range generators {
		p.Scenarios = append(p.Scenarios, g.Generate(b)...)
	}
	var notSent []*Scenario
	p.Lifecycles, notSent = lifecycles(b)
	p.Scenarios = append(p.Scenarios, notSent...)
	p.States = stateFlows(b)
	p.Throttle = throttleFlow(b)
	markExisting(b, p)
	seen := map[string]bool{}
	for _, s := range p.All() {
		if seen[s.Name] {
			return nil, fmt.Errorf("plan: two scenarios are named %q", s.Name)
		}
		seen[s.Name] = true
	}
	return p, nil
}

// Builder gives the generators what they share: the contract, the requests
// that reach an operation, and the expectations of an error answer.
type Builder struct {
	C *contract.Contract
}

// Label turns an operation id or family into a Ginkgo label: labels may not
// hold & | ! , ( ) / or spaces.
func Label(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case '&', '|', '!', ',', '(', ')', '/', ' ', '{', '}':
			return '_'
		}
		return r
	}, s)
}

// newScenario fills what every scenario of an operation shares: its id, its
// name, its labels and an x-conformance skip or status override.
func (b *Builder) newScenario(o *contract.Operation, family, detail, expectation string, req Request, exp Expect) *Scenario {
	subject := o.ID
	s := &Scenario{
		Family:    family,
		Subject:   subject,
		Operation: o,
		Request:   req,
		Expect:    exp,
	}
	s.Labels = labelsFor(family, o.ID)
	if reason, skip := o.Skipped(family); skip {
		s.Skip = "x-conformance skip: " + reason
	}
	b.applyPolicy(s, detail, expectation)
	return s
}

// newPathScenario is newScenario for scenarios aimed at a path rather than
// a declared operation.
func (b *Builder) newPathScenario(path, family, detail, expectation string, req Request, exp Expect) *Scenario {
	s := &Scenario{Family: family, Subject: path, Request: req, Expect: exp}
	s.Labels = labelsFor(family, "")
	b.applyPolicy(s, detail, expectation)
	return s
}

// applyPolicy puts the statuses the contract states for the family
// (x-conformance status) in place of the RFC's, and names the scenario by
// what it then expects.
func (b *Builder) applyPolicy(s *Scenario, detail, expectation string) {
	st, where, ok := b.C.StatusFor(s.Operation, s.Family)
	if !ok || s.Expect.SameAsGet || s.Expect.Gone {
		s.name(detail, expectation)
		return
	}
	if old := statusWords(s.Expect.Status); old != "" && strings.Contains(expectation, old) {
		expectation = strings.Replace(expectation, old, statusWords(st), 1)
	} else {
		expectation = "answers " + statusWords(st)
	}
	s.Expect.Status = st
	s.Expect.StatusClass = 0
	s.Expect.Tolerated = nil
	s.Expect.StatusSource = where
	if !slices.Contains(st, http.StatusMethodNotAllowed) {
		s.Expect.Allow = nil
	}
	s.name(detail, expectation)
}

// alike is the RFC's statuses for a family plus those of the same meaning
// that the operation declares with their own code: a 422 for a request
// that does not validate, a 410 for a resource that is gone. An operation
// that documents 422 may answer it where RFC 9110 says 400.
func alike(o *contract.Operation, rfc []int, same ...int) []int {
	out := append([]int(nil), rfc...)
	for _, st := range same {
		if o != nil && o.Declares(st) && !slices.Contains(out, st) {
			out = append(out, st)
		}
	}
	return out
}

func (s *Scenario) name(detail, expectation string) {
	parts := []string{s.Subject, "[" + s.Family + "]"}
	if detail != "" {
		parts = append(parts, detail)
	}
	parts = append(parts, expectation)
	s.Name = strings.Join(parts, " ")
	id := s.Subject + " " + s.Family
	if detail != "" {
		id += " " + detail
	}
	s.ID = idSafe(id)
}

// idSafe keeps an id to the characters a header value and a file name take.
func idSafe(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' {
			return '_'
		}
		return r
	}, s)
}

func labelsFor(family, opID string) []string {
	labels := []string{Label(family)}
	if group, _, ok := strings.Cut(family, "."); ok {
		labels = append(labels, Label(group))
	}
	if opID != "" {
		labels = append(labels, Label(opID))
	}
	return labels
}

// statusWords writes a status list as a spec name says it: "404", "400 or 404".
func statusWords(st []int) string {
	words := make([]string, len(st))
	for i, s := range st {
		words[i] = fmt.Sprint(s)
	}
	return strings.Join(words, " or ")
}

// errorExpect is the expectation of an error answer: one of the statuses,
// with the error envelope when the contract has one.
func (b *Builder) errorExpect(status ...int) Expect {
	return Expect{Status: status, Envelope: b.C.Conformance.Envelope.Ref != nil, Challenge: NoChallenge}
}

// errorWords says what an error expectation requires, for a spec name.
func (b *Builder) errorWords(status ...int) string {
	w := "answers " + statusWords(status)
	if b.C.Conformance.Envelope.Ref != nil {
		w += " with the error envelope"
	}
	return w
}
