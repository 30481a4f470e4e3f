// Package contract loads an OpenAPI 3.0 or 3.1 document, validates it, reads
// its x-conformance extension and indexes its operations. It is the first
// step of the flow: nothing here sends a request.
package contract

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/apiconform/apiconform/internal/console"
	"github.com/apiconform/apiconform/specs"
)

// Contract is a loaded, validated OpenAPI document with its conformance rules.
type Contract struct {
	// Name is the shipped name, or the file's base name without extension.
	Name string
	// Source is where the document came from: a file path, or the shipped
	// contract's path in the repository.
	Source string
	// Shipped tells whether the contract is one embedded in the binary.
	Shipped bool
	// SHA256 is the hex digest of the document's bytes.
	SHA256 string
	// Doc is the parsed document.
	Doc *openapi3.T
	// BasePath is the path of the first server URL, without a trailing
	// slash ("" when the document declares none).
	BasePath string
	// Conformance holds the root x-conformance extension, defaults applied.
	Conformance Conformance
	// Operations lists every operation, sorted by path and then by method.
	Operations []*Operation
	// Schemes holds the document's security schemes by name.
	Schemes map[string]*Scheme
	// Warnings are the document's problems that do not stop apiconform
	// from planning it, such as examples that do not match their schema,
	// each naming its JSON pointer, its line and why; examples first.
	Warnings []string

	// exampleWarnings counts the Warnings about examples.
	exampleWarnings int

	byRoute map[string]*Operation
	byID    map[string]*Operation
}

// Error is a problem with a contract: the document and the place in it.
type Error struct {
	Source string
	// Place is a JSON pointer, or for x-conformance the dotted path of
	// the key, such as x-conformance.envelope.schema.
	Place string
	// Line is the line of Place in the document (0 when unknown); Column
	// is set too for a document written on one line.
	Line, Column int
	Err          error
}

// Error names the document, the line and the place, and says what is
// wrong, on one line: the place and the reason quote the document, so
// what a terminal would act on in them is escaped (console.Line).
func (e *Error) Error() string {
	src := e.Source
	if e.Line > 0 {
		src = fmt.Sprintf("%s, line %d", src, e.Line)
		if e.Column > 0 {
			src = fmt.Sprintf("%s column %d", src, e.Column)
		}
	}
	why := console.Line(fmt.Sprint(e.Err))
	if e.Place == "" {
		return fmt.Sprintf("contract %s: %s", src, why)
	}
	return fmt.Sprintf("contract %s: at %s: %s", src, console.Line(e.Place), why)
}

func (e *Error) Unwrap() error { return e.Err }

// Load reads a contract by shipped name or by file path.
func Load(ref string) (*Contract, error) {
	data, name, source, shipped, err := Read(ref)
	if err != nil {
		return nil, err
	}
	return Parse(data, name, source, shipped)
}

// Read reads a contract's document by shipped name or by file path,
// without parsing it, so that a caller can change it first (overlays):
// name, source and shipped are what Parse takes.
func Read(ref string) (data []byte, name, source string, shipped bool, err error) {
	if ref == "" {
		return nil, "", "", false, &Error{Source: "(none)", Err: errors.New("no contract given: pass --contract with a file or one of " + strings.Join(specs.Names(), ", "))}
	}
	if data, path, ok := specs.Read(ref); ok {
		return data, ref, path, true, nil
	}
	data, err = os.ReadFile(ref)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) && !strings.ContainsAny(ref, "/\\.") {
			return nil, "", "", false, &Error{Source: ref, Err: fmt.Errorf("no such file, and no shipped contract of that name (shipped: %s)", strings.Join(specs.Names(), ", "))}
		}
		return nil, "", "", false, &Error{Source: ref, Err: err}
	}
	return data, strings.TrimSuffix(filepath.Base(ref), filepath.Ext(ref)), ref, false, nil
}

// Parse builds a contract from a document's bytes. source names the document
// in messages.
func Parse(data []byte, name, source string, shipped bool) (c *Contract, err error) {
	// kin-openapi may panic on some malformed documents; a contract is user
	// input, so it becomes an error that names the document.
	defer func() {
		if r := recover(); r != nil {
			c, err = nil, &Error{Source: source, Err: fmt.Errorf("the document cannot be read: %v", r)}
		}
	}()
	sum := sha256.Sum256(data)
	loader := openapi3.NewLoader()
	loader.IsExternalRefsAllowed = false
	doc, err := loader.LoadFromData(data)
	if err != nil {
		return nil, loadError(data, source, err)
	}
	if err := versionError(doc, data, source); err != nil {
		return nil, err
	}
	warnings, examples, err := validate(doc, data, source)
	if err != nil {
		return nil, err
	}
	c = &Contract{
		Name:    name,
		Source:  source,
		Shipped: shipped,
		SHA256:  hex.EncodeToString(sum[:]),
		Doc:     doc,

		Warnings:        warnings,
		exampleWarnings: examples,
	}
	if len(doc.Servers) > 0 {
		c.BasePath, err = basePath(doc.Servers[0])
		if err != nil {
			return nil, withLine(data, &Error{Source: source, Place: "/servers/0/url", Err: err})
		}
	}
	if err := c.readConformance(); err != nil {
		return nil, withLine(data, err)
	}
	c.readSchemes()
	if err := c.indexOperations(); err != nil {
		return nil, withLine(data, err)
	}
	return c, nil
}

// basePath takes the path of a server URL, with its variables set to their
// defaults, so that a staging URL can be joined to it.
func basePath(s *openapi3.Server) (string, error) {
	raw := s.URL
	for name, v := range s.Variables {
		raw = strings.ReplaceAll(raw, "{"+name+"}", v.Default)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", err
	}
	return strings.TrimRight(u.Path, "/"), nil
}

// JoinBase joins the contract's base path to a target URL, unless the target
// already ends with it, so that both https://host and https://host/api/v1
// work for a base path of /api/v1.
func (c *Contract) JoinBase(target *url.URL) *url.URL {
	u := *target
	p := strings.TrimRight(u.Path, "/")
	if c.BasePath != "" && !strings.HasSuffix(p, c.BasePath) {
		p += c.BasePath
	}
	u.Path = p
	u.RawPath = ""
	return &u
}

// Is31 tells whether the document is OpenAPI 3.1 or later, whose schemas are
// JSON Schema 2020-12.
func (c *Contract) Is31() bool { return c.Doc.IsOpenAPI31OrLater() }
