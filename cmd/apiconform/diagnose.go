package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"

	"github.com/apiconform/apiconform/internal/catalog"
	"github.com/apiconform/apiconform/internal/contract"
	"github.com/apiconform/apiconform/internal/plan"
	"github.com/apiconform/apiconform/internal/probe"
	"github.com/apiconform/apiconform/internal/verdict"
	"github.com/apiconform/apiconform/suites/conformance"
)

// Before the scenarios run, a pre-flight checks the run's own setup: a
// wrong base path or credentials that do not work would otherwise show as
// one failure per scenario, each blaming the target. It sends, through the
// run's client, some of the run's own happy paths of GET operations whose
// ids are known (or that take none): their answers are the success
// scenarios' own, judged by the suite and not sent again, so a run sends
// nothing it would not have sent (but for one GET that tries another base
// path when the one given looks wrong).
//
// The thresholds, as the README documents them:
//   - the base path is probably wrong when every pre-flight GET that got
//     an answer (at least one) answered 404, and either one of them takes
//     no id (a collection exists whatever the data) or the same GET finds
//     its resource under another base path (no base path, or the
//     contract's when --base-path replaced it); 404s of known ids alone
//     may be stale ids;
//   - the credentials of a security scheme were refused when every
//     pre-flight GET of a secured operation that sent them (at least one)
//     answered 401 or 403;
//   - credentials are missing when a secured operation needs a scheme the
//     run was given nothing for (known without a request).

// preflightMax bounds the GETs of the pre-flight: a filtered run of a
// large contract must not send a hundred requests it will not judge.
const preflightMax = 16

// preflight is what the pre-flight learnt, for the suite.
type preflight struct {
	diagnosis *verdict.Diagnosis
	// sent are the pre-flight exchanges by scenario id.
	sent map[string]*probe.Exchange
}

// lines are the diagnosis in words, the base path first.
func (p *preflight) lines() []string { return p.diagnosis.Lines() }

// diagnose runs the pre-flight with the scenarios the run will send (of
// its shard, under its label filter and focus) and prints each finding on
// stderr in one line.
func diagnose(client *probe.Client, p *plan.Plan, o *runOptions, target *url.URL, stderr io.Writer) *preflight {
	c := p.Contract
	d := &verdict.Diagnosis{Credentials: missingCredentials(c, o)}
	picked := preflightScenarios(conformance.Selected(p, o.labelFilter, o.focus), preflightMax)
	sent := sendAll(client, picked, o.concurrency)
	out := &preflight{diagnosis: d, sent: map[string]*probe.Exchange{}}
	for i, s := range picked {
		out.sent[s.ID] = sent[i]
	}
	if n := notFoundEverywhere(sent); n > 0 {
		d.BasePath = basePathLine(client, picked, sent, n, o, target, c)
	} else {
		for scheme, why := range refusedCredentials(c, o, picked, sent) {
			d.Credentials[scheme] = why
		}
	}
	red := client.Redactor()
	for _, line := range d.Lines() {
		fmt.Fprintf(stderr, "apiconform run: %s\n", red.String(line))
	}
	return out
}

// preflightScenarios picks, of the scenarios a run sends, the GET happy
// paths that can be sent as they are: first one per set of security
// schemes, so that each scheme's credentials are tried, then those whose
// path takes no id (a collection exists whatever the data), then the rest
// in plan order.
func preflightScenarios(sends []*plan.Scenario, limit int) []*plan.Scenario {
	var candidates []*plan.Scenario
	for _, s := range sends {
		if s.Family == catalog.Success.ID && s.Phase == plan.PhaseStateless && s.Skip == "" && s.Request.Method == http.MethodGet {
			candidates = append(candidates, s)
		}
	}
	var out []*plan.Scenario
	taken := map[*plan.Scenario]bool{}
	take := func(s *plan.Scenario) {
		if !taken[s] && len(out) < limit {
			taken[s] = true
			out = append(out, s)
		}
	}
	schemeSets := map[string]bool{}
	for _, s := range candidates {
		if key := schemeKey(s.Request.Schemes); key != "" && !schemeSets[key] {
			schemeSets[key] = true
			take(s)
		}
	}
	for _, s := range candidates {
		if len(s.Request.PathParams) == 0 {
			take(s)
		}
	}
	for _, s := range candidates {
		take(s)
	}
	return out
}

