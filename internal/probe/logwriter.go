package probe

import (
	"io"
	"strings"
)

// LogWriter is a writer for the process-wide log package, which Go's
// net/http writes to: an answer that comes on an idle connection is logged
// with the bytes that came, and a target can echo the run's credentials in
// them. Each message is redacted, cut to MaxShownText, put in words where
// Go's are cryptic, and written to w after prefix. The log package writes
// a message with one Write, so a secret is never split between two.
func (r *Redactor) LogWriter(w io.Writer, prefix string) io.Writer {
	return &logWriter{r: r, w: w, prefix: prefix}
}

type logWriter struct {
	r      *Redactor
	w      io.Writer
	prefix string
}

// unsolicited begins net/http's message for bytes on an idle connection.
const unsolicited = "Unsolicited response received on idle HTTP channel starting with "

func (l *logWriter) Write(p []byte) (int, error) {
	msg := l.r.Clip(strings.TrimRight(string(p), "\n"), MaxShownText)
	if rest, ok := strings.CutPrefix(msg, unsolicited); ok {
		msg = "the target sent an answer on an idle connection, to no request; it was dropped (net/http: " + strings.TrimSuffix(unsolicited, " ") + " " + rest + ")"
	}
	if _, err := io.WriteString(l.w, l.prefix+msg+"\n"); err != nil {
		return 0, err
	}
	return len(p), nil
}
