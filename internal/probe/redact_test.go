package probe_test

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html"
	"math/rand"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/apiconform/apiconform/internal/probe"
)

// An encoding is a way a target may echo a secret. perRune encodings
// encode a text character by character, so that the encoding of a
// secret's beginning begins its encoding: a cut can be placed after the
// encoding of its first characters.
type encoding struct {
	name    string
	encode  func(string) string
	perRune bool
	// cased encodings may meet a secret the target changed the case of
	// first; base64 and hex are of the secret as sent.
	cased bool
}

func jsonString(s string, escapeHTML bool) string {
	var b bytes.Buffer
	e := json.NewEncoder(&b)
	e.SetEscapeHTML(escapeHTML)
	e.Encode(s)
	out := strings.TrimSuffix(b.String(), "\n")
	return out[1 : len(out)-1]
}

// asciiJSON escapes every character past ASCII as \uXXXX, surrogate pairs
// included, as Python's json.dumps does by default.
func asciiJSON(s string) string {
	var b strings.Builder
	for _, r := range jsonString(s, false) {
		switch {
		case r < utf8.RuneSelf:
			b.WriteRune(r)
		case r > 0xFFFF:
			hi, lo := utf16.EncodeRune(r)
			fmt.Fprintf(&b, `\u%04x\u%04x`, hi, lo)
		default:
			fmt.Fprintf(&b, `\u%04X`, r)
		}
	}
	return b.String()
}

// percentAll escapes every byte, as some clients do, in the given case.
func percentAll(s, format string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		fmt.Fprintf(&b, format, s[i])
	}
	return b.String()
}

func unquote(q string) string { return q[1 : len(q)-1] }

var encodings = []encoding{
	{"plain", func(s string) string { return s }, true, true},
	{"JSON", func(s string) string { return jsonString(s, true) }, true, true},
	{"JSON without HTML escapes", func(s string) string { return jsonString(s, false) }, true, true},
	{"JSON with escaped slashes", func(s string) string { return strings.ReplaceAll(jsonString(s, false), "/", `\/`) }, true, true},
	{"JSON in ASCII", asciiJSON, true, true},
	{"Go %q", func(s string) string { return unquote(strconv.Quote(s)) }, true, true},
	{"Go %+q", func(s string) string { return unquote(strconv.QuoteToASCII(s)) }, true, true},
	{"query escape (+ for space)", url.QueryEscape, true, true},
	{"path escape (%20 for space)", url.PathEscape, true, true},
	{"every byte %XX", func(s string) string { return percentAll(s, "%%%02X") }, true, true},
	{"every byte %xx", func(s string) string { return percentAll(s, "%%%02x") }, true, true},
	{"HTML", html.EscapeString, true, true},
	{"hex", func(s string) string { return hex.EncodeToString([]byte(s)) }, true, false},
	{"HEX", func(s string) string { return strings.ToUpper(hex.EncodeToString([]byte(s))) }, true, false},
	{"base64", func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }, false, false},
	{"base64url", func(s string) string { return base64.URLEncoding.EncodeToString([]byte(s)) }, false, false},
	{"base64 unpadded", func(s string) string { return base64.RawStdEncoding.EncodeToString([]byte(s)) }, false, false},
}

var cases = []struct {
	name   string
	change func(string) string
}{{"as sent", func(s string) string { return s }}, {"upper-case", strings.ToUpper}, {"lower-case", strings.ToLower}}

// filler surrounds a secret in the texts of the property: none of its
// characters is in a secret or any encoding of one, so that the redacted
// text must be exactly the filler around one [redacted].
const filler = "~^`|"

// secretRunes are what the property's secrets are made of: the characters
// every encoding treats differently.
var secretRunes = []rune("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._!$*()'\"\\/ :;@+=?&%<>#{}[],éüßÅ日本😀\t\n")

// redactorFor is a redactor whose one secret is a --header value.
func redactorFor(secret string) *probe.Redactor {
	return probe.NewRedactor(probe.Options{Header: http.Header{"X-Secret": {secret}}})
}

