package main

// Tests of the built binary against loopback targets whose answers are
// hostile: endless and huge headers, an answer on an idle connection that
// echoes the credentials, secrets echoed escaped or cut, informational
// answers before a HEAD's, and a target that throttles every request.
// Each must leave the run bounded, its outputs small and free of secrets,
// and say what happened.

import (
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/apiconform/apiconform/internal/probe"
	"github.com/apiconform/apiconform/internal/report"
)

// hostileUCS is the genesys-ucs target, but the scenarios named in hostile
// get the handler given instead.
func hostileUCS(t *testing.T, hostile map[string]http.HandlerFunc) *httptest.Server {
	t.Helper()
	h := ucsHandler(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if do, ok := hostile[r.Header.Get(probe.ScenarioHeader)]; ok {
			do(w, r)
			return
		}
		h.ServeHTTP(w, r)
	}))
	srv.Config.ErrorLog = quietLog
	t.Cleanup(srv.Close)
	return srv
}

func fileSize(t *testing.T, path string) int64 {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return st.Size()
}

// TestEndlessAndHugeHeaders: a HEAD answered with endless headers and a
// GET with a 9 MB header are inconclusive, saying the headers were too
// long; a 200 KiB header passes and shows cut in the transcript; the
// reports stay small. (The memory of such a run is measured in
// internal/probe and reported to the lead.)
func TestEndlessAndHugeHeaders(t *testing.T) {
	const apiKey = "sk_live_0123456789abcdef"
	base := ucsHandler(t)
	srv := hostileUCS(t, map[string]http.HandlerFunc{
		"getProfile method.head": func(w http.ResponseWriter, r *http.Request) {
			conn, buf, err := http.NewResponseController(w).Hijack()
			if err != nil {
				return
			}
			defer conn.Close()
			buf.WriteString("HTTP/1.1 200 OK\r\n")
			line := "X-Endless: " + strings.Repeat("y", 1000) + "\r\n"
			for sent := 0; sent < 1<<30; sent += len(line) {
				if _, err := buf.WriteString(line); err != nil {
					return
				}
			}
		},
		"getServerStatus success": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-Big", strings.Repeat("b", 9<<20))
			w.WriteHeader(http.StatusOK)
		},
		"getProfile success": func(w http.ResponseWriter, r *http.Request) {
			// within the bounds: judged as the target's answer, shown cut
			w.Header().Set("X-Wide", r.Header.Get("X-Api-Key")+strings.Repeat("w", 200<<10))
			base.ServeHTTP(w, r)
		},
	})
	dir := t.TempDir()
	jsonFile, junit, htmlFile := filepath.Join(dir, "results.json"), filepath.Join(dir, "junit.xml"), filepath.Join(dir, "report.html")
	code, stdout, stderr := execSplit(t, noProxyEnv(), "run", "--target", srv.URL, "--contract", "genesys-ucs", "--basic-auth", "demo:demo",
		"--header", "X-Api-Key: "+apiKey, "--focus", `getProfile \[(method.head|success)\]|getServerStatus \[success\]`,
		"--json-report", jsonFile, "--junit-report", junit, "--html-report", htmlFile)
	if code != exitFailed || !strings.Contains(stdout, "1 passed, 0 failed, 2 inconclusive") {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	noStackTrace(t, stdout+stderr)
	rep := readResults(t, jsonFile)
	for _, id := range []string{"getProfile method.head", "getServerStatus success"} {
		s := scenarioByID(t, rep, id)
		if want := "no answer: the answer's headers run past 262144 bytes (256 KiB), the most the client reads"; s.Result != report.Inconclusive || !strings.HasPrefix(s.Reason, want) {
			t.Errorf("%s: %s %q, want inconclusive %q", id, s.Result, s.Reason, want)
		}
	}
	wide := scenarioByID(t, rep, "getProfile success")
	if wide.Result != report.Passed || !strings.Contains(wide.Transcript, "< X-Wide: [redacted]www") || !strings.Contains(wide.Transcript, fmt.Sprintf("... (%d bytes in all)", len(apiKey)+200<<10)) {
		t.Errorf("the 200 KiB header: %s, transcript of %d bytes:\n%.2000s", wide.Result, len(wide.Transcript), wide.Transcript)
	}
	for _, f := range []string{jsonFile, junit, htmlFile} {
		if n := fileSize(t, f); n > 512<<10 {
			t.Errorf("%s has %d KiB", filepath.Base(f), n>>10)
		}
		data, _ := os.ReadFile(f)
		if strings.Contains(string(data), apiKey) {
			t.Errorf("%s shows the API key", filepath.Base(f))
		}
	}
}

