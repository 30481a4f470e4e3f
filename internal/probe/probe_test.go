package probe_test

import (
	"bufio"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/apiconform/apiconform/internal/contract"
	"github.com/apiconform/apiconform/internal/plan"
	"github.com/apiconform/apiconform/internal/probe"
)

// seen is what a test server received.
type seen struct {
	method, requestURI, path string
	header                   http.Header
	body                     string
	query                    url.Values
}

// recorder is a loopback server that records every request and answers
// with answer (200 "ok" when nil).
type recorder struct {
	srv *httptest.Server
	mu  sync.Mutex
	got []seen
}

func newRecorder(t *testing.T, answer http.HandlerFunc) *recorder {
	t.Helper()
	rec := &recorder{}
	rec.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		rec.mu.Lock()
		rec.got = append(rec.got, seen{r.Method, r.RequestURI, r.URL.Path, r.Header.Clone(), string(body), r.URL.Query()})
		rec.mu.Unlock()
		if answer != nil {
			answer(w, r)
			return
		}
		io.WriteString(w, "ok")
	}))
	t.Cleanup(rec.srv.Close)
	return rec
}

func (rec *recorder) requests() []seen {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return append([]seen(nil), rec.got...)
}

// last returns the one request the server got.
func (rec *recorder) last(t *testing.T) seen {
	t.Helper()
	got := rec.requests()
	if len(got) != 1 {
		t.Fatalf("the server got %d requests, want 1", len(got))
	}
	return got[0]
}

func mustURL(t *testing.T, raw string) *url.URL {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// client makes a client for a target under base, with a timeout that only
// bounds a broken test.
func client(t *testing.T, target string, mod func(*probe.Options)) *probe.Client {
	t.Helper()
	o := probe.Options{Target: mustURL(t, target), Timeout: 5 * time.Second, MaxBody: 1 << 16, UserAgent: "apiconform/test", Header: http.Header{}}
	if mod != nil {
		mod(&o)
	}
	return probe.New(o)
}

func get(path string) *plan.Request {
	return &plan.Request{Method: http.MethodGet, Path: path, Header: http.Header{}}
}

func TestRequestAsPlanned(t *testing.T) {
	rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Answer", "yes")
		w.WriteHeader(http.StatusCreated)
		io.WriteString(w, `{"id":1}`)
	})
	c := client(t, rec.srv.URL+"/base", func(o *probe.Options) { o.Header.Set("X-Tenant", "t1") })
	req := &plan.Request{
		Method: http.MethodPost, Path: "/items", Query: url.Values{"q": {"a b"}},
		Header: http.Header{"X-Extra": {"e"}}, Body: []byte(`{"name":"n"}`), ContentType: "application/json",
	}
	x := c.Do(context.Background(), "createItem success", req)
	if x.Err != nil {
		t.Fatal(x.Err)
	}
	got := rec.last(t)
	if got.method != "POST" || got.path != "/base/items" || got.query.Get("q") != "a b" || got.body != `{"name":"n"}` {
		t.Fatalf("the server got %+v", got)
	}
	for name, want := range map[string]string{
		probe.ScenarioHeader: "createItem success",
		"Content-Type":       "application/json",
		"User-Agent":         "apiconform/test",
		"X-Tenant":           "t1",
		"X-Extra":            "e",
	} {
		if v := got.header.Get(name); v != want {
			t.Errorf("%s: %q, want %q", name, v, want)
		}
		if v := x.Header.Get(name); v != want {
			t.Errorf("the exchange records %s: %q, want %q", name, v, want)
		}
	}
	if x.ScenarioID != "createItem success" || x.Method != "POST" || x.Status != 201 || x.Proto != "HTTP/1.1" ||
		string(x.RespBody) != `{"id":1}` || x.RespHdr.Get("X-Answer") != "yes" || x.Truncated || x.TimedOut || x.Auth != plan.AuthValid {
		t.Fatalf("exchange %+v", x)
	}
	if x.URL.String() != rec.srv.URL+"/base/items?q=a+b" {
		t.Fatalf("exchange URL %s", x.URL)
	}
	if c.Timeout() != 5*time.Second {
		t.Fatalf("Timeout() = %v", c.Timeout())
	}
}

func TestScenarioHeaderCannotBeOverridden(t *testing.T) {
	rec := newRecorder(t, nil)
	c := client(t, rec.srv.URL, func(o *probe.Options) { o.Header.Set(probe.ScenarioHeader, "from-options") })
	req := get("/x")
	req.Header.Set(probe.ScenarioHeader, "from-request")
	c.Do(context.Background(), "the-id", req)
	if got := rec.last(t).header.Values(probe.ScenarioHeader); len(got) != 1 || got[0] != "the-id" {
		t.Fatalf("%s: %v", probe.ScenarioHeader, got)
	}
}

