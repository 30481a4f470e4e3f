package catalog

// The sources of the families' expected statuses.
const (
	srcBadRequest  = RFC9110 + " section 15.5.1 (400), or a 422 the operation declares (section 15.5.21)"
	srcCredentials = RFC9110 + " sections 11.6.1 and 15.5.2 (401), or a 403 the operation declares without 401; x-conformance failedCredentials"
	sumBadRequest  = "400, or a 422 the operation declares; the error envelope"
	sumBadParam    = "400 (400 or 404 for a path parameter), or a 422 the operation declares; the error envelope"
	sumCredentials = "401 with a WWW-Authenticate challenge for the operation's scheme, or a 403 the operation declares without 401, or 403 as the contract says; the error envelope"
)

// The families, in the order of the tables of docs/scenarios.md. Each variable is the
// family other packages name it by; family lists it. A family's scenarios
// run in the order of its generator in internal/plan.
var (
	MethodUnsupported = family(Family{ID: "method.unsupported", Title: "unsupported methods", Level: Required,
		Source:   RFC9110 + " section 9.1 (SHOULD: 405 for a method the resource does not allow, 501 for one the server does not implement) and x-conformance unsupportedMethod",
		Summary:  "405 with Allow listing exactly the declared methods (HEAD and OPTIONS tolerated), or 501 for a method no path declares, or what the contract says; the error envelope",
		Exercise: "each of GET, POST, PUT, PATCH, DELETE a path does not declare, aimed at an existing resource where one is known"})
	MediatypeWrong = family(Family{ID: "mediatype.wrong", Title: "undeclared media types", Level: Required,
		Source:   RFC9110 + " section 15.5.16 (415)",
		Summary:  "415 and the error envelope (a 400 the operation declares passes with a warning)",
		Exercise: "a valid body with a Content-Type the operation does not declare"})
	ResourceMissingID = family(Family{ID: "resource.missing-id", Title: "missing resources", Level: Required,
		Source:   RFC9110 + " section 15.5.5 (404), or a 410 the operation declares (section 15.5.11)",
		Summary:  "404, or a 410 the operation declares; the error envelope",
		Exercise: "an id the parameter's schema accepts but no resource has (a uuid of f's, the maximum integer, a string of z's fitting the pattern and length)"})
	ResourceUnknownPath = family(Family{ID: "resource.unknown-path", Title: "missing resources", Level: Required,
		Source:   RFC9110 + " section 15.5.5 (404)",
		Summary:  "404 and the error envelope",
		Exercise: "a path the contract does not have"})
	ParamsMissing = family(Family{ID: "params.missing", Title: "bad parameters", Level: Required,
		Source:   srcBadRequest,
		Summary:  sumBadRequest,
		Exercise: "a required query or header parameter left out"})
	ParamsWrongType = family(Family{ID: "params.wrong-type", Title: "bad parameters", Level: Required,
		Source:   srcBadRequest,
		Summary:  sumBadParam,
		Exercise: "a parameter value of the wrong type"})
	ParamsOutOfRange = family(Family{ID: "params.out-of-range", Title: "bad parameters", Level: Required,
		Source:   srcBadRequest,
		Summary:  sumBadParam,
		Exercise: "a parameter value past its minimum, maximum, length or enum"})
	BodyMalformed = family(Family{ID: "body.malformed", Title: "bad bodies", Level: Required,
		Source:   srcBadRequest,
		Summary:  sumBadRequest,
		Exercise: "malformed JSON, and the valid JSON body followed by other data"})
	BodyMissing = family(Family{ID: "body.missing", Title: "bad bodies", Level: Required,
		Source:   srcBadRequest,
		Summary:  sumBadRequest,
		Exercise: "no body (with the Content-Type of a valid one) where the request body is required"})
	BodyMissingProperty = family(Family{ID: "body.missing-property", Title: "bad bodies", Level: Required,
		Source:   srcBadRequest,
		Summary:  sumBadRequest,
		Exercise: "the valid body without each required property (readOnly properties are never sent nor varied)"})
	BodyWrongType = family(Family{ID: "body.wrong-type", Title: "bad bodies", Level: Required,
		Source:   srcBadRequest,
		Summary:  sumBadRequest,
		Exercise: "the valid body with each property of the wrong type"})
	BodyNullProperty = family(Family{ID: "body.null-property", Title: "bad bodies", Level: Required,
		Source:   srcBadRequest,
		Summary:  sumBadRequest,
		Exercise: "the valid body with each required property that does not take null set to null"})
	BodyUnknownProperty = family(Family{ID: "body.unknown-property", Title: "bad bodies", Level: Required,
		Source:   srcBadRequest + "; the schema's additionalProperties: false",
		Summary:  sumBadRequest,
		Exercise: "the valid body with a property the schema's additionalProperties: false forbids"})
	CredentialsMissing = family(Family{ID: "credentials.missing", Title: "missing and wrong credentials", Level: Required,
		Source:   srcCredentials,
		Summary:  sumCredentials,
		Exercise: "the valid request of an operation under a security requirement, without credentials"})
	CredentialsInvalid = family(Family{ID: "credentials.invalid", Title: "missing and wrong credentials", Level: Required,
		Source:   srcCredentials,
		Summary:  sumCredentials,
		Exercise: "the valid request of an operation under a security requirement, with credentials of the right kind that cannot be valid"})
	MethodHead = family(Family{ID: "method.head", Title: "HEAD", Level: Must,
		Source:   RFC9110 + " section 9.3.2",
		Summary:  "the status and Content-Type GET answers, and no body",
		Exercise: "HEAD where GET is declared, with the GET sent alongside to compare"})
	MethodOptions = family(Family{ID: "method.options", Title: "OPTIONS", Level: Should,
		Source:   RFC9110 + " section 9.3.7 (a 2xx with Allow; a 405 with Allow or a 501 where OPTIONS is not supported)",
		Summary:  "a 2xx with Allow listing the declared methods, or 405 with Allow, or 501 (OPTIONS is optional: a warning unless --strict, but a 5xx fails server.error)",
		Exercise: "OPTIONS on each path that does not declare it"})
	// RFC 9110 describes two right answers to an Accept the resource has
	// no representation for, and requires neither: 406, or the answer the
	// request would get without Accept. So the status rule is a warning:
	// another 4xx is neither, but no RFC keyword forbids it. What a run
	// holds a target to is what it holds any answer to: a 5xx fails
	// server.error, a 2xx of an undeclared Content-Type fails
	// content-type.declared, an undeclared status status.declared.
	NegotiationNotAcceptable = family(Family{ID: "negotiation.not-acceptable", Title: "unacceptable media types asked for", Level: Should,
		Source:   RFC9110 + " section 12.5.1 (a server can honour Accept with 406 Not Acceptable, section 15.5.7, or disregard it and answer as if it were absent; neither is a MUST or a SHOULD, so a third answer only warns)",
		Summary:  "406 Not Acceptable (with the error envelope where the contract has one), or the operation's 2xx with a Content-Type it declares, Accept disregarded",
		Exercise: "the success request of each GET with Accept: application/x-apiconform-unacceptable, a media type no operation produces"})
	Success = family(Family{ID: "success", Title: "happy paths", Level: Contract,
		Source:   "the contract (the operation's 2xx responses)",
		Summary:  "a 2xx whose body matches its schema, with the headers the contract marks required (Location on 201)",
		Exercise: "the request built from the contract's examples; unsafe methods only in the writes lifecycles"})
	Scenario = family(Family{ID: "scenario", Title: "contract scenarios", Level: Contract,
		Source:   "the contract (x-conformance scenarios)",
		Summary:  "one of the statuses the contract gives (with the error envelope for a 4xx or 5xx, no content for a 204)",
		Exercise: "each scenario NAME the contract defines in x-conformance scenarios (family scenario.NAME): the operation's valid request with some parameter values replaced",
		Kinds:    []string{"scenario.NAME"}})
	State = family(Family{ID: "state", Level: Contract,
		Source:   "the contract (x-conformance states)",
		Summary:  "the statuses the contract gives each call of the switch; a 2xx from the operations the state serves, the contract's refusal from those it refuses, and a 2xx from these again after it",
		Exercise: "the calls that switch the target into an operational state and back, and the operations the state serves and refuses (disruptive)",
		Kinds:    []string{StepStateEnter, StepStateServes, StepStateRefuses, StepStateLeave, StepStateAfter}})
	StateSwitching = family(Family{ID: "state.switching", Level: Contract,
		Source:   "the contract (x-conformance states switching) and " + RFC9110 + " section 15.6.4",
		Summary:  "the contract's switching status (503) to every request from the first that gets it until the switch ends",
		Exercise: "the state's check request, sent over and over while the first call of a switch is under way (disruptive)"})
	Throttling = family(Family{ID: "throttling", Level: Contract,
		Source:   "the contract (x-conformance throttling)",
		Summary:  "2xx answers, then the contract's throttling status within the burst, judged like any answer",
		Exercise: "a burst of at most the contract's number of requests within its window (disruptive)"})
)

// The steps of the sequences an operational state and throttling run: the
// scenario families their scenarios carry. A step is judged by its own
// status rule ("state.enter.status", listed in State.Kinds), by the rule
// of the same id (state.check, state.restore, state.recovers,
// throttling.recovers), or, for the burst, by throttling.status.
const (
	StepStateEnter         = "state.enter"
	StepStateCheck         = "state.check"
	StepStateServes        = "state.serves"
	StepStateRefuses       = "state.refuses"
	StepStateLeave         = "state.leave"
	StepStateRestore       = "state.restore"
	StepStateRecovers      = "state.recovers"
	StepStateAfter         = "state.after"
	StepThrottlingBurst    = "throttling.burst"
	StepThrottlingRecovers = "throttling.recovers"
)