// checkRedacted asserts that a secret echoed in an encoding, whole or cut
// after n of its characters (n < 0: whole), is hidden whole, and nothing
// else is touched. It reports whether the case applied.
func checkRedacted(t *testing.T, secret string, enc encoding, change func(string) string, before, after string, n int) bool {
	t.Helper()
	if len(secret) < 3 || strings.ContainsAny(secret, filler) || !utf8.ValidString(secret) {
		return false
	}
	red := redactorFor(secret)
	shown := change(secret)
	full := enc.encode(shown)
	if n < 0 {
		pad := ""
		if strings.HasPrefix(enc.name, "base64") {
			pad = full[len(strings.TrimRight(full, "=")):]
		}
		text := before + full + after
		if got, want := red.String(text), before+"[redacted]"+pad+after; got != want {
			t.Errorf("secret %q %s, %s: String(%q)\n = %q\nwant %q", secret, enc.name, change(""), text, got, want)
		}
		return true
	}
	// A cut after the encoding of at least MinCutPrefix bytes of the
	// secret, and before its end.
	var prefix int
	if enc.perRune {
		runes := []rune(shown)
		k := 0
		for k < len(runes) && len(string(runes[:k])) < probe.MinCutPrefix {
			k++
		}
		prefix = len(enc.encode(string(runes[:k])))
	} else {
		prefix = probe.MinCutPrefix
	}
	end := len(full)
	if strings.HasPrefix(enc.name, "base64") {
		end = len(strings.TrimRight(full, "=")) // the padding is no secret
	}
	if prefix >= end {
		return false
	}
	cutAt := prefix + n%(end-prefix)
	text := before + full[:cutAt]
	if got, want := red.Cut(text), before+"[redacted]"; got != want {
		t.Errorf("secret %q %s cut at %d of %q: Cut(%q)\n = %q\nwant %q", secret, enc.name, cutAt, full, text, got, want)
	}
	return true
}

// TestRedactionProperty: for random secrets, every encoding a target may
// echo them in, in any case, whole or cut at the end of a text, the
// redacted text is the text around them with one [redacted].
func TestRedactionProperty(t *testing.T) {
	rng := rand.New(rand.NewSource(13))
	randText := func(max int) string {
		b := make([]byte, rng.Intn(max))
		for i := range b {
			b[i] = filler[rng.Intn(len(filler))]
		}
		return string(b)
	}
	checked := 0
	for i := 0; i < 400; i++ {
		rs := make([]rune, 3+rng.Intn(30))
		for k := range rs {
			rs[k] = secretRunes[rng.Intn(len(secretRunes))]
		}
		secret := string(rs)
		for _, enc := range encodings {
			for _, c := range cases {
				if !enc.cased && c.name != "as sent" {
					continue
				}
				before, after := randText(20), randText(20)
				if checkRedacted(t, secret, enc, c.change, before, after, -1) {
					checked++
				}
				checkRedacted(t, secret, enc, c.change, before, "", rng.Intn(1<<16))
			}
		}
		if t.Failed() {
			return
		}
	}
	if checked < 1000 {
		t.Fatalf("only %d cases checked", checked)
	}
}

// TestRedactionExamples are the leaks the redactor used to have, each as
// a target would send it.
func TestRedactionExamples(t *testing.T) {
	const key = `sk_live/AbC+12 "x"`
	red := redactorFor(key)
	for _, text := range []string{
		`{"echo":"sk_live\/AbC+12 \"x\""}`,
		`{"echo":"sk_live/AbC\u002b12 \u0022x\u0022"}`,
		`https://h/cb?key=sk_live%2FAbC%2B12+%22x%22`,
		`https://h/cb/sk_live%2fAbC%2b12%20%22x%22`,
		`SK_LIVE/ABC+12 "X"`,
		hex.EncodeToString([]byte(key)),
		strings.ToUpper(hex.EncodeToString([]byte(key))),
		`<p>sk_live/AbC+12 &quot;x&#34;</p>`,
		`log: "sk_live/AbC+12 \"x\""`,
	} {
		if got := red.String(text); strings.Contains(strings.ToLower(got), "abc") || !strings.Contains(got, "[redacted]") {
			t.Errorf("String(%s) = %s", text, got)
		}
	}
	// Cut at --max-body: 8 characters of the secret or more are hidden,
	// fewer are too common to tell.
	if got := red.Cut(`{"echo":"sk_live/A`); got != `{"echo":"[redacted]` {
		t.Errorf("Cut = %s", got)
	}
	if got := red.Cut(`{"echo":"sk_liv`); got != `{"echo":"sk_liv` {
		t.Errorf("Cut of 6 characters = %s", got)
	}
	if got := red.String(`{"echo":"sk_live/A`); got != `{"echo":"sk_live/A` {
		t.Errorf("String hides a beginning in a text that was not cut: %s", got)
	}
}

