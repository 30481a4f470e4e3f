package probe_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

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
