package main

// Tests of the built binary against loopback targets that misbehave: TLS
// they cannot verify or that wants a client certificate, proxies, a body
// of a gibibyte, redirects, broken connections and a slow target under
// --run-timeout. Each scenario that meets the bad behaviour must say what
// happened, and the run must go on.

import (
	"bytes"
	"context"
	"crypto/tls"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/apiconform/apiconform/fixtures"
	"github.com/apiconform/apiconform/internal/probe"
	"github.com/apiconform/apiconform/internal/report"
	"github.com/apiconform/apiconform/internal/testcert"
)

// ucsHandler is the genesys-ucs reference target.
func ucsHandler(t *testing.T) http.Handler {
	t.Helper()
	target, err := fixtures.Lookup("genesys-ucs")
	if err != nil {
		t.Fatal(err)
	}
	h, err := target.Handler("")
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// quietLog drops the log lines of handshakes that fail on purpose.
var quietLog = log.New(io.Discard, "", 0)

// tlsUCS is the genesys-ucs target over TLS with the given configuration.
func tlsUCS(t *testing.T, cfg *tls.Config) *httptest.Server {
	t.Helper()
	srv := httptest.NewUnstartedServer(ucsHandler(t))
	srv.TLS = cfg
	srv.Config.ErrorLog = quietLog
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv
}

// execSplit runs the binary with its standard output and error apart,
// killed after a generous deadline so that a hang fails the test rather
// than the whole package.
func execSplit(t *testing.T, env []string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := binaryCommandContext(ctx, args...)
	cmd.Env = env
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("apiconform %s did not end within the deadline\n%s%s", strings.Join(args, " "), out.String(), errOut.String())
	}
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode(), out.String(), errOut.String()
	} else if err != nil {
		t.Fatal(err)
	}
	return 0, out.String(), errOut.String()
}

// noProxyEnv is cleanEnv without the proxy settings of the developer's
// shell, plus vars.
func noProxyEnv(vars ...string) []string {
	var env []string
	for _, kv := range cleanEnv() {
		name, _, _ := strings.Cut(kv, "=")
		switch strings.ToUpper(name) {
		case "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "ALL_PROXY", "REQUEST_METHOD":
			continue
		}
		env = append(env, kv)
	}
	return append(env, vars...)
}

func readResults(t *testing.T, path string) *report.JSONReport {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rep, err := report.ReadJSON(f)
	if err != nil {
		t.Fatalf("the JSON report does not read back: %v", err)
	}
	return rep
}

func scenarioByID(t *testing.T, rep *report.JSONReport, id string) report.JSONScenario {
	t.Helper()
	for _, s := range rep.Scenarios {
		if s.ID == id {
			return s
		}
	}
	t.Fatalf("no scenario %q in the report", id)
	return report.JSONScenario{}
}

func noStackTrace(t *testing.T, out string) {
	t.Helper()
	if strings.Contains(out, "goroutine ") || strings.Contains(out, "panic:") {
		t.Errorf("a stack trace:\n%s", out)
	}
}

