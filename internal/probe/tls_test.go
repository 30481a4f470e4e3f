package probe_test

import (
	"context"
	"crypto/tls"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/apiconform/apiconform/internal/probe"
	"github.com/apiconform/apiconform/internal/testcert"
)

// tlsServer is a loopback HTTPS server with the given TLS configuration
// that answers "ok".
func tlsServer(t *testing.T, cfg *tls.Config) *httptest.Server {
	t.Helper()
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") }))
	srv.TLS = cfg
	// The handshakes these tests make fail on purpose; the server's log
	// of each would only be noise.
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv
}

// hostOf is the host:port of a server's URL, as the messages name it.
func hostOf(t *testing.T, srv *httptest.Server) string {
	t.Helper()
	return mustURL(t, srv.URL).Host
}

func TestTLSUntrustedCertificateNamesTheHostAndTheFlags(t *testing.T) {
	ca := testcert.NewCA(t, "private CA")
	srv := tlsServer(t, &tls.Config{Certificates: []tls.Certificate{ca.Server(t, "127.0.0.1")}})
	c := client(t, srv.URL, nil)
	x := c.Do(context.Background(), "id", get("/x"))
	want := "TLS: the certificate of " + hostOf(t, srv) + " is not trusted (x509: certificate signed by unknown authority"
	if x.Err == nil || !strings.Contains(x.Err.Error(), want) || !strings.Contains(x.Err.Error(), "pass --ca-cert with its CA, or --insecure-skip-verify") {
		t.Fatalf("err %v\nwant it to contain %q and the flags", x.Err, want)
	}
	var te *probe.TLSError
	if !errors.As(x.Err, &te) || te.Host != hostOf(t, srv) || x.TimedOut {
		t.Fatalf("err %#v timedOut %v", x.Err, x.TimedOut)
	}
	if tr := x.Transcript(c.Redactor(), 0); !strings.Contains(tr, "< (no answer: "+want) {
		t.Fatalf("the transcript should explain it:\n%s", tr)
	}
	// The reachability check says the same, before any scenario.
	if err := c.Reach(context.Background()); err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("Reach: %v", err)
	}
}

func TestTLSWithTheCAOrWithoutVerification(t *testing.T) {
	ca := testcert.NewCA(t, "private CA")
	srv := tlsServer(t, &tls.Config{Certificates: []tls.Certificate{ca.Server(t, "127.0.0.1")}})
	caFile := ca.WriteCA(t, t.TempDir())
	for name, mod := range map[string]func(*probe.Options){
		"ca-cert":              func(o *probe.Options) { o.CACert = caFile },
		"insecure-skip-verify": func(o *probe.Options) { o.InsecureSkipVerify = true },
	} {
		t.Run(name, func(t *testing.T) {
			c := client(t, srv.URL, mod)
			x := c.Do(context.Background(), "id", get("/x"))
			if x.Err != nil || x.Status != 200 || string(x.RespBody) != "ok" {
				t.Fatalf("status %d body %q err %v", x.Status, x.RespBody, x.Err)
			}
			if err := c.Reach(context.Background()); err != nil {
				t.Fatalf("Reach: %v", err)
			}
		})
	}
}

func TestTLSCertificateForAnotherName(t *testing.T) {
	ca := testcert.NewCA(t, "private CA")
	srv := tlsServer(t, &tls.Config{Certificates: []tls.Certificate{ca.Server(t, "127.0.0.2")}})
	c := client(t, srv.URL, func(o *probe.Options) { o.CACert = ca.WriteCA(t, t.TempDir()) })
	x := c.Do(context.Background(), "id", get("/x"))
	want := "TLS: the certificate of " + hostOf(t, srv) + " is not valid for that name (x509: certificate is valid for 127.0.0.2, not 127.0.0.1)"
	if x.Err == nil || !strings.Contains(x.Err.Error(), want) {
		t.Fatalf("err %v\nwant %q", x.Err, want)
	}
}

func TestTLSServerThatDoesNotSpeakTLS(t *testing.T) {
	// A raw listener that answers anything with bytes that are neither TLS
	// nor HTTP.
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
			conn.SetDeadline(time.Now().Add(5 * time.Second))
			io.WriteString(conn, "\x00\x01garbage that is no TLS record\r\n")
			conn.Close()
		}
	}()
	t.Cleanup(func() { ln.Close(); wg.Wait() })
	c := client(t, "https://"+ln.Addr().String(), nil)
	x := c.Do(context.Background(), "id", get("/x"))
	if x.Err == nil || !strings.Contains(x.Err.Error(), "TLS: "+ln.Addr().String()+" does not answer in TLS") {
		t.Fatalf("err %v", x.Err)
	}
}

