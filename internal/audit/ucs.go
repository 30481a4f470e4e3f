package audit

import (
	"errors"
	"strconv"
)

// The UCS access-log line, as the vendor's page "HTTP Response Codes and
// Errors" shows it (fields numbered as the page numbers them; the fields it
// leaves unexplained are marked o0 to o5):
//
//	14:33:39.485 Trc 29998 [let-3851106] 2010-04-02	14:33:39		8080	GET	/cv/server/status	-	200	-	0	2	http://localhost:8080	Apache-HttpClient/4.0-beta2 (java 1.5)	-
//	[1]          [2] o0    o1            [3]        [3]      [4] [5]  [6] [7]               o2 [8] o3 o4 [9] [10]                 [11]                                    o5
//
// [1] when the line was written, [2] the log level, [3] the date and time the
// request was received, [4] the client's address (empty in the page's own
// example), [5] the server port, [6] the method, [7] the requested URL, [8]
// the status, [9] the execution time in ms, [10] the called host and port,
// [11] the user agent.
//
// ParseLine and AppendLine are the two halves of this one layout: the
// reference targets write it (apiconform serve --access-log) and the audit
// reads it, and a test holds them to each other.

// Record is one parsed access-log line. Its byte fields are slices of the
// line it was parsed from: they are valid only as long as that line is, so
// the hot path never copies. Copy what you keep.
type Record struct {
	Timestamp []byte // [1] when the line was written, e.g. 14:33:39.485
	Level     []byte // [2] the log level, e.g. Trc
	Date      []byte // [3] the date the request was received, 2010-04-02
	Time      []byte // [3] the time it was received, 14:33:39
	IP        []byte // [4] the client's address; empty when the line has none
	Port      []byte // [5] the server port
	Method    []byte // [6] the request method, as sent
	URL       []byte // [7] the requested URL: a path with its query, or an absolute URL
	Status    int    // [8] the HTTP status, 100 to 599
	Millis    int64  // [9] the execution time in ms; -1 when logged as "-"
	Host      []byte // [10] the called host and port, e.g. http://localhost:8080
	UserAgent []byte // [11] the user agent; may contain spaces
	// Opaque holds the fields the vendor's page does not explain, in line
	// order: o0 and o1 between the level and the date (o1 is everything up
	// to the date, spaces included, since a thread name may hold one), o2
	// after the URL, o3 and o4 after the status, o5 at the end. They are
	// kept as they are, never interpreted, so that a line written back is
	// the line read.
	Opaque [6][]byte
}

// DefaultOpaque are the values AppendLine's callers in this project give
// the unexplained fields: the ones the vendor's example line shows, so that
// a tool written for real UCS logs reads ours too.
var DefaultOpaque = [6]string{"29998", "[apiconform]", "-", "-", "0", "-"}

// The reasons a line does not parse. They are values, not formatted errors,
// so that a bad line costs no allocation: a log of a million lines that is
// not in the UCS layout must not become a million allocations.
var (
	ErrBlank     = errors.New("blank line")
	ErrTimestamp = errors.New("no timestamp at the start of the line (want e.g. 14:33:39.485)")
	ErrTruncated = errors.New("the line ends before the last field (the user agent)")
	ErrNoDate    = errors.New("no request date (YYYY-MM-DD) after the log level")
	ErrTime      = errors.New("no request time (HH:MM:SS) after the date")
	ErrPort      = errors.New("the server port is not a number")
	ErrMethod    = errors.New("the method is not an HTTP token")
	ErrURL       = errors.New("the URL is neither a path nor an absolute URL")
	ErrStatus    = errors.New("the status is not a number from 100 to 599")
	ErrMillis    = errors.New("the execution time is not a number of ms")
)

// maxHeaderTokens bounds the search for the date: the prefix before it is
// the logger's (timestamp, level, message id, thread), a handful of tokens.
const maxHeaderTokens = 8

// isSpace tells the field separators apart: the layout uses tabs, the
// vendor's page shows spaces, and real files mix both.
func isSpace(c byte) bool { return c == ' ' || c == '\t' }

// token returns the next run of non-separator bytes at or after i: its start
// and its end. start == end when the line has no more tokens.
func token(line []byte, i int) (start, end int) {
	for i < len(line) && isSpace(line[i]) {
		i++
	}
	start = i
	for i < len(line) && !isSpace(line[i]) {
		i++
	}
	return start, i
}

