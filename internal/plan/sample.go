package plan

import (
	"fmt"
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
// before it is used. What it builds stays within MaxValueLength, MaxItems
// and MaxBodyBytes.
func Sample(ref *openapi3.SchemaRef) (any, bool) {
	v, ok, _ := sampleOf(ref)
	return v, ok
}

// sampleOf is Sample, and when no value could be built because the schema
// asks for more than the planner's bounds allow, why.
func sampleOf(ref *openapi3.SchemaRef) (v any, ok bool, why string) {
	if ref == nil || ref.Value == nil {
		return nil, false, ""
	}
	sp := &sampler{}
	v, _, ok = sp.sample(ref.Value, 0)
	if !ok {
		return nil, false, sp.why
	}
	v = writable(ref.Value, v)
	// As a request: a required readOnly property, left out, is no
	// violation (OpenAPI 3.0: it applies to responses only).
	if ref.Value.VisitJSON(v, openapi3.VisitAsRequest()) != nil {
		return nil, false, ""
	}
	return v, true, ""
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

// givenValue is the value a schema itself offers: its example, default or
// first enum value.
func givenValue(s *openapi3.Schema) (any, bool) {
	if v, ok := exampleOf(s); ok {
		return v, true
	}
	switch {
	case s.Default != nil:
		return s.Default, true
	case len(s.Enum) > 0:
		return s.Enum[0], true
	}
	return nil, false
}

// sampler builds sample values within the planner's bounds, and keeps the
// first bound that stopped it.
type sampler struct {
	why string
}

// over records why a value could not be built within a bound.
func (sp *sampler) over(why string) (any, int, bool) {
	if sp.why == "" {
		sp.why = why
	}
	return nil, 0, false
}

// sample builds a value of s and its size as JSON (see jsonSize): sizes
// are added up as the value is built, so that an array of a thousand
// arrays of a thousand long strings is refused before it is written out.
func (sp *sampler) sample(s *openapi3.Schema, depth int) (any, int, bool) {
	if depth > 8 {
		return nil, 0, false
	}
	if given, ok := givenValue(s); ok {
		// Written in the contract, so no larger than it; measured all
		// the same, since an array may repeat it.
		n := jsonSize(given, MaxBodyBytes)
		if n > MaxBodyBytes {
			return sp.over("its example is larger, and " + sizeBound)
		}
		return given, n, true
	}
	if len(s.AllOf) > 0 {
		merged, size := map[string]any{}, 2
		for _, part := range s.AllOf {
			if part.Value == nil {
				return nil, 0, false
			}
			v, n, ok := sp.sample(part.Value, depth+1)
			obj, isObj := v.(map[string]any)
			if !ok || !isObj {
				return v, n, ok
			}
			for k, x := range obj {
				merged[k] = x
			}
			if size += n; size > MaxBodyBytes {
				return sp.over("a value of its schema would be larger, and " + sizeBound)
			}
		}
		return merged, size, true
	}
	for _, alts := range []openapi3.SchemaRefs{s.OneOf, s.AnyOf} {
		if len(alts) > 0 && alts[0].Value != nil {
			return sp.sample(alts[0].Value, depth+1)
		}
	}
	switch typeOf(s) {
	case "object":
		obj, size := map[string]any{}, 2
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
			v, vn, ok := sp.sample(p.Value, depth+1)
			if !ok {
				if required[n] {
					return nil, 0, false
				}
				continue
			}
			obj[n] = v
			if size += len(n) + 4 + vn; size > MaxBodyBytes {
				return sp.over("a value of its schema would be larger, and " + sizeBound)
			}
		}
		return obj, size, true
	case "array":
		if s.MinItems == 0 {
			return []any{}, 2, true
		}
		if s.MinItems > MaxItems {
			return sp.over(fmt.Sprintf("its minItems is %d, and %s", s.MinItems, arrayBound))
		}
		if s.Items == nil || s.Items.Value == nil {
			return nil, 0, false
		}
		item, size, ok := sp.sample(s.Items.Value, depth+1)
		if !ok {
			return nil, 0, false
		}
		n := int(s.MinItems)
		if total := 2 + n*(size+1); total > MaxBodyBytes {
			return sp.over(fmt.Sprintf("its minItems %d of its items would be larger, and %s", n, sizeBound))
		}
		out := make([]any, n)
		for i := range out {
			out[i] = item
		}
		return out, 2 + n*(size+1), true
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
		if m := s.MultipleOf; m != nil && *m > 0 {
			// the first multiple at or above v; a schema it breaks
			// otherwise is found by the check against the schema
			v = math.Ceil(v / *m) * *m
		}
		if !finite(v) {
			return nil, 0, false
		}
		return v, jsonSize(v, MaxBodyBytes), true
	case "boolean":
		return true, 4, true
	case "string":
		v, ok := sp.sampleString(s)
		if !ok {
			return nil, 0, false
		}
		return v, len(v) + 2, true
	}
	return nil, 0, false
}

// typeOf is the schema's single type (see contract.TypeOf).
func typeOf(s *openapi3.Schema) string { return contract.TypeOf(s) }

func (sp *sampler) sampleString(s *openapi3.Schema) (string, bool) {
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
				return "", false
			}
			v = gen
		} else {
			v = "apiconform"
		}
	}
	v, ok := fitLength(v, s, 'a')
	if !ok {
		sp.over(fmt.Sprintf("its minLength is %d, and %s", s.MinLength, stringBound))
		return "", false
	}
	return v, true
}

// fitLength pads or cuts a string to the schema's length bounds. It pads
// to MaxValueLength at most: ok is false when the minLength is above it.
func fitLength(v string, s *openapi3.Schema, pad rune) (string, bool) {
	if s.MinLength > MaxValueLength {
		return v, false
	}
	n := len([]rune(v))
	if n < int(s.MinLength) {
		v += strings.Repeat(string(pad), int(s.MinLength)-n)
	}
	if s.MaxLength != nil && uint64(len([]rune(v))) > *s.MaxLength {
		v = string([]rune(v)[:*s.MaxLength])
	}
	return v, true
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
	// A minLength past MaxValueLength leaves the value short: nothing
	// valid can be built, and the scenarios say so where it matters.
	v, _ = fitLength(v, s, 'z')
	if s.VisitJSON(v) != nil {
		// the pattern generator could not satisfy every constraint;
		// fall back to the schema's own sample.
		if alt, _, ok := (&sampler{}).sample(s, 0); ok {
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
