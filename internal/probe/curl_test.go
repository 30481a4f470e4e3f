package probe_test

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"os/exec"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/apiconform/apiconform/internal/contract"
	"github.com/apiconform/apiconform/internal/plan"
	"github.com/apiconform/apiconform/internal/probe"
)

// curlCase is a request whose curl line must replay it.
type curlCase struct {
	name    string
	mod     func(*probe.Options) // the run's credentials
	env     []string             // what a user exports for it
	req     *plan.Request
	want    []string // in the line
	not     []string // not in the line
	vars    []string // CurlVariables
	replays bool     // runs as printed (no [redacted] in it)
}

func curlCases() []curlCase {
	basicEnv := "APICONFORM_BASIC_AUTH=" + user + ":" + password
	bearerEnv := "APICONFORM_BEARER_TOKEN=" + token
	oneKey := func(o *probe.Options) { o.Header.Set("X-Api-Key", apiKey) }
	twoKeys := func(o *probe.Options) {
		o.Header.Set("X-Api-Key", apiKey)
		o.Header.Set("X-Tenant", "tenant-s3cret")
	}
	basic := func(o *probe.Options) { o.BasicUser, o.BasicPassword, o.HasBasic = user, password, true }
	bearer := func(o *probe.Options) { o.BearerToken = token }
	req := func(method, path string, auth plan.Auth, schemes ...*contract.Scheme) *plan.Request {
		return &plan.Request{Method: method, Path: path, Header: http.Header{}, Auth: auth, Schemes: schemes}
	}
	withBody := req(http.MethodPost, "/things", plan.AuthValid, bearerScheme)
	withBody.Body, withBody.ContentType = []byte("{\"name\":\"it's $HOME `id` \\\"q\\\" \\\\ !\"}\n"), "application/json"
	untyped := req(http.MethodPut, "/things/1", plan.AuthNone)
	untyped.Body = []byte("a=1&b=2")
	// A query is escaped; a path template may keep its brackets.
	globby := req(http.MethodGet, "/things[1]", plan.AuthNone)
	globby.Query = url.Values{"ids[]": {"1"}, "f": {"{a}"}}
	// A path parameter ".." is no escape for url.PathEscape.
	dots := req(http.MethodGet, "/a/{x}/b", plan.AuthNone)
	dots.PathParams = map[string]string{"x": ".."}
	return []curlCase{
		{name: "head", req: req(http.MethodHead, "/things", plan.AuthNone),
			want: []string{"curl -I '"}, not: []string{"-X HEAD", "-i "}, replays: true},
		{name: "basic", mod: basic, env: []string{basicEnv}, req: req(http.MethodGet, "/things", plan.AuthValid, basicScheme),
			want: []string{`-u "$APICONFORM_BASIC_AUTH"`}, vars: []string{probe.BasicAuthVar}, replays: true},
		{name: "bearer and body", mod: bearer, env: []string{bearerEnv}, req: withBody,
			want: []string{`-H "Authorization: Bearer $APICONFORM_BEARER_TOKEN"`, "--data-binary '"}, vars: []string{probe.BearerTokenVar}, replays: true},
		{name: "invalid bearer is shown", mod: bearer, req: req(http.MethodGet, "/things", plan.AuthInvalid, bearerScheme),
			want: []string{"Bearer " + probe.InvalidToken}, not: []string{"$APICONFORM"}, replays: true},
		{name: "one header", mod: oneKey, env: []string{"APICONFORM_HEADER=X-Api-Key: " + apiKey}, req: req(http.MethodGet, "/things", plan.AuthValid, keyScheme),
			want: []string{`-H "$APICONFORM_HEADER"`}, vars: []string{probe.HeaderVar}, replays: true},
		{name: "two headers", mod: twoKeys, env: []string{"APICONFORM_HEADER=x-tenant: tenant-s3cret\nX-Api-Key: " + apiKey}, req: req(http.MethodGet, "/things", plan.AuthValid, keyScheme),
			want: []string{`grep -i '^X-Api-Key:'`, `grep -i '^X-Tenant:'`}, not: []string{"tenant-s3cret"}, vars: []string{probe.HeaderVar}, replays: true},
		{name: "invalid key replaces the header", mod: twoKeys, env: []string{"APICONFORM_HEADER=X-Tenant: tenant-s3cret\nX-Api-Key: " + apiKey}, req: req(http.MethodGet, "/things", plan.AuthInvalid, keyScheme),
			want: []string{"-H 'X-Api-Key: " + probe.InvalidToken + "'", `grep -i '^X-Tenant:'`}, vars: []string{probe.HeaderVar}, replays: true},
		{name: "body without a type", req: untyped,
			want: []string{"-X PUT", "-H 'Content-Type:'", "--data-binary 'a=1&b=2'"}, replays: true},
		{name: "brackets in the path", req: globby, want: []string{" -g ", "/things[1]?"}, replays: true},
		{name: "dot segments", req: dots, want: []string{" --path-as-is "}, replays: true},
	}
}

