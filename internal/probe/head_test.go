package probe_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/apiconform/apiconform/internal/plan"
)

// A body sent after the headers of a HEAD answer is read and kept: Go's
// transport would drop it unseen.
func TestHeadBodyIsSeen(t *testing.T) {
	for _, tc := range []struct {
		name string
		h    http.HandlerFunc
		body string
	}{
		{"conforming", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"a":1}`)) // the server drops it for HEAD
		}, ""},
		{"body after the headers", func(w http.ResponseWriter, r *http.Request) {
			conn, buf, _ := http.NewResponseController(w).Hijack()
			defer conn.Close()
			buf.WriteString("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 7\r\n\r\n{\"a\":1}")
			buf.Flush()
		}, `{"a":1}`},
		{"connection kept open", func(w http.ResponseWriter, r *http.Request) {
			conn, buf, _ := http.NewResponseController(w).Hijack()
			buf.WriteString("HTTP/1.1 200 OK\r\nContent-Length: 7\r\n\r\n")
			buf.Flush()
			// ignores Connection: close and keeps the line open for a while
			time.AfterFunc(3*time.Second, func() { conn.Close() })
		}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(tc.h)
			defer srv.Close()
			c := client(t, srv.URL, nil)
			x := c.Do(t.Context(), "head", &plan.Request{Method: http.MethodHead, Path: "/"})
			if x.Err != nil || x.Status != 200 {
				t.Fatalf("HEAD: %v, %d", x.Err, x.Status)
			}
			if string(x.RespBody) != tc.body {
				t.Fatalf("body after the headers %q, want %q", x.RespBody, tc.body)
			}
		})
	}
}
