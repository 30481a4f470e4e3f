package probe

import (
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
)

// The environment variables a curl line reads the run's credentials from:
// the ones apiconform itself reads, so that a shell set up for a run can
// replay its failures as they are printed.
const (
	BasicAuthVar   = "APICONFORM_BASIC_AUTH"
	BearerTokenVar = "APICONFORM_BEARER_TOKEN"
	HeaderVar      = "APICONFORM_HEADER"
)

// curlVars says what each variable a curl line may read holds, in the
// order a note names them.
var curlVars = []struct{ name, holds string }{
	{BasicAuthVar, "USER:PASS, as --basic-auth takes it"},
	{BearerTokenVar, "the token of --bearer-token"},
	{HeaderVar, "the --header values, 'Name: value', one a line"},
}

// Curl is a POSIX shell command that sends the same request again: the
// method, URL, headers and body as sent, quoted for sh. A HEAD request is
// `curl -I`: `curl -X HEAD` would wait for a body that never comes.
// Credentials of the run are never written out: the Authorization of
// --basic-auth and --bearer-token and the values of --header are read from
// the variables apiconform reads them from (see CurlNote); any other secret
// shows as [redacted].
func (x *Exchange) Curl(r *Redactor) string {
	u := r.URL(x.URL)
	parts := []string{"curl"}
	if x.Method == http.MethodHead {
		parts = append(parts, "-I")
	} else {
		parts = append(parts, "-i", "-X", shellWord(x.Method))
	}
	// curl reads [] and {} in a URL as ranges and sets, and folds /./
	// and /../ away: the request sent must be the one replayed.
	if strings.ContainsAny(u, "[]{}") {
		parts = append(parts, "-g")
	}
	if dotSegment.MatchString(x.URL.EscapedPath()) {
		parts = append(parts, "--path-as-is")
	}
	parts = append(parts, shellQuote(u))
	keys := make([]string, 0, len(x.Header))
	for k := range x.Header {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		for _, v := range x.Header[k] {
			switch {
			case k == "User-Agent" || k == "Content-Length":
			case r.isGiven(k, v):
				parts = append(parts, "-H", r.givenRef(k))
			case k == "Authorization" && r.basic != "" && v == r.basic:
				parts = append(parts, "-u", `"$`+BasicAuthVar+`"`)
			case k == "Authorization" && r.bearer != "" && v == r.bearer:
				parts = append(parts, "-H", `"Authorization: Bearer $`+BearerTokenVar+`"`)
			default:
				parts = append(parts, "-H", shellQuote(k+": "+r.Header(k, v)))
			}
		}
	}
	if len(x.Body) > 0 {
		if _, ok := x.Header["Content-Type"]; !ok {
			// curl would label the body a form; the request had no type.
			parts = append(parts, "-H", shellQuote("Content-Type:"))
		}
		parts = append(parts, "--data-binary", shellQuote(r.String(string(x.Body))))
	}
	return strings.Join(parts, " ")
}

// dotSegment finds a path segment "." or "..", which curl would resolve.
var dotSegment = regexp.MustCompile(`(^|/)\.\.?(/|$)`)

// isGiven tells whether a header value sent is one of --header, as given,
// and the curl line can refer to it: a name given once, plain enough to
// pick its line out of the variable.
func (r *Redactor) isGiven(name, value string) bool {
	vs := r.given[name]
	return len(vs) == 1 && vs[0] == value && headerName.MatchString(name)
}

var headerName = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

// givenRef is the -H argument that reads a --header value from
// APICONFORM_HEADER: the whole variable when it holds one header, else its
// line for the name.
func (r *Redactor) givenRef(name string) string {
	if len(r.given) == 1 {
		return `"$` + HeaderVar + `"`
	}
	return `"$(printf '%s\n' "$` + HeaderVar + `" | grep -i '^` + name + `:')"`
}

// CurlVariables lists the variables a curl line reads credentials from.
func CurlVariables(line string) []string {
	var out []string
	for _, v := range curlVars {
		if strings.Contains(line, "$"+v.name) {
			out = append(out, v.name)
		}
	}
	return out
}

// CurlNote says what a curl line needs before it can be run: the variables
// to export, and the secrets it could only show as [redacted]. It is ""
// for a line that runs as it is.
func CurlNote(line string) string {
	var notes, holds []string
	for _, v := range curlVars {
		if strings.Contains(line, "$"+v.name) {
			holds = append(holds, v.name+" ("+v.holds+")")
		}
	}
	if len(holds) > 0 {
		notes = append(notes, "export "+strings.Join(holds, " and ")+" first")
	}
	if strings.Contains(line, redacted) || strings.Contains(line, url.QueryEscape(redacted)) {
		notes = append(notes, "put the secret back where it shows "+redacted)
	}
	return strings.Join(notes, "; ")
}

// shellWord quotes s for sh unless it is a plain word.
func shellWord(s string) string {
	if s != "" && plainWord.MatchString(s) {
		return s
	}
	return shellQuote(s)
}

var plainWord = regexp.MustCompile(`^[A-Za-z0-9_./:-]+$`)

func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