// TestCurlLineIsShellCorrect runs each curl line through sh with a curl
// that only prints its arguments: sh must parse it, and curl must get the
// request's method, URL, headers (credentials from the variables) and body
// byte for byte.
func TestCurlLineIsShellCorrect(t *testing.T) {
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no sh")
	}
	for _, tc := range curlCases() {
		t.Run(tc.name, func(t *testing.T) {
			rec := newRecorder(t, nil)
			c := client(t, rec.srv.URL, tc.mod)
			x := c.Do(context.Background(), "it's "+tc.name, tc.req)
			if x.Err != nil {
				t.Fatal(x.Err)
			}
			line := x.Curl(c.Redactor())
			noSecrets(t, "Curl", line)
			if strings.Contains(line, "tenant-s3cret") {
				t.Errorf("the line shows a --header value: %s", line)
			}
			for _, w := range tc.want {
				if !strings.Contains(line, w) {
					t.Errorf("the line lacks %q: %s", w, line)
				}
			}
			for _, w := range tc.not {
				if strings.Contains(line, w) {
					t.Errorf("the line has %q: %s", w, line)
				}
			}
			if got := probe.CurlVariables(line); !reflect.DeepEqual(got, tc.vars) {
				t.Errorf("CurlVariables = %q, want %q", got, tc.vars)
			}
			note := probe.CurlNote(line)
			for _, v := range tc.vars {
				if !strings.Contains(note, "export "+v) {
					t.Errorf("the note %q does not say to export %s", note, v)
				}
			}
			if len(tc.vars) == 0 && tc.replays && note != "" {
				t.Errorf("a line that runs as printed has the note %q", note)
			}
			if out, err := exec.Command("sh", "-n", "-c", line).CombinedOutput(); err != nil {
				t.Fatalf("sh -n: %v %s\n%s", err, out, line)
			}
			args := stubCurl(t, tc.env, line)
			sent := rec.last(t)
			checkArgs(t, args, x, sent)
		})
	}
}

// stubCurl runs a curl line with curl defined as a function that prints its
// arguments, NUL-terminated, and returns them.
func stubCurl(t *testing.T, env []string, line string) []string {
	t.Helper()
	cmd := exec.Command("sh", "-c", `curl() { for a in "$@"; do printf '%s\0' "$a"; done; }`+"\n"+line)
	cmd.Env = append([]string{"PATH=/usr/bin:/bin"}, env...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		t.Fatalf("sh: %v %s\n%s", err, errOut.String(), line)
	}
	args := strings.Split(out.String(), "\x00")
	return args[:len(args)-1]
}

