package probe_test

import (
	"bufio"
	"context"
	"fmt"
	"log"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/apiconform/apiconform/internal/contract"
	"github.com/apiconform/apiconform/internal/plan"
	"github.com/apiconform/apiconform/internal/probe"
)

// syncBuffer is a buffer the transport's goroutines write to while the
// test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// noQuotedSecrets asserts that a text shows no credential, plain or in
// the Go-quoted form a log line gives it.
func noQuotedSecrets(t *testing.T, what, text string) {
	t.Helper()
	noSecrets(t, what, text)
	for _, s := range secrets() {
		if q := strconv.Quote(s); strings.Contains(text, q[1:len(q)-1]) {
			t.Errorf("%s shows the secret %s:\n%s", what, q, text)
		}
	}
}

// TestLogWriterRedacts: net/http's line for bytes on an idle connection,
// which quotes what the target sent, shows none of the run's credentials,
// says what happened in words, and is cut to MaxShownText.
func TestLogWriterRedacts(t *testing.T) {
	o := probe.Options{Header: http.Header{}}
	withSecrets(&o)
	red := probe.NewRedactor(o)
	var out strings.Builder
	logger := log.New(red.LogWriter(&out, "apiconform run: "), "", 0)
	sent := "HTTP/1.1 200 OK\r\nX-Echo: Bearer " + token + "\r\nX-Key: " + apiKey + "\r\nX-Basic: " + b64(user+":"+password) + "\r\n\r\n"
	logger.Printf("Unsolicited response received on idle HTTP channel starting with %q; err=%v", sent, nil)
	logger.Printf("something else %s %s", strings.Repeat("z", 2*probe.MaxShownText), token)
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != 2 {
		t.Fatalf("want 2 lines:\n%s", out.String())
	}
	want := `apiconform run: the target sent an answer on an idle connection, to no request; it was dropped (net/http: Unsolicited response received on idle HTTP channel starting with "HTTP/1.1 200 OK\r\nX-Echo: Bearer [redacted]\r\nX-Key: [redacted]\r\nX-Basic: [redacted]\r\n\r\n"; err=<nil>)`
	if lines[0] != want {
		t.Errorf("got  %s\nwant %s", lines[0], want)
	}
	if !strings.HasPrefix(lines[1], "apiconform run: something else zzz") || len(lines[1]) > probe.MaxShownText+100 || !strings.HasSuffix(lines[1], " bytes in all)") {
		t.Errorf("a long line is not cut: %d bytes", len(lines[1]))
	}
	noQuotedSecrets(t, "the log", out.String())
}

// TestUnsolicitedAnswerIsRedacted: a target that sends a second answer on
// the connection, echoing the credentials of the request, makes Go's
// transport log it; through LogWriter, the line shows none of them.
func TestUnsolicitedAnswerIsRedacted(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		conn, err := ln.Accept()
		if err != nil {
			return
		}
		defer conn.Close()
		conn.SetDeadline(time.Now().Add(10 * time.Second))
		req, err := http.ReadRequest(bufio.NewReader(conn))
		if err != nil {
			return
		}
		// The answer and the unasked one in one write: the second is in
		// the client's buffer when the first ends.
		fmt.Fprintf(conn, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"+
			"HTTP/1.1 200 OK\r\nX-Echo-Auth: %s\r\nX-Echo-Key: %s\r\nContent-Length: 0\r\n\r\n",
			req.Header.Get("Authorization"), req.Header.Get("X-Api-Key"))
		conn.Read(make([]byte, 1)) // until the client hangs up
	}()
	defer func() { ln.Close(); <-done }()

	c := client(t, "http://"+ln.Addr().String(), withSecrets)
	var out syncBuffer
	prev, flags := log.Writer(), log.Flags()
	log.SetOutput(c.Redactor().LogWriter(&out, "apiconform run: "))
	log.SetFlags(0)
	defer func() { log.SetOutput(prev); log.SetFlags(flags) }()

	req := get("/x")
	req.Auth, req.Schemes = plan.AuthValid, []*contract.Scheme{bearerScheme}
	if x := c.Do(context.Background(), "id", req); x.Err != nil || x.Status != 200 {
		t.Fatalf("status %d err %v", x.Status, x.Err)
	}
	for i := 0; i < 500 && !strings.Contains(out.String(), "idle connection"); i++ {
		time.Sleep(10 * time.Millisecond) // the transport logs from its own goroutine
	}
	got := out.String()
	if !strings.Contains(got, "X-Echo-Auth: Bearer [redacted]") || !strings.Contains(got, "X-Echo-Key: [redacted]") {
		t.Fatalf("want the transport's line, redacted; got:\n%s", got)
	}
	noQuotedSecrets(t, "the log", got)
}
