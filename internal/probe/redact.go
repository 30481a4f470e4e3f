package probe

import (
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// redacted stands where a secret was.
const redacted = "[redacted]"

// minSecret is the shortest value the redactor hides: a shorter one would
// hide ordinary words all over a transcript.
const minSecret = 3

// MinCutPrefix is the fewest bytes of a secret (characters, for an ASCII
// one) that the redactor hides at the end of a text cut short (a body cut
// at --max-body): a secret the cut split is hidden from its 8th byte on,
// and shorter beginnings are too common in ordinary text to tell from one.
const MinCutPrefix = 8

// secretHeaders never show their values.
var secretHeaders = map[string]bool{"Authorization": true, "Proxy-Authorization": true, "Cookie": true, "Set-Cookie": true}

// authHeaders carry a scheme and credentials: the scheme is no secret
// and shows. Other secret headers show nothing, whatever their words.
var authHeaders = map[string]bool{"Authorization": true, "Proxy-Authorization": true}

// authScheme is a scheme's name, as RFC 9110 section 11.1 has it (a token),
// of a sensible length.
var authScheme = regexp.MustCompile("^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,32}$")

// secretParams are query parameters whose values are hidden: tokens that
// some APIs take in the URL.
var secretParams = []string{"token", "access_token", "id_token", "refresh_token", "api_key", "apikey", "key", "secret", "password", "signature", "sig", "code"}

// Redactor hides the run's credentials wherever they might show: header
// values, query strings, bodies, and any text. A secret is found plain,
// in base64 or hex, in upper or lower case, and escaped as a target may
// echo it: JSON and Go string escapes (\" \\ \/ \n \u00XX \xXX),
// URL encoding (%XX in either case, + for a space) and HTML character
// references (&amp; &#NN; &#xHH;), alone or mixed.
type Redactor struct {
	// needles are the secrets and the encodings of them (base64, hex,
	// case forms) that the matcher looks for, each under every escape.
	needles []string
	// span is the most bytes of text one needle can take escaped: a
	// window that much longer than what is shown holds every secret
	// that starts within it.
	span int
	// byFirst lists, for each byte, the needles a match may start at it
	// with.
	byFirst [256][]int
	headers map[string]bool
	// What the curl line refers to by variable rather than shows: the
	// Authorization values of --basic-auth and --bearer-token, and the
	// --header values by name.
	basic, bearer string
	given         map[string][]string
}

// NewRedactor collects the secrets of a run's options.
func NewRedactor(o Options) *Redactor {
	r := &Redactor{headers: map[string]bool{}, given: map[string][]string{}}
	if o.HasBasic {
		r.add(o.BasicPassword)
		r.add(o.BasicUser + ":" + o.BasicPassword)
		r.basic = "Basic " + basicToken(o.BasicUser, o.BasicPassword)
	}
	r.add(o.BearerToken)
	if o.BearerToken != "" {
		r.bearer = "Bearer " + o.BearerToken
	}
	for k, vs := range o.Header {
		name := http.CanonicalHeaderKey(k)
		r.headers[name] = true
		r.given[name] = append(r.given[name], vs...)
		for _, v := range vs {
			r.add(v)
		}
	}
	r.index()
	return r
}

// add makes a secret and its encodings needles. Padded base64 starts with
// the unpadded form, so the unpadded needle finds both.
func (r *Redactor) add(s string) {
	if len(s) < minSecret {
		return
	}
	for _, n := range []string{
		s, strings.ToUpper(s), strings.ToLower(s),
		base64.RawStdEncoding.EncodeToString([]byte(s)),
		base64.RawURLEncoding.EncodeToString([]byte(s)),
		hex.EncodeToString([]byte(s)),
	} {
		r.needle(n)
	}
}

func (r *Redactor) needle(n string) {
	for _, have := range r.needles {
		if asciiFoldEqual(have, n) {
			return // the matcher folds ASCII case already
		}
	}
	r.needles = append(r.needles, n)
	if w := maxEscapedLen(n); w > r.span {
		r.span = w
	}
}

// maxEscapedLen bounds the text one needle can take: no escape of one byte
// is longer than maxEscape, and a pad covers an escape cut at the end.
func maxEscapedLen(n string) int { return len(n)*maxEscape + 2*maxEscape }

// String hides every known secret in a text.
func (r *Redactor) String(s string) string { return r.redact(s, false) }

// Cut hides every known secret in a text that was cut short, and the
// beginning of a secret the cut split, from MinCutPrefix characters on.
func (r *Redactor) Cut(s string) string { return r.redact(s, true) }

// Clip shows at most max bytes of a text, redacted, and says how long the
// whole was. Only a window of the text a little longer than max is
// redacted, so that a huge text costs no more than a short one; a secret
// that starts within what is shown is hidden whole. max <= 0 shows all.
func (r *Redactor) Clip(s string, max int) string {
	if max <= 0 || len(s) <= max {
		return r.String(s)
	}
	window := s
	if w := max + r.span; len(window) > w {
		window = r.Cut(window[:w])
	} else {
		window = r.String(window)
	}
	if len(window) > max {
		window = cutRunes(window, max)
	}
	return window + "... (" + strconv.Itoa(len(s)) + " bytes in all)"
}

// cutRunes cuts s to at most max bytes without splitting a character.
func cutRunes(s string, max int) string {
	if len(s) <= max {
		return s
	}
	for max > 0 && !utf8.RuneStart(s[max]) {
		max--
	}
	return s[:max]
}

// Header renders a header's value for display.
func (r *Redactor) Header(name, value string) string {
	name = http.CanonicalHeaderKey(name)
	if secretHeaders[name] || r.headers[name] {
		if value == InvalidToken {
			return value // the suite's own invalid key is no secret
		}
		if scheme, _, ok := strings.Cut(value, " "); ok && authHeaders[name] {
			if strings.Contains(value, InvalidToken) || value == "Basic "+basicToken(InvalidUser, InvalidSecret) {
				return value // the suite's own invalid credentials are no secret
			}
			if authScheme.MatchString(scheme) {
				return scheme + " " + redacted
			}
		}
		return redacted
	}
	return r.Clip(value, MaxShownValue)
}

// URL renders a URL with secret query values hidden.
func (r *Redactor) URL(u *url.URL) string {
	c := *u
	c.User = nil
	q := c.Query()
	changed := false
	for k := range q {
		for _, p := range secretParams {
			if strings.EqualFold(k, p) {
				for i := range q[k] {
					q[k][i] = redacted
				}
				changed = true
			}
		}
	}
	if changed {
		c.RawQuery = q.Encode()
	}
	return r.String(c.String())
}

// redact replaces every stretch of s that holds a secret by [redacted]:
// one secret inside another, or two side by side, make one mark.
func (r *Redactor) redact(s string, cut bool) string {
	spans := r.find(s, cut)
	if len(spans) == 0 {
		return s
	}
	var b strings.Builder
	at := 0
	for _, sp := range spans {
		b.WriteString(s[at:sp.from])
		b.WriteString(redacted)
		at = sp.to
	}
	b.WriteString(s[at:])
	return b.String()
}

// asciiFoldEqual compares two strings with ASCII letters folded, as the
// matcher does.
func asciiFoldEqual(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		if lower(a[i]) != lower(b[i]) {
			return false
		}
	}
	return true
}

func upper(c byte) byte {
	if 'a' <= c && c <= 'z' {
		return c - ('a' - 'A')
	}
	return c
}

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}