func TestTLSTarget(t *testing.T) {
	t.Parallel()
	ca := testcert.NewCA(t, "staging CA")
	srv := tlsUCS(t, &tls.Config{Certificates: []tls.Certificate{ca.Server(t, "127.0.0.1")}})
	host := strings.TrimPrefix(srv.URL, "https://")
	caFile := ca.WriteCA(t, t.TempDir())
	run := []string{"run", "--target", srv.URL, "--contract", "genesys-ucs", "--basic-auth", "demo:demo", "--label-filter", "success || resource"}

	t.Run("an untrusted certificate is exit 3 naming the host", func(t *testing.T) {
		code, out := execBinary(t, noProxyEnv(), run...)
		want := "apiconform run: the target " + srv.URL + "/cv cannot be reached: TLS: the certificate of " + host +
			" is not trusted (x509: certificate signed by unknown authority"
		if code != exitUnreachable || !strings.HasPrefix(out, want) || !strings.Contains(out, "pass --ca-cert with its CA, or --insecure-skip-verify") {
			t.Fatalf("exit %d, want 3 and %q:\n%s", code, want, out)
		}
		if strings.Count(strings.TrimSpace(out), "\n") != 0 {
			t.Errorf("want one line:\n%s", out)
		}
	})
	t.Run("--ca-cert", func(t *testing.T) {
		if code, out := execBinary(t, noProxyEnv(), append(run, "--ca-cert", caFile)...); code != 0 {
			t.Fatalf("exit %d\n%s", code, out)
		}
		if code, out := execBinary(t, noProxyEnv("APICONFORM_CA_CERT="+caFile), run...); code != 0 {
			t.Fatalf("APICONFORM_CA_CERT: exit %d\n%s", code, out)
		}
	})
	t.Run("--insecure-skip-verify warns in every report", func(t *testing.T) {
		dir := t.TempDir()
		junit, jsonFile, htmlFile := filepath.Join(dir, "junit.xml"), filepath.Join(dir, "results.json"), filepath.Join(dir, "report.html")
		code, stdout, stderr := execSplit(t, noProxyEnv(), append(run, "--insecure-skip-verify", "--junit-report", junit, "--json-report", jsonFile, "--html-report", htmlFile)...)
		if code != 0 {
			t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
		}
		const warning = "--insecure-skip-verify: the TLS certificate of the target was not verified"
		if !strings.HasPrefix(stderr, "apiconform run: warning: "+warning+"\n") {
			t.Errorf("stderr should start with the warning:\n%s", stderr)
		}
		if rep := readResults(t, jsonFile); len(rep.Run.Warnings) != 1 || rep.Run.Warnings[0] != warning || rep.Run.Config["insecure-skip-verify"] != "true" {
			t.Errorf("JSON run: warnings %q, config %v", rep.Run.Warnings, rep.Run.Config)
		}
		html, _ := os.ReadFile(htmlFile)
		if !strings.Contains(string(html), "run warning:</strong> "+warning) {
			t.Errorf("the HTML report lacks the run warning")
		}
		x, _ := os.ReadFile(junit)
		if !strings.Contains(string(x), `<property name="apiconform.run.warning.1" value="`+warning+`">`) {
			t.Errorf("the JUnit report lacks the warning property:\n%s", x)
		}
		// From the environment as well.
		code, stdout, stderr = execSplit(t, noProxyEnv("APICONFORM_INSECURE_SKIP_VERIFY=true"), run...)
		if code != 0 || !strings.Contains(stderr, warning) {
			t.Fatalf("APICONFORM_INSECURE_SKIP_VERIFY: exit %d\n%s%s", code, stdout, stderr)
		}
	})
	t.Run("no warning without it", func(t *testing.T) {
		jsonFile := filepath.Join(t.TempDir(), "results.json")
		code, stdout, stderr := execSplit(t, noProxyEnv(), append(run, "--ca-cert", caFile, "--json-report", jsonFile)...)
		if code != 0 || stderr != "" {
			t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
		}
		if rep := readResults(t, jsonFile); len(rep.Run.Warnings) != 0 {
			t.Errorf("warnings %q", rep.Run.Warnings)
		}
	})
}

func TestMutualTLSTarget(t *testing.T) {
	t.Parallel()
	serverCA, clientCA := testcert.NewCA(t, "staging CA"), testcert.NewCA(t, "client CA")
	srv := tlsUCS(t, &tls.Config{
		Certificates: []tls.Certificate{serverCA.Server(t, "127.0.0.1")},
		ClientAuth:   tls.RequireAndVerifyClientCert,
		ClientCAs:    clientCA.Pool(),
	})
	dir := t.TempDir()
	caFile := serverCA.WriteCA(t, dir)
	certFile, keyFile := testcert.WritePair(t, dir, "apiconform", clientCA.Client(t, "apiconform"))
	run := []string{"run", "--target", srv.URL, "--contract", "genesys-ucs", "--basic-auth", "demo:demo", "--label-filter", "success || credentials", "--ca-cert", caFile}

	code, out := execBinary(t, noProxyEnv(), run...)
	want := "cannot be reached: TLS: " + strings.TrimPrefix(srv.URL, "https://") + " refused the connection (remote error: tls: "
	if code != exitUnreachable || !strings.Contains(out, want) || !strings.Contains(out, "pass --client-cert and --client-key") {
		t.Fatalf("without a client certificate: exit %d, want 3 and %q:\n%s", code, want, out)
	}
	if strings.Count(strings.TrimSpace(out), "\n") != 0 {
		t.Errorf("want one line:\n%s", out)
	}
	if code, out := execBinary(t, noProxyEnv(), append(run, "--client-cert", certFile, "--client-key", keyFile)...); code != 0 {
		t.Fatalf("with the client certificate: exit %d\n%s", code, out)
	}
	env := noProxyEnv("APICONFORM_CLIENT_CERT="+certFile, "APICONFORM_CLIENT_KEY="+keyFile)
	if code, out := execBinary(t, env, run...); code != 0 {
		t.Fatalf("with the client certificate from the environment: exit %d\n%s", code, out)
	}
}

