package contract

import (
	"net/http"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// Kind is how a security scheme carries credentials.
type Kind string

// The kinds of credentials apiconform can send.
const (
	KindBasic  Kind = "basic"
	KindBearer Kind = "bearer"
	KindAPIKey Kind = "apiKey"
	KindOther  Kind = "other"
)

// Scheme is a security scheme as the exchange needs it.
type Scheme struct {
	Name string
	Kind Kind
	// In and Param locate an apiKey: "header", "query" or "cookie", and the
	// name there.
	In, Param string
}

// Challenge is the auth-scheme a WWW-Authenticate challenge for this scheme
// names ("" when any will do).
func (s *Scheme) Challenge() string {
	switch s.Kind {
	case KindBasic:
		return "Basic"
	case KindBearer:
		return "Bearer"
	}
	return ""
}

func (c *Contract) readSchemes() {
	c.Schemes = map[string]*Scheme{}
	if c.Doc.Components == nil {
		return
	}
	for name, ref := range c.Doc.Components.SecuritySchemes {
		if ref == nil || ref.Value == nil {
			continue
		}
		c.Schemes[name] = schemeOf(name, ref.Value)
	}
}

func schemeOf(name string, s *openapi3.SecurityScheme) *Scheme {
	out := &Scheme{Name: name, Kind: KindOther}
	switch {
	case s.Type == "http" && strings.EqualFold(s.Scheme, "basic"):
		out.Kind = KindBasic
	case s.Type == "http" && strings.EqualFold(s.Scheme, "bearer"),
		s.Type == "oauth2", s.Type == "openIdConnect":
		out.Kind = KindBearer
	case s.Type == "apiKey":
		out.Kind, out.In, out.Param = KindAPIKey, s.In, s.Name
		if out.In == "header" {
			out.Param = http.CanonicalHeaderKey(s.Name)
		}
	}
	return out
}

// Secured tells whether every alternative security requirement of the
// operation names at least one scheme, so that a request without
// credentials must be refused.
func (c *Contract) Secured(o *Operation) bool {
	if len(o.Security) == 0 {
		return false
	}
	for _, req := range o.Security {
		if len(req) == 0 {
			return false
		}
	}
	return true
}

// SchemesOf returns the schemes of the operation's first security
// requirement, sorted by name: the credentials a request must carry.
func (c *Contract) SchemesOf(o *Operation) []*Scheme {
	if len(o.Security) == 0 {
		return nil
	}
	var names []string
	for name := range o.Security[0] {
		names = append(names, name)
	}
	sort.Strings(names)
	var out []*Scheme
	for _, n := range names {
		if s := c.Schemes[n]; s != nil {
			out = append(out, s)
		}
	}
	return out
}