func TestOrigin(t *testing.T) {
	rec := newRecorder(t, nil)
	with := client(t, rec.srv.URL, func(o *probe.Options) { o.Origin = "https://app.example.com" })
	without := client(t, rec.srv.URL, nil)
	with.Do(context.Background(), "id", get("/x"))
	without.Do(context.Background(), "id", get("/x"))
	got := rec.requests()
	if len(got) != 2 || got[0].header.Get("Origin") != "https://app.example.com" || got[1].header.Get("Origin") != "" {
		t.Fatalf("Origin headers: %q", []string{got[0].header.Get("Origin"), got[1].header.Get("Origin")})
	}
}

func TestNoBodyIsSentWithoutOne(t *testing.T) {
	rec := newRecorder(t, nil)
	c := client(t, rec.srv.URL, nil)
	c.Do(context.Background(), "id", get("/x"))
	got := rec.last(t)
	if got.body != "" || got.header.Get("Content-Type") != "" || got.header.Get("Transfer-Encoding") != "" {
		t.Fatalf("a GET without body sent %+v", got)
	}
}

func TestRedirectsAreAnswers(t *testing.T) {
	for _, code := range []int{301, 302, 303, 307, 308} {
		t.Run(fmt.Sprint(code), func(t *testing.T) {
			rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/base/start" {
					w.Header().Set("Location", "/base/elsewhere")
					w.WriteHeader(code)
					io.WriteString(w, "moved")
					return
				}
				io.WriteString(w, "followed")
			})
			c := client(t, rec.srv.URL+"/base", nil)
			x := c.Do(context.Background(), "id", get("/start"))
			if x.Err != nil || x.Status != code || x.RespHdr.Get("Location") != "/base/elsewhere" || string(x.RespBody) != "moved" {
				t.Fatalf("want the %d itself, got status %d, Location %q, body %q, err %v", code, x.Status, x.RespHdr.Get("Location"), x.RespBody, x.Err)
			}
			if n := len(rec.requests()); n != 1 {
				t.Fatalf("the redirect was followed: %d requests", n)
			}
		})
	}
}

func TestBodyCap(t *testing.T) {
	const max = 16
	full := strings.Repeat("0123456789", 10)
	for _, tc := range []struct {
		size      int
		truncated bool
	}{{0, false}, {max - 1, false}, {max, false}, {max + 1, true}, {len(full), true}} {
		t.Run(fmt.Sprint(tc.size), func(t *testing.T) {
			rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, full[:tc.size]) })
			c := client(t, rec.srv.URL, func(o *probe.Options) { o.MaxBody = max })
			x := c.Do(context.Background(), "id", get("/x"))
			want := full[:min(tc.size, max)]
			if x.Err != nil || string(x.RespBody) != want || x.Truncated != tc.truncated {
				t.Fatalf("body %q truncated %v err %v; want %q truncated %v", x.RespBody, x.Truncated, x.Err, want, tc.truncated)
			}
			tr := x.Transcript(probe.NewRedactor(probe.Options{}), 0)
			if strings.Contains(tr, "--max-body") != tc.truncated {
				t.Fatalf("transcript and truncation disagree:\n%s", tr)
			}
		})
	}
}

// blocking is a server whose handler runs its start and then waits until
// the test ends.
func blocking(t *testing.T, start func(w http.ResponseWriter)) *httptest.Server {
	t.Helper()
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if start != nil {
			start(w)
		}
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) }) // runs first: handlers return, then Close
	return srv
}

func TestTimeoutWaitingForTheAnswer(t *testing.T) {
	srv := blocking(t, nil)
	c := client(t, srv.URL, func(o *probe.Options) { o.Timeout = 200 * time.Millisecond })
	x := c.Do(context.Background(), "id", get("/x"))
	if x.Err == nil || !x.TimedOut || x.Status != 0 {
		t.Fatalf("want a timeout, got status %d err %v timedOut %v", x.Status, x.Err, x.TimedOut)
	}
	if tr := x.Transcript(c.Redactor(), 0); !strings.Contains(tr, "< (no answer: ") {
		t.Fatalf("transcript of a timeout:\n%s", tr)
	}
}

func TestTimeoutReadingTheBody(t *testing.T) {
	srv := blocking(t, func(w http.ResponseWriter) {
		w.Header().Set("Content-Length", "1000")
		w.WriteHeader(200)
		io.WriteString(w, "partial")
		w.(http.Flusher).Flush()
	})
	c := client(t, srv.URL, func(o *probe.Options) { o.Timeout = 200 * time.Millisecond })
	x := c.Do(context.Background(), "id", get("/x"))
	if x.Err == nil || !x.TimedOut || x.Status != 200 || string(x.RespBody) != "partial" {
		t.Fatalf("want a timeout in the body, got status %d body %q err %v timedOut %v", x.Status, x.RespBody, x.Err, x.TimedOut)
	}
	if !strings.Contains(x.Err.Error(), "reading the body") {
		t.Fatalf("err %v", x.Err)
	}
}

