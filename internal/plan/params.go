package plan

import (
	"fmt"
	"math"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/apiconform/apiconform/internal/catalog"
	"github.com/apiconform/apiconform/internal/contract"
)

func init() {
	register(Generator{Families: []catalog.Family{catalog.ParamsMissing, catalog.ParamsWrongType, catalog.ParamsOutOfRange}, Order: 40, Generate: badParams})
}

// badParams makes, per parameter, a request that lacks it (when required),
// one with a value of the wrong type, and one per bound it breaks. Path
// parameters may also answer 404: a path that does not match is not found.
func badParams(b *Builder) []*Scenario {
	var out []*Scenario
	for _, o := range b.C.Operations {
		req := b.baseRequest(o)
		for _, p := range o.Params {
			if p.In == "cookie" {
				continue
			}
			status := []int{400}
			if p.In == "path" {
				status = []int{400, 404}
			}
			status = alike(o, status, 422)
			where := p.In + " " + p.Name
			if p.Required && p.In != "path" {
				r := req.clone()
				r.Query.Del(p.Name)
				r.Header.Del(p.Name)
				out = append(out, b.paramScenario(o, req, catalog.ParamsMissing.ID, "without "+where, r, status))
			}
			schema := schemaOf(p)
			if schema == nil || schema.Value == nil {
				continue
			}
			if bad, ok := wrongTypeParam(schema.Value); ok {
				r := req.clone()
				setParam(&r, p, bad)
				out = append(out, b.paramScenario(o, req, catalog.ParamsWrongType.ID, fmt.Sprintf("%s=%s", where, bad), r, status))
			}
			for _, v := range outOfRange(schema.Value) {
				r := req.clone()
				setParam(&r, p, v.value)
				s := b.paramScenario(o, req, catalog.ParamsOutOfRange.ID, fmt.Sprintf("%s %s", where, v.why), r, status)
				if v.skip != "" {
					s.Skip = v.skip
				}
				out = append(out, s)
			}
		}
	}
	return out
}

func (b *Builder) paramScenario(o *contract.Operation, req *base, family, detail string, r Request, status []int) *Scenario {
	s := b.newScenario(o, family, detail, b.errorWords(status...), r, b.errorExpect(status...))
	s.Invented = req.invented()
	if why := req.unsendable(o); why != "" && r.Body == nil {
		s.Skip = why
	}
	return s
}

// unsendable says why the operation's valid request could not be built
// where the operation takes a body: a scenario that varies something else
// would be refused for the missing body first.
func (req *base) unsendable(o *contract.Operation) string {
	if len(req.Missing) > 0 && req.Body == nil && o.Op.RequestBody != nil {
		return "no valid request could be built: " + req.missingText()
	}
	return ""
}

func setParam(r *Request, p *openapi3.Parameter, v string) {
	switch p.In {
	case "path":
		r.PathParams[p.Name] = v
	case "query":
		r.Query.Set(p.Name, v)
	case "header":
		r.Header.Set(p.Name, v)
	}
}

// wrongTypeParam is a value no integer, number or boolean parameter takes.
func wrongTypeParam(s *openapi3.Schema) (string, bool) {
	switch typeOf(s) {
	case "integer", "number":
		return "not-a-number", true
	case "boolean":
		return "not-a-boolean", true
	}
	return "", false
}

// badValue is a value past a bound of a parameter's schema, and the bound;
// skip, when set, says why no such value is built.
type badValue struct{ value, why, skip string }

// outOfRange lists values just past each bound of a schema. A bound too
// large to pass within MaxValueLength gives a value to skip, saying so;
// one past which no finite number lies gives none.
func outOfRange(s *openapi3.Schema) []badValue {
	var out []badValue
	switch typeOf(s) {
	case "integer", "number":
		step := 1.0
		if typeOf(s) == "number" && s.MultipleOf == nil {
			step = 0.5
		}
		// past moves one step from a bound, or to the next number
		// where the bound is too large for the step to show.
		past := func(bound, dir float64) float64 {
			v := bound + dir*step
			if v == bound {
				v = math.Nextafter(bound, math.Inf(int(dir)))
			}
			return v
		}
		if s.Min != nil {
			v := past(*s.Min, -1)
			if s.ExclusiveMin.IsTrue() {
				v = *s.Min
			}
			if finite(v) {
				out = append(out, badValue{value: paramString(v), why: "below its minimum " + paramString(*s.Min)})
			}
		}
		if s.ExclusiveMin.Value != nil {
			out = append(out, badValue{value: paramString(*s.ExclusiveMin.Value), why: "at its exclusive minimum"})
		}
		if s.ExclusiveMax.Value != nil {
			out = append(out, badValue{value: paramString(*s.ExclusiveMax.Value), why: "at its exclusive maximum"})
		}
		if s.Max != nil {
			v := past(*s.Max, 1)
			if s.ExclusiveMax.IsTrue() {
				v = *s.Max
			}
			if typeOf(s) == "integer" {
				v = math.Floor(v)
			}
			if finite(v) {
				out = append(out, badValue{value: paramString(v), why: "above its maximum " + paramString(*s.Max)})
			}
		}
	case "string":
		if s.MinLength > 0 {
			why := fmt.Sprintf("shorter than %d", s.MinLength)
			if s.MinLength-1 > MaxValueLength {
				out = append(out, badValue{why: why, skip: fmt.Sprintf("a value shorter than its minLength would have %d characters, and %s", s.MinLength-1, stringBound)})
			} else {
				out = append(out, badValue{value: strings.Repeat("a", int(s.MinLength)-1), why: why})
			}
		}
		if s.MaxLength != nil {
			why := fmt.Sprintf("longer than %d", *s.MaxLength)
			if *s.MaxLength >= MaxValueLength {
				out = append(out, badValue{why: why, skip: fmt.Sprintf("its maxLength is %d, and %s", *s.MaxLength, stringBound)})
			} else {
				out = append(out, badValue{value: strings.Repeat("a", int(*s.MaxLength)+1), why: why})
			}
		}
	}
	if len(s.Enum) > 0 && typeOf(s) == "string" {
		out = append(out, badValue{value: "apiconform-not-in-enum", why: "outside its enum"})
	}
	return out
}
