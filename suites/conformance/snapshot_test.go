package conformance

import (
	"errors"
	"net/http"
	"testing"

	"github.com/apiconform/apiconform/internal/plan"
	"github.com/apiconform/apiconform/internal/probe"
)

// TestOnlyACompleteSuccessIsASnapshot: a snapshot the leave calls write
// back must be the whole 2xx body; anything else says why it is not one.
func TestOnlyACompleteSuccessIsASnapshot(t *testing.T) {
	for _, tc := range []struct {
		name string
		x    probe.Exchange
		want string // "" for a snapshot
	}{
		{"200", probe.Exchange{Status: 200, RespBody: []byte(`{"attributes":[]}`)}, ""},
		{"204", probe.Exchange{Status: 204}, ""},
		{"503", probe.Exchange{Status: 503, RespBody: []byte(`{"code":5032}`)}, "answered 503 Service Unavailable"},
		{"302", probe.Exchange{Status: 302}, "answered 302 Found"},
		{"cut", probe.Exchange{Status: 200, RespBody: []byte("0123"), Truncated: true}, "answered 200 OK with a body longer than --max-body (cut at 4 bytes)"},
		{"timeout", probe.Exchange{Err: errors.New("context deadline exceeded"), TimedOut: true}, "sent no answer within --timeout"},
		{"reset", probe.Exchange{Status: 200, Err: errors.New("the target reset the connection")}, "got no complete answer: the target reset the connection"},
	} {
		if got := notSnapshot(&tc.x); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

// TestOnlyAReadThatSavesLeavesTheTargetAlone: the state counts as entered
// from the first call that may change something.
func TestOnlyAReadThatSavesLeavesTheTargetAlone(t *testing.T) {
	call := func(method, save string) *plan.Call {
		return &plan.Call{Request: plan.Request{Method: method}, Save: save}
	}
	for _, tc := range []struct {
		c    *plan.Call
		want bool
	}{
		{call(http.MethodGet, "schema"), true},
		{call(http.MethodHead, "schema"), true},
		{call(http.MethodGet, ""), false}, // a GET may switch on some targets: only a snapshot is known to read
		{call(http.MethodPost, "export"), false},
		{call(http.MethodPut, ""), false},
	} {
		if got := takesSnapshot(tc.c); got != tc.want {
			t.Errorf("%s save %q: %v", tc.c.Request.Method, tc.c.Save, got)
		}
	}
}