func TestCallerCancellation(t *testing.T) {
	srv := blocking(t, nil)
	c := client(t, srv.URL, nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	x := c.Do(ctx, "id", get("/x"))
	if x.Err == nil || !errors.Is(x.Err, context.Canceled) || x.TimedOut {
		t.Fatalf("a cancelled run is no timeout: err %v timedOut %v", x.Err, x.TimedOut)
	}
}

// rawServer accepts connections on loopback, reads one request from each
// and lets respond write what it likes.
func rawServer(t *testing.T, respond func(c net.Conn)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer conn.Close()
				conn.SetDeadline(time.Now().Add(5 * time.Second))
				if _, err := http.ReadRequest(bufio.NewReader(conn)); err != nil {
					return
				}
				respond(conn)
			}()
		}
	}()
	t.Cleanup(func() { ln.Close(); wg.Wait() })
	return "http://" + ln.Addr().String()
}

func TestBrokenAnswers(t *testing.T) {
	cases := map[string]struct {
		respond func(c net.Conn)
		status  int
	}{
		"garbage": {func(c net.Conn) { io.WriteString(c, "this is not HTTP at all\r\n\r\n") }, 0},
		"closed":  {func(c net.Conn) {}, 0},
		"reset": {func(c net.Conn) {
			if tc, ok := c.(*net.TCPConn); ok {
				tc.SetLinger(0)
			}
		}, 0},
		"bad status line": {func(c net.Conn) { io.WriteString(c, "HTTP/1.1 abc OK\r\n\r\n") }, 0},
		"body cut short": {func(c net.Conn) {
			io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\nContent-Type: text/plain\r\n\r\nshort")
		}, 200},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			c := client(t, rawServer(t, tc.respond), nil)
			x := c.Do(context.Background(), "id", get("/x"))
			if x.Err == nil || x.TimedOut || x.Status != tc.status {
				t.Fatalf("want an error with status %d, got status %d err %v timedOut %v", tc.status, x.Status, x.Err, x.TimedOut)
			}
			// rendering a broken exchange must not panic
			if tr := x.Transcript(c.Redactor(), 100); !strings.Contains(tr, "> GET ") {
				t.Fatalf("transcript:\n%s", tr)
			}
			if cu := x.Curl(c.Redactor()); !strings.HasPrefix(cu, "curl -i -X GET '") {
				t.Fatalf("curl: %s", cu)
			}
		})
	}
}

func TestUnreachable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there any more
	c := client(t, "http://"+addr, nil)
	x := c.Do(context.Background(), "id", get("/x"))
	if x.Err == nil || x.TimedOut || x.Status != 0 {
		t.Fatalf("err %v timedOut %v status %d", x.Err, x.TimedOut, x.Status)
	}
}

// Credentials of a run, and their schemes.
const (
	user     = "alice"
	password = "pa?5-w0rd-alice"    // its base64 forms hold a / or _
	token    = "tok~3f9a?bearer>77" // likewise
	apiKey   = "s3cr3t-key"
	apiKey2  = "s3?r3t-key"
)

var (
	basicScheme  = &contract.Scheme{Name: "basicAuth", Kind: contract.KindBasic}
	bearerScheme = &contract.Scheme{Name: "bearerAuth", Kind: contract.KindBearer}
	keyScheme    = &contract.Scheme{Name: "key", Kind: contract.KindAPIKey, In: "header", Param: "X-Api-Key"}
	queryScheme  = &contract.Scheme{Name: "qkey", Kind: contract.KindAPIKey, In: "query", Param: "api_key"}
	otherScheme  = &contract.Scheme{Name: "mtls", Kind: contract.KindOther}
)

func withSecrets(o *probe.Options) {
	o.BasicUser, o.BasicPassword, o.HasBasic = user, password, true
	o.BearerToken = token
	o.Header.Set("X-Api-Key", apiKey)
}

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

