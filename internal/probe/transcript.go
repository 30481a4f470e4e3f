package probe

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"unicode/utf8"
)

// redacted stands where a secret was.
const redacted = "[redacted]"

// secretHeaders never show their values.
var secretHeaders = map[string]bool{"Authorization": true, "Proxy-Authorization": true, "Cookie": true, "Set-Cookie": true}

// secretParams are query parameters whose values are hidden: tokens that
// some APIs take in the URL.
var secretParams = []string{"token", "access_token", "id_token", "refresh_token", "api_key", "apikey", "key", "secret", "password", "signature", "sig", "code"}

// Redactor hides the run's credentials wherever they might show: header
// values, query strings, bodies, and any text, plain or base64.
type Redactor struct {
	secrets []string
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
	add := func(s string) {
		if len(s) >= 3 {
			r.secrets = append(r.secrets, s, base64.StdEncoding.EncodeToString([]byte(s)), base64.RawURLEncoding.EncodeToString([]byte(s)))
		}
	}
	if o.HasBasic {
		add(o.BasicPassword)
		add(o.BasicUser + ":" + o.BasicPassword)
		r.secrets = append(r.secrets, basicToken(o.BasicUser, o.BasicPassword))
		r.basic = "Basic " + basicToken(o.BasicUser, o.BasicPassword)
	}
	add(o.BearerToken)
	if o.BearerToken != "" {
		r.bearer = "Bearer " + o.BearerToken
	}
	for k, vs := range o.Header {
		name := http.CanonicalHeaderKey(k)
		r.headers[name] = true
		r.given[name] = append(r.given[name], vs...)
		for _, v := range vs {
			add(v)
		}
	}
	// Longest first, so that a secret inside another is not half hidden.
	sort.Slice(r.secrets, func(i, j int) bool { return len(r.secrets[i]) > len(r.secrets[j]) })
	return r
}

// String hides every known secret in a text.
func (r *Redactor) String(s string) string {
	for _, sec := range r.secrets {
		if sec != "" {
			s = strings.ReplaceAll(s, sec, redacted)
		}
	}
	return s
}

// Header renders a header's value for display.
func (r *Redactor) Header(name, value string) string {
	name = http.CanonicalHeaderKey(name)
	if secretHeaders[name] || r.headers[name] {
		if value == InvalidToken {
			return value // the suite's own invalid key is no secret
		}
		if scheme, _, ok := strings.Cut(value, " "); ok && name != "Cookie" && name != "Set-Cookie" {
			if strings.Contains(value, InvalidToken) || value == "Basic "+basicToken(InvalidUser, InvalidSecret) {
				return value // the suite's own invalid credentials are no secret
			}
			return scheme + " " + redacted
		}
		return redacted
	}
	return r.String(value)
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

// Transcript renders the exchange as request and response texts, redacted,
// with bodies cut to maxBody bytes for display.
func (x *Exchange) Transcript(r *Redactor, maxBody int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "> %s %s\n", x.Method, r.URL(x.URL))
	writeHeaders(&b, "> ", x.Header, r)
	if len(x.Body) > 0 {
		fmt.Fprintf(&b, ">\n%s\n", indent(clip([]byte(r.String(string(x.Body))), maxBody), "> "))
	}
	switch {
	case x.Err != nil:
		// Go's errors quote the whole URL; the rendered one hides its
		// secret query values.
		msg := strings.ReplaceAll(x.Err.Error(), x.URL.String(), r.URL(x.URL))
		fmt.Fprintf(&b, "< (no answer: %s)\n", r.String(msg))
	default:
		fmt.Fprintf(&b, "< %s %d %s\n", x.Proto, x.Status, http.StatusText(x.Status))
		writeHeaders(&b, "< ", x.RespHdr, r)
		if len(x.RespBody) > 0 {
			fmt.Fprintf(&b, "<\n%s\n", indent(clip([]byte(r.String(string(x.RespBody))), maxBody), "< "))
		}
		if x.Truncated {
			b.WriteString("< (body cut at the --max-body limit)\n")
		}
		if x.Retries > 0 {
			fmt.Fprintf(&b, "< (the target answered 429 with Retry-After %d time(s) before this answer; the run waited and tried again)\n", x.Retries)
		}
	}
	return strings.TrimRight(b.String(), "\n")
}

func writeHeaders(b *strings.Builder, prefix string, h http.Header, r *Redactor) {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		for _, v := range h[k] {
			fmt.Fprintf(b, "%s%s: %s\n", prefix, k, r.Header(k, v))
		}
	}
}

func clip(body []byte, max int) string {
	if max > 0 && len(body) > max {
		return string(body[:max]) + fmt.Sprintf("... (%d bytes in all)", len(body))
	}
	if !utf8.Valid(body) {
		return fmt.Sprintf("(%d bytes of binary data)", len(body))
	}
	return string(body)
}

func indent(s, prefix string) string {
	return prefix + strings.ReplaceAll(s, "\n", "\n"+prefix)
}
