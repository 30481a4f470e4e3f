package probe

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
	"unicode/utf8"
)

// Bounds of what a transcript shows, whatever the target sends: a report
// holds a transcript per exchange, and must stay small and readable.
const (
	// MaxShownValue bounds each header name and value shown; a longer
	// one is cut and says how long it was.
	MaxShownValue = 1 << 10
	// MaxShownText bounds an error message shown, and each text of a
	// verdict (a reason, an expected and an actual value).
	MaxShownText = 4 << 10
	// MaxTranscript bounds the transcript of one exchange; the rest is
	// left out, saying how much.
	MaxTranscript = 32 << 10
)

// Transcript renders the exchange as request and response texts, redacted,
// with bodies cut to maxBody bytes for display (0: whole), header values
// to MaxShownValue and the whole to MaxTranscript.
func (x *Exchange) Transcript(r *Redactor, maxBody int) string {
	b := &capped{max: MaxTranscript}
	fmt.Fprintf(b, "> %s %s\n", x.Method, r.Clip(r.URL(x.URL), MaxShownText))
	writeHeaders(b, "> ", x.Header, r)
	if len(x.Body) > 0 {
		fmt.Fprintf(b, ">\n%s\n", indent(r.body(x.Body, maxBody, false), "> "))
	}
	switch {
	case x.Err != nil:
		// Go's errors quote the whole URL; the rendered one hides its
		// secret query values.
		msg := strings.ReplaceAll(x.Err.Error(), x.URL.String(), r.URL(x.URL))
		fmt.Fprintf(b, "< (no answer: %s)\n", r.Clip(msg, MaxShownText))
	default:
		fmt.Fprintf(b, "< %s %d %s\n", x.Proto, x.Status, http.StatusText(x.Status))
		writeHeaders(b, "< ", x.RespHdr, r)
		if len(x.RespBody) > 0 {
			fmt.Fprintf(b, "<\n%s\n", indent(r.body(x.RespBody, maxBody, x.Truncated), "< "))
		}
		if x.Truncated {
			b.WriteString("< (body cut at the --max-body limit)\n")
		}
		if x.Retries > 0 {
			fmt.Fprintf(b, "< (the target answered 429 with Retry-After %d time(s) before this answer; the run waited and tried again)\n", x.Retries)
		}
		if x.Throttled != "" {
			fmt.Fprintf(b, "< (%s)\n", x.Throttled)
		}
	}
	return strings.TrimRight(b.String(), "\n")
}

func writeHeaders(b *capped, prefix string, h http.Header, r *Redactor) {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		name := cutRunes(k, MaxShownValue)
		for _, v := range h[k] {
			if b.full() {
				b.skip(len(prefix) + len(k) + len(v) + 3)
				continue
			}
			fmt.Fprintf(b, "%s%s: %s\n", prefix, name, r.Header(k, v))
		}
	}
}

// body renders a body for display: at most max bytes of it (0: all),
// redacted, or a note of its size when it is not text. A body cut at
// --max-body hides the beginning of a secret the cut split.
func (r *Redactor) body(body []byte, max int, truncated bool) string {
	window, cut := body, truncated
	if max > 0 && len(body) > max+r.span {
		window, cut = body[:max+r.span], true
	}
	if !isText(window, cut) {
		return fmt.Sprintf("(%d bytes of binary data)", len(body))
	}
	s := r.redact(string(window), cut)
	if max > 0 && len(body) > max {
		s = cutRunes(s, max) + fmt.Sprintf("... (%d bytes in all)", len(body))
	}
	return s
}

// isText tells whether b is UTF-8 text; a cut may have split its last
// character.
func isText(b []byte, cut bool) bool {
	if utf8.Valid(b) {
		return true
	}
	if !cut {
		return false
	}
	for k := 1; k < utf8.UTFMax && k <= len(b); k++ {
		if utf8.RuneStart(b[len(b)-k]) {
			return utf8.Valid(b[:len(b)-k])
		}
	}
	return false
}

func indent(s, prefix string) string {
	return prefix + strings.ReplaceAll(s, "\n", "\n"+prefix)
}

// capped is a text of at most max bytes: what is written past them is
// counted, not kept, and the text ends saying how much was left out.
type capped struct {
	b       strings.Builder
	max     int
	dropped int
}

func (c *capped) Write(p []byte) (int, error) {
	c.WriteString(string(p))
	return len(p), nil
}

func (c *capped) WriteString(s string) {
	if c.dropped > 0 {
		c.dropped += len(s)
		return
	}
	if room := c.max - c.b.Len(); len(s) > room {
		kept := cutRunes(s, room)
		c.b.WriteString(kept)
		c.dropped = len(s) - len(kept)
		return
	}
	c.b.WriteString(s)
}

func (c *capped) full() bool { return c.dropped > 0 }

// skip counts n bytes left out without rendering them.
func (c *capped) skip(n int) { c.dropped += n }

func (c *capped) String() string {
	if c.dropped == 0 {
		return c.b.String()
	}
	return fmt.Sprintf("%s\n(transcript cut at %d bytes: %d more bytes of it left out)\n", c.b.String(), c.max, c.dropped)
}