func schemeKey(schemes []*contract.Scheme) string {
	names := make([]string, len(schemes))
	for i, s := range schemes {
		names[i] = s.Name
	}
	return strings.Join(names, "+")
}

// sendAll sends the scenarios' requests, at most workers at once, under
// the run's rate, and returns their exchanges in the scenarios' order.
func sendAll(client *probe.Client, scenarios []*plan.Scenario, workers int) []*probe.Exchange {
	out := make([]*probe.Exchange, len(scenarios))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(max(workers, 1), len(scenarios)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				req := scenarios[i].Request.Clone()
				out[i] = client.Do(context.Background(), scenarios[i].ID, &req)
			}
		}()
	}
	for i := range scenarios {
		next <- i
	}
	close(next)
	wg.Wait()
	return out
}

// answered tells whether an exchange says something of the target: an
// answer, and not a throttled one.
func answered(x *probe.Exchange) bool {
	return x != nil && x.Err == nil && x.Status != http.StatusTooManyRequests
}

// notFoundEverywhere counts the answers when every one is 404, else 0.
func notFoundEverywhere(xs []*probe.Exchange) int {
	n := 0
	for _, x := range xs {
		if !answered(x) {
			continue
		}
		if x.Status != http.StatusNotFound {
			return 0
		}
		n++
	}
	return n
}

// basePathLine says the base path is probably wrong, where the run looked
// and what would fix it, or "" when the 404s may as well be stale ids. It
// tries the other base paths the run knows of (none at all, and the
// contract's own when --base-path replaced it) with the first GET that
// answered 404: one that finds the resource there is named as the fix.
func basePathLine(client *probe.Client, picked []*plan.Scenario, sent []*probe.Exchange, n int, o *runOptions, target *url.URL, c *contract.Contract) string {
	red := client.Redactor()
	collection := false
	for i, s := range picked {
		if answered(sent[i]) && len(s.Request.PathParams) == 0 {
			collection = true
		}
	}
	line := fmt.Sprintf("every GET of a known resource answered 404 under %s (%d sent): the base path is probably wrong", red.URL(client.Target()), n)
	declared := "the contract's servers say " + o.basePath.declared
	if o.basePath.declared == "" {
		declared = "the contract's servers name none"
	}
	if o.basePath.given() {
		declared = "--base-path " + o.basePath.path + " was given; " + declared
	}
	first := -1
	for i, x := range sent {
		if answered(x) {
			first = i
			break
		}
	}
	for _, alt := range []string{"", o.basePath.declared} {
		if first < 0 || alt == c.BasePath {
			continue
		}
		at := joinBase(target, alt)
		if at.String() == client.Target().String() {
			continue
		}
		req := picked[first].Request.Clone()
		x := client.At(at).Do(context.Background(), picked[first].ID, &req)
		if !answered(x) || x.Status == http.StatusNotFound {
			continue
		}
		flag := alt
		if flag == "" {
			flag = "/"
		}
		return fmt.Sprintf("%s; set --base-path %s (GET %s answered %d; %s)", line, flag, red.URL(x.URL), x.Status, declared)
	}
	if !collection {
		return ""
	}
	return fmt.Sprintf("%s; set --base-path to the path the target serves the contract's paths under (%s)", line, declared)
}

// joinBase joins a base path to the target as the run does.
func joinBase(target *url.URL, base string) *url.URL {
	c := &contract.Contract{BasePath: base}
	return c.JoinBase(target)
}

// credentialState is what the run was given for a security scheme.
type credentialState int

const (
	credentialsGiven credentialState = iota
	credentialsMissing
	// credentialsUnknown: a scheme whose credentials the run cannot
	// carry or tell (an apiKey in the query, mutual TLS).
	credentialsUnknown
)

