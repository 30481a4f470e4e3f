package contract

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/apiconform/apiconform/internal/catalog"
	"github.com/apiconform/apiconform/internal/suggest"
)

// ExtensionKey is the name of the OpenAPI extension apiconform reads.
const ExtensionKey = "x-conformance"

// Conformance is the root x-conformance object: what plain OpenAPI cannot say
// about a system's error contract.
type Conformance struct {
	// UnsupportedMethod is the status a method the path does not declare
	// gets: 405 (with Allow) or 501. Default 405.
	UnsupportedMethod int `json:"unsupportedMethod"`
	// FailedCredentials is the status missing or wrong credentials get: 401
	// (with WWW-Authenticate) or 403. Default 401.
	FailedCredentials int `json:"failedCredentials"`
	// Envelope describes the error body of every 4xx and 5xx answer.
	Envelope Envelope `json:"envelope"`
	// Values are known parameter values, by parameter name, used to build
	// requests that reach an existing resource.
	Values map[string]any `json:"values"`
	// Never lists statuses the API never answers.
	Never []int `json:"never"`
	// StatusOnlyOn maps a status to the only operations that may answer it.
	StatusOnlyOn map[string][]string `json:"statusOnlyOn"`
	// CORS, when set, is the cross-origin policy every success must carry.
	CORS *CORS `json:"cors"`
	// WWWAuthenticate is "must" (default) or "should": how strictly a 401
	// must carry a challenge.
	WWWAuthenticate string `json:"wwwAuthenticate"`
	// States are the operational states the suite may drive or observe.
	States []State `json:"states"`
	// Throttling, when set, describes how the target throttles a burst.
	Throttling *Throttling `json:"throttling"`
	// Status states an API-wide policy: the statuses a family (or a kind,
	// or a group such as "params") expects on every operation, in place of
	// the RFC's. An operation's own x-conformance status wins over it.
	Status map[string][]int `json:"status"`
}

// CORS is the cross-origin policy a contract promises on every success.
type CORS struct {
	// Origin is sent as the Origin of every request.
	Origin string `json:"origin"`
	// AllowCredentials requires Access-Control-Allow-Credentials: true, and
	// forbids * as the allowed origin.
	AllowCredentials bool `json:"allowCredentials"`
	// AllowMethods and AllowHeaders must each be listed.
	AllowMethods []string `json:"allowMethods"`
	AllowHeaders []string `json:"allowHeaders"`
}

// Scenario is an extra scenario a contract defines on an operation: the
// operation's valid request with some parameter values, and the statuses it
// must answer.
type Scenario struct {
	Name   string         `json:"name"`
	Values map[string]any `json:"values"`
	Status []int          `json:"status"`
	// Disruptive marks a scenario that could change the target's state if
	// the target does not conform: it runs only with --allow-disruptive.
	Disruptive bool `json:"disruptive"`
}

// Envelope describes the error envelope.
type Envelope struct {
	// Schema is a local reference to the envelope's schema, such as
	// "#/components/schemas/Error". When empty, the schema of the contract's
	// 404 (or else first 4xx) responses is used.
	Schema string `json:"schema"`
	// EchoMethod names a field that must equal the request's method.
	EchoMethod string `json:"echoMethod"`
	// EchoURI names a field whose path must equal the request's path.
	EchoURI string `json:"echoUri"`
	// StatusField names a field that must equal the HTTP status.
	StatusField string `json:"statusField"`

	// Ref is the resolved envelope schema (nil when the contract has none).
	Ref *openapi3.SchemaRef `json:"-"`
	// Declared is set when the contract states the envelope in
	// x-conformance: then every error answer must carry it, those no
	// operation declares (a router's 405 or 404) included. Otherwise the
	// envelope is only inferred from the error responses the operations
	// declare, and binds only where they declare it.
	Declared bool `json:"-"`
	// MediaTypes are the media types the envelope is declared with.
	MediaTypes []string `json:"-"`
}

// OperationConformance is the x-conformance object of one operation.
type OperationConformance struct {
	// Skip names scenario families (or single scenario kinds such as
	// "params.missing") that do not apply, each with the reason.
	Skip map[string]string `json:"skip"`
	// Status overrides the expected status of a family for this operation.
	Status map[string][]int `json:"status"`
	// Values are known parameter values for this operation only.
	Values map[string]any `json:"values"`
	// Never lists statuses this operation never answers.
	Never []int `json:"never"`
	// Scenarios are extra scenarios the contract defines.
	Scenarios []Scenario `json:"scenarios"`
}