func TestCredentials(t *testing.T) {
	invalidBasic := "Basic " + b64(probe.InvalidUser+":"+probe.InvalidSecret)
	cases := []struct {
		name    string
		schemes []*contract.Scheme
		auth    plan.Auth
		query   url.Values
		auth1   string // Authorization
		key     string // X-Api-Key
		qkey    string // api_key in the query
	}{
		{"basic valid", []*contract.Scheme{basicScheme}, plan.AuthValid, nil, "Basic " + b64(user+":"+password), apiKey, ""},
		{"basic none", []*contract.Scheme{basicScheme}, plan.AuthNone, nil, "", apiKey, ""},
		{"basic invalid", []*contract.Scheme{basicScheme}, plan.AuthInvalid, nil, invalidBasic, apiKey, ""},
		{"bearer valid", []*contract.Scheme{bearerScheme}, plan.AuthValid, nil, "Bearer " + token, apiKey, ""},
		{"bearer none", []*contract.Scheme{bearerScheme}, plan.AuthNone, nil, "", apiKey, ""},
		{"bearer invalid", []*contract.Scheme{bearerScheme}, plan.AuthInvalid, nil, "Bearer " + probe.InvalidToken, apiKey, ""},
		{"header key valid", []*contract.Scheme{keyScheme}, plan.AuthValid, nil, "", apiKey, ""},
		{"header key none", []*contract.Scheme{keyScheme}, plan.AuthNone, nil, "", "", ""},
		{"header key invalid", []*contract.Scheme{keyScheme}, plan.AuthInvalid, nil, "", probe.InvalidToken, ""},
		{"query key none", []*contract.Scheme{queryScheme}, plan.AuthNone, url.Values{"api_key": {"k"}, "page": {"2"}}, "", apiKey, ""},
		{"query key invalid", []*contract.Scheme{queryScheme}, plan.AuthInvalid, url.Values{"api_key": {"k"}, "page": {"2"}}, "", apiKey, probe.InvalidToken},
		{"basic and key together, invalid", []*contract.Scheme{basicScheme, keyScheme}, plan.AuthInvalid, nil, invalidBasic, probe.InvalidToken, ""},
		{"basic and key together, none", []*contract.Scheme{basicScheme, keyScheme}, plan.AuthNone, nil, "", "", ""},
		{"no scheme", nil, plan.AuthValid, nil, "", apiKey, ""},
		{"a scheme apiconform cannot send", []*contract.Scheme{otherScheme}, plan.AuthValid, nil, "", apiKey, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := newRecorder(t, nil)
			c := client(t, rec.srv.URL, withSecrets)
			req := get("/x")
			req.Auth, req.Schemes, req.Query = tc.auth, tc.schemes, tc.query
			x := c.Do(context.Background(), "id", req)
			if x.Err != nil {
				t.Fatal(x.Err)
			}
			got := rec.last(t)
			for _, h := range []http.Header{got.header, x.Header} {
				if v := h.Get("Authorization"); v != tc.auth1 {
					t.Errorf("Authorization %q, want %q", v, tc.auth1)
				}
				if v := h.Get("X-Api-Key"); v != tc.key {
					t.Errorf("X-Api-Key %q, want %q", v, tc.key)
				}
			}
			if tc.query != nil {
				if v := got.query.Get("api_key"); v != tc.qkey {
					t.Errorf("api_key %q, want %q", v, tc.qkey)
				}
				if got.query.Get("page") != "2" {
					t.Errorf("the other query parameters were lost: %v", got.query)
				}
			}
			if x.Auth != tc.auth {
				t.Errorf("the exchange records auth %v", x.Auth)
			}
		})
	}
}

// With basic and bearer both configured, each request carries the one its
// scheme names, and an unsecured request neither.
func TestEachSchemeItsOwnCredentials(t *testing.T) {
	rec := newRecorder(t, nil)
	c := client(t, rec.srv.URL, withSecrets)
	for _, s := range []*contract.Scheme{basicScheme, bearerScheme, nil} {
		req := get("/x")
		if s != nil {
			req.Schemes = []*contract.Scheme{s}
		}
		c.Do(context.Background(), "id", req)
	}
	got := rec.requests()
	if len(got) != 3 {
		t.Fatalf("%d requests", len(got))
	}
	if u, p, ok := basicAuth(got[0].header); !ok || u != user || p != password {
		t.Errorf("basic request: %q", got[0].header.Get("Authorization"))
	}
	if v := got[1].header.Get("Authorization"); v != "Bearer "+token {
		t.Errorf("bearer request: %q", v)
	}
	if v := got[2].header.Get("Authorization"); v != "" {
		t.Errorf("unsecured request: %q", v)
	}
}

func basicAuth(h http.Header) (string, string, bool) {
	r := &http.Request{Header: h}
	return r.BasicAuth()
}

func TestValidCredentialsNotConfigured(t *testing.T) {
	rec := newRecorder(t, nil)
	c := client(t, rec.srv.URL, nil)
	for _, s := range []*contract.Scheme{basicScheme, bearerScheme} {
		req := get("/x")
		req.Schemes = []*contract.Scheme{s}
		c.Do(context.Background(), "id", req)
	}
	for i, got := range rec.requests() {
		if v := got.header.Get("Authorization"); v != "" {
			t.Errorf("request %d carries Authorization %q though none was configured", i, v)
		}
	}
}

