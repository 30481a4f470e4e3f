package probe

import (
	"fmt"
	"io"
	"net/http"
	"strings"
)

// Bounds of an answer's header section, for every exchange alike (the
// ordinary client, the HEAD reader, the reachability check and a
// contract's fetch): a target that sends endless or huge headers costs
// no more memory than this.
const (
	// MaxHeaderBytes bounds the bytes of an answer's header section,
	// the informational (1xx) answers before it included. curl stops at
	// 300 KB; no API needs more.
	MaxHeaderBytes = 256 << 10
	// MaxHeaderFields bounds the header lines of an answer.
	MaxHeaderFields = 1000
)

// HeaderLimitError is an answer whose header section goes past
// MaxHeaderBytes or MaxHeaderFields: the answer is not read.
type HeaderLimitError struct {
	// Fields is the number of header lines when there were too many, 0
	// when the bytes ran out first.
	Fields int
}

func (e *HeaderLimitError) Error() string {
	if e.Fields > 0 {
		return fmt.Sprintf("the answer carries %d header lines, more than the %d the client reads (the answer was not judged)", e.Fields, MaxHeaderFields)
	}
	return fmt.Sprintf("the answer's headers run past %d bytes (%d KiB), the most the client reads (the answer was not read)", MaxHeaderBytes, MaxHeaderBytes>>10)
}

// checkHeaderFields bounds the number of header lines of an answer, which
// Go's transport does not.
func checkHeaderFields(h http.Header) error {
	n := 0
	for _, vs := range h {
		n += len(vs)
	}
	if n > MaxHeaderFields {
		return &HeaderLimitError{Fields: n}
	}
	return nil
}

// headerBytesError tells Go's error for headers past
// Transport.MaxResponseHeaderBytes, which has no type of its own.
func headerBytesError(err error) bool {
	return err != nil && strings.Contains(err.Error(), "server response headers exceeded")
}

// headerBudget reads from r, at most MaxHeaderBytes while on: what the
// HEAD reader parses headers from, as Go's transport does for the rest.
type headerBudget struct {
	r    io.Reader
	left int64
	on   bool
}

func (b *headerBudget) Read(p []byte) (int, error) {
	if !b.on {
		return b.r.Read(p)
	}
	if b.left <= 0 {
		return 0, &HeaderLimitError{}
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.r.Read(p)
	b.left -= int64(n)
	return n, err
}
