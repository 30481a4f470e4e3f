package probe_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/apiconform/apiconform/internal/plan"
	"github.com/apiconform/apiconform/internal/probe"
)

// TestBrokenAnswersAreExplained: where Go's text is terse ("EOF",
// "unexpected EOF"), the exchange's error says what the target did, and
// keeps Go's text.
func TestBrokenAnswersAreExplained(t *testing.T) {
	cases := map[string]struct {
		respond func(c net.Conn)
		want    string
	}{
		"closed": {func(c net.Conn) {}, "the target closed the connection without answering (Get "},
		"reset": {func(c net.Conn) {
			c.(*net.TCPConn).SetLinger(0)
		}, "the target reset the connection (Get "},
		"garbage":        {func(c net.Conn) { io.WriteString(c, "this is not HTTP at all\r\n\r\n") }, `the answer is not HTTP (Get `},
		"bad status":     {func(c net.Conn) { io.WriteString(c, "HTTP/1.1 abc OK\r\n\r\n") }, `the answer is not HTTP (Get `},
		"body cut short": {func(c net.Conn) { io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789") }, "the body ended after 10 of the 100 bytes its Content-Length announced (reading the body: unexpected EOF)"},
		"chunks cut short": {func(c net.Conn) {
			io.WriteString(c, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\na\r\n0123456789\r\n")
		}, "the body ended after 10 bytes, before its end (reading the body: unexpected EOF)"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			c := client(t, rawServer(t, tc.respond), nil)
			x := c.Do(context.Background(), "id", get("/x"))
			if x.Err == nil || !strings.Contains(x.Err.Error(), tc.want) || x.TimedOut {
				t.Fatalf("err %v timedOut %v\nwant it to contain %q", x.Err, x.TimedOut, tc.want)
			}
			if tr := x.Transcript(c.Redactor(), 100); !strings.Contains(tr, tc.want) {
				t.Fatalf("transcript:\n%s", tr)
			}
		})
	}
}

// TestAGibibyteBodyIsCutAndMemoryStaysFlat offers a 1 GiB body (written
// from one reused buffer, so the server allocates nothing per MiB): the
// client reads --max-body, marks the body cut and hangs up, and the memory
// the exchange allocated stays a few MiB. Allocation is measured, not time.
func TestAGibibyteBodyIsCutAndMemoryStaysFlat(t *testing.T) {
	const size = 1 << 30
	const maxBody = 1 << 20
	chunk := []byte(strings.Repeat("a", 1<<20))
	for _, chunked := range []bool{false, true} {
		t.Run("chunked="+strconv.FormatBool(chunked), func(t *testing.T) {
			var sent atomic.Int64
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				if !chunked {
					w.Header().Set("Content-Length", strconv.Itoa(size))
				}
				for sent.Load() < size {
					n, err := w.Write(chunk)
					sent.Add(int64(n))
					if err != nil {
						return // the client hung up
					}
				}
			}))
			defer srv.Close()
			c := client(t, srv.URL, func(o *probe.Options) { o.MaxBody = maxBody; o.Timeout = time.Minute })
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			x := c.Do(context.Background(), "id", get("/big"))
			runtime.ReadMemStats(&after)
			if x.Err != nil || x.Status != 200 || !x.Truncated || len(x.RespBody) != maxBody {
				t.Fatalf("status %d err %v truncated %v body %d bytes", x.Status, x.Err, x.Truncated, len(x.RespBody))
			}
			const limit = 64 << 20
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > limit {
				t.Errorf("the exchange allocated %d MiB in all (limit %d MiB)", alloc>>20, limit>>20)
			}
			if grown := int64(after.HeapAlloc) - int64(before.HeapAlloc); grown > limit {
				t.Errorf("the heap grew by %d MiB (limit %d MiB)", grown>>20, limit>>20)
			}
			srv.Close() // waits for the handler, which ends when the client hangs up
			if n := sent.Load(); n >= size {
				t.Errorf("the client read the whole body (%d bytes) rather than hang up after --max-body", n)
			}
			if tr := x.Transcript(c.Redactor(), 100); !strings.Contains(tr, "(body cut at the --max-body limit)") {
				t.Errorf("transcript:\n%s", tr)
			}
		})
	}
}

