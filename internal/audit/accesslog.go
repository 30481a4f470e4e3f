package audit

import (
	"io"
	"net"
	"net/http"
	"sync"
	"time"
)

// AccessLog wraps h so that every request it serves is written to w as one
// UCS access-log line (see AppendLine): what `apiconform serve --access-log`
// writes, and what the sample logs in fixtures/logs were made with. Each
// line goes out in one Write, so lines from concurrent requests never
// interleave; a failed write is dropped rather than failing the request.
func AccessLog(h http.Handler, w io.Writer) http.Handler {
	return &accessLog{next: h, w: w}
}

type accessLog struct {
	next http.Handler
	mu   sync.Mutex
	w    io.Writer
	buf  []byte
}

func (l *accessLog) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	sw := &statusWriter{ResponseWriter: w}
	l.next.ServeHTTP(sw, r)
	end := time.Now()
	if sw.status == 0 {
		sw.status = http.StatusOK // what net/http sends for a handler that wrote nothing
	}
	ip, _, _ := net.SplitHostPort(r.RemoteAddr)
	port := ""
	if addr, ok := r.Context().Value(http.LocalAddrContextKey).(net.Addr); ok {
		_, port, _ = net.SplitHostPort(addr.String())
	}
	scheme := "http://"
	if r.TLS != nil {
		scheme = "https://"
	}
	rec := Record{
		Timestamp: []byte(end.Format("15:04:05.000")),
		Level:     []byte("Trc"),
		Date:      []byte(start.Format("2006-01-02")),
		Time:      []byte(start.Format("15:04:05")),
		IP:        []byte(ip),
		Port:      []byte(port),
		Method:    []byte(r.Method),
		URL:       []byte(r.RequestURI),
		Status:    sw.status,
		Millis:    end.Sub(start).Milliseconds(),
		Host:      []byte(scheme + r.Host),
		UserAgent: []byte(r.UserAgent()),
	}
	for i, v := range DefaultOpaque {
		rec.Opaque[i] = []byte(v)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buf = AppendLine(l.buf[:0], &rec)
	l.w.Write(l.buf)
}

// statusWriter records the status a handler answers.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (s *statusWriter) WriteHeader(code int) {
	// Informational answers (103 Early Hints) precede the real one.
	if s.status == 0 && code >= 200 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusWriter) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (s *statusWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }
