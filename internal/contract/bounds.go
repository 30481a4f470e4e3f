package contract

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"

	"github.com/getkin/kin-openapi/openapi3"
	"go.yaml.in/yaml/v3"
)

// A schema's numbers are user input like the rest of it. kin-openapi reads
// the length and count keywords as unsigned 64-bit integers and compares
// them as signed ones: from 2^63 on, maxLength turns negative and every
// string is "too long", minLength every string long enough. A YAML
// document's numbers pass through a float64 on the way, so that from 2^53
// on the number read is not always the one written (2^63-1 is read as
// 2^63; so are JSON documents' numbers, which kin-openapi decodes the same
// way). Such a number makes the schema mean something else than it says,
// so the document is refused, naming the place. Bounds that no value meets
// (a minimum above the maximum) leave the schema readable: they are
// warnings, and the scenarios that need a valid value are skipped.

// MaxCount is the largest length or count (minLength, maxItems...) a
// contract may hold: 2^53-1, below which every whole number is read as
// written, and any number written above it is read as one above it.
const MaxCount = 1<<53 - 1

// countKeywords are the schema keywords that hold a length or a count.
var countKeywords = map[string]bool{
	"minLength": true, "maxLength": true, "minItems": true, "maxItems": true,
	"minProperties": true, "maxProperties": true, "minContains": true, "maxContains": true,
}

// bounds checks the numbers of one schema: out of range, a refusal; bounds
// no value meets, a warning.
func (w *exampleWalk) bounds(at *loc, s *openapi3.Schema) {
	for _, c := range []struct {
		keyword string
		n       *uint64
	}{
		{"minLength", &s.MinLength}, {"maxLength", s.MaxLength},
		{"minItems", &s.MinItems}, {"maxItems", s.MaxItems},
		{"minProperties", &s.MinProps}, {"maxProperties", s.MaxProps},
		{"minContains", s.MinContains}, {"maxContains", s.MaxContains},
	} {
		if c.n != nil && *c.n > MaxCount {
			w.refused = append(w.refused, finding{kindDocument, at.add(c.keyword).String(), fmt.Sprint(*c.n)})
		}
	}
	none := func(keyword, why string) {
		w.findings = append(w.findings, finding{kindDocument, at.add(keyword).String(), "no value meets this schema: " + why})
	}
	if s.MaxLength != nil && s.MinLength > *s.MaxLength {
		none("minLength", fmt.Sprintf("its minLength %d is above its maxLength %d", s.MinLength, *s.MaxLength))
	}
	if s.MaxItems != nil && s.MinItems > *s.MaxItems {
		none("minItems", fmt.Sprintf("its minItems %d is above its maxItems %d", s.MinItems, *s.MaxItems))
	}
	if s.MaxProps != nil && s.MinProps > *s.MaxProps {
		none("minProperties", fmt.Sprintf("its minProperties %d is above its maxProperties %d", s.MinProps, *s.MaxProps))
	}
	if s.Min != nil && s.Max != nil && *s.Min > *s.Max {
		none("minimum", fmt.Sprintf("its minimum %s is above its maximum %s", number(*s.Min), number(*s.Max)))
	}
	if m := s.MultipleOf; m != nil && !(*m > 0) {
		none("multipleOf", fmt.Sprintf("its multipleOf %s is not above zero", number(*m)))
	}
}

func number(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

func countOutOfRange(keyword, value string) string {
	return fmt.Sprintf("%s %s is out of range: a length or count is a whole number from 0 to %d (2^53-1; a larger one is not always read as written)", keyword, value, uint64(MaxCount))
}

// refusal is the error of the first number out of range the walk found,
// the number quoted as the document writes it (a YAML document's is read
// through a float, which may have changed it).
func refusal(data []byte, source string, refused []finding) error {
	f := refused[0]
	segs := splitPointer(f.pointer)
	keyword, value := segs[len(segs)-1], f.message
	if written, ok := scalarAt(data, segs); ok {
		value = written
	}
	err := &Error{Source: source, Place: f.pointer, Err: errors.New(countOutOfRange(keyword, value))}
	if len(refused) > 1 {
		err.Err = fmt.Errorf("%w (and %d more such numbers)", err.Err, len(refused)-1)
	}
	return withLine(data, err)
}

// scalarAt is the text of the scalar at a path of the document.
func scalarAt(data []byte, segs []string) (string, bool) {
	var doc yaml.Node
	if yaml.Unmarshal(data, &doc) != nil || len(doc.Content) == 0 {
		return "", false
	}
	n := doc.Content[0]
	for _, seg := range segs {
		var next *yaml.Node
		switch n.Kind {
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value == seg {
					next = n.Content[i+1]
				}
			}
		case yaml.SequenceNode:
			if i, err := strconv.Atoi(seg); err == nil && i >= 0 && i < len(n.Content) {
				next = n.Content[i]
			}
		}
		if next == nil {
			return "", false
		}
		n = next
	}
	return n.Value, n.Kind == yaml.ScalarNode
}

// unmarshalNumber finds, in kin-openapi's error for a document it could
// not decode, a schema keyword whose value is not of its type: a negative
// or fractional length, one past 2^64, a number past the float range.
var unmarshalNumber = regexp.MustCompile(`cannot unmarshal (?:number \S+|\w+) into (?:Go struct )?field (?:\w+\.)*(\w+) of type (u?int\d*|float\d+)`)

// numberError explains a document kin-openapi could not decode because of a
// schema number, naming the place of the first such number; nil when the
// error is not about one, or the number cannot be found.
func numberError(data []byte, source string, err error) error {
	m := unmarshalNumber.FindStringSubmatch(err.Error())
	if m == nil {
		return nil
	}
	keyword, float := m[1], m[2] == "float64" || m[2] == "float32"
	if !countKeywords[keyword] && !float {
		return nil
	}
	var doc yaml.Node
	if yaml.Unmarshal(data, &doc) != nil || len(doc.Content) == 0 {
		return nil
	}
	path, value, ok := badNumber(doc.Content[0], keyword, float, nil, 0)
	if !ok {
		return nil
	}
	why := countOutOfRange(keyword, value)
	if float {
		why = fmt.Sprintf("%s %s is not a number apiconform can read: a finite number is needed, at most %g in size", keyword, value, math.MaxFloat64)
	}
	return withLine(data, &Error{Source: source, Place: pointerOf(path...), Err: fmt.Errorf("%s", why)})
}

// badNumber finds the first key named keyword whose scalar value is not a
// valid length or count (or, for float, a finite number), and returns its
// path and value.
func badNumber(n *yaml.Node, keyword string, float bool, path []string, depth int) ([]string, string, bool) {
	if depth > 200 {
		return nil, "", false
	}
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			here := append(path[:len(path):len(path)], k.Value)
			if k.Value == keyword && v.Kind == yaml.ScalarNode && !validNumber(v, float) {
				return here, v.Value, true
			}
			if p, val, ok := badNumber(v, keyword, float, here, depth+1); ok {
				return p, val, true
			}
		}
	case yaml.SequenceNode:
		for i, item := range n.Content {
			if p, val, ok := badNumber(item, keyword, float, append(path[:len(path):len(path)], strconv.Itoa(i)), depth+1); ok {
				return p, val, true
			}
		}
	}
	return nil, "", false
}

// validNumber tells whether a scalar decodes as kin-openapi needs it: a
// finite number, or a whole number from 0 to MaxCount.
func validNumber(v *yaml.Node, float bool) bool {
	var f float64
	if v.Decode(&f) != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return false
	}
	return float || (f >= 0 && f == math.Floor(f) && f <= MaxCount)
}