func TestBadTLSFilesExitTwo(t *testing.T) {
	srv := ucsServer(t, "")
	dir := t.TempDir()
	ca := testcert.NewCA(t, "CA")
	certFile, keyFile := testcert.WritePair(t, dir, "client", ca.Client(t, "c"))
	junk := filepath.Join(dir, "junk.pem")
	os.WriteFile(junk, []byte("not PEM at all\n"), 0o600)
	missing := filepath.Join(dir, "missing.pem")
	cases := []struct {
		name string
		args []string
		env  []string
		want string
	}{
		{"missing CA file", []string{"--ca-cert", missing}, nil, "apiconform run: --ca-cert " + missing + ": no such file or directory"},
		{"CA file is no PEM", []string{"--ca-cert", junk}, nil, "apiconform run: --ca-cert " + junk + ": no PEM certificate in it"},
		{"CA file from the environment", nil, []string{"APICONFORM_CA_CERT=" + junk}, "--ca-cert " + junk + ": no PEM certificate in it"},
		{"certificate without key", []string{"--client-cert", certFile}, nil, "apiconform run: --client-cert " + certFile + ": a client certificate needs its key"},
		{"key without certificate", []string{"--client-key", keyFile}, nil, "apiconform run: --client-key " + keyFile + ": a client key needs its certificate"},
		{"certificate is no PEM", []string{"--client-cert", junk, "--client-key", keyFile}, nil, "apiconform run: --client-cert " + junk + ": tls: failed to find any PEM data in certificate input"},
		{"key is a certificate", []string{"--client-cert", certFile, "--client-key", certFile}, nil, "apiconform run: --client-key " + certFile + ": tls: "},
		{"not a boolean", []string{"--insecure-skip-verify=maybe"}, nil, "-insecure-skip-verify"},
		{"not a boolean in the environment", nil, []string{"APICONFORM_INSECURE_SKIP_VERIFY=maybe"}, "$APICONFORM_INSECURE_SKIP_VERIFY"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"run", "--target", srv.URL, "--contract", "genesys-ucs"}, tc.args...)
			code, out := inProcessCombined(t, noProxyEnv(tc.env...), args...)
			if code != exitUsage || !strings.Contains(out, tc.want) {
				t.Fatalf("exit %d, want 2 and %q:\n%s", code, tc.want, out)
			}
			noStackTrace(t, out)
		})
	}
}

// fakeProxy is a loopback forward proxy that records what it is asked for.
// It answers plain HTTP requests (absolute-form, as clients send them to a
// proxy) with the genesys-ucs target itself, and tunnels CONNECT requests
// to tunnelTo: so a run against a host name that resolves nowhere works
// only through the proxy, and no traffic leaves the machine.
type fakeProxy struct {
	*httptest.Server
	mu  sync.Mutex
	got []string // "METHOD request-target"
}

