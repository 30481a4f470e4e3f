package probe

import (
	"unicode/utf16"
	"unicode/utf8"
)

// The matcher finds a needle in a text where each byte of the needle may
// stand in the text as itself (ASCII letters in either case) or escaped,
// each byte its own way: a target that echoes a secret in a JSON string, a
// URL, an HTML page or Go's %q must not show it.

// maxEscape is the longest escape of one byte or character the matcher
// reads: &#x0001F600; with its leading zeros bounded.
const maxEscape = 12

// maxSteps bounds the work spent on one place in the text, beyond the
// needle's own length: escapes that could be read two ways (a \ before a
// \) make the search branch, and a text built to make it branch at every
// byte is redacted from that place on rather than searched for ever.
const maxSteps = 4096

// span is a stretch of text, [from, to), that holds a secret.
type span struct{ from, to int }

// index notes, for each byte, the needles a match may start at it with:
// those that begin with it in either case, every needle at the first
// byte of an escape, and those that begin with a space at a +.
func (r *Redactor) index() {
	r.byFirst = [256][]int{}
	for k, n := range r.needles {
		c := lower(n[0])
		r.byFirst[c] = append(r.byFirst[c], k)
		if u := upper(c); u != c {
			r.byFirst[u] = append(r.byFirst[u], k)
		}
		for _, e := range []byte{'%', '\\', '&'} {
			if e != c {
				r.byFirst[e] = append(r.byFirst[e], k)
			}
		}
		if c == ' ' {
			r.byFirst['+'] = append(r.byFirst['+'], k)
		}
	}
}

// find lists the stretches of text that hold a needle, in order, those
// that overlap or touch merged. Every place a needle may start at is
// tried, so that of two secrets that overlap neither shows. In a cut
// text, a stretch at the very end that holds MinCutPrefix or more bytes
// of a needle counts too.
func (r *Redactor) find(text string, cut bool) []span {
	var spans []span
	for i := 0; i < len(text); i++ {
		ids := r.byFirst[text[i]]
		end := i
		for _, k := range ids {
			n := r.needles[k]
			if len(n) > 1 && i+1 < len(text) && !plainPair(text[i], text[i+1], n[0], n[1]) {
				continue
			}
			m := matcher{text: text, needle: n, cut: cut, limit: maxSteps + 4*len(n)}
			if e, ok := m.match(0, i); ok && e > end {
				end = e
			}
		}
		if end == i {
			continue
		}
		if l := len(spans); l > 0 && i <= spans[l-1].to {
			spans[l-1].to = max(spans[l-1].to, end)
		} else {
			spans = append(spans, span{i, end})
		}
	}
	return spans
}

// plainPair tells whether two plain bytes of text may begin a needle; a
// pair with an escape in it is left to the matcher. It spares most places
// in a text the matcher's set-up.
func plainPair(t0, t1, n0, n1 byte) bool {
	if isEscapeStart(t0) || isEscapeStart(t1) {
		return true
	}
	return lower(t1) == lower(n1) || t1 == '+' && n1 == ' '
}

type matcher struct {
	text, needle string
	cut          bool
	// steps counts the bytes compared from one place; past limit the
	// search gives up and redacts.
	steps, limit int
	// failed holds the places of needle and text, past an escape read
	// two ways, from which no match was found.
	failed map[step]bool
}

// match tells whether needle[j:] is found at text[pos:], and where the
// stretch ends. Plain bytes are compared in a loop; only an escape, which
// may also be the byte itself, branches.
func (m *matcher) match(j, pos int) (int, bool) {
	for {
		if j == len(m.needle) {
			return pos, true
		}
		if m.cut && j >= MinCutPrefix && len(m.text)-pos < maxEscape && (pos == len(m.text) || isEscapeStart(m.text[pos])) {
			// The text ends inside the needle, or inside what may be
			// an escape of its next byte.
			return len(m.text), true
		}
		if pos >= len(m.text) {
			return 0, false
		}
		if m.steps++; m.steps > m.limit {
			return len(m.text), true
		}
		c, want := m.text[pos], m.needle[j]
		if isEscapeStart(c) {
			break
		}
		if lower(c) != lower(want) && (c != '+' || want != ' ') {
			return 0, false
		}
		j, pos = j+1, pos+1
	}
	if m.failed[step{j, pos}] {
		return 0, false
	}
	alts, n := m.units(j, pos)
	for _, alt := range alts[:n] {
		if end, ok := m.match(alt.j, alt.pos); ok {
			return end, true
		}
	}
	if n > 1 {
		// Two readings of an escape both failed from here; a text full
		// of such escapes would otherwise be searched again by each
		// reading before it.
		if m.failed == nil {
			m.failed = map[step]bool{}
		}
		m.failed[step{j, pos}] = true
	}
	return 0, false
}

func isEscapeStart(c byte) bool { return c == '%' || c == '\\' || c == '&' }

