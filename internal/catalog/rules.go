package catalog

// The fixed rules: every rule but the families' status rules (see
// families.go). Each variable is the rule other packages name it by; rule
// lists it.
var (
	StatusDeclared = rule("status.declared", Contract,
		"the contract (the operation's responses: an explicit code, a range such as 4XX, or default)",
		"the status is one the operation's responses cover, unless it is one the scenario expects")
	StatusExplicit = rule("status.explicit", Should,
		"OpenAPI 3 Responses Object (documentation is expected to cover the known errors)",
		"a status the scenario expects is declared by the operation with its code or range, not only through default or not at all")
	ServerError = rule("server.error", Required,
		RFC9110+" section 15.6 (a 5xx says the server failed to perform a valid request)",
		"no 5xx answer where the scenario expects none (in the operational states and throttling, whose contract rules are about availability, the family's status rule says it)")
	ContentTypeDeclared = rule("content-type.declared", Contract,
		"the contract (the response's content)",
		"the Content-Type is one the contract declares for the status")
	BodySchema = rule("body.schema", Contract,
		"the contract (the response's schema)",
		"a success body matches its declared schema")
	EnvelopeSchema = rule("envelope.schema", Contract,
		"the contract (the error response's schema, or x-conformance envelope)",
		"a 4xx or 5xx body is the error body the contract declares")
	EnvelopeEchoMethod = rule("envelope.echo-method", Contract,
		"the contract (x-conformance envelope.echoMethod)",
		"the envelope echoes the request method")
	EnvelopeEchoURI = rule("envelope.echo-uri", Contract,
		"the contract (x-conformance envelope.echoUri)",
		"the envelope echoes the request URI")
	EnvelopeStatus = rule("envelope.status", Contract,
		"RFC 9457 section 3.1.2 and x-conformance envelope.statusField",
		"the envelope's status member equals the HTTP status")
	EnvelopeInferred = rule("envelope.inferred", Should,
		"the contract's error responses elsewhere (x-conformance envelope makes them binding on every error)",
		"an error answer the contract declares no body for (a router's 405 or 404, a status the operation does not declare) carries the error body the operations declare, with its Content-Type")
	AllowPresent = rule("allow.present", Must,
		RFC9110+" section 15.5.6 (MUST)",
		"a 405 answer carries Allow")
	AllowExact = rule("allow.exact", Contract,
		RFC9110+" section 10.2.1 and the contract's paths",
		"Allow lists exactly the declared methods (HEAD and OPTIONS tolerated)")
	OptionsAllow = rule("options.allow", Should,
		RFC9110+" section 9.3.7 (SHOULD) and the contract's paths",
		"a 2xx answer to OPTIONS lists the declared methods in Allow")
	WWWAuthenticatePresent = rule("www-authenticate.present", Must,
		RFC9110+" section 15.5.2 (MUST)",
		"a 401 answer carries a WWW-Authenticate challenge")
	WWWAuthenticateScheme = rule("www-authenticate.scheme", Contract,
		RFC9110+" section 11.6.1 and the contract's security scheme",
		"the challenge offers the scheme the operation's security requires")
	HeadHeaders = rule("head.headers", Required,
		RFC9110+" section 9.3.2 (SHOULD send the header fields GET would)",
		"HEAD answers the Content-Type GET answers")
	HeadNoBody = rule("head.no-body", Must,
		RFC9110+" section 9.3.2 (MUST NOT send content)",
		"an answer to HEAD carries no content")
	NoContentBody = rule("no-content.body", Must,
		RFC9110+" section 15.3.5 (a 204 cannot contain content)",
		"a 204 answer has no content")
	HeaderRequired = rule("header.required", Contract,
		"the contract (the response's required headers)",
		"a header the contract marks required is present")
	StatusNever = rule("status.never", Contract,
		"the contract (x-conformance never)",
		"the answer's status is not one the contract says the operation never answers")
	StatusOnlyOn = rule("status.only-on", Contract,
		"the contract (x-conformance statusOnlyOn)",
		"a status reserved for some operations comes only from them")
	CORSAllowOrigin = rule("cors.allow-origin", Contract,
		"Fetch standard (CORS protocol) and x-conformance cors",
		"a success echoes the request's Origin in Access-Control-Allow-Origin, never * with credentials")
	CORSAllowCredentials = rule("cors.allow-credentials", Contract,
		"Fetch standard (CORS protocol) and x-conformance cors",
		"a success carries Access-Control-Allow-Credentials: true")
	CORSAllowMethods = rule("cors.allow-methods", Contract,
		"x-conformance cors.allowMethods",
		"a success lists the contract's methods in Access-Control-Allow-Methods")
	CORSAllowHeaders = rule("cors.allow-headers", Contract,
		"x-conformance cors.allowHeaders",
		"a success lists the contract's headers in Access-Control-Allow-Headers")
	CORSMisspelledHeader = rule("cors.misspelled-header", Should,
		"Fetch standard (CORS protocol): no such header",
		"no misspelt CORS header (Access-Control-Allow-Origins) in place of the real one")
	RetryAfterValid = rule("retry-after.valid", Must,
		RFC9110+" section 10.2.3 (the field's grammar)",
		"a Retry-After is an HTTP-date or a number of seconds")
	StateRefusesMentions = rule("state.refuses.mentions", Contract,
		"the contract (x-conformance states refuses.mentions)",
		"the error envelope of a refusal names the state")
	StateCallHeader = rule("state.call.header", Contract,
		"the contract (x-conformance states enter/leave headers)",
		"a state switch answers with the headers the contract gives")
	StateCheck = rule("state.check", Contract,
		"the contract (x-conformance states check)",
		"after the switch, the target reports the state")
	StateRestore = rule("state.restore", Contract,
		"the contract (x-conformance states check) and the suite's safety promise",
		"after leaving a state, the target reports the normal state again")
	StateRecovers = rule("state.recovers", Contract,
		"the contract (x-conformance states check, maxWait)",
		"an observed state ends within the contract's wait")
	ThrottlingRecovers = rule("throttling.recovers", Contract,
		RFC9110+" section 10.2.3 and x-conformance throttling",
		"the target serves again after the advertised delay")
	LifecycleGone = rule("lifecycle.gone", Required,
		RFC9110+" section 9.3.5 and the contract",
		"a deleted resource is not found any more")
	// RouteUnknown is judged by apiconform audit alone: a run sends a
	// path the contract does not have on purpose (resource.unknown-path).
	RouteUnknown = rule("route.unknown", Contract,
		"the contract's paths (apiconform audit)",
		"a request in an access log is to a route the contract has")
)