// ParseLine parses one line into r; a trailing newline (LF or CRLF) is
// ignored. Runs of tabs and spaces separate the fields; the client address
// may be missing (empty or "-"); the user agent may contain spaces. A line
// that does not fit returns one of the Err values above, and r is then not
// meaningful.
func ParseLine(line []byte, r *Record) error {
	*r = Record{Millis: -1}
	n := len(line)
	for n > 0 && (isSpace(line[n-1]) || line[n-1] == '\r' || line[n-1] == '\n') {
		n--
	}
	line = line[:n]
	s, e := token(line, 0)
	if s == e {
		return ErrBlank
	}
	if !isDigit(line[s]) {
		return ErrTimestamp
	}
	r.Timestamp = line[s:e]
	if s, e = token(line, e); s == e {
		return ErrTruncated
	}
	r.Level = line[s:e]

	// The logger's prefix: o0, then everything up to the date as o1.
	o1Start, o1End := -1, -1
	for k := 0; k < maxHeaderTokens && r.Date == nil; k++ {
		if s, e = token(line, e); s == e {
			return ErrNoDate
		}
		if isDate(line[s:e]) {
			r.Date = line[s:e]
			break
		}
		switch {
		case k == 0:
			r.Opaque[0] = line[s:e]
		case o1Start < 0:
			o1Start, o1End = s, e
		default:
			o1End = e
		}
	}
	if r.Date == nil {
		return ErrNoDate
	}
	if o1Start >= 0 {
		r.Opaque[1] = line[o1Start:o1End]
	}
	if s, e = token(line, e); s == e || !isClock(line[s:e]) {
		return ErrTime
	}
	r.Time = line[s:e]

	// The client address is optional: a lone number followed by something
	// that is not a number is the port, and "-" stands for no address.
	s, e = token(line, e)
	s2, e2 := token(line, e)
	switch first := line[s:e]; {
	case len(first) == 1 && first[0] == '-':
		s, e = token(line, e)
	case allDigits(first) && !allDigits(line[s2:e2]):
		// no address: first is the port
	default:
		r.IP = first
		s, e = s2, e2
	}
	if !allDigits(line[s:e]) || e-s > 5 {
		return ErrPort
	}
	r.Port = line[s:e]

	if s, e = token(line, e); s == e || !isToken(line[s:e]) {
		return ErrMethod
	}
	r.Method = line[s:e]
	if s, e = token(line, e); s == e || !isURL(line[s:e]) {
		return ErrURL
	}
	r.URL = line[s:e]
	if s, e = token(line, e); s == e {
		return ErrTruncated
	}
	r.Opaque[2] = line[s:e]
	if s, e = token(line, e); !isStatus(line[s:e]) {
		return ErrStatus
	}
	r.Status = int(line[s]-'0')*100 + int(line[s+1]-'0')*10 + int(line[s+2]-'0')
	for k := 3; k <= 4; k++ {
		if s, e = token(line, e); s == e {
			return ErrTruncated
		}
		r.Opaque[k] = line[s:e]
	}
	s, e = token(line, e)
	ms, ok := millis(line[s:e])
	if !ok {
		return ErrMillis
	}
	r.Millis = ms
	if s, e = token(line, e); s == e {
		return ErrTruncated
	}
	r.Host = line[s:e]

	// The tail is the user agent and o5. The user agent may hold spaces, so
	// o5 is what follows the last tab when the tail has one, else what
	// follows the last space; a tail with neither is the user agent alone.
	for e < len(line) && isSpace(line[e]) {
		e++
	}
	tail := line[e:]
	if len(tail) == 0 {
		return ErrTruncated
	}
	cut := lastIndex(tail, '\t')
	if cut < 0 {
		cut = lastIndex(tail, ' ')
	}
	if cut < 0 {
		r.UserAgent = tail
		return nil
	}
	ua, o5 := tail[:cut], tail[cut+1:]
	for len(ua) > 0 && isSpace(ua[len(ua)-1]) {
		ua = ua[:len(ua)-1]
	}
	for len(o5) > 0 && isSpace(o5[0]) {
		o5 = o5[1:]
	}
	r.UserAgent, r.Opaque[5] = ua, o5
	return nil
}

