package plan

import (
	"math"
	"regexp"
	"regexp/syntax"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/apiconform/apiconform/internal/contract"
)

// Sample builds a value that a schema accepts in a request: its example,
// first examples entry (OpenAPI 3.1), default or first enum value, or else
// one made from its type and constraints, without the readOnly properties
// of objects (a client never sends them). ok is false when nothing valid
// could be built; the value is checked against the schema, as a request,
// before it is used.
func Sample(ref *openapi3.SchemaRef) (any, bool) {
	if ref == nil || ref.Value == nil {
		return nil, false
	}
	v, ok := sample(ref.Value, 0)
	if !ok {
		return nil, false
	}
	v = writable(ref.Value, v)
	// As a request: a required readOnly property, left out, is no
	// violation (OpenAPI 3.0: it applies to responses only).
	if ref.Value.VisitJSON(v, openapi3.VisitAsRequest()) != nil {
		return nil, false
	}
	return v, true
}

// exampleOf is a schema's own example: example, then the first non-null
// entry of the OpenAPI 3.1 examples list.
func exampleOf(s *openapi3.Schema) (any, bool) {
	if s.Example != nil {
		return s.Example, true
	}
	for _, v := range s.Examples {
		if v != nil {
			return v, true
		}
	}
	return nil, false
}

// writable copies a value without the properties its schema marks readOnly,
// at any depth (properties, allOf parts, array items): what a client may
// send of an example written for both directions.
func writable(s *openapi3.Schema, v any) any {
	return stripReadOnly(s, v, 0)
}

func stripReadOnly(s *openapi3.Schema, v any, depth int) any {
	if s == nil || depth > 8 {
		return v
	}
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, val := range x {
			out[k] = val
		}
		for _, part := range append(openapi3.SchemaRefs{{Value: s}}, s.AllOf...) {
			if part == nil || part.Value == nil {
				continue
			}
			if part.Value != s {
				out = stripReadOnly(part.Value, out, depth+1).(map[string]any)
				continue
			}
			for k, val := range out {
				p := s.Properties[k]
				if p == nil || p.Value == nil {
					continue
				}
				if p.Value.ReadOnly {
					delete(out, k)
					continue
				}
				out[k] = stripReadOnly(p.Value, val, depth+1)
			}
		}
		return out
	case []any:
		if s.Items == nil || s.Items.Value == nil {
			return v
		}
		out := make([]any, len(x))
		for i, item := range x {
			out[i] = stripReadOnly(s.Items.Value, item, depth+1)
		}
		return out
	}
	return v
}

func sample(s *openapi3.Schema, depth int) (any, bool) {
	if depth > 8 {
		return nil, false
	}
	if v, ok := exampleOf(s); ok {
		return v, true
	}
	switch {
	case s.Default != nil:
		return s.Default, true
	case len(s.Enum) > 0:
		return s.Enum[0], true
	}
	if len(s.AllOf) > 0 {
		merged := map[string]any{}
		for _, part := range s.AllOf {
			if part.Value == nil {
				return nil, false
			}
			v, ok := sample(part.Value, depth+1)
			obj, isObj := v.(map[string]any)
			if !ok || !isObj {
				return v, ok
			}
			for k, x := range obj {
				merged[k] = x
			}
		}
		return merged, true
	}
	for _, alts := range []openapi3.SchemaRefs{s.OneOf, s.AnyOf} {
		if len(alts) > 0 && alts[0].Value != nil {
			return sample(alts[0].Value, depth+1)
		}
	}
	switch typeOf(s) {
	case "object":
		obj := map[string]any{}
		names := make([]string, 0, len(s.Properties))
		for n := range s.Properties {
			names = append(names, n)
		}
		sort.Strings(names)
		required := map[string]bool{}
		for _, r := range s.Required {
			required[r] = true
		}
		for _, n := range names {
			p := s.Properties[n]
			if p == nil || p.Value == nil || p.Value.ReadOnly {
				continue // a client never sends a readOnly property
			}
			if _, hasExample := exampleOf(p.Value); !required[n] && !hasExample {
				continue
			}
			v, ok := sample(p.Value, depth+1)
			if !ok {
				if required[n] {
					return nil, false
				}
				continue
			}
			obj[n] = v
		}
		return obj, true
	case "array":
		n := int(s.MinItems)
		if n == 0 {
			return []any{}, true
		}
		if s.Items == nil || s.Items.Value == nil {
			return nil, false
		}
		item, ok := sample(s.Items.Value, depth+1)
		if !ok {
			return nil, false
		}
		out := make([]any, n)
		for i := range out {
			out[i] = item
		}
		return out, true
	case "integer", "number":
		v := 1.0
		switch {
		case s.Min != nil:
			v = math.Ceil(*s.Min)
			if s.ExclusiveMin.IsTrue() && v == *s.Min {
				v++
			}
		case s.ExclusiveMin.Value != nil:
			v = math.Floor(*s.ExclusiveMin.Value) + 1
		case s.Max != nil && *s.Max < 1:
			v = math.Floor(*s.Max) - 1
		}
		return v, true
	case "boolean":
		return true, true
	case "string":
		return sampleString(s)
	}
	return nil, false
}