// endlessHeaders answers with a status line and header lines until the
// client hangs up (or 1 GiB of them, which bounds the loop).
func endlessHeaders(status string) func(c net.Conn) {
	return func(c net.Conn) {
		io.WriteString(c, status)
		line := []byte("X-Endless: " + strings.Repeat("y", 1000) + "\r\n")
		for sent := 0; sent < 1<<30; sent += len(line) {
			if _, err := c.Write(line); err != nil {
				return
			}
		}
	}
}

// headerLines answers 200 with n header lines of the given value, and an
// empty body.
func headerLines(n int, value string) func(c net.Conn) {
	return func(c net.Conn) {
		var b strings.Builder
		b.WriteString("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n")
		for i := 0; i < n; i++ {
			b.WriteString("X-Line-" + strconv.Itoa(i) + ": " + value + "\r\n")
		}
		b.WriteString("\r\n")
		io.WriteString(c, b.String())
	}
}

// TestHeadersAreBounded: endless headers, too many header lines and 1xx
// answers without end stop at MaxHeaderBytes or MaxHeaderFields, for the
// ordinary client and the HEAD reader alike: the exchange fails saying
// why, is no timeout, and allocates a few MiB however much the target
// would send. A header section within the bounds is read whole.
func TestHeadersAreBounded(t *testing.T) {
	cases := []struct {
		name    string
		respond func(c net.Conn)
		want    string // "" for an answer read whole
	}{
		{"endless headers", endlessHeaders("HTTP/1.1 200 OK\r\n"), "the answer's headers run past 262144 bytes (256 KiB), the most the client reads (the answer was not read)"},
		{"endless 103 answers", func(c net.Conn) {
			for i := 0; i < 1<<20; i++ {
				if _, err := io.WriteString(c, "HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n"); err != nil {
					return
				}
			}
		}, "the answer's headers run past 262144 bytes"},
		{"too many header lines", headerLines(probe.MaxHeaderFields+1, "v"), "the answer carries 1002 header lines, more than the 1000 the client reads"},
		{"as many header lines as allowed", headerLines(probe.MaxHeaderFields-1, "v"), ""},
		{"one value of 200 KiB", headerLines(1, strings.Repeat("v", 200<<10)), ""},
	}
	for _, tc := range cases {
		for _, method := range []string{http.MethodGet, http.MethodHead} {
			t.Run(tc.name+" "+method, func(t *testing.T) {
				c := client(t, rawServer(t, tc.respond), nil)
				var before, after runtime.MemStats
				runtime.GC()
				runtime.ReadMemStats(&before)
				x := c.Do(context.Background(), "id", &plan.Request{Method: method, Path: "/x"})
				runtime.ReadMemStats(&after)
				if tc.want == "" {
					if x.Err != nil || x.Status != 200 {
						t.Fatalf("status %d err %v; want the answer read whole", x.Status, x.Err)
					}
					return
				}
				var limit *probe.HeaderLimitError
				if x.Err == nil || !errors.As(x.Err, &limit) || !strings.Contains(x.Err.Error(), tc.want) || x.TimedOut {
					t.Fatalf("status %d err %v timedOut %v; want %q", x.Status, x.Err, x.TimedOut, tc.want)
				}
				if tr := x.Transcript(c.Redactor(), 100); !strings.Contains(tr, "< (no answer: "+tc.want) {
					t.Errorf("transcript:\n%s", tr)
				}
				const most = 32 << 20
				if alloc := after.TotalAlloc - before.TotalAlloc; alloc > most {
					t.Errorf("the exchange allocated %d MiB (limit %d MiB)", alloc>>20, most>>20)
				}
			})
		}
	}
}

// TestInformationalAnswersAreSkipped: a 103 Early Hints (or an unasked
// 100 Continue) before the answer is not the answer, for HEAD (read by
// hand) as for GET (Go's transport).
func TestInformationalAnswersAreSkipped(t *testing.T) {
	for _, method := range []string{http.MethodHead, http.MethodGet} {
		t.Run(method, func(t *testing.T) {
			c := client(t, rawServer(t, func(c net.Conn) {
				io.WriteString(c, "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n"+
					"HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n")
				if method == http.MethodGet {
					io.WriteString(c, "{}")
				}
			}), nil)
			x := c.Do(context.Background(), "id", &plan.Request{Method: method, Path: "/x"})
			if x.Err != nil || x.Status != 404 || x.RespHdr.Get("Content-Type") != "application/json" || x.RespHdr.Get("Link") != "" {
				t.Fatalf("status %d err %v headers %v; want the 404 after the 1xx answers", x.Status, x.Err, x.RespHdr)
			}
		})
	}
}

