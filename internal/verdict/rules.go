// Package verdict judges an exchange against the contract and the scenario's
// expectations. It collects every mismatch, each with its rule id and the
// source of the rule (an RFC section or the contract), so that a spec fails
// once with the whole list.
package verdict

import "sort"

// Rule is one check apiconform applies.
type Rule struct {
	// ID is stable: reports, fault tests and vendors refer to it.
	ID string
	// Source is where the rule comes from.
	Source string
	// Summary says what the rule requires, in a sentence.
	Summary string
}

// Sources of the rules.
const (
	RFC9110     = "RFC 9110"
	SrcContract = "the contract"
)

// rules lists every rule except the per-family status rules, which are
// made by StatusRule.
var rules = map[string]Rule{
	"status.declared":          {"status.declared", "the contract (responses of the operation; default does not count)", "the status is one the operation declares"},
	"content-type.declared":    {"content-type.declared", "the contract (the response's content)", "the Content-Type is one the contract declares for the status"},
	"body.schema":              {"body.schema", "the contract (the response's schema)", "a success body matches its declared schema"},
	"envelope.schema":          {"envelope.schema", "the contract (the error envelope)", "a 4xx or 5xx body is the error envelope"},
	"envelope.echo-method":     {"envelope.echo-method", "the contract (x-conformance envelope.echoMethod)", "the envelope echoes the request method"},
	"envelope.echo-uri":        {"envelope.echo-uri", "the contract (x-conformance envelope.echoUri)", "the envelope echoes the request URI"},
	"allow.present":            {"allow.present", RFC9110 + " section 15.5.6", "a 405 answer carries Allow"},
	"allow.exact":              {"allow.exact", RFC9110 + " section 10.2.1 and the contract's paths", "Allow lists exactly the declared methods (HEAD and OPTIONS tolerated)"},
	"options.allow":            {"options.allow", RFC9110 + " section 9.3.7 (SHOULD) and the contract's paths", "an OPTIONS answer lists the declared methods in Allow"},
	"www-authenticate.present": {"www-authenticate.present", RFC9110 + " section 15.5.2", "a 401 answer carries a WWW-Authenticate challenge"},
	"www-authenticate.scheme":  {"www-authenticate.scheme", RFC9110 + " section 11.6.1 and the contract's security scheme", "the challenge offers the scheme the operation's security requires"},
	"method.head.status":       {"method.head.status", RFC9110 + " section 9.3.2", "HEAD answers the status GET answers"},
	"head.headers":             {"head.headers", RFC9110 + " section 9.3.2", "HEAD answers the Content-Type GET answers"},
	"head.no-body":             {"head.no-body", RFC9110 + " section 9.3.2", "an answer to HEAD carries no content"},
	"no-content.body":          {"no-content.body", RFC9110 + " section 15.3.5", "a 204 answer has no content"},
	"header.required":          {"header.required", "the contract (the response's required headers)", "a header the contract marks required is present"},
	"status.never":             {"status.never", "the contract (x-conformance never)", "the answer's status is not one the contract says the operation never answers"},
	"status.only-on":           {"status.only-on", "the contract (x-conformance statusOnlyOn)", "a status reserved for some operations comes only from them"},
	"envelope.status":          {"envelope.status", "RFC 9457 section 3.1.2 and x-conformance envelope.statusField", "the envelope's status member equals the HTTP status"},
	"cors.allow-origin":        {"cors.allow-origin", "Fetch standard (CORS protocol) and x-conformance cors", "a success echoes the request's Origin in Access-Control-Allow-Origin, never * with credentials"},
	"cors.allow-credentials":   {"cors.allow-credentials", "Fetch standard (CORS protocol) and x-conformance cors", "a success carries Access-Control-Allow-Credentials: true"},
	"cors.allow-methods":       {"cors.allow-methods", "x-conformance cors.allowMethods", "a success lists the contract's methods in Access-Control-Allow-Methods"},
	"cors.allow-headers":       {"cors.allow-headers", "x-conformance cors.allowHeaders", "a success lists the contract's headers in Access-Control-Allow-Headers"},
	"cors.misspelled-header":   {"cors.misspelled-header", "Fetch standard (CORS protocol): no such header", "no misspelt CORS header (Access-Control-Allow-Origins) in place of the real one"},
	"retry-after.valid":        {"retry-after.valid", RFC9110 + " section 10.2.3", "a Retry-After is an HTTP-date or a number of seconds"},
	"state.refuses.mentions":   {"state.refuses.mentions", "the contract (x-conformance states refuses.mentions)", "the error envelope of a refusal names the state"},
	"state.call.header":        {"state.call.header", "the contract (x-conformance states enter/leave headers)", "a state switch answers with the headers the contract gives"},
	"state.check":              {"state.check", "the contract (x-conformance states check)", "after the switch, the target reports the state"},
	"state.restore":            {"state.restore", "the contract (x-conformance states check) and the suite's safety promise", "after leaving a state, the target reports the normal state again"},
	"state.recovers":           {"state.recovers", "the contract (x-conformance states check, maxWait)", "an observed state ends within the contract's wait"},
	"throttling.status":        {"throttling.status", "the contract (x-conformance throttling)", "a burst gets the throttled status the contract gives"},
	"throttling.recovers":      {"throttling.recovers", RFC9110 + " section 10.2.3 and x-conformance throttling", "the target serves again after the advertised delay"},
	"lifecycle.gone":           {"lifecycle.gone", RFC9110 + " section 9.3.5 and the contract", "a deleted resource is not found any more"},
}

// statusSources says where each family's expected status comes from.
var statusSources = map[string]string{
	"method.unsupported":    RFC9110 + " sections 15.5.6 and 15.6.2, and x-conformance unsupportedMethod",
	"mediatype.wrong":       RFC9110 + " section 15.5.16",
	"resource.missing-id":   RFC9110 + " section 15.5.5",
	"resource.unknown-path": RFC9110 + " section 15.5.5",
	"params":                RFC9110 + " section 15.5.1 and the parameter's schema",
	"body":                  RFC9110 + " section 15.5.1 and the request body's schema",
	"credentials":           RFC9110 + " sections 11.6.1 and 15.5.2, and x-conformance failedCredentials",
	"success":               "the contract (the operation's 2xx responses)",
	"scenario":              "the contract (x-conformance scenarios)",
	"state":                 "the contract (x-conformance states)",
	"state.switching":       "the contract (x-conformance states switching) and " + RFC9110 + " section 15.6.4",
	"method.head":           RFC9110 + " section 9.3.2",
	"method.options":        RFC9110 + " section 9.3.7",
}

// StatusRule is the rule a family's expected status is judged by:
// "<family>.status".
func StatusRule(family string) Rule {
	src := statusSources[family]
	if src == "" {
		for prefix, s := range statusSources {
			if len(family) > len(prefix) && family[:len(prefix)+1] == prefix+"." {
				src = s
			}
		}
	}
	if src == "" {
		src = SrcContract
	}
	return Rule{ID: family + ".status", Source: src, Summary: "the status the scenario family requires"}
}

// Lookup returns a rule by id.
func Lookup(id string) (Rule, bool) {
	r, ok := rules[id]
	return r, ok
}

// Rules lists the fixed rules, sorted by id.
func Rules() []Rule {
	out := make([]Rule, 0, len(rules))
	for _, r := range rules {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}
