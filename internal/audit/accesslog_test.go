package audit

import (
	"bytes"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// lockedBuffer is an io.Writer the test can read while the server writes.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) lines() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return strings.SplitAfter(strings.TrimSuffix(b.buf.String(), "\n"), "\n")
}

func TestAccessLogWritesOneParsableLinePerRequest(t *testing.T) {
	var log lockedBuffer
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/created":
			w.WriteHeader(http.StatusCreated)
		case "/hints":
			w.WriteHeader(http.StatusEarlyHints)
			w.WriteHeader(http.StatusNotFound)
		case "/body":
			w.Write([]byte("implicit 200"))
		}
		// "/silent" writes nothing: net/http answers 200.
	})
	srv := httptest.NewServer(AccessLog(h, &log))
	defer srv.Close()
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())

	requests := []struct {
		method, path, agent string
		status              int
	}{
		{"POST", "/created?x=1", "curl/8.5.0", 201},
		{"GET", "/hints", "Mozilla/5.0 (X11; Linux x86_64)", 404},
		{"GET", "/body", "tab\tin agent", 200},
		{"DELETE", "/silent", "", 200},
	}
	for _, rq := range requests {
		req, _ := http.NewRequest(rq.method, srv.URL+rq.path, nil)
		req.Header.Set("User-Agent", rq.agent)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	lines := log.lines()
	if len(lines) != len(requests) {
		t.Fatalf("%d lines for %d requests:\n%s", len(lines), len(requests), strings.Join(lines, ""))
	}
	for i, rq := range requests {
		var r Record
		if err := ParseLine([]byte(lines[i]), &r); err != nil {
			t.Fatalf("line %d %q: %v", i+1, lines[i], err)
		}
		agent := rq.agent
		if agent == "" {
			agent = "-"
		}
		if string(r.IP) != "127.0.0.1" || string(r.Port) != port || string(r.Method) != rq.method || string(r.URL) != rq.path ||
			r.Status != rq.status || r.Millis < 0 || string(r.Host) != srv.URL || string(r.UserAgent) != agent ||
			!isDate(r.Date) || !isClock(r.Time) || !isClock(r.Timestamp) {
			t.Errorf("line %d %q parsed as %+v", i+1, lines[i], fieldsOf(&r))
		}
		for k, v := range DefaultOpaque {
			if string(r.Opaque[k]) != v {
				t.Errorf("line %d: unexplained field %d is %q, want the vendor's %q", i+1, k, r.Opaque[k], v)
			}
		}
	}
}

func TestAccessLogLinesDoNotInterleave(t *testing.T) {
	var log lockedBuffer
	srv := httptest.NewServer(AccessLog(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusAccepted)
	}), &log))
	defer srv.Close()
	const workers, each = 8, 25
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range each {
				resp, err := http.Get(srv.URL + "/p")
				if err != nil {
					t.Error(err)
					return
				}
				resp.Body.Close()
			}
		}()
	}
	wg.Wait()
	lines := log.lines()
	if len(lines) != workers*each {
		t.Fatalf("%d lines for %d requests", len(lines), workers*each)
	}
	for _, l := range lines {
		var r Record
		if err := ParseLine([]byte(l), &r); err != nil || r.Status != http.StatusAccepted {
			t.Fatalf("%q: %v", l, err)
		}
	}
}
