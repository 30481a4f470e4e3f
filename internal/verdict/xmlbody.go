package verdict

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"

	"github.com/apiconform/apiconform/internal/contract"
)

// XML bodies are read into the JSON shape their schema describes, so that
// the same schema validation judges them: kin-openapi validates only what a
// registered decoder turns into JSON values.
func init() {
	for _, mt := range []string{"application/xml", "text/xml"} {
		openapi3filter.RegisterBodyDecoder(mt, decodeXML)
	}
}

// maxXMLDepth bounds the nesting a hostile body can make the decoder walk.
const maxXMLDepth = 64

type xmlNode struct {
	name     string
	attrs    map[string]string
	children []*xmlNode
	text     strings.Builder
}

// decodeXML parses an XML document and shapes it by the schema.
func decodeXML(body io.Reader, _ http.Header, schema *openapi3.SchemaRef, _ openapi3filter.EncodingFn) (any, error) {
	root, err := parseXML(body)
	if err != nil {
		return nil, err
	}
	var s *openapi3.Schema
	if schema != nil {
		s = schema.Value
	}
	return shapeXML(root, s, 0), nil
}

func parseXML(body io.Reader) (*xmlNode, error) {
	dec := xml.NewDecoder(body)
	var stack []*xmlNode
	var root *xmlNode
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if len(stack) >= maxXMLDepth {
				return nil, fmt.Errorf("XML nested deeper than %d elements", maxXMLDepth)
			}
			n := &xmlNode{name: t.Name.Local, attrs: map[string]string{}}
			for _, a := range t.Attr {
				n.attrs[a.Name.Local] = a.Value
			}
			if len(stack) == 0 {
				if root != nil {
					return nil, errors.New("more than one root element")
				}
				root = n
			} else {
				parent := stack[len(stack)-1]
				parent.children = append(parent.children, n)
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text.Write(t)
			}
		}
	}
	if root == nil {
		return nil, errors.New("no root element")
	}
	return root, nil
}

// shapeXML turns an element into the value its schema expects: an object
// from child elements and attributes, an array from repeated children, a
// scalar converted to the schema's type (left a string when it does not
// convert, so that validation reports it).
func shapeXML(n *xmlNode, s *openapi3.Schema, depth int) any {
	props := xmlProperties(s, 0)
	kind := ""
	if s != nil {
		kind = typeOf(s)
	}
	if kind == "" && (len(props) > 0 || (s == nil && len(n.children) > 0)) {
		kind = "object"
	}
	switch kind {
	case "object":
		obj := map[string]any{}
		used := map[*xmlNode]bool{}
		for name, p := range props {
			ps := p.Value
			xname := name
			if ps != nil && ps.XML != nil && ps.XML.Name != "" {
				xname = ps.XML.Name
			}
			if ps != nil && ps.XML != nil && ps.XML.Attribute {
				if v, ok := n.attrs[xname]; ok {
					obj[name] = scalar(v, ps)
				}
				continue
			}
			if ps != nil && typeOf(ps) == "array" {
				var items *openapi3.Schema
				if ps.Items != nil {
					items = ps.Items.Value
				}
				var elems []*xmlNode
				if ps.XML != nil && ps.XML.Wrapped {
					for _, c := range n.children {
						if c.name == xname {
							used[c] = true
							elems = append(elems, c.children...)
						}
					}
				} else {
					iname := xname
					if items != nil && items.XML != nil && items.XML.Name != "" {
						iname = items.XML.Name
					}
					for _, c := range n.children {
						if c.name == iname {
							used[c] = true
							elems = append(elems, c)
						}
					}
				}
				if len(elems) == 0 && !hasChild(n, xname) {
					continue // absent, so that required can report it
				}
				arr := make([]any, 0, len(elems))
				for _, e := range elems {
					arr = append(arr, shapeXML(e, items, depth+1))
				}
				obj[name] = arr
				continue
			}
			for _, c := range n.children {
				if c.name == xname && !used[c] {
					used[c] = true
					obj[name] = shapeXML(c, ps, depth+1)
					break
				}
			}
		}
		// Children the schema does not name are kept, so that
		// additionalProperties: false can see them.
		for _, c := range n.children {
			if !used[c] {
				if _, taken := obj[c.name]; !taken {
					obj[c.name] = shapeXML(c, nil, depth+1)
				}
			}
		}
		return obj
	case "array":
		var items *openapi3.Schema
		if s.Items != nil {
			items = s.Items.Value
		}
		arr := make([]any, 0, len(n.children))
		for _, c := range n.children {
			arr = append(arr, shapeXML(c, items, depth+1))
		}
		return arr
	}
	if s == nil && len(n.children) == 0 {
		return strings.TrimSpace(n.text.String())
	}
	return scalar(n.text.String(), s)
}

func hasChild(n *xmlNode, name string) bool {
	for _, c := range n.children {
		if c.name == name {
			return true
		}
	}
	return false
}

// xmlProperties collects a schema's properties, those of its allOf parts
// included.
func xmlProperties(s *openapi3.Schema, depth int) map[string]*openapi3.SchemaRef {
	out := map[string]*openapi3.SchemaRef{}
	if s == nil || depth > 8 {
		return out
	}
	for name, p := range s.Properties {
		out[name] = p
	}
	for _, part := range s.AllOf {
		if part == nil {
			continue
		}
		for name, p := range xmlProperties(part.Value, depth+1) {
			if _, ok := out[name]; !ok {
				out[name] = p
			}
		}
	}
	return out
}

func scalar(text string, s *openapi3.Schema) any {
	t := strings.TrimSpace(text)
	if s == nil {
		return t
	}
	switch typeOf(s) {
	case "integer", "number":
		if f, err := strconv.ParseFloat(t, 64); err == nil {
			return f
		}
	case "boolean":
		if b, err := strconv.ParseBool(t); err == nil {
			return b
		}
	}
	return t
}

// typeOf is the schema's single type (see contract.TypeOf).
func typeOf(s *openapi3.Schema) string { return contract.TypeOf(s) }