func TestMutualTLS(t *testing.T) {
	serverCA, clientCA, otherCA := testcert.NewCA(t, "server CA"), testcert.NewCA(t, "client CA"), testcert.NewCA(t, "another CA")
	srv := tlsServer(t, &tls.Config{
		Certificates: []tls.Certificate{serverCA.Server(t, "127.0.0.1")},
		ClientAuth:   tls.RequireAndVerifyClientCert,
		ClientCAs:    clientCA.Pool(),
	})
	dir := t.TempDir()
	caFile := serverCA.WriteCA(t, dir)
	certFile, keyFile := testcert.WritePair(t, dir, "client", clientCA.Client(t, "apiconform"))
	strangerCert, strangerKey := testcert.WritePair(t, dir, "stranger", otherCA.Client(t, "apiconform"))

	t.Run("with the client certificate", func(t *testing.T) {
		c := client(t, srv.URL, func(o *probe.Options) { o.CACert, o.ClientCert, o.ClientKey = caFile, certFile, keyFile })
		if x := c.Do(context.Background(), "id", get("/x")); x.Err != nil || x.Status != 200 {
			t.Fatalf("status %d err %v", x.Status, x.Err)
		}
		if err := c.Reach(context.Background()); err != nil {
			t.Fatalf("Reach: %v", err)
		}
	})
	for name, mod := range map[string]func(*probe.Options){
		"without one":         func(o *probe.Options) { o.CACert = caFile },
		"with one it refuses": func(o *probe.Options) { o.CACert, o.ClientCert, o.ClientKey = caFile, strangerCert, strangerKey },
	} {
		t.Run(name, func(t *testing.T) {
			c := client(t, srv.URL, mod)
			x := c.Do(context.Background(), "id", get("/x"))
			want := "TLS: " + hostOf(t, srv) + " refused the connection (remote error: tls: "
			if x.Err == nil || !strings.Contains(x.Err.Error(), want) || !strings.Contains(x.Err.Error(), "--client-cert and --client-key") || x.TimedOut {
				t.Fatalf("err %v timedOut %v\nwant %q", x.Err, x.TimedOut, want)
			}
			if err := c.Reach(context.Background()); err == nil || !strings.Contains(err.Error(), want) {
				t.Fatalf("Reach: %v", err)
			}
		})
	}
}

func TestTLSFilesThatCannotBeUsed(t *testing.T) {
	dir := t.TempDir()
	ca := testcert.NewCA(t, "CA")
	caFile := ca.WriteCA(t, dir)
	certFile, keyFile := testcert.WritePair(t, dir, "client", ca.Client(t, "c"))
	_, otherKey := testcert.WritePair(t, dir, "other", ca.Client(t, "d"))
	junk := filepath.Join(dir, "junk.pem")
	os.WriteFile(junk, []byte("this is no PEM\n"), 0o600)
	missing := filepath.Join(dir, "missing.pem")
	cases := []struct {
		name   string
		opts   probe.Options
		option string
		path   string
		want   string
	}{
		{"missing CA file", probe.Options{CACert: missing}, "CACert", missing, "no such file or directory"},
		{"CA file is no PEM", probe.Options{CACert: junk}, "CACert", junk, "no PEM certificate in it"},
		{"CA file holds a key", probe.Options{CACert: keyFile}, "CACert", keyFile, "no PEM certificate in it"},
		{"a CA file that is a directory", probe.Options{CACert: dir}, "CACert", dir, "is a directory"},
		{"certificate without key", probe.Options{ClientCert: certFile}, "ClientCert", certFile, "needs its key"},
		{"key without certificate", probe.Options{ClientKey: keyFile}, "ClientKey", keyFile, "needs its certificate"},
		{"missing key", probe.Options{ClientCert: certFile, ClientKey: missing}, "ClientKey", missing, "no such file or directory"},
		{"certificate is no PEM", probe.Options{ClientCert: junk, ClientKey: keyFile}, "ClientCert", junk, "certificate input"},
		{"key is no PEM", probe.Options{ClientCert: certFile, ClientKey: junk}, "ClientKey", junk, "key input"},
		{"key of another certificate", probe.Options{ClientCert: certFile, ClientKey: otherKey}, "ClientKey", otherKey, "does not match"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := tc.opts.TLSConfig()
			var fe *probe.FileError
			if cfg != nil || !errors.As(err, &fe) || fe.Option != tc.option || fe.Path != tc.path || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("TLSConfig() = %v, %v; want a FileError on %s %s saying %q", cfg, err, tc.option, tc.path, tc.want)
			}
			// The path is named once, not again by the os error.
			if n := strings.Count(err.Error(), tc.path); n != 1 {
				t.Errorf("%q names the path %d times", err, n)
			}
			// A client made anyway fails every exchange with the reason,
			// sending nothing.
			rec := newRecorder(t, nil)
			tc.opts.Target = mustURL(t, rec.srv.URL)
			c := probe.New(tc.opts)
			if x := c.Do(context.Background(), "id", get("/x")); !errors.As(x.Err, &fe) {
				t.Fatalf("exchange err %v", x.Err)
			}
			if err := c.Reach(context.Background()); !errors.As(err, &fe) {
				t.Fatalf("Reach: %v", err)
			}
			if n := len(rec.requests()); n != 0 {
				t.Fatalf("%d requests sent with unusable TLS options", n)
			}
		})
	}
	// The good files load, and the CA joins the system's roots.
	cfg, err := probe.Options{CACert: caFile, ClientCert: certFile, ClientKey: keyFile}.TLSConfig()
	if err != nil || cfg.RootCAs == nil || len(cfg.Certificates) != 1 || cfg.InsecureSkipVerify || cfg.MinVersion != tls.VersionTLS12 {
		t.Fatalf("TLSConfig() = %+v, %v", cfg, err)
	}
}