// decodeStrict decodes an extension value into v, refusing unknown keys.
func decodeStrict(raw any, v any) error {
	data, err := json.Marshal(raw)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) {
			return fmt.Errorf("key %q must be %s, not %s", typeErr.Field, typeName(typeErr.Type.String()), typeErr.Value)
		}
		if msg, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
			return fmt.Errorf("unknown key %s (see docs/x-conformance.md)", msg)
		}
		return err
	}
	return nil
}

func typeName(goType string) string {
	switch {
	case strings.HasPrefix(goType, "map["):
		return "an object"
	case strings.HasPrefix(goType, "[]"):
		return "a list"
	case goType == "int":
		return "an integer"
	case goType == "string":
		return "a string"
	}
	return goType
}

func (c *Contract) readConformance() error {
	conf := Conformance{UnsupportedMethod: 405, FailedCredentials: 401}
	if raw, ok := c.Doc.Extensions[ExtensionKey]; ok {
		if err := decodeStrict(raw, &conf); err != nil {
			return &Error{Source: c.Source, Place: ExtensionKey, Err: err}
		}
	}
	switch conf.UnsupportedMethod {
	case 405, 501:
	default:
		return &Error{Source: c.Source, Place: ExtensionKey + ".unsupportedMethod", Err: fmt.Errorf("must be 405 or 501, not %d", conf.UnsupportedMethod)}
	}
	switch conf.FailedCredentials {
	case 401, 403:
	default:
		return &Error{Source: c.Source, Place: ExtensionKey + ".failedCredentials", Err: fmt.Errorf("must be 401 or 403, not %d", conf.FailedCredentials)}
	}
	switch conf.WWWAuthenticate {
	case "":
		conf.WWWAuthenticate = "must"
	case "must", "should":
	default:
		return &Error{Source: c.Source, Place: ExtensionKey + ".wwwAuthenticate", Err: fmt.Errorf("must be must or should, not %q", conf.WWWAuthenticate)}
	}
	if err := checkStatuses(conf.Never); err != nil {
		return &Error{Source: c.Source, Place: ExtensionKey + ".never", Err: err}
	}
	for code := range conf.StatusOnlyOn {
		if n, err := strconv.Atoi(code); err != nil || n < 100 || n > 599 {
			return &Error{Source: c.Source, Place: ExtensionKey + ".statusOnlyOn", Err: fmt.Errorf("%q is not a status code", code)}
		}
	}
	if cors := conf.CORS; cors != nil {
		if u, err := url.Parse(cors.Origin); err != nil || u.Scheme == "" || u.Host == "" {
			return &Error{Source: c.Source, Place: ExtensionKey + ".cors.origin", Err: fmt.Errorf("%q is not an origin such as https://app.example.com", cors.Origin)}
		}
	}
	env := conf.Envelope
	conf.Envelope.Declared = env.Schema != "" || env.EchoMethod != "" || env.EchoURI != "" || env.StatusField != ""
	if err := c.resolveEnvelope(&conf.Envelope); err != nil {
		return err
	}
	if err := checkFamilyStatuses(conf.Status, nil, ExtensionKey+".status"); err != nil {
		return &Error{Source: c.Source, Place: err.place, Err: err.err}
	}
	c.Conformance = conf
	return nil
}

// placeError is an error at a place of the contract, before the contract's
// source is known to the caller.
type placeError struct {
	place string
	err   error
}

// checkFamilyName tells whether x-conformance skip or status may name a
// family: one of the catalogue's families, kinds or groups, or a scenario
// the operation defines. A typo is an error that offers the names.
func checkFamilyName(name string, o *Operation) error {
	if catalog.Nameable(name) {
		return nil
	}
	if sc, ok := strings.CutPrefix(name, "scenario."); ok && o != nil {
		for _, s := range o.Conformance.Scenarios {
			if s.Name == sc {
				return nil
			}
		}
	}
	hint := ""
	if near := suggest.Nearest(name, catalog.Nameables()); near != "" {
		hint = fmt.Sprintf("; did you mean %q?", near)
	}
	return fmt.Errorf("%q is not a scenario family%s (families: %s)", name, hint, strings.Join(catalog.Nameables(), ", "))
}

