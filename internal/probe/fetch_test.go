package probe_test

import (
	"context"
	"crypto/tls"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/apiconform/apiconform/internal/probe"
	"github.com/apiconform/apiconform/internal/testcert"
)

// docServer is a loopback server that records the credential headers of
// every request and answers with its handler.
type docServer struct {
	*httptest.Server
	mu   sync.Mutex
	seen []http.Header
}

func newDocServer(t *testing.T, h http.HandlerFunc) *docServer {
	t.Helper()
	r := &docServer{}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		r.mu.Lock()
		r.seen = append(r.seen, req.Header.Clone())
		r.mu.Unlock()
		h(w, req)
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *docServer) headers() []http.Header {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]http.Header(nil), r.seen...)
}

func serveDoc(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	io.WriteString(w, `{"openapi": "3.0.3"}`)
}

func fetchOptions(target *url.URL) probe.Options {
	return probe.Options{
		Target:      target,
		Timeout:     5 * time.Second,
		Header:      http.Header{"X-Api-Key": {"key-secret"}},
		BearerToken: "token-secret",
	}
}

func TestFetchSendsCredentialsOnlyToTheTargetsOrigin(t *testing.T) {
	target := newDocServer(t, serveDoc)
	elsewhere := newDocServer(t, serveDoc)
	opts := fetchOptions(mustURL(t, target.URL+"/api"))

	f, err := probe.Fetch(context.Background(), mustURL(t, target.URL+"/openapi.json"), opts, 0)
	if err != nil {
		t.Fatal(err)
	}
	if !f.Credentials || string(f.Body) != `{"openapi": "3.0.3"}` || f.ContentType != "application/json" {
		t.Errorf("fetched %+v", f)
	}
	h := target.headers()[0]
	if h.Get("X-Api-Key") != "key-secret" || h.Get("Authorization") != "Bearer token-secret" {
		t.Errorf("the target's origin did not get the credentials: %v", h)
	}

	f, err = probe.Fetch(context.Background(), mustURL(t, elsewhere.URL+"/openapi.json"), opts, 0)
	if err != nil {
		t.Fatal(err)
	}
	if f.Credentials {
		t.Error("Credentials is set for another origin")
	}
	for _, h := range elsewhere.headers() {
		if h.Get("X-Api-Key") != "" || h.Get("Authorization") != "" {
			t.Errorf("another origin (another port) got credentials: %v", h)
		}
	}

	// Without a target (list, audit) nothing is sent anywhere.
	if _, err := probe.Fetch(context.Background(), mustURL(t, target.URL+"/openapi.json"), fetchOptions(nil), 0); err != nil {
		t.Fatal(err)
	}
	if h := target.headers()[1]; h.Get("X-Api-Key") != "" || h.Get("Authorization") != "" {
		t.Errorf("credentials sent without a target: %v", h)
	}
}

func TestFetchDropsCredentialsOnARedirectToAnotherOrigin(t *testing.T) {
	elsewhere := newDocServer(t, serveDoc)
	target := newDocServer(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, elsewhere.URL+"/docs/openapi.json", http.StatusFound)
	})
	f, err := probe.Fetch(context.Background(), mustURL(t, target.URL+"/openapi.json"), fetchOptions(mustURL(t, target.URL)), 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Body) == 0 {
		t.Error("the redirect was not followed")
	}
	if h := target.headers()[0]; h.Get("X-Api-Key") != "key-secret" {
		t.Errorf("the target's origin did not get the key: %v", h)
	}
	for _, h := range elsewhere.headers() {
		if h.Get("X-Api-Key") != "" || h.Get("Authorization") != "" {
			t.Errorf("the redirect's origin got credentials: %v", h)
		}
	}
}

