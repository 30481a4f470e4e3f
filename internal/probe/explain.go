package probe

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"syscall"
)

// explainedError puts a failure a user meets on a misbehaving target in
// words, keeping Go's own text after them and the error in the chain.
type explainedError struct {
	words string
	err   error
}

func (e *explainedError) Error() string { return e.words + " (" + e.err.Error() + ")" }

func (e *explainedError) Unwrap() error { return e.err }

// explain says in words why an exchange got no complete answer where Go's
// text alone is terse ("EOF", "unexpected EOF", "malformed HTTP status
// code"): a TLS failure names the host and the flag that helps, a
// connection closed or reset and an answer that is not HTTP say so, and a
// body cut short says how much of it came.
func (x *Exchange) explain(err error) error {
	if e := explainTLS(err, x.URL.Host); e != err {
		return e
	}
	switch {
	case errors.Is(err, context.Canceled):
		// The run's own context: --run-timeout or an interrupt.
		return &explainedError{"the run was stopped before the answer came", err}
	case errors.Is(err, syscall.ECONNRESET):
		return &explainedError{"the target reset the connection", err}
	case x.Status == 0 && errors.Is(err, io.EOF):
		return &explainedError{"the target closed the connection without answering", err}
	case x.Status == 0 && strings.Contains(err.Error(), "malformed HTTP"):
		// net/http has no error type for it: "malformed HTTP response",
		// "malformed HTTP status code", "malformed HTTP version".
		return &explainedError{"the answer is not HTTP", err}
	case x.Status != 0 && errors.Is(err, io.ErrUnexpectedEOF):
		if n, perr := strconv.ParseInt(x.RespHdr.Get("Content-Length"), 10, 64); perr == nil {
			return &explainedError{fmt.Sprintf("the body ended after %d of the %d bytes its Content-Length announced", len(x.RespBody), n), err}
		}
		return &explainedError{fmt.Sprintf("the body ended after %d bytes, before its end", len(x.RespBody)), err}
	}
	return err
}