// checkFamilyStatuses checks a family → statuses map.
func checkFamilyStatuses(m map[string][]int, o *Operation, place string) *placeError {
	for _, name := range sortedKeys(m) {
		if err := checkFamilyName(name, o); err != nil {
			return &placeError{place, err}
		}
		if len(m[name]) == 0 {
			return &placeError{place + "." + name, errors.New("lists no status")}
		}
		if err := checkStatuses(m[name]); err != nil {
			return &placeError{place + "." + name, err}
		}
	}
	return nil
}

func checkStatuses(codes []int) error {
	for _, code := range codes {
		if code < 100 || code > 599 {
			return fmt.Errorf("%d is not a status code", code)
		}
	}
	return nil
}

func (c *Contract) resolveEnvelope(env *Envelope) error {
	place := ExtensionKey + ".envelope.schema"
	if env.Schema != "" {
		name, ok := strings.CutPrefix(env.Schema, "#/components/schemas/")
		if !ok {
			return &Error{Source: c.Source, Place: place, Err: fmt.Errorf("%q must be a reference of the form #/components/schemas/NAME", env.Schema)}
		}
		if c.Doc.Components == nil || c.Doc.Components.Schemas[name] == nil {
			return &Error{Source: c.Source, Place: place, Err: fmt.Errorf("%q: no such schema in components.schemas", env.Schema)}
		}
		env.Ref = c.Doc.Components.Schemas[name]
	}
	// The envelope's schema, when not named, is that of the 404 (else the
	// first 4xx) responses; its media types are every media type an error
	// response declares, since a contract may give each status its own
	// schema yet one media type.
	seen := map[string]bool{}
	for _, status := range []string{"404", "400", "401", "403", "405", "415", "409", "422", "500", "4XX", "5XX", "default"} {
		for _, path := range c.Doc.Paths.InMatchingOrder() {
			for _, op := range c.Doc.Paths.Value(path).Operations() {
				if op.Responses == nil {
					continue
				}
				r := op.Responses.Value(status)
				if r == nil || r.Value == nil {
					continue
				}
				for _, mt := range sortedKeys(r.Value.Content) {
					if env.Ref == nil && r.Value.Content[mt].Schema != nil {
						env.Ref = r.Value.Content[mt].Schema
					}
				}
			}
		}
	}
	for _, path := range c.Doc.Paths.InMatchingOrder() {
		for _, op := range c.Doc.Paths.Value(path).Operations() {
			if op.Responses == nil {
				continue
			}
			for code, r := range op.Responses.Map() {
				if r == nil || r.Value == nil || !isErrorStatus(code) {
					continue
				}
				for mt := range r.Value.Content {
					if !seen[mt] {
						seen[mt] = true
						env.MediaTypes = append(env.MediaTypes, mt)
					}
				}
			}
		}
	}
	sort.Strings(env.MediaTypes)
	if env.Ref != nil && len(env.MediaTypes) == 0 {
		env.MediaTypes = []string{"application/json"}
	}
	if (env.EchoMethod != "" || env.EchoURI != "" || env.StatusField != "") && env.Ref == nil {
		return &Error{Source: c.Source, Place: ExtensionKey + ".envelope", Err: errors.New("echoMethod and echoUri need an envelope schema, and the contract declares no error response body")}
	}
	if env.StatusField != "" && env.Ref == nil {
		return &Error{Source: c.Source, Place: ExtensionKey + ".envelope", Err: errors.New("statusField needs an envelope schema, and the contract declares no error response body")}
	}
	for key, field := range map[string]string{"echoMethod": env.EchoMethod, "echoUri": env.EchoURI, "statusField": env.StatusField} {
		if field == "" {
			continue
		}
		if env.Ref.Value == nil || env.Ref.Value.Properties[field] == nil {
			return &Error{Source: c.Source, Place: ExtensionKey + ".envelope." + key, Err: fmt.Errorf("the envelope schema has no property %q", field)}
		}
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// isErrorStatus tells whether a responses key is a 4xx or 5xx status or
// range.
func isErrorStatus(key string) bool {
	return len(key) == 3 && (key[0] == '4' || key[0] == '5')
}
