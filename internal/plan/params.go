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
				out = append(out, b.paramScenario(o, req, catalog.ParamsOutOfRange.ID, fmt.Sprintf("%s %s", where, v.why), r, status))
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
		return "no valid request could be built: " + strings.Join(req.Missing, ", ")
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

type badValue struct{ value, why string }

// outOfRange lists values just past each bound of a schema.
func outOfRange(s *openapi3.Schema) []badValue {
	var out []badValue
	switch typeOf(s) {
	case "integer", "number":
		step := 1.0
		if typeOf(s) == "number" && s.MultipleOf == nil {
			step = 0.5
		}
		if s.Min != nil {
			v := *s.Min - step
			if s.ExclusiveMin.IsTrue() {
				v = *s.Min
			}
			out = append(out, badValue{paramString(v), "below its minimum " + paramString(*s.Min)})
		}
		if s.ExclusiveMin.Value != nil {
			out = append(out, badValue{paramString(*s.ExclusiveMin.Value), "at its exclusive minimum"})
		}
		if s.ExclusiveMax.Value != nil {
			out = append(out, badValue{paramString(*s.ExclusiveMax.Value), "at its exclusive maximum"})
		}
		if s.Max != nil {
			v := *s.Max + step
			if s.ExclusiveMax.IsTrue() {
				v = *s.Max
			}
			if typeOf(s) == "integer" {
				v = math.Floor(v)
			}
			out = append(out, badValue{paramString(v), "above its maximum " + paramString(*s.Max)})
		}
	case "string":
		if s.MinLength > 0 {
			out = append(out, badValue{strings.Repeat("a", int(s.MinLength)-1), fmt.Sprintf("shorter than %d", s.MinLength)})
		}
		if s.MaxLength != nil {
			out = append(out, badValue{strings.Repeat("a", int(*s.MaxLength)+1), fmt.Sprintf("longer than %d", *s.MaxLength)})
		}
	}
	if len(s.Enum) > 0 && typeOf(s) == "string" {
		out = append(out, badValue{"apiconform-not-in-enum", "outside its enum"})
	}
	return out
}