// credentialFlag says which flag carries a scheme's credentials, with a
// placeholder for its value, and whether the run was given it.
func credentialFlag(s *contract.Scheme, o *runOptions) (flag string, state credentialState) {
	state = credentialsMissing
	switch s.Kind {
	case contract.KindBasic:
		if o.basicAuth != "" {
			state = credentialsGiven
		}
		return "--basic-auth USER:PASS", state
	case contract.KindBearer:
		if o.bearer != "" {
			state = credentialsGiven
		}
		return "--bearer-token TOKEN", state
	case contract.KindAPIKey:
		switch s.In {
		case "header":
			for _, h := range o.headers {
				if name, _, _ := strings.Cut(h, ":"); strings.EqualFold(strings.TrimSpace(name), s.Param) {
					state = credentialsGiven
				}
			}
			return fmt.Sprintf("--header '%s: KEY'", s.Param), state
		case "cookie":
			for _, h := range o.headers {
				if name, val, _ := strings.Cut(h, ":"); strings.EqualFold(strings.TrimSpace(name), "Cookie") && strings.Contains(val, s.Param+"=") {
					state = credentialsGiven
				}
			}
			return fmt.Sprintf("--header 'Cookie: %s=KEY'", s.Param), state
		}
	}
	return "", credentialsUnknown
}

// flagName is a credential flag without its placeholder: --bearer-token,
// --header X-Api-Key.
func flagName(flag string) string {
	name, rest, _ := strings.Cut(flag, " ")
	if name == "--header" {
		h, _, _ := strings.Cut(strings.Trim(rest, "'"), ":")
		return name + " " + h
	}
	return name
}

// missingCredentials diagnoses, by scheme, the secured operations whose
// security requirement names a scheme the run was given nothing for.
func missingCredentials(c *contract.Contract, o *runOptions) map[string]string {
	missing := map[string]string{} // scheme name -> its flag
	ops := 0
	for _, op := range c.Operations {
		if !c.Secured(op) {
			continue
		}
		lacks := false
		for _, s := range c.SchemesOf(op) {
			if flag, state := credentialFlag(s, o); state == credentialsMissing {
				missing[s.Name] = flag
				lacks = true
			}
		}
		if lacks {
			ops++
		}
	}
	if ops == 0 {
		return map[string]string{}
	}
	var flags []string
	seen := map[string]bool{}
	for _, f := range missing {
		if !seen[f] {
			seen[f] = true
			flags = append(flags, f)
		}
	}
	sort.Strings(flags)
	what := "operations"
	if ops == 1 {
		what = "operation"
	}
	why := fmt.Sprintf("no credentials for %d secured %s: give %s", ops, what, strings.Join(flags, " and "))
	out := map[string]string{}
	for name := range missing {
		out[name] = why
	}
	return out
}

// refusedCredentials diagnoses, by scheme, credentials the target refused
// on every pre-flight GET of a secured operation that sent them all.
func refusedCredentials(c *contract.Contract, o *runOptions, picked []*plan.Scenario, sent []*probe.Exchange) map[string]string {
	type evidence struct {
		refused, seen int
		first         string
	}
	by := map[string]*evidence{}
	var order []string
	for i, s := range picked {
		x := sent[i]
		if s.Operation == nil || !c.Secured(s.Operation) || len(s.Request.Schemes) == 0 || !answered(x) {
			continue
		}
		var flags []string
		all := true
		for _, sc := range s.Request.Schemes {
			flag, state := credentialFlag(sc, o)
			if state != credentialsGiven {
				all = false
				break
			}
			flags = append(flags, flagName(flag))
		}
		if !all {
			continue
		}
		refused := x.Status == http.StatusUnauthorized || x.Status == http.StatusForbidden
		for _, sc := range s.Request.Schemes {
			e := by[sc.Name]
			if e == nil {
				e = &evidence{}
				by[sc.Name] = e
				order = append(order, sc.Name)
			}
			e.seen++
			if refused {
				e.refused++
				if e.first == "" {
					e.first = fmt.Sprintf("the credentials were refused: GET %s answered %d with the %s given", s.Request.URLPath(), x.Status, strings.Join(flags, " and "))
				}
			}
		}
	}
	out := map[string]string{}
	for _, name := range order {
		if e := by[name]; e.seen > 0 && e.refused == e.seen {
			out[name] = e.first
		}
	}
	return out
}
