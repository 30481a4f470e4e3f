// Package catalog is the one list of what apiconform judges: every rule with
// its level and source, and every scenario family with the level and source
// of its status rule. The contract checks x-conformance family names against
// it, the planner and the verdict take levels and sources from it, and the
// README's rules table is generated from it (a test keeps them equal).
package catalog

import (
	"sort"
	"strings"
)

// Level says how binding a rule is, and so whether breaking it fails the
// scenario or only warns.
type Level string

// The levels, from the wording of the rule's source.
const (
	// Must is a requirement RFC 9110 (or another RFC) states with MUST:
	// breaking it fails the scenario.
	Must Level = "MUST"
	// Required is an RFC SHOULD that apiconform holds a target to by
	// default: breaking it fails the scenario. A contract that documents
	// another policy says so in x-conformance.
	Required Level = "SHOULD, required"
	// Should is an RFC or OpenAPI SHOULD: breaking it leaves a warning, a
	// failure only with --strict.
	Should Level = "SHOULD"
	// Contract is a statement of the contract (OpenAPI or x-conformance):
	// breaking it fails the scenario.
	Contract Level = "contract"
)

// Fails tells whether breaking a rule of this level fails a scenario
// without --strict.
func (l Level) Fails() bool { return l != Should }

// Rule is one check apiconform applies.
type Rule struct {
	// ID is stable: reports, fault tests and vendors refer to it.
	ID string
	// Level says whether breaking the rule fails or warns.
	Level Level
	// Source is where the rule comes from: an RFC section or a place in
	// the contract.
	Source string
	// Summary says what the rule requires, in a sentence.
	Summary string
}

// RFC 9110 is the source of most rules; the constant keeps its spelling one.
const RFC9110 = "RFC 9110"