// TestHugeHeadersStaySmallInTheTranscript: a header value of 200 KiB (within
// MaxHeaderBytes) shows MaxShownValue bytes of it and its length, a secret
// across the cut is hidden, and many long headers make a transcript of at
// most MaxTranscript that says how much it left out.
func TestHugeHeadersStaySmallInTheTranscript(t *testing.T) {
	const size = 200 << 10
	value := strings.Repeat("v", probe.MaxShownValue-4) + token + strings.Repeat("w", size-probe.MaxShownValue-len(token)+4)
	c := client(t, rawServer(t, func(c net.Conn) {
		io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nX-Huge: "+value+"\r\n\r\n")
	}), withSecrets)
	x := c.Do(context.Background(), "id", get("/x"))
	if x.Err != nil || len(x.RespHdr.Get("X-Huge")) != size {
		t.Fatalf("err %v, value of %d bytes", x.Err, len(x.RespHdr.Get("X-Huge")))
	}
	tr := x.Transcript(c.Redactor(), 4096)
	line := ""
	for _, l := range strings.Split(tr, "\n") {
		if strings.HasPrefix(l, "< X-Huge: ") {
			line = l
		}
	}
	if !strings.HasSuffix(line, "... ("+strconv.Itoa(size)+" bytes in all)") || len(line) > probe.MaxShownValue+64 {
		t.Errorf("the header line has %d bytes and ends %q", len(line), line[max(0, len(line)-60):])
	}
	if strings.Contains(tr, token[:4]) || strings.Contains(line, "w") {
		t.Errorf("the transcript shows the secret's beginning, or what comes after the cut:\n%s", line)
	}

	many := client(t, rawServer(t, headerLines(250, strings.Repeat("m", 1000))), nil)
	x = many.Do(context.Background(), "id", get("/x"))
	if x.Err != nil {
		t.Fatal(x.Err)
	}
	tr = x.Transcript(many.Redactor(), 4096)
	if len(tr) > probe.MaxTranscript+200 || !strings.Contains(tr, "(transcript cut at 32768 bytes: ") {
		t.Errorf("a transcript of %d bytes ends %q", len(tr), tr[max(0, len(tr)-100):])
	}
}

// TestRetryAfterWaitsAreBounded: the client waits on Retry-After while the
// time held in all stays within MaxRetryWait, workers throttled together
// count once, and past the bound a 429 is the answer and says why. No
// duration is asserted: the target counts the requests it got.
func TestRetryAfterWaitsAreBounded(t *testing.T) {
	var throttle atomic.Bool
	var got atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got.Add(1)
		if throttle.Swap(false) || r.URL.Path == "/always" {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		io.WriteString(w, "ok")
	}))
	defer srv.Close()
	c := client(t, srv.URL, func(o *probe.Options) { o.MaxRetryWait = 1500 * time.Millisecond })

	// Four requests throttled together: one wait of a second for all.
	throttle.Store(true)
	var wg sync.WaitGroup
	xs := make([]*probe.Exchange, 4)
	for i := range xs {
		wg.Add(1)
		go func() { defer wg.Done(); xs[i] = c.Do(context.Background(), "id", get("/x")) }()
	}
	wg.Wait()
	for i, x := range xs {
		if x.Err != nil || x.Status != 200 || x.Throttled != "" {
			t.Errorf("request %d: status %d err %v throttled %q", i, x.Status, x.Err, x.Throttled)
		}
	}
	// A second wait of a second would pass the 1.5 s: no more waiting.
	before := got.Load()
	x := c.Do(context.Background(), "id", get("/always"))
	if x.Status != 429 || x.Retries != 0 || got.Load() != before+1 {
		t.Fatalf("status %d, %d retries, %d requests; want the 429 at once", x.Status, x.Retries, got.Load()-before)
	}
	if want := "the run did not wait its Retry-After of 1s: the time spent waiting on throttling would pass --max-retry-wait 1.5s ("; !strings.HasPrefix(x.Throttled, want) {
		t.Errorf("throttled %q, want %q", x.Throttled, want)
	}
	if tr := x.Transcript(c.Redactor(), 100); !strings.Contains(tr, "< ("+x.Throttled+")") {
		t.Errorf("the transcript does not say why:\n%s", tr)
	}

	never := client(t, srv.URL, func(o *probe.Options) { o.MaxRetryWait = -1 })
	if x := never.Do(context.Background(), "id", get("/always")); x.Status != 429 || x.Retries != 0 || x.Throttled != "the run does not wait on Retry-After (--max-retry-wait 0)" {
		t.Errorf("never waiting: status %d, %d retries, throttled %q", x.Status, x.Retries, x.Throttled)
	}
}

