package verdict

import (
	"fmt"
	"net/http"
	"time"

	"github.com/apiconform/apiconform/internal/catalog"
	"github.com/apiconform/apiconform/internal/contract"
	"github.com/apiconform/apiconform/internal/probe"
)

// ValidRetryAfter tells whether a Retry-After value is an HTTP-date or a
// number of seconds (RFC 9110 section 10.2.3).
func ValidRetryAfter(v string) bool {
	_, ok := probe.RetryAfter(v, time.Time{})
	return ok
}

// retryAfterMismatch is the mismatch of retry-after.valid an answer's
// headers make, if any: a Retry-After that is neither an HTTP-date nor a
// number of seconds.
func retryAfterMismatch(h http.Header) (Mismatch, bool) {
	ra := h.Get("Retry-After")
	if ra == "" || ValidRetryAfter(ra) {
		return Mismatch{}, false
	}
	return mismatch(catalog.RetryAfterValid, "Retry-After as an HTTP-date or a number of seconds", fmt.Sprintf("Retry-After: %q", ra)), true
}

// RetryAfter returns the delay an answer's Retry-After asks for, relative
// to now; ok is false when the answer carries none or an invalid one.
func RetryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	return probe.RetryAfter(h.Get("Retry-After"), now)
}

// Field reads a top-level field of an answer's body, decoded as the
// operation declares it for the status (JSON, or XML through its schema).
func Field(c *contract.Contract, o *contract.Operation, x *probe.Exchange, field string) (string, error) {
	if x.Err != nil {
		return "", fmt.Errorf("no answer: %v", x.Err)
	}
	r, _ := o.Response(x.Status)
	if r == nil || len(r.Content) == 0 {
		return "", fmt.Errorf("the contract declares no body for %d", x.Status)
	}
	mt, media := lookupMedia(r.Content, x.RespHdr.Get("Content-Type"))
	if media == nil {
		return "", fmt.Errorf("Content-Type %q is not declared", x.RespHdr.Get("Content-Type"))
	}
	v, err := decode(mt, x, media.Schema)
	if err != nil {
		return "", err
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return "", fmt.Errorf("the body is not an object")
	}
	got, ok := obj[field]
	if !ok {
		return "", fmt.Errorf("the body has no field %q", field)
	}
	return fmt.Sprint(got), nil
}