func TestAuthorizationFromOptionsIsDroppedForAuthNone(t *testing.T) {
	rec := newRecorder(t, nil)
	c := client(t, rec.srv.URL, func(o *probe.Options) { o.Header.Set("Authorization", "Token from-header") })
	req := get("/x")
	req.Auth, req.Schemes = plan.AuthNone, []*contract.Scheme{otherScheme}
	c.Do(context.Background(), "id", req)
	if v := rec.last(t).header.Get("Authorization"); v != "" {
		t.Fatalf("credentials.missing sent Authorization %q", v)
	}
}

func TestCookieAPIKey(t *testing.T) {
	scheme := &contract.Scheme{Name: "session", Kind: contract.KindAPIKey, In: "cookie", Param: "session"}
	rec := newRecorder(t, nil)
	c := client(t, rec.srv.URL, func(o *probe.Options) { o.Header.Set("Cookie", "session="+apiKey) })
	for _, a := range []plan.Auth{plan.AuthNone, plan.AuthInvalid} {
		req := get("/x")
		req.Auth, req.Schemes = a, []*contract.Scheme{scheme}
		c.Do(context.Background(), "id", req)
	}
	for i, got := range rec.requests() {
		if strings.Contains(got.header.Get("Cookie"), apiKey) {
			t.Errorf("request %d (auth %d) carries the valid session cookie", i, i+1)
		}
	}
}

func TestURLFor(t *testing.T) {
	cases := []struct {
		target, path string
		params       map[string]string
		query        url.Values
		want         string
	}{
		{"http://h/api/v1", "/p/{id}", map[string]string{"id": "a b"}, nil, "http://h/api/v1/p/a%20b"},
		{"http://h/api/v1/", "/p/{id}", map[string]string{"id": "a/b"}, nil, "http://h/api/v1/p/a%2Fb"},
		{"http://h", "/p/{id}/q", map[string]string{"id": "100%"}, nil, "http://h/p/100%25/q"},
		{"http://h/", "/p/{id}", map[string]string{"id": "é?#"}, nil, "http://h/p/%C3%A9%3F%23"},
		{"http://h/my%20api", "/p/{a}/{b}", map[string]string{"a": "1", "b": "x y"}, url.Values{"q": {"a b"}, "z": {"1"}}, "http://h/my%20api/p/1/x%20y?q=a+b&z=1"},
		{"https://h:8443/base", "/static", nil, nil, "https://h:8443/base/static"},
	}
	for _, tc := range cases {
		c := probe.New(probe.Options{Target: mustURL(t, tc.target)})
		u := c.URLFor(&plan.Request{Path: tc.path, PathParams: tc.params, Query: tc.query})
		if u.String() != tc.want {
			t.Errorf("URLFor(%s + %s %v) = %s, want %s", tc.target, tc.path, tc.params, u, tc.want)
		}
	}
}

func TestPathEscapingOnTheWire(t *testing.T) {
	rec := newRecorder(t, nil)
	c := client(t, rec.srv.URL+"/base/", nil)
	req := get("/items/{id}/parts/{part}")
	req.PathParams = map[string]string{"id": "a b/c", "part": "x?y"}
	req.Query = url.Values{"q": {"1&2"}}
	x := c.Do(context.Background(), "id", req)
	if x.Err != nil {
		t.Fatal(x.Err)
	}
	got := rec.last(t)
	if got.requestURI != "/base/items/a%20b%2Fc/parts/x%3Fy?q=1%262" {
		t.Fatalf("the server got %s", got.requestURI)
	}
	if got.path != "/base/items/a b/c/parts/x?y" || got.query.Get("q") != "1&2" {
		t.Fatalf("decoded path %q query %v", got.path, got.query)
	}
	if x.URL.Path != got.path || x.URL.EscapedPath() != "/base/items/a%20b%2Fc/parts/x%3Fy" {
		t.Fatalf("exchange URL %q %q", x.URL.Path, x.URL.EscapedPath())
	}
}

// secrets lists every form of the run's credentials that must never show.
func secrets() []string {
	var out []string
	for _, s := range []string{password, user + ":" + password, token, apiKey, apiKey2} {
		out = append(out, s, b64(s), base64.RawURLEncoding.EncodeToString([]byte(s)))
	}
	return out
}

func noSecrets(t *testing.T, what, text string) {
	t.Helper()
	for _, s := range secrets() {
		if strings.Contains(text, s) {
			t.Errorf("%s shows the secret %q:\n%s", what, s, text)
		}
	}
}