func TestFetchRefusals(t *testing.T) {
	var loops int
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/missing":
			http.NotFound(w, r)
		case "/loop":
			mu.Lock()
			loops++
			mu.Unlock()
			http.Redirect(w, r, "/loop", http.StatusFound)
		case "/declared":
			w.Header().Set("Content-Length", "100000")
			w.WriteHeader(http.StatusOK)
		case "/endless":
			// No Content-Length: the body runs on until the client
			// stops reading; bounded here all the same.
			chunk := []byte(strings.Repeat("x", 4096))
			for i := 0; i < 1000; i++ {
				if _, err := w.Write(chunk); err != nil {
					return
				}
			}
		case "/slow":
			select { // until the client gives up, bounded all the same
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
		}
	}))
	defer srv.Close()
	opts := probe.Options{Timeout: 5 * time.Second}
	fetch := func(path string, max int64, o probe.Options) error {
		_, err := probe.Fetch(context.Background(), mustURL(t, srv.URL+path), o, max)
		return err
	}
	cases := []struct {
		path string
		max  int64
		opts probe.Options
		want string
	}{
		{"/missing", 0, opts, "HTTP 404 Not Found"},
		{"/loop", 0, opts, "more than 5 redirects"},
		{"/declared", 50000, opts, "Content-Length 100000"},
		{"/endless", 1 << 20, opts, "more than the 1 MiB a contract may have"},
		{"/slow", 0, probe.Options{Timeout: 200 * time.Millisecond}, "within the timeout of 200ms"},
	}
	for _, tc := range cases {
		err := fetch(tc.path, tc.max, tc.opts)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.path, err, tc.want)
		}
		if err != nil && strings.Contains(err.Error(), srv.URL) {
			t.Errorf("%s: the error repeats the URL: %v", tc.path, err)
		}
	}
	if loops != probe.MaxRedirects+1 {
		t.Errorf("the loop was requested %d times, want %d", loops, probe.MaxRedirects+1)
	}
}

func TestFetchUsesTheTLSOptions(t *testing.T) {
	ca := testcert.NewCA(t, "docs CA")
	srv := tlsServer(t, &tls.Config{Certificates: []tls.Certificate{ca.Server(t, "127.0.0.1")}})
	u := mustURL(t, srv.URL+"/openapi.json")

	_, err := probe.Fetch(context.Background(), u, probe.Options{Timeout: 5 * time.Second}, 0)
	if err == nil || !strings.Contains(err.Error(), "TLS: the certificate of "+u.Host+" is not trusted") {
		t.Errorf("without the CA: %v", err)
	}
	caFile := ca.WriteCA(t, t.TempDir())
	if _, err := probe.Fetch(context.Background(), u, probe.Options{Timeout: 5 * time.Second, CACert: caFile}, 0); err != nil {
		t.Errorf("with the CA: %v", err)
	}
	if _, err := probe.Fetch(context.Background(), u, probe.Options{Timeout: 5 * time.Second, InsecureSkipVerify: true}, 0); err != nil {
		t.Errorf("with verification off: %v", err)
	}
	_, err = probe.Fetch(context.Background(), u, probe.Options{CACert: filepath.Join(t.TempDir(), "none.pem")}, 0)
	if _, ok := err.(*probe.FileError); !ok {
		t.Errorf("a missing CA file: %T %v, want a *FileError", err, err)
	}
}

func TestSameOrigin(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		same bool
	}{
		{"http://h:8080/openapi.json", "http://h:8080/api", true},
		{"https://H/openapi.json", "https://h:443", true},
		{"http://h/openapi.json", "http://h:80/", true},
		{"http://h:8081/openapi.json", "http://h:8080", false},
		{"https://h:8080/openapi.json", "http://h:8080", false},
		{"http://docs.h/openapi.json", "http://h", false},
	} {
		if got := probe.SameOrigin(mustURL(t, tc.a), mustURL(t, tc.b)); got != tc.same {
			t.Errorf("SameOrigin(%s, %s) = %v", tc.a, tc.b, got)
		}
	}
	if probe.SameOrigin(mustURL(t, "http://h"), nil) {
		t.Error("a nil target has an origin")
	}
}