// typeOf is the schema's single type (see contract.TypeOf).
func typeOf(s *openapi3.Schema) string { return contract.TypeOf(s) }

func sampleString(s *openapi3.Schema) (any, bool) {
	var v string
	switch s.Format {
	case "uuid":
		v = "3f2504e0-4f89-41d3-9a0c-0305e82c3301"
	case "email":
		v = "apiconform@example.com"
	case "date-time":
		v = "2026-01-01T00:00:00Z"
	case "date":
		v = "2026-01-01"
	case "uri", "url":
		v = "https://example.com/apiconform"
	default:
		if s.Pattern != "" {
			gen, ok := fromPattern(s.Pattern, 'a')
			if !ok {
				return nil, false
			}
			v = gen
		} else {
			v = "apiconform"
		}
	}
	v = fitLength(v, s, 'a')
	return v, true
}

// fitLength pads or cuts a string to the schema's length bounds.
func fitLength(v string, s *openapi3.Schema, pad rune) string {
	n := len([]rune(v))
	if n < int(s.MinLength) {
		v += strings.Repeat(string(pad), int(s.MinLength)-n)
	}
	if s.MaxLength != nil && len([]rune(v)) > int(*s.MaxLength) {
		v = string([]rune(v)[:*s.MaxLength])
	}
	return v
}

// missingValue makes a value for a path parameter that the schema accepts
// but that no real resource has: the largest integer, a uuid of f's, a
// string of z's that fits the pattern and length.
func missingValue(ref *openapi3.SchemaRef) string {
	if ref == nil || ref.Value == nil {
		return "apiconform-missing-zzzz"
	}
	s := ref.Value
	switch typeOf(s) {
	case "integer", "number":
		if s.Max != nil {
			return paramString(math.Floor(*s.Max))
		}
		return "2147483647"
	}
	if s.Format == "uuid" {
		return "ffffffff-ffff-4fff-bfff-ffffffffffff"
	}
	v := "apiconform-missing-zzzz"
	if s.Pattern != "" {
		if gen, ok := fromPattern(s.Pattern, 'z'); ok {
			v = gen
		}
	}
	v = fitLength(v, s, 'z')
	if s.VisitJSON(v) != nil {
		// the pattern generator could not satisfy every constraint;
		// fall back to the schema's own sample.
		if alt, ok := sample(s, 0); ok {
			return paramString(alt)
		}
	}
	return v
}

// fromPattern makes the shortest string a regular expression matches,
// preferring the rune pref in character classes that hold it.
func fromPattern(pattern string, pref rune) (string, bool) {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return "", false
	}
	var b strings.Builder
	if !writeRegexp(&b, re.Simplify(), pref, 0) {
		return "", false
	}
	// Anchors in odd places ("$0") and look-alike classes can make the
	// shortest walk miss; only a string the pattern accepts is returned.
	if m, err := regexp.Compile(pattern); err != nil || !m.MatchString(b.String()) {
		return "", false
	}
	return b.String(), true
}

func writeRegexp(b *strings.Builder, re *syntax.Regexp, pref rune, depth int) bool {
	if depth > 50 {
		return false
	}
	switch re.Op {
	case syntax.OpLiteral:
		for _, r := range re.Rune {
			if re.Flags&syntax.FoldCase != 0 {
				r = []rune(strings.ToLower(string(r)))[0]
			}
			b.WriteRune(r)
		}
	case syntax.OpCharClass:
		if len(re.Rune) == 0 {
			return false // a class that matches nothing
		}
		b.WriteRune(pickRune(re.Rune, pref))
	case syntax.OpAnyCharNotNL, syntax.OpAnyChar:
		b.WriteRune(pref)
	case syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText, syntax.OpEndText,
		syntax.OpWordBoundary, syntax.OpNoWordBoundary, syntax.OpEmptyMatch:
	case syntax.OpCapture:
		return writeRegexp(b, re.Sub[0], pref, depth+1)
	case syntax.OpStar, syntax.OpQuest:
	case syntax.OpPlus:
		return writeRegexp(b, re.Sub[0], pref, depth+1)
	case syntax.OpRepeat:
		for i := 0; i < re.Min; i++ {
			if !writeRegexp(b, re.Sub[0], pref, depth+1) {
				return false
			}
		}
	case syntax.OpConcat:
		for _, sub := range re.Sub {
			if !writeRegexp(b, sub, pref, depth+1) {
				return false
			}
		}
	case syntax.OpAlternate:
		return writeRegexp(b, re.Sub[0], pref, depth+1)
	default:
		return false
	}
	return true
}

// pickRune chooses from a class (pairs of lo-hi ranges) the preferred rune,
// or else the highest printable ASCII rune, or else the first.
func pickRune(ranges []rune, pref rune) rune {
	best := rune(-1)
	for i := 0; i+1 < len(ranges); i += 2 {
		lo, hi := ranges[i], ranges[i+1]
		if lo <= pref && pref <= hi {
			return pref
		}
		if hi > 0x7e {
			hi = 0x7e
		}
		if lo <= hi && hi >= 0x21 && hi > best {
			best = hi
		}
	}
	if best >= 0 {
		return best
	}
	return ranges[0]
}