// TestAnAnswerOnAnIdleConnectionIsRedacted: a target that sends a second,
// unasked answer echoing the request's credentials makes Go's net/http log
// it; stderr says so in words and shows none of them.
func TestAnAnswerOnAnIdleConnectionIsRedacted(t *testing.T) {
	const apiKey = "sk_live_idle_0123456789"
	srv := hostileUCS(t, map[string]http.HandlerFunc{
		"getProfile success": func(w http.ResponseWriter, r *http.Request) {
			conn, buf, err := http.NewResponseController(w).Hijack()
			if err != nil {
				return
			}
			defer conn.Close()
			// the answer and the unasked one in one write
			fmt.Fprintf(buf, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"+
				"HTTP/1.1 200 OK\r\nX-Echo-Auth: %s\r\nX-Echo-Key: %s\r\nX-Echo-Key-Hex: %x\r\nContent-Length: 0\r\n\r\n",
				r.Header.Get("Authorization"), r.Header.Get("X-Api-Key"), r.Header.Get("X-Api-Key"))
			buf.Flush()
			conn.Read(make([]byte, 1)) // until the client hangs up
		},
	})
	code, stdout, stderr := execSplit(t, noProxyEnv(), "run", "--target", srv.URL, "--contract", "genesys-ucs", "--basic-auth", "demo:demo",
		"--header", "X-Api-Key: "+apiKey, "--focus", `getProfile \[success\]`, "--concurrency", "1")
	if code != exitFailed {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	want := `apiconform run: the target sent an answer on an idle connection, to no request; it was dropped (net/http: Unsolicited response received on idle HTTP channel starting with "HTTP/1.1 200 OK\r\nX-Echo-Auth: Basic [redacted]\r\nX-Echo-Key: [redacted]\r\nX-Echo-Key-Hex: [redacted]\r\n`
	if !strings.Contains(stderr, want) {
		t.Errorf("stderr should hold the redacted line\n%s\ngot:\n%s", want, stderr)
	}
	for _, secret := range []string{apiKey, hex.EncodeToString([]byte(apiKey)), "ZGVtbzpkZW1v"} {
		if strings.Contains(stdout+stderr, secret) {
			t.Errorf("the output shows %q:\n%s%s", secret, stdout, stderr)
		}
	}
}

// TestEchoedSecretsAreRedacted: a target that echoes the API key escaped
// for JSON, URL-encoded, in hex, upper-case, or cut by --max-body shows
// none of them in any report.
func TestEchoedSecretsAreRedacted(t *testing.T) {
	const apiKey = `k3y/with "quotes" & +plus`
	forms := []string{
		strings.ReplaceAll(strings.ReplaceAll(apiKey, `"`, `\"`), "/", `\/`),
		`k3y\/with \u0022quotes\u0022 \u0026 +plus`,
		url.QueryEscape(apiKey),
		url.PathEscape(apiKey),
		hex.EncodeToString([]byte(apiKey)),
		strings.ToUpper(hex.EncodeToString([]byte(apiKey))),
		strings.ToUpper(apiKey),
	}
	echo := func(body string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusNotFound)
			io.WriteString(w, body)
		}
	}
	const maxBody = 4096
	cutBody := `{"detail":"` + strings.Repeat(".", maxBody-len(`{"detail":"`)-12) + url.QueryEscape(apiKey) + `"}`
	srv := hostileUCS(t, map[string]http.HandlerFunc{
		"getProfile resource.missing-id":          echo(`{"echo":["` + strings.Join(forms, `","`) + `"]}`),
		"listProfileServices resource.missing-id": echo(cutBody),
	})
	dir := t.TempDir()
	jsonFile, junit, htmlFile := filepath.Join(dir, "results.json"), filepath.Join(dir, "junit.xml"), filepath.Join(dir, "report.html")
	code, stdout, stderr := execSplit(t, noProxyEnv(), "run", "--target", srv.URL, "--contract", "genesys-ucs", "--basic-auth", "demo:demo",
		"--header", "X-Api-Key: "+apiKey, "--focus", `(getProfile|listProfileServices) \[resource.missing-id\]`, "--max-body", fmt.Sprint(maxBody), "-v",
		"--json-report", jsonFile, "--junit-report", junit, "--html-report", htmlFile)
	if code != exitFailed || !strings.Contains(stdout, "0 passed, 2 failed") {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	rep := readResults(t, jsonFile)
	if tr := scenarioByID(t, rep, "getProfile resource.missing-id").Transcript; strings.Count(tr, "[redacted]") < len(forms) {
		t.Errorf("want every form redacted:\n%s", tr)
	}
	if tr := scenarioByID(t, rep, "listProfileServices resource.missing-id").Transcript; !strings.Contains(tr, "...[redacted]") || !strings.Contains(tr, "(body cut at the --max-body limit)") {
		t.Errorf("want the key cut by --max-body redacted:\n%s", tr)
	}
	outputs := map[string]string{"stdout": stdout, "stderr": stderr}
	for _, f := range []string{jsonFile, junit, htmlFile} {
		data, _ := os.ReadFile(f)
		outputs[filepath.Base(f)] = string(data)
	}
	for name, text := range outputs {
		for _, form := range append(forms, "k3y", "K3Y", "6b3379") {
			if strings.Contains(text, form) {
				t.Errorf("%s shows %q", name, form)
			}
		}
	}
}