func newFakeProxy(t *testing.T, tunnelTo string) *fakeProxy {
	t.Helper()
	p := &fakeProxy{}
	target := ucsHandler(t)
	p.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.mu.Lock()
		p.got = append(p.got, r.Method+" "+r.RequestURI)
		p.mu.Unlock()
		if r.Method != http.MethodConnect {
			target.ServeHTTP(w, r)
			return
		}
		upstream, err := net.DialTimeout("tcp", tunnelTo, 5*time.Second)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer upstream.Close()
		conn, buf, err := http.NewResponseController(w).Hijack()
		if err != nil {
			return
		}
		defer conn.Close()
		// Deadlines bound the tunnel should a side never hang up.
		deadline := time.Now().Add(2 * time.Minute)
		conn.SetDeadline(deadline)
		upstream.SetDeadline(deadline)
		io.WriteString(conn, "HTTP/1.1 200 Connection established\r\n\r\n")
		done := make(chan struct{}, 2)
		go func() { io.Copy(upstream, buf); upstream.Close(); done <- struct{}{} }()
		go func() { io.Copy(conn, upstream); conn.Close(); done <- struct{}{} }()
		<-done
		<-done
	}))
	t.Cleanup(p.Close)
	return p
}

func (p *fakeProxy) requests() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.got...)
}

// TestProxiesFromTheEnvironment runs against host names under .invalid,
// which resolve nowhere: the run can only pass through the proxy the
// environment names. (Go ignores proxies for loopback targets, so a target
// on 127.0.0.1 would prove nothing.)
func TestProxiesFromTheEnvironment(t *testing.T) {
	const host = "api.target.invalid"
	t.Run("HTTP_PROXY", func(t *testing.T) {
		proxy := newFakeProxy(t, "")
		code, out := execBinary(t, noProxyEnv("HTTP_PROXY="+proxy.URL), "run", "--target", "http://"+host, "--contract", "genesys-ucs",
			"--basic-auth", "demo:demo", "--label-filter", "success || resource")
		if code != 0 {
			t.Fatalf("exit %d\n%s", code, out)
		}
		got := proxy.requests()
		if len(got) < 2 || got[0] != "HEAD http://"+host+"/cv" {
			t.Fatalf("the proxy got %q; want the reachability check first, then the scenarios", got)
		}
		for _, r := range got {
			if !strings.Contains(r, " http://"+host+"/cv") {
				t.Errorf("the proxy got %q, not for %s", r, host)
			}
		}
	})
	t.Run("NO_PROXY", func(t *testing.T) {
		proxy := newFakeProxy(t, "")
		code, out := execBinary(t, noProxyEnv("HTTP_PROXY="+proxy.URL, "NO_PROXY=other.example,"+host), "run", "--target", "http://"+host,
			"--contract", "genesys-ucs", "--timeout", "5s")
		if code != exitUnreachable || !strings.Contains(out, host) {
			t.Fatalf("exit %d, want 3 naming %s:\n%s", code, host, out)
		}
		if got := proxy.requests(); len(got) != 0 {
			t.Fatalf("NO_PROXY names the host, yet the proxy got %q", got)
		}
	})
	t.Run("HTTPS_PROXY", func(t *testing.T) {
		ca := testcert.NewCA(t, "staging CA")
		backend := tlsUCS(t, &tls.Config{Certificates: []tls.Certificate{ca.Server(t, host)}})
		proxy := newFakeProxy(t, backend.Listener.Addr().String())
		code, out := execBinary(t, noProxyEnv("HTTPS_PROXY="+proxy.URL, "HTTP_PROXY=http://127.0.0.1:1"), "run", "--target", "https://"+host,
			"--contract", "genesys-ucs", "--basic-auth", "demo:demo", "--label-filter", "success || resource", "--ca-cert", ca.WriteCA(t, t.TempDir()))
		if code != 0 {
			t.Fatalf("exit %d\n%s", code, out)
		}
		got := proxy.requests()
		if len(got) == 0 {
			t.Fatal("the proxy got no request")
		}
		for _, r := range got {
			if r != "CONNECT "+host+":443" {
				t.Errorf("the proxy got %q, want a tunnel to %s:443", r, host)
			}
		}
	})
}