// echo is a server that answers with every credential it got, in headers
// and in the body, plain and as sent.
func echo(w http.ResponseWriter, r *http.Request) {
	u, p, _ := r.BasicAuth()
	w.Header().Set("X-Echo-Authorization", r.Header.Get("Authorization"))
	w.Header().Set("X-Api-Key", r.Header.Get("X-Api-Key"))
	w.Header().Set("Set-Cookie", "session="+r.Header.Get("X-Api-Key"))
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusUnauthorized)
	fmt.Fprintf(w, "{\"authorization\":%q,\n\"user\":%q,\"password\":%q,\"key\":%q}", r.Header.Get("Authorization"), u, p, r.Header.Get("X-Api-Key"))
}

func TestRedaction(t *testing.T) {
	rec := newRecorder(t, echo)
	c := client(t, rec.srv.URL+"/base", withSecrets)
	red := c.Redactor()
	for _, tc := range []struct {
		name    string
		schemes []*contract.Scheme
		auth    plan.Auth
	}{
		{"basic", []*contract.Scheme{basicScheme}, plan.AuthValid},
		{"bearer", []*contract.Scheme{bearerScheme}, plan.AuthValid},
		{"key", []*contract.Scheme{keyScheme}, plan.AuthValid},
		{"basic invalid", []*contract.Scheme{basicScheme}, plan.AuthInvalid},
		{"bearer none", []*contract.Scheme{bearerScheme}, plan.AuthNone},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := &plan.Request{
				Method: http.MethodPut, Path: "/things/{id}", PathParams: map[string]string{"id": "t1"},
				Query:  url.Values{"token": {"q-token-secret"}, "Access_Token": {"q-access-secret"}, "page": {"2"}},
				Header: http.Header{}, Auth: tc.auth, Schemes: tc.schemes,
				Body:        []byte(`{"password":"` + password + `","token":"` + token + `","key":"` + apiKey + `","name":"visible"}`),
				ContentType: "application/json",
			}
			x := c.Do(context.Background(), "things "+tc.name, req)
			if x.Err != nil || x.Status != 401 {
				t.Fatalf("status %d err %v", x.Status, x.Err)
			}
			for what, text := range map[string]string{
				"Transcript(0)":    x.Transcript(red, 0),
				"Transcript(4096)": x.Transcript(red, 4096),
				"Curl":             x.Curl(red),
				"URL":              red.URL(x.URL),
			} {
				noSecrets(t, what, text)
				for _, q := range []string{"q-token-secret", "q-access-secret"} {
					if strings.Contains(text, q) {
						t.Errorf("%s shows the query secret %q:\n%s", what, q, text)
					}
				}
				if !strings.Contains(text, "page=2") || !strings.Contains(text, "/base/things/t1") {
					t.Errorf("%s lost what is no secret:\n%s", what, text)
				}
			}
			tr := x.Transcript(red, 0)
			if tc.name == "basic" && !strings.Contains(tr, `< {"authorization":"Basic [redacted]",`+"\n"+`< "user":"alice","password":"[redacted]"`) {
				t.Errorf("the echoed credentials should show redacted:\n%s", tr)
			}
			for _, want := range []string{"> PUT ", "< HTTP/1.1 401 Unauthorized", "< X-Echo-Authorization: ", "< Set-Cookie: [redacted]", "> X-Api-Key: [redacted]", `"name":"visible"`, "> " + probe.ScenarioHeader + ": things " + tc.name} {
				if !strings.Contains(tr, want) {
					t.Errorf("transcript lacks %q:\n%s", want, tr)
				}
			}
		})
	}
}

func TestRedactorURL(t *testing.T) {
	red := probe.NewRedactor(probe.Options{})
	u := mustURL(t, "https://bob:hunter22@h/p?token=t1&ACCESS_TOKEN=t2&id_token=t3&api_key=t4&apikey=t5&Sig=t6&code=t7&password=t8&page=2&keyword=ok")
	got := red.URL(u)
	for _, s := range []string{"t1", "t2", "t3", "t4", "t5", "t6", "t7", "t8", "bob", "hunter22"} {
		if strings.Contains(got, "="+s) || strings.Contains(got, s+"@") {
			t.Errorf("URL shows %q: %s", s, got)
		}
	}
	if !strings.Contains(got, "page=2") || !strings.Contains(got, "keyword=ok") || !strings.Contains(got, "token=%5Bredacted%5D") {
		t.Errorf("URL %s", got)
	}
	if u.RawQuery == "" || u.User == nil || !strings.Contains(u.RawQuery, "token=t1") {
		t.Error("URL must not change the URL it renders")
	}
	// a URL without secrets renders as is
	plain := mustURL(t, "http://h/a%20b?x=1")
	if got := red.URL(plain); got != "http://h/a%20b?x=1" {
		t.Errorf("URL(%s) = %s", plain, got)
	}
}