// rules lists every rule except the per-family status rules (see Family).
var rules = []Rule{
	{"status.declared", Contract, "the contract (the operation's responses: an explicit code, a range such as 4XX, or default)", "the status is one the operation's responses cover, unless it is one the scenario expects"},
	{"status.explicit", Should, "OpenAPI 3 Responses Object (documentation is expected to cover the known errors)", "a status the scenario expects is declared by the operation with its code or range, not only through default or not at all"},
	{"server.error", Required, RFC9110 + " section 15.6 (a 5xx says the server failed to perform a valid request)", "no 5xx answer where the scenario expects none (in the operational states and throttling, whose contract rules are about availability, the family's status rule says it)"},
	{"content-type.declared", Contract, "the contract (the response's content)", "the Content-Type is one the contract declares for the status"},
	{"body.schema", Contract, "the contract (the response's schema)", "a success body matches its declared schema"},
	{"envelope.schema", Contract, "the contract (the error response's schema, or x-conformance envelope)", "a 4xx or 5xx body is the error body the contract declares"},
	{"envelope.echo-method", Contract, "the contract (x-conformance envelope.echoMethod)", "the envelope echoes the request method"},
	{"envelope.echo-uri", Contract, "the contract (x-conformance envelope.echoUri)", "the envelope echoes the request URI"},
	{"envelope.status", Contract, "RFC 9457 section 3.1.2 and x-conformance envelope.statusField", "the envelope's status member equals the HTTP status"},
	{"envelope.inferred", Should, "the contract's error responses elsewhere (x-conformance envelope makes them binding on every error)", "an error answer the contract declares no body for (a router's 405 or 404, a status the operation does not declare) carries the error body the operations declare, with its Content-Type"},
	{"allow.present", Must, RFC9110 + " section 15.5.6 (MUST)", "a 405 answer carries Allow"},
	{"allow.exact", Contract, RFC9110 + " section 10.2.1 and the contract's paths", "Allow lists exactly the declared methods (HEAD and OPTIONS tolerated)"},
	{"options.allow", Should, RFC9110 + " section 9.3.7 (SHOULD) and the contract's paths", "a 2xx answer to OPTIONS lists the declared methods in Allow"},
	{"www-authenticate.present", Must, RFC9110 + " section 15.5.2 (MUST)", "a 401 answer carries a WWW-Authenticate challenge"},
	{"www-authenticate.scheme", Contract, RFC9110 + " section 11.6.1 and the contract's security scheme", "the challenge offers the scheme the operation's security requires"},
	{"head.headers", Required, RFC9110 + " section 9.3.2 (SHOULD send the header fields GET would)", "HEAD answers the Content-Type GET answers"},
	{"head.no-body", Must, RFC9110 + " section 9.3.2 (MUST NOT send content)", "an answer to HEAD carries no content"},
	{"no-content.body", Must, RFC9110 + " section 15.3.5 (a 204 cannot contain content)", "a 204 answer has no content"},
	{"header.required", Contract, "the contract (the response's required headers)", "a header the contract marks required is present"},
	{"status.never", Contract, "the contract (x-conformance never)", "the answer's status is not one the contract says the operation never answers"},
	{"status.only-on", Contract, "the contract (x-conformance statusOnlyOn)", "a status reserved for some operations comes only from them"},
	{"cors.allow-origin", Contract, "Fetch standard (CORS protocol) and x-conformance cors", "a success echoes the request's Origin in Access-Control-Allow-Origin, never * with credentials"},
	{"cors.allow-credentials", Contract, "Fetch standard (CORS protocol) and x-conformance cors", "a success carries Access-Control-Allow-Credentials: true"},
	{"cors.allow-methods", Contract, "x-conformance cors.allowMethods", "a success lists the contract's methods in Access-Control-Allow-Methods"},
	{"cors.allow-headers", Contract, "x-conformance cors.allowHeaders", "a success lists the contract's headers in Access-Control-Allow-Headers"},
	{"cors.misspelled-header", Should, "Fetch standard (CORS protocol): no such header", "no misspelt CORS header (Access-Control-Allow-Origins) in place of the real one"},
	{"retry-after.valid", Must, RFC9110 + " section 10.2.3 (the field's grammar)", "a Retry-After is an HTTP-date or a number of seconds"},
	{"state.refuses.mentions", Contract, "the contract (x-conformance states refuses.mentions)", "the error envelope of a refusal names the state"},
	{"state.call.header", Contract, "the contract (x-conformance states enter/leave headers)", "a state switch answers with the headers the contract gives"},
	{"state.check", Contract, "the contract (x-conformance states check)", "after the switch, the target reports the state"},
	{"state.restore", Contract, "the contract (x-conformance states check) and the suite's safety promise", "after leaving a state, the target reports the normal state again"},
	{"state.recovers", Contract, "the contract (x-conformance states check, maxWait)", "an observed state ends within the contract's wait"},
	{"throttling.recovers", Contract, RFC9110 + " section 10.2.3 and x-conformance throttling", "the target serves again after the advertised delay"},
	{"lifecycle.gone", Required, RFC9110 + " section 9.3.5 and the contract", "a deleted resource is not found any more"},
}

// Family is a scenario family: what the suite sends, and the rule its
// expected status is judged by ("<name>.status").
type Family struct {
	// Name is the family, or one kind of a family ("params.missing").
	Name string
	// Level is the level of the status rule.
	Level Level
	// Source is where the expected status comes from.
	Source string
	// Sends says what the scenarios send, in a phrase.
	Sends string
}

// The sources of the families' expected statuses.
const (
	srcBadRequest = RFC9110 + " section 15.5.1 (400), or a 422 the operation declares (section 15.5.21)"
)