// checkArgs reads curl's arguments back into a request and compares it
// with what the server got from the client.
func checkArgs(t *testing.T, args []string, x *probe.Exchange, sent seen) {
	t.Helper()
	method, target, body := "GET", "", ""
	header := http.Header{}
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch a {
		case "-i", "-g", "--path-as-is":
		case "-I":
			method = "HEAD"
		case "-X":
			i++
			method = args[i]
		case "-u":
			i++
			u, p, _ := strings.Cut(args[i], ":")
			r, _ := http.NewRequest("GET", "http://h/", nil)
			r.SetBasicAuth(u, p)
			header.Add("Authorization", r.Header.Get("Authorization"))
		case "-H":
			i++
			k, v, ok := strings.Cut(args[i], ":")
			if !ok || strings.Contains(args[i], "\n") {
				t.Fatalf("-H %q is not one header", args[i])
			}
			if v = strings.TrimSpace(v); v != "" {
				header.Add(k, v)
			}
		case "--data-binary":
			i++
			body = args[i]
		default:
			if target != "" {
				t.Fatalf("a second URL %q in %q", a, args)
			}
			target = a
		}
	}
	if method != sent.method || target != x.URL.String() || body != sent.body {
		t.Errorf("curl gets %s %s %q; the client sent %s %s %q", method, target, body, sent.method, x.URL, sent.body)
	}
	for k, vs := range sent.header {
		switch k {
		case "User-Agent", "Content-Length", "Accept-Encoding", "Connection":
			continue
		}
		if got := header.Values(k); !reflect.DeepEqual(got, vs) {
			t.Errorf("curl gets %s: %q; the client sent %q", k, got, vs)
		}
	}
	for k := range header {
		if _, ok := sent.header[k]; !ok {
			t.Errorf("curl gets %s, which the client did not send", k)
		}
	}
}

// TestCurlLineReplaysTheRequest runs each line with the real curl, when
// there is one, against the same loopback server: the server must get the
// same request again, and a HEAD must end (curl -X HEAD waits for a body).
func TestCurlLineReplaysTheRequest(t *testing.T) {
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("no curl")
	}
	for _, tc := range curlCases() {
		if !tc.replays {
			continue
		}
		t.Run(tc.name, func(t *testing.T) {
			rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Length", "2")
				w.Write([]byte("ok"))
			})
			c := client(t, rec.srv.URL, tc.mod)
			x := c.Do(context.Background(), "it's "+tc.name, tc.req)
			if x.Err != nil {
				t.Fatal(x.Err)
			}
			line := x.Curl(c.Redactor())
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			cmd := exec.CommandContext(ctx, "sh", "-c", line)
			cmd.Env = append([]string{"PATH=/usr/bin:/bin:/usr/local/bin", "NO_PROXY=*", "no_proxy=*"}, tc.env...)
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("%v (%v)\n%s\n%s", err, ctx.Err(), line, out)
			}
			got := rec.requests()
			if len(got) != 2 {
				t.Fatalf("the server got %d requests, want 2", len(got))
			}
			first, again := got[0], got[1]
			if again.method != first.method || again.requestURI != first.requestURI || again.body != first.body {
				t.Errorf("curl sent %s %s %q; the client %s %s %q", again.method, again.requestURI, again.body, first.method, first.requestURI, first.body)
			}
			for k, vs := range first.header {
				switch k {
				case "User-Agent", "Content-Length", "Accept-Encoding", "Connection":
					continue
				}
				if !reflect.DeepEqual(again.header.Values(k), vs) {
					t.Errorf("curl sent %s: %q; the client %q", k, again.header.Values(k), vs)
				}
			}
			if ct := again.header.Get("Content-Type"); first.header.Get("Content-Type") == "" && ct != "" {
				t.Errorf("curl added Content-Type %q", ct)
			}
		})
	}
}

func TestCurlNoteOfARedactedValue(t *testing.T) {
	red := probe.NewRedactor(probe.Options{Header: http.Header{}})
	x := &probe.Exchange{Method: "GET", URL: mustURL(t, "http://h/x?token=abc"), Header: http.Header{}}
	line := x.Curl(red)
	// The URL's [redacted] is escaped, a header's is not: the note
	// says what to do of both.
	if !strings.Contains(line, "token=%5Bredacted%5D") {
		t.Fatalf("line %s", line)
	}
	x.URL = mustURL(t, "http://h/x")
	for _, l := range []string{line, (&probe.Exchange{Method: "GET", URL: x.URL, Header: http.Header{"Cookie": {"sid=1"}}}).Curl(red)} {
		if note := probe.CurlNote(l); !strings.Contains(note, "[redacted]") || strings.Contains(note, "export") {
			t.Errorf("note %q of %s", note, l)
		}
	}
}