func TestRedactorStringAndHeader(t *testing.T) {
	o := probe.Options{Header: http.Header{}}
	withSecrets(&o)
	o.Header.Set("X-Other-Key", apiKey2)
	red := probe.NewRedactor(o)
	text := "pw " + password + " pair " + user + ":" + password + " b64 " + b64(user+":"+password) + " pw64 " + b64(password) +
		" tok " + token + " tok64 " + b64(token) + " key " + apiKey + " key64 " + b64(apiKey) + " key2 " + apiKey2 + " key2-64 " + b64(apiKey2)
	for _, s := range []string{password, user + ":" + password, token, apiKey2} {
		text += " url " + base64.RawURLEncoding.EncodeToString([]byte(s))
	}
	got := red.String(text)
	noSecrets(t, "String", got)
	if !strings.HasPrefix(got, "pw [redacted] pair [redacted] b64 [redacted] pw64 [redacted] tok [redacted] ") {
		t.Errorf("String = %q", got)
	}
	for _, tc := range []struct{ name, value, want string }{
		{"Authorization", "Basic " + b64(user+":"+password), "Basic [redacted]"},
		{"authorization", "Bearer " + token, "Bearer [redacted]"},
		{"Authorization", "Bearer " + probe.InvalidToken, "Bearer " + probe.InvalidToken},
		{"Authorization", "Basic " + b64(probe.InvalidUser+":"+probe.InvalidSecret), "Basic " + b64(probe.InvalidUser+":"+probe.InvalidSecret)},
		{"Authorization", "opaque", "[redacted]"},
		{"Proxy-Authorization", "Basic xyz", "Basic [redacted]"},
		{"Cookie", "a=b; c=d", "[redacted]"},
		{"Set-Cookie", "a=b; Path=/", "[redacted]"},
		{"x-api-key", apiKey, "[redacted]"},
		{"X-Api-Key", "a-rotated-value", "[redacted]"},     // by its name, whatever the value
		{"X-Api-Key", "first-word of a key", "[redacted]"}, // no scheme outside Authorization
		{"Authorization", "Token abc def", "Token [redacted]"},
		{"Authorization", "not/a:scheme " + apiKey, "[redacted]"},
		{"X-Other", "carries " + token + " inside", "carries [redacted] inside"},
		{"X-Other", "nothing secret", "nothing secret"},
	} {
		if got := red.Header(tc.name, tc.value); got != tc.want {
			t.Errorf("Header(%s, %q) = %q, want %q", tc.name, tc.value, got, tc.want)
		}
	}
}

func TestCurl(t *testing.T) {
	rec := newRecorder(t, nil)
	c := client(t, rec.srv.URL+"/base", withSecrets)
	red := c.Redactor()
	do := func(auth plan.Auth, s *contract.Scheme) string {
		req := get("/x")
		req.Auth, req.Schemes = auth, []*contract.Scheme{s}
		x := c.Do(context.Background(), "it's id", req)
		if x.Err != nil {
			t.Fatal(x.Err)
		}
		cu := x.Curl(red)
		noSecrets(t, "Curl", cu)
		if !strings.HasPrefix(cu, "curl -i -X GET '"+rec.srv.URL+"/base/x' ") {
			t.Errorf("curl line starts wrong: %s", cu)
		}
		if !strings.Contains(cu, `-H '`+probe.ScenarioHeader+`: it'\''s id'`) {
			t.Errorf("curl line lacks the quoted scenario header: %s", cu)
		}
		if strings.Contains(cu, "User-Agent") {
			t.Errorf("curl line sets User-Agent: %s", cu)
		}
		return cu
	}
	cases := []struct {
		name string
		auth plan.Auth
		s    *contract.Scheme
		want []string
		not  []string
	}{
		// The --header X-Api-Key goes with every request; it is the only
		// header given, so the whole variable is it.
		{"basic valid", plan.AuthValid, basicScheme, []string{`-u "$APICONFORM_BASIC_AUTH"`, `-H "$APICONFORM_HEADER"`}, []string{"Authorization:", "[redacted]"}},
		{"bearer valid", plan.AuthValid, bearerScheme, []string{`-H "Authorization: Bearer $APICONFORM_BEARER_TOKEN"`, `-H "$APICONFORM_HEADER"`}, []string{"-u ", "[redacted]"}},
		{"basic invalid", plan.AuthInvalid, basicScheme, []string{`-H 'Authorization: Basic ` + b64(probe.InvalidUser+":"+probe.InvalidSecret) + `'`}, []string{"$APICONFORM_BASIC_AUTH", "$APICONFORM_BEARER_TOKEN"}},
		{"bearer invalid", plan.AuthInvalid, bearerScheme, []string{`-H 'Authorization: Bearer ` + probe.InvalidToken + `'`}, []string{"$APICONFORM_BASIC_AUTH", "$APICONFORM_BEARER_TOKEN"}},
		{"basic none", plan.AuthNone, basicScheme, nil, []string{"Authorization", "-u ", "$APICONFORM_BASIC_AUTH", "$APICONFORM_BEARER_TOKEN"}},
		{"bearer none", plan.AuthNone, bearerScheme, nil, []string{"Authorization", "-u ", "$APICONFORM_BASIC_AUTH", "$APICONFORM_BEARER_TOKEN"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cu := do(tc.auth, tc.s)
			for _, w := range tc.want {
				if !strings.Contains(cu, w) {
					t.Errorf("curl line lacks %s: %s", w, cu)
				}
			}
			for _, w := range tc.not {
				if strings.Contains(cu, w) {
					t.Errorf("curl line has %s: %s", w, cu)
				}
			}
		})
	}
}

