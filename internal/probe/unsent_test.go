package probe_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/apiconform/apiconform/internal/contract"
	"github.com/apiconform/apiconform/internal/plan"
)

// TestUnsentSendsNothing: the exchange of a call not sent carries what the
// request would carry, so its curl line is complete, and the target gets
// nothing.
func TestUnsentSendsNothing(t *testing.T) {
	rec := newRecorder(t, nil)
	c := client(t, rec.srv.URL+"/base", withSecrets)
	for _, method := range []string{http.MethodPost, http.MethodHead} {
		req := &plan.Request{Method: method, Path: "/server/mode", Header: http.Header{},
			Body: []byte(`{"mode":"production"}`), ContentType: "application/json",
			Auth: plan.AuthValid, Schemes: []*contract.Scheme{basicScheme}}
		x := c.Unsent("leave (restore)", req)
		if x.Err != nil || x.Status != 0 {
			t.Errorf("%s: an unsent exchange has an error or a status: %v %d", method, x.Err, x.Status)
		}
		cu := x.Curl(c.Redactor())
		start := "curl -i -X " + method + " '"
		if method == http.MethodHead {
			start = "curl -I '"
		}
		for _, want := range []string{start + rec.srv.URL + "/base/server/mode'", `-u "$APICONFORM_BASIC_AUTH"`,
			`-H 'Content-Type: application/json'`, `--data-binary '{"mode":"production"}'`} {
			if !strings.Contains(cu, want) {
				t.Errorf("%s: the curl line lacks %s: %s", method, want, cu)
			}
		}
		noSecrets(t, "Curl", cu)
	}
	if got := rec.requests(); len(got) != 0 {
		t.Fatalf("the target got %d requests from unsent exchanges: %+v", len(got), got)
	}
}
