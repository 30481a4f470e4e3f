// Package console makes text from outside apiconform safe to print on a
// terminal. A contract's title and paths, a target's bodies and headers,
// an error that quotes either: any of them may hold escape sequences that
// a terminal obeys (colours, a new window title, OSC 52 writing to the
// clipboard, a cursor moved to write over earlier lines) or bidirectional
// marks that show text in another order than it has. Every line the
// commands write to the console goes through Escape (cmd/apiconform wraps
// its standard output and error in a Writer); the report files keep the
// text as it was, in the escaping of their own format.
package console

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Escape writes the characters a terminal would act on as Go-style escapes
// anyone can read: C0 and C1 control characters (ESC as \x1b, CSI as
// \u009b), DEL, the marks that reorder text (U+202E as \u202e) and the
// bytes of no UTF-8 character (\xff). It keeps line feeds and tabs, and a
// carriage return that ends a line (CR LF); a lone one, which lets text
// write over its line, is escaped as \r. Text with nothing to escape is
// returned as it is, without a copy.
func Escape(s string) string { return escape(s, false) }

// Line is Escape for text that must stay on one line, such as a title or a
// path in a message: line feeds and carriage returns are escaped too (\n,
// \r), so that no text can start a line that looks like apiconform's own.
func Line(s string) string { return escape(s, true) }

func escape(s string, oneLine bool) string {
	i := 0
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || unsafe(r, s[i+size:], oneLine) {
			break
		}
		i += size
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	b.WriteString(s[:i])
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case !unsafe(r, s[i+size:], oneLine):
			b.WriteString(s[i : i+size])
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r < 0x80:
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			fmt.Fprintf(&b, `\u%04x`, r)
		}
		i += size
	}
	return b.String()
}

// unsafe tells whether a terminal could act on r, followed by rest.
func unsafe(r rune, rest string, oneLine bool) bool {
	switch {
	case r == '\t':
		return false
	case r == '\n':
		return oneLine
	case r == '\r':
		return oneLine || !strings.HasPrefix(rest, "\n")
	case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f:
		return true
	}
	return reorders(r)
}

// reorders tells whether r is a mark that changes the order text is shown
// in (Unicode's bidirectional formatting characters).
func reorders(r rune) bool {
	switch {
	case r == 0x061c, r == 0x200e, r == 0x200f:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true
	}
	return false
}