func TestCurlBody(t *testing.T) {
	red := probe.NewRedactor(probe.Options{BearerToken: token})
	x := &probe.Exchange{Method: "POST", URL: mustURL(t, "http://h/x"), Header: http.Header{"Content-Type": {"application/json"}}, Body: []byte(`{"a":"it's","t":"` + token + `"}`)}
	cu := x.Curl(red)
	if want := `--data-binary '{"a":"it'\''s","t":"[redacted]"}'`; !strings.HasSuffix(cu, want) {
		t.Fatalf("curl %s, want the body %s", cu, want)
	}
}

func TestTranscriptOfAnErrorHidesSecrets(t *testing.T) {
	o := probe.Options{Header: http.Header{}}
	withSecrets(&o)
	red := probe.NewRedactor(o)
	x := &probe.Exchange{Method: "GET", URL: mustURL(t, "http://h/x"), Err: errors.New("proxy said: bad token " + token + " for " + b64(user+":"+password))}
	tr := x.Transcript(red, 0)
	noSecrets(t, "Transcript", tr)
	if !strings.Contains(tr, "< (no answer: proxy said: bad token [redacted] for [redacted])") {
		t.Fatalf("transcript:\n%s", tr)
	}
}

func TestTranscriptBodies(t *testing.T) {
	red := probe.NewRedactor(probe.Options{})
	x := &probe.Exchange{
		Method: "GET", URL: mustURL(t, "http://h/x"), Status: 200, Proto: "HTTP/1.1",
		RespHdr: http.Header{"Content-Type": {"text/plain"}}, RespBody: []byte("line one\nline two"),
	}
	tr := x.Transcript(red, 0)
	if !strings.Contains(tr, "< HTTP/1.1 200 OK\n< Content-Type: text/plain\n<\n< line one\n< line two") || strings.HasSuffix(tr, "\n") {
		t.Errorf("transcript:\n%s", tr)
	}
	if tr := x.Transcript(red, 4); !strings.Contains(tr, "< line... (17 bytes in all)") {
		t.Errorf("clipped transcript:\n%s", tr)
	}
	x.RespBody = []byte{0xff, 0xfe, 0x00, 0x01}
	if tr := x.Transcript(red, 0); !strings.Contains(tr, "(4 bytes of binary data)") {
		t.Errorf("binary transcript:\n%s", tr)
	}
}

func TestTranscriptOfAFailureHidesQuerySecrets(t *testing.T) {
	srv := blocking(t, nil)
	c := client(t, srv.URL, func(o *probe.Options) { o.Timeout = 200 * time.Millisecond })
	req := get("/x")
	req.Query = url.Values{"access_token": {"q-access-secret"}}
	x := c.Do(context.Background(), "id", req)
	if x.Err == nil {
		t.Fatal("want an error")
	}
	if tr := x.Transcript(c.Redactor(), 0); strings.Contains(tr, "q-access-secret") {
		t.Fatalf("transcript shows the query secret:\n%s", tr)
	}
}

func TestTranscriptClipDoesNotHalveASecret(t *testing.T) {
	red := probe.NewRedactor(probe.Options{BearerToken: token})
	x := &probe.Exchange{Method: "GET", URL: mustURL(t, "http://h/x"), Status: 200, Proto: "HTTP/1.1", RespBody: []byte("token: " + token)}
	tr := x.Transcript(red, len("token: ")+10)
	if strings.Contains(tr, token[:10]) {
		t.Fatalf("transcript shows part of the token:\n%s", tr)
	}
}

func TestCurlShowsInvalidAPIKey(t *testing.T) {
	rec := newRecorder(t, nil)
	c := client(t, rec.srv.URL, withSecrets)
	req := get("/x")
	req.Auth, req.Schemes = plan.AuthInvalid, []*contract.Scheme{keyScheme}
	x := c.Do(context.Background(), "id", req)
	if cu := x.Curl(c.Redactor()); !strings.Contains(cu, "-H 'X-Api-Key: "+probe.InvalidToken+"'") {
		t.Fatalf("curl line hides the invalid key: %s", cu)
	}
}