// step is where a match goes on: past j bytes of the needle and pos bytes
// of the text.
type step struct{ j, pos int }

// units lists the ways an escape at text[pos:] can stand for the needle's
// next byte, or next character when the escape names a character: as
// itself, or as what it escapes.
func (m *matcher) units(j, pos int) (out [2]step, n int) {
	t, c := m.text, m.needle[j]
	add := func(s step) { out[n] = s; n++ }
	switch t[pos] {
	case '%':
		if v, ok := hexAt(t, pos+1, 2); ok && lower(byte(v)) == lower(c) {
			add(step{j + 1, pos + 3})
		}
	case '\\':
		if pos+1 >= len(t) {
			break
		}
		switch e := t[pos+1]; e {
		case 'x':
			if v, ok := hexAt(t, pos+2, 2); ok && lower(byte(v)) == lower(c) {
				add(step{j + 1, pos + 4})
			}
		case 'u':
			if v, ok := hexAt(t, pos+2, 4); ok {
				r, w := rune(v), 6
				if utf16.IsSurrogate(r) && pos+7 < len(t) && t[pos+6] == '\\' && t[pos+7] == 'u' {
					if lo, ok := hexAt(t, pos+8, 4); ok {
						r, w = utf16.DecodeRune(r, rune(lo)), 12
					}
				}
				if s, ok := m.rune(j, r, pos+w); ok {
					add(s)
				}
			}
		case 'U':
			if v, ok := hexAt(t, pos+2, 8); ok {
				if s, ok := m.rune(j, rune(v), pos+10); ok {
					add(s)
				}
			}
		default:
			if backslashed[e] != 0 && lower(backslashed[e]) == lower(c) {
				add(step{j + 1, pos + 2})
			}
		}
	case '&':
		if r, w, ok := entity(t, pos); ok {
			if s, ok := m.rune(j, r, pos+w); ok {
				add(s)
			}
		}
	}
	// The escape comes first, so that a match takes the whole of it:
	// "%25" stands for a secret's "%", not for its "%" and then "25".
	if lower(t[pos]) == lower(c) {
		add(step{j + 1, pos + 1})
	}
	return out, n
}

// rune is the step of an escape that names a whole character, when the
// needle goes on with that character.
func (m *matcher) rune(j int, r rune, end int) (step, bool) {
	if r < 0 || r > utf8.MaxRune {
		return step{}, false
	}
	var buf [utf8.UTFMax]byte
	n := utf8.EncodeRune(buf[:], r)
	if j+n > len(m.needle) {
		return step{}, false
	}
	for k := 0; k < n; k++ {
		if lower(m.needle[j+k]) != lower(buf[k]) {
			return step{}, false
		}
	}
	return step{j + n, end}, true
}

// backslashed maps the character after a backslash to the byte it stands
// for, in JSON, Go and JavaScript strings.
var backslashed = [256]byte{'"': '"', '\\': '\\', '/': '/', '\'': '\'', 'n': '\n', 'r': '\r', 't': '\t', 'b': '\b', 'f': '\f', 'a': '\a', 'v': '\v'}

// hexAt reads n hex digits, in either case, at text[pos:].
func hexAt(text string, pos, n int) (uint32, bool) {
	if pos+n > len(text) {
		return 0, false
	}
	var v uint32
	for k := 0; k < n; k++ {
		d, ok := hexDigit(text[pos+k])
		if !ok {
			return 0, false
		}
		v = v<<4 | uint32(d)
	}
	return v, true
}

func hexDigit(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// namedEntities are the HTML character references that escaping a text
// for HTML produces.
var namedEntities = []struct {
	name string
	r    rune
}{{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}, {"&nbsp;", '\u00a0'}}

// entity reads an HTML character reference at text[pos:]: a named one
// of namedEntities, &#NNN; or &#xHHH; (at most maxEscape bytes long).
func entity(text string, pos int) (rune, int, bool) {
	rest := text[pos:]
	for _, e := range namedEntities {
		if len(rest) >= len(e.name) && asciiFoldEqual(rest[:len(e.name)], e.name) {
			return e.r, len(e.name), true
		}
	}
	if len(rest) < 4 || rest[1] != '#' {
		return 0, 0, false
	}
	base, k := 10, 2
	if rest[2] == 'x' || rest[2] == 'X' {
		base, k = 16, 3
	}
	var v int
	digits := 0
	for ; k < len(rest) && k < maxEscape; k++ {
		c := rest[k]
		if c == ';' {
			if digits == 0 || v > utf8.MaxRune {
				return 0, 0, false
			}
			return rune(v), k + 1, true
		}
		d, ok := hexDigit(c)
		if !ok || int(d) >= base {
			return 0, 0, false
		}
		v = v*base + int(d)
		digits++
		if v > utf8.MaxRune {
			return 0, 0, false
		}
	}
	return 0, 0, false
}