// TestAGibibyteBodyIsCut offers 1 GiB for one scenario: the run reads
// --max-body of it, fails that scenario saying the body was cut, and goes
// on. (The memory it takes is measured in internal/probe.)
func TestAGibibyteBodyIsCut(t *testing.T) {
	const size = 1 << 30
	chunk := []byte(strings.Repeat("a", 1<<20)) // reused: nothing is allocated per MiB
	var sent atomic.Int64
	h := ucsHandler(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get(probe.ScenarioHeader) != "getProfile success" {
			h.ServeHTTP(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(size))
		for written := 0; written < size; written += len(chunk) {
			n, err := w.Write(chunk)
			sent.Add(int64(n))
			if err != nil {
				return // the client hung up
			}
		}
	}))
	defer srv.Close()
	jsonFile := filepath.Join(t.TempDir(), "results.json")
	code, out := execBinary(t, noProxyEnv(), "run", "--target", srv.URL, "--contract", "genesys-ucs", "--basic-auth", "demo:demo",
		"--focus", `getProfile \[success\]|getServerStatus \[success\]|getProfile \[resource.missing-id\]`, "--json-report", jsonFile)
	if code != exitFailed || !strings.Contains(out, "2 passed, 1 failed") {
		t.Fatalf("exit %d\n%s", code, out)
	}
	rep := readResults(t, jsonFile)
	big := scenarioByID(t, rep, "getProfile success")
	if big.Result != report.Failed || len(big.Mismatches) != 1 || big.Mismatches[0].Rule != "body.schema" ||
		big.Mismatches[0].Expected != "a body within the --max-body limit" || !strings.Contains(big.Mismatches[0].Actual, "the body was cut") {
		t.Fatalf("the cut body: %+v", big)
	}
	if !strings.Contains(big.Transcript, "(body cut at the --max-body limit)") || len(big.Transcript) > 64<<10 {
		t.Errorf("the transcript should say the body was cut, and stay short (%d bytes)", len(big.Transcript))
	}
	for _, id := range []string{"getServerStatus success", "getProfile resource.missing-id"} {
		if s := scenarioByID(t, rep, id); s.Result != report.Passed {
			t.Errorf("%s: %s %+v", id, s.Result, s.Mismatches)
		}
	}
	srv.Close() // waits for the handler, which ends when the client hangs up
	if n := sent.Load(); n >= size {
		t.Errorf("the whole gibibyte was read (%d bytes): the client should hang up after --max-body", n)
	}
}

// TestRedirectsAreNeverFollowed: a target that redirects where the contract
// wants 404 fails those scenarios, the transcript shows the Location, and
// the place it points to never hears from the suite.
func TestRedirectsAreNeverFollowed(t *testing.T) {
	var followed atomic.Int64
	elsewhere := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		followed.Add(1)
		io.WriteString(w, "you followed a redirect")
	}))
	defer elsewhere.Close()
	location := elsewhere.URL + "/landing"
	h := ucsHandler(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Header.Get(probe.ScenarioHeader) {
		case "GET /apiconform-no-such-path resource.unknown-path", "getProfile resource.missing-id":
			http.Redirect(w, r, location, http.StatusFound)
			return
		}
		h.ServeHTTP(w, r)
	}))
	defer srv.Close()
	jsonFile := filepath.Join(t.TempDir(), "results.json")
	code, out := execBinary(t, noProxyEnv(), "run", "--target", srv.URL, "--contract", "genesys-ucs", "--basic-auth", "demo:demo",
		"--focus", `resource.unknown-path|getProfile \[resource.missing-id\]|getServerStatus \[success\]`, "--json-report", jsonFile)
	if code != exitFailed || !strings.Contains(out, "1 passed, 2 failed") {
		t.Fatalf("exit %d\n%s", code, out)
	}
	rep := readResults(t, jsonFile)
	for _, id := range []string{"GET /apiconform-no-such-path resource.unknown-path", "getProfile resource.missing-id"} {
		s := scenarioByID(t, rep, id)
		if s.Result != report.Failed || len(s.Mismatches) == 0 || !strings.Contains(s.Mismatches[0].Actual, "302") {
			t.Errorf("%s: %s %+v", id, s.Result, s.Mismatches)
		}
		if !strings.Contains(s.Transcript, "< HTTP/1.1 302 Found") || !strings.Contains(s.Transcript, "< Location: "+location) {
			t.Errorf("%s: the transcript should show the 302 and its Location:\n%s", id, s.Transcript)
		}
	}
	if n := followed.Load(); n != 0 {
		t.Fatalf("a redirect was followed: the Location got %d requests", n)
	}
}