// FuzzHeaderBounds: whatever the number and size of the header lines, an
// answer well within MaxHeaderBytes and MaxHeaderFields is read, and one
// past either is refused with a HeaderLimitError, by the ordinary client
// and the HEAD reader alike. Its seed corpus runs as a test.
func FuzzHeaderBounds(f *testing.F) {
	for _, seed := range []struct {
		count, size uint32
		head        bool
	}{{0, 0, false}, {999, 10, true}, {1001, 1, false}, {1001, 1, true}, {1, 200 << 10, true}, {1, 300 << 10, false}, {300, 1000, true}, {200, 1000, false}} {
		f.Add(seed.count, seed.size, seed.head)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		f.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				conn.SetDeadline(time.Now().Add(5 * time.Second))
				req, err := http.ReadRequest(bufio.NewReader(conn))
				if err != nil {
					return
				}
				var count, size int
				fmt.Sscanf(req.URL.Path, "/%d/%d", &count, &size)
				headerLines(count, strings.Repeat("v", size))(conn)
			}()
		}
	}()
	c := probe.New(probe.Options{Target: &url.URL{Scheme: "http", Host: ln.Addr().String()}, Timeout: 5 * time.Second})
	f.Fuzz(func(t *testing.T, count, size uint32, head bool) {
		n, s := int(count%3000), int(size%(512<<10))
		if n > 0 && n*s > 1<<20 {
			s = (1 << 20) / n
		}
		method := http.MethodGet
		if head {
			method = http.MethodHead
		}
		x := c.Do(context.Background(), "id", &plan.Request{Method: method, Path: fmt.Sprintf("/%d/%d", n, s)})
		// Content-Length comes with the n lines.
		lines := n + 1
		bytes := len("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
		for i := 0; i < n; i++ {
			bytes += len("X-Line-"+strconv.Itoa(i)+": \r\n") + s
		}
		var limit *probe.HeaderLimitError
		switch {
		case lines > probe.MaxHeaderFields || bytes > probe.MaxHeaderBytes:
			if !errors.As(x.Err, &limit) {
				t.Fatalf("%d lines, %d bytes: status %d err %v; want a HeaderLimitError", lines, bytes, x.Status, x.Err)
			}
		case bytes < probe.MaxHeaderBytes-8<<10:
			if x.Err != nil || x.Status != 200 {
				t.Fatalf("%d lines, %d bytes: status %d err %v; want the answer", lines, bytes, x.Status, x.Err)
			}
		}
	})
}

// TestReachAndFetchBoundHeaders: the reachability check and a contract's
// fetch stop at the same header bounds as the scenarios.
func TestReachAndFetchBoundHeaders(t *testing.T) {
	for name, respond := range map[string]func(net.Conn){
		"endless headers":       endlessHeaders("HTTP/1.1 200 OK\r\n"),
		"too many header lines": headerLines(probe.MaxHeaderFields+1, "v"),
	} {
		t.Run(name, func(t *testing.T) {
			target := rawServer(t, respond)
			var limit *probe.HeaderLimitError
			if err := client(t, target, nil).Reach(context.Background()); !errors.As(err, &limit) {
				t.Errorf("Reach: %v, want a HeaderLimitError", err)
			}
			_, err := probe.Fetch(context.Background(), mustURL(t, target+"/openapi.json"), probe.Options{Timeout: 5 * time.Second}, 0)
			if !errors.As(err, &limit) {
				t.Errorf("Fetch: %v, want a HeaderLimitError", err)
			}
		})
	}
}