// TestEarlyHintsBeforeAHeadAnswer: a 103 Early Hints before the answer of
// a HEAD is not judged as the answer.
func TestEarlyHintsBeforeAHeadAnswer(t *testing.T) {
	h := ucsHandler(t)
	var hinted atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodHead {
			w.Header().Set("Link", "</style.css>; rel=preload")
			w.WriteHeader(http.StatusEarlyHints)
			w.Header().Del("Link")
			hinted.Add(1)
		}
		h.ServeHTTP(w, r)
	}))
	defer srv.Close()
	code, out := execBinary(t, noProxyEnv(), "run", "--target", srv.URL, "--contract", "genesys-ucs", "--basic-auth", "demo:demo", "--label-filter", "method.head")
	if code != 0 || hinted.Load() < 2 {
		t.Fatalf("exit %d after %d hints\n%s", code, hinted.Load(), out)
	}
}

// TestMaxRetryWait: a target that answers 429 with a Retry-After to every
// request holds the run back no longer than --max-retry-wait in all; the
// scenarios then are inconclusive saying so. The target counts the
// requests; no duration is asserted.
func TestMaxRetryWait(t *testing.T) {
	t.Parallel()
	var got atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get(probe.ScenarioHeader) == probe.ReachID {
			w.WriteHeader(http.StatusOK)
			return
		}
		got.Add(1)
		w.Header().Set("Retry-After", "1")
		w.WriteHeader(http.StatusTooManyRequests)
	}))
	defer srv.Close()
	run := []string{"run", "--target", srv.URL, "--contract", "genesys-ucs", "--basic-auth", "demo:demo", "--label-filter", "success || credentials.missing"}
	check := func(t *testing.T, env []string, flags []string, reason string) int64 {
		t.Helper()
		got.Store(0)
		jsonFile := filepath.Join(t.TempDir(), "results.json")
		code, stdout, stderr := execSplit(t, noProxyEnv(env...), append(append(run, flags...), "--json-report", jsonFile)...)
		if code != exitFailed {
			t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
		}
		rep := readResults(t, jsonFile)
		n := 0
		for _, s := range rep.Scenarios {
			if s.Result == report.Skipped {
				continue
			}
			n++
			if s.Result != report.Inconclusive || !strings.Contains(s.Reason, "429 Too Many Requests") || !strings.Contains(s.Reason, reason) {
				t.Errorf("%s: %s %q, want inconclusive saying %q", s.ID, s.Result, s.Reason, reason)
			}
		}
		if n < 10 {
			t.Fatalf("only %d scenarios ran", n)
		}
		return got.Load()
	}
	t.Run("never", func(t *testing.T) {
		// without waiting, each request is sent once
		sent := check(t, []string{"APICONFORM_MAX_RETRY_WAIT=0"}, nil, "the run does not wait on Retry-After (--max-retry-wait 0)")
		again := check(t, nil, []string{"--max-retry-wait", "0s"}, "(--max-retry-wait 0)")
		if sent != again {
			t.Errorf("%d requests from the variable, %d from the flag", sent, again)
		}
	})
	t.Run("two seconds", func(t *testing.T) {
		// two waits of a second fit, a third would not: at most three
		// tries of the requests sent in the first two seconds, one of
		// the rest
		never := check(t, nil, []string{"--max-retry-wait", "0"}, "--max-retry-wait 0")
		sent := check(t, nil, []string{"--max-retry-wait", "2s"}, "the time spent waiting on throttling would pass --max-retry-wait 2s")
		if sent <= never || sent > 3*never {
			t.Errorf("%d requests with 2 s of waiting, %d without", sent, never)
		}
	})
	t.Run("refused", func(t *testing.T) {
		code, out := execBinary(t, noProxyEnv(), append(run, "--max-retry-wait", "-1s")...)
		if code != exitUsage || !strings.Contains(out, "apiconform run: --max-retry-wait -1s: must be 0 (never wait) or more") {
			t.Errorf("exit %d\n%s", code, out)
		}
	})
}