// AppendLine appends r to dst as one access-log line, newline included, in
// the layout ParseLine reads: spaces in the logger's prefix and tabs from
// the date on, as the vendor's example shows. An empty field is written as
// "-" (the address, which ParseLine reads back as empty, included), except
// o0, o1 and o5, which are left out. Newlines in a field become spaces, so
// that a user agent cannot forge a line.
func AppendLine(dst []byte, r *Record) []byte {
	dst = appendField(dst, r.Timestamp)
	dst = append(dst, ' ')
	dst = appendField(dst, r.Level)
	for _, o := range r.Opaque[:2] {
		if len(o) > 0 {
			dst = append(dst, ' ')
			dst = appendField(dst, o)
		}
	}
	dst = append(dst, ' ')
	dst = appendField(dst, r.Date)
	for _, f := range [...][]byte{r.Time, r.IP, r.Port, r.Method, r.URL, r.Opaque[2]} {
		dst = append(dst, '\t')
		dst = appendField(dst, f)
	}
	dst = append(dst, '\t')
	dst = strconv.AppendInt(dst, int64(r.Status), 10)
	for _, f := range [...][]byte{r.Opaque[3], r.Opaque[4]} {
		dst = append(dst, '\t')
		dst = appendField(dst, f)
	}
	dst = append(dst, '\t')
	if r.Millis < 0 {
		dst = append(dst, '-')
	} else {
		dst = strconv.AppendInt(dst, r.Millis, 10)
	}
	dst = append(dst, '\t')
	dst = appendField(dst, r.Host)
	dst = append(dst, '\t')
	dst = appendField(dst, r.UserAgent)
	if len(r.Opaque[5]) > 0 {
		dst = append(dst, '\t')
		dst = appendField(dst, r.Opaque[5])
	}
	return append(dst, '\n')
}

func appendField(dst, f []byte) []byte {
	if len(f) == 0 {
		return append(dst, '-')
	}
	for _, c := range f {
		if c == '\n' || c == '\r' {
			c = ' '
		}
		dst = append(dst, c)
	}
	return dst
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func allDigits(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	for _, c := range b {
		if !isDigit(c) {
			return false
		}
	}
	return true
}

// isDate accepts YYYY-MM-DD by shape; the audit never computes with dates.
func isDate(b []byte) bool {
	return len(b) == 10 && isDigit(b[0]) && isDigit(b[1]) && isDigit(b[2]) && isDigit(b[3]) &&
		b[4] == '-' && isDigit(b[5]) && isDigit(b[6]) && b[7] == '-' && isDigit(b[8]) && isDigit(b[9])
}

// isClock accepts HH:MM:SS, optionally with a fraction of a second.
func isClock(b []byte) bool {
	if len(b) < 8 || !isDigit(b[0]) || !isDigit(b[1]) || b[2] != ':' || !isDigit(b[3]) || !isDigit(b[4]) ||
		b[5] != ':' || !isDigit(b[6]) || !isDigit(b[7]) {
		return false
	}
	if len(b) == 8 {
		return true
	}
	return (b[8] == '.' || b[8] == ',') && len(b) > 9 && allDigits(b[9:])
}

func isStatus(b []byte) bool {
	return len(b) == 3 && b[0] >= '1' && b[0] <= '5' && isDigit(b[1]) && isDigit(b[2])
}

// millis reads the execution time: digits (at most 15, which no real
// duration reaches and no int64 overflows on), or "-" for none.
func millis(b []byte) (int64, bool) {
	if len(b) == 1 && b[0] == '-' {
		return -1, true
	}
	if !allDigits(b) || len(b) > 15 {
		return 0, false
	}
	var n int64
	for _, c := range b {
		n = n*10 + int64(c-'0')
	}
	return n, true
}

// isToken tells whether b is an HTTP token (RFC 9110 section 5.6.2), which
// is what a method is.
func isToken(b []byte) bool {
	for _, c := range b {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', isDigit(c):
		case c == '!' || c == '#' || c == '$' || c == '%' || c == '&' || c == '\'' || c == '*' ||
			c == '+' || c == '-' || c == '.' || c == '^' || c == '_' || c == '`' || c == '|' || c == '~':
		default:
			return false
		}
	}
	return len(b) > 0
}

// isURL accepts what a request line carries: an origin-form path, an
// absolute URL, or the asterisk of OPTIONS *.
func isURL(b []byte) bool {
	if b[0] == '/' || (len(b) == 1 && b[0] == '*') {
		return true
	}
	return schemeEnd(b) > 0
}

// schemeEnd returns the index just past "scheme://" in b, or -1.
func schemeEnd(b []byte) int {
	for i, c := range b {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
		case i > 0 && (isDigit(c) || c == '+' || c == '-' || c == '.'):
		case c == ':' && i > 0 && len(b) >= i+3 && b[i+1] == '/' && b[i+2] == '/':
			return i + 3
		default:
			return -1
		}
	}
	return -1
}

func lastIndex(b []byte, c byte) int {
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] == c {
			return i
		}
	}
	return -1
}
