package contract

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/apiconform/apiconform/internal/console"
)

// withLine adds the line to an error about the x-conformance extension,
// whose place is written as a dotted path (x-conformance.envelope.schema,
// paths./items/{id}.get.x-conformance.skip). The dotted path stays the
// place the message names: it is what the README documents.
func withLine(data []byte, err error) error {
	var e *Error
	if !errors.As(err, &e) || e.Line > 0 || e.Place == "" {
		return err
	}
	p := e.Place
	if !strings.HasPrefix(p, "/") {
		p = dottedToPointer(p)
	}
	if p == "" {
		return err
	}
	if pos, ok := locate(data, []string{p})[p]; ok && p != "" {
		e.Line = pos.Line
		if oneLineDocument(data) {
			e.Column = pos.Column
		}
	}
	return err
}

var (
	indexSuffix = regexp.MustCompile(`\[(\d+)\]`)
	methodPart  = regexp.MustCompile(`\.(get|head|post|put|patch|delete|options|trace)(\.|$)`)
)

// dottedToPointer reads a dotted place as a JSON pointer. A path template
// may hold dots itself (/files/{name}.json), so under paths the template
// runs up to the method.
func dottedToPointer(place string) string {
	var segs []string
	rest := place
	if strings.HasPrefix(rest, "paths./") {
		rest = strings.TrimPrefix(rest, "paths.")
		loc := methodPart.FindStringIndex(rest)
		if loc == nil {
			return pointerOf("paths", rest)
		}
		segs = append(segs, "paths", rest[:loc[0]])
		rest = strings.TrimPrefix(rest[loc[0]:], ".")
	}
	for _, part := range strings.Split(rest, ".") {
		if part == "" {
			continue
		}
		name := indexSuffix.ReplaceAllString(part, ".$1")
		segs = append(segs, strings.Split(name, ".")...)
	}
	return pointerOf(segs...)
}

// WarningLimit is how many warnings WarningsText lists before it only
// counts the rest.
const WarningLimit = 20

// WarningsText is the block a command prints on stderr when the contract
// loaded with warnings: a heading that counts them, then at most limit of
// them, a line each (escaped: they quote the document), then how many
// more there are. It is "" when there are none.
func (c *Contract) WarningsText(limit int) string {
	n := len(c.Warnings)
	if n == 0 {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "contract %s: %s; it loads all the same:\n", c.Source, c.WarningsSummary())
	for i, w := range c.Warnings {
		if i == limit {
			fmt.Fprintf(&b, "  ... and %d more\n", n-limit)
			break
		}
		fmt.Fprintf(&b, "  %s\n", console.Line(w))
	}
	return b.String()
}

// WarningsSummary counts the warnings in one line, for a report:
// "the contract has 3 examples that do not match their schema and 1 other
// problem that does not stop planning".
func (c *Contract) WarningsSummary() string {
	ex, other := c.exampleWarnings, len(c.Warnings)-c.exampleWarnings
	var parts []string
	if ex > 0 {
		parts = append(parts, plural(ex, "example that does not match its schema", "examples that do not match their schema"))
	}
	if other > 0 {
		word := "other "
		if ex == 0 {
			word = ""
		}
		parts = append(parts, plural(other, word+"problem that does not stop planning", word+"problems that do not stop planning"))
	}
	if len(parts) == 0 {
		return ""
	}
	return "the contract has " + strings.Join(parts, " and ")
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