// TestClipRedactsAcrossTheCut: Clip redacts a secret that starts before
// the cut even when the cut splits it, and says how long the text was.
func TestClipRedactsAcrossTheCut(t *testing.T) {
	const secret = "0123456789abcdef"
	red := redactorFor(secret)
	for at := 90; at <= 100; at++ {
		text := strings.Repeat("-", at) + url.QueryEscape(secret) + strings.Repeat("-", 1000)
		got := red.Clip(text, 100)
		if strings.Contains(got, "0123") || !strings.HasSuffix(got, fmt.Sprintf("... (%d bytes in all)", len(text))) || len(got) > 130 {
			t.Errorf("Clip at %d: %q", at, got)
		}
	}
}

// TestRedactionWorkIsBounded: a text built to make the matcher branch at
// every byte (backslashes against a secret of backslashes) is redacted
// without a search that never ends. The bound is of steps, not time.
func TestRedactionWorkIsBounded(t *testing.T) {
	secret := strings.Repeat(`\`, 40) + "x"
	red := redactorFor(secret)
	text := "before " + strings.Repeat(`\`, 4000) + "y"
	if got := red.String(text); !strings.HasPrefix(got, "before ") {
		t.Errorf("String = %.40q", got)
	}
	plain := "before " + strings.Repeat(`\`, 40) + "x after"
	if got := red.String(plain); got != "before [redacted] after" {
		t.Errorf("String(%q) = %q", plain, got)
	}
}

// FuzzRedact: for any secret, encoding, case and cut, the redacted text
// is the text around the secret with one [redacted]. Its seed corpus runs
// as a test.
func FuzzRedact(f *testing.F) {
	f.Add("pa?5-w0rd-alice", uint8(0), uint8(0), uint16(0), false)
	f.Add(`sk_live/AbC+12 "x"`, uint8(5), uint8(1), uint16(7), true)
	f.Add("日本語のひみつ😀", uint8(4), uint8(0), uint16(3), true)
	f.Add("a&b<c>d'e\"f", uint8(11), uint8(2), uint16(1), false)
	f.Add(`\\\\%%%%++  `, uint8(9), uint8(0), uint16(2), true)
	f.Fuzz(func(t *testing.T, secret string, e, c uint8, n uint16, cut bool) {
		enc := encodings[int(e)%len(encodings)]
		ch := cases[int(c)%len(cases)]
		if !enc.cased {
			ch = cases[0]
		}
		if ch.change(secret) != secret && (!utf8.ValidString(ch.change(secret)) || len(ch.change(secret)) < 3) {
			return
		}
		at := -1
		if cut {
			at = int(n)
		}
		checkRedacted(t, secret, enc, ch.change, "~~", "||", at)
	})
}

// BenchmarkRedact redacts a transcript of the size a scenario makes, with
// the secrets of a run given --basic-auth and an API key.
func BenchmarkRedact(b *testing.B) {
	red := probe.NewRedactor(probe.Options{HasBasic: true, BasicUser: "demo", BasicPassword: "demo", Header: http.Header{"X-Api-Key": {"sk_live_abcdef123456"}}})
	text := strings.Repeat(`> GET http://127.0.0.1:18080/cv/profiles/00027a5C4T0R001E?x=1
> Authorization: Basic [redacted]
< {"http_method":"GET","title":"not found","description":"no profile 00027a5C4T0R001E here","code":4040,"uri":"/cv/profiles"}
`, 8)
	b.SetBytes(int64(len(text)))
	for i := 0; i < b.N; i++ {
		red.String(text)
	}
}