// TestBrokenConnectionsAreInconclusiveAndTheRunGoesOn: a reset, an answer
// that is not HTTP and a body shorter than its Content-Length, each on one
// scenario: each is inconclusive with a reason that says what happened,
// and the other scenarios run and pass.
func TestBrokenConnectionsAreInconclusiveAndTheRunGoesOn(t *testing.T) {
	h := ucsHandler(t)
	breaks := map[string]func(conn net.Conn){
		"getProfile success": func(conn net.Conn) {
			conn.(*net.TCPConn).SetLinger(0) // Close sends a reset
		},
		"getServerStatus success": func(conn net.Conn) {
			io.WriteString(conn, "SSH-2.0-OpenSSH_9.6 this is not HTTP\r\n\r\n")
		},
		"getProfileSchema success": func(conn net.Conn) {
			io.WriteString(conn, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"short\":1}")
		},
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		brk, ok := breaks[r.Header.Get(probe.ScenarioHeader)]
		if !ok {
			h.ServeHTTP(w, r)
			return
		}
		conn, _, err := http.NewResponseController(w).Hijack()
		if err != nil {
			t.Error(err)
			return
		}
		brk(conn)
		conn.Close()
	}))
	defer srv.Close()
	jsonFile := filepath.Join(t.TempDir(), "results.json")
	code, out := execBinary(t, noProxyEnv(), "run", "--target", srv.URL, "--contract", "genesys-ucs", "--basic-auth", "demo:demo",
		"--focus", `(getProfile|getServerStatus|getProfileSchema) \[(success|credentials.missing)\]`, "--json-report", jsonFile)
	if code != exitFailed || !strings.Contains(out, "0 failed, 3 inconclusive") {
		t.Fatalf("exit %d\n%s", code, out)
	}
	rep := readResults(t, jsonFile)
	for id, reason := range map[string]string{
		"getProfile success":       "no answer: the target reset the connection (",
		"getServerStatus success":  "no answer: the answer is not HTTP (",
		"getProfileSchema success": "no answer: the body ended after 11 of the 100 bytes its Content-Length announced (reading the body: unexpected EOF)",
	} {
		s := scenarioByID(t, rep, id)
		if s.Result != report.Inconclusive || !strings.HasPrefix(s.Reason, reason) {
			t.Errorf("%s: %s, reason %q; want inconclusive, %q", id, s.Result, s.Reason, reason)
		}
	}
	passed := 0
	for _, s := range rep.Scenarios {
		if strings.HasSuffix(s.ID, " credentials.missing") && s.Result == report.Passed {
			passed++
		}
	}
	if passed < 2 {
		t.Errorf("the other scenarios should run and pass:\n%s", out)
	}
}

// TestRunTimeoutEndsASlowRun: every answer takes 500 ms and the run may
// take 1 s; it must end, fail and say why. Only the subprocess's generous
// deadline bounds the time; nothing here is timed.
func TestRunTimeoutEndsASlowRun(t *testing.T) {
	t.Parallel()
	h := ucsHandler(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(500 * time.Millisecond):
		case <-r.Context().Done():
			return
		}
		h.ServeHTTP(w, r)
	}))
	defer srv.Close()
	junit := filepath.Join(t.TempDir(), "junit.xml")
	code, stdout, stderr := execSplit(t, noProxyEnv(), "run", "--target", srv.URL, "--contract", "genesys-ucs", "--basic-auth", "demo:demo",
		"--run-timeout", "1s", "--junit-report", junit)
	if code != exitFailed || !strings.Contains(stderr, "apiconform run: the run reached --run-timeout 1s and was stopped") {
		t.Fatalf("exit %d, want 1 and a word about --run-timeout\n%s%s", code, stdout, stderr)
	}
	noStackTrace(t, stdout+stderr)
}
