package contract

import "github.com/getkin/kin-openapi/openapi3"

// TypeOf returns a schema's single type, null aside ("" when it has none or
// several), reading 3.0's type and 3.1's type lists alike. A schema with
// properties and no type counts as an object.
func TypeOf(s *openapi3.Schema) string {
	if s == nil {
		return ""
	}
	if s.Type == nil {
		if len(s.Properties) > 0 {
			return "object"
		}
		return ""
	}
	var types []string
	for _, t := range s.Type.Slice() {
		if t != "null" {
			types = append(types, t)
		}
	}
	if len(types) != 1 {
		return ""
	}
	return types[0]
}