// families lists every family and kind a contract may name in x-conformance
// skip and status. A group ("params") names all its kinds.
var families = []Family{
	{"method.unsupported", Required, RFC9110 + " section 9.1 (SHOULD: 405 for a method the resource does not allow, 501 for one the server does not implement) and x-conformance unsupportedMethod", "each of GET, POST, PUT, PATCH, DELETE a path does not declare"},
	{"mediatype.wrong", Required, RFC9110 + " section 15.5.16 (415)", "a valid body with a Content-Type the operation does not declare"},
	{"resource.missing-id", Required, RFC9110 + " section 15.5.5 (404), or a 410 the operation declares (section 15.5.11)", "an id the parameter's schema accepts but no resource has"},
	{"resource.unknown-path", Required, RFC9110 + " section 15.5.5 (404)", "a path the contract does not have"},
	{"params.missing", Required, srcBadRequest, "a required query or header parameter left out"},
	{"params.wrong-type", Required, srcBadRequest, "a parameter value of the wrong type"},
	{"params.out-of-range", Required, srcBadRequest, "a parameter value past its minimum, maximum, length or enum"},
	{"body.malformed", Required, srcBadRequest, "malformed JSON, and valid JSON followed by other data"},
	{"body.missing", Required, srcBadRequest, "no body where the request body is required"},
	{"body.missing-property", Required, srcBadRequest, "the valid body without a required property"},
	{"body.wrong-type", Required, srcBadRequest, "the valid body with a property of the wrong type"},
	{"body.null-property", Required, srcBadRequest, "the valid body with a required, non-nullable property set to null"},
	{"body.unknown-property", Required, srcBadRequest + "; the schema's additionalProperties: false", "the valid body with a property the schema forbids"},
	{"credentials.missing", Required, RFC9110 + " sections 11.6.1 and 15.5.2 (401), or a 403 the operation declares without 401; x-conformance failedCredentials", "the valid request without credentials"},
	{"credentials.invalid", Required, RFC9110 + " sections 11.6.1 and 15.5.2 (401), or a 403 the operation declares without 401; x-conformance failedCredentials", "the valid request with credentials that cannot be valid"},
	{"method.head", Must, RFC9110 + " section 9.3.2", "HEAD where GET is declared"},
	{"method.options", Should, RFC9110 + " section 9.3.7 (a 2xx with Allow; a 405 with Allow or a 501 where OPTIONS is not supported)", "OPTIONS on each path"},
	{"success", Contract, "the contract (the operation's 2xx responses)", "the request built from the contract's examples"},
	{"scenario", Contract, "the contract (x-conformance scenarios)", "a scenario the contract defines"},
	{"state", Contract, "the contract (x-conformance states)", "the calls and checks of an operational state"},
	{"state.switching", Contract, "the contract (x-conformance states switching) and " + RFC9110 + " section 15.6.4", "requests while a state switch is under way"},
	{"throttling", Contract, "the contract (x-conformance throttling)", "a burst of requests"},
}

// Rules lists the fixed rules, sorted by id.
func Rules() []Rule {
	out := append([]Rule(nil), rules...)
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Families lists the families and kinds, in catalogue order.
func Families() []Family { return append([]Family(nil), families...) }

var byID = func() map[string]Rule {
	m := make(map[string]Rule, len(rules))
	for _, r := range rules {
		m[r.ID] = r
	}
	return m
}()

// Lookup returns a fixed rule, or the status rule of a family
// ("params.missing.status"), by id.
func Lookup(id string) (Rule, bool) {
	if r, ok := byID[id]; ok {
		return r, true
	}
	if fam, ok := strings.CutSuffix(id, ".status"); ok {
		if f, ok := FamilyOf(fam); ok {
			return StatusRule(f), true
		}
	}
	return Rule{}, false
}

// FamilyOf finds a family by name, or by the family it is a kind of: the
// scenario "scenario.retired-id" belongs to "scenario", "state.enter" to
// "state".
func FamilyOf(name string) (Family, bool) {
	for n := name; n != ""; {
		for _, f := range families {
			if f.Name == n {
				return f, true
			}
		}
		i := strings.LastIndexByte(n, '.')
		if i < 0 {
			break
		}
		n = n[:i]
	}
	return Family{}, false
}

// StatusRule is the rule a family's expected status is judged by.
func StatusRule(f Family) Rule {
	return Rule{ID: f.Name + ".status", Level: f.Level, Source: f.Source, Summary: "the status " + f.Sends + " must get"}
}

// Nameable tells whether x-conformance skip and status may name a family:
// a family or kind of the catalogue, or a group of them ("params",
// "method"). Contract scenarios are named by the contract itself
// ("scenario.NAME") and are checked where the operation is known.
func Nameable(name string) bool {
	for _, f := range families {
		if f.Name == name || strings.HasPrefix(f.Name, name+".") {
			return true
		}
	}
	return false
}

// Nameables lists what x-conformance skip and status may name, sorted: for
// an error message that offers the right spelling.
func Nameables() []string {
	seen := map[string]bool{}
	for _, f := range families {
		seen[f.Name] = true
		if g, _, ok := strings.Cut(f.Name, "."); ok {
			seen[g] = true
		}
	}
	out := make([]string, 0, len(seen))
	for n := range seen {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}
