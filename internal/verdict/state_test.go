package verdict_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/apiconform/apiconform/internal/contract"
	"github.com/apiconform/apiconform/internal/verdict"
)

func TestRetryAfterBothWays(t *testing.T) {
	p := ucsPlan(t)
	s := scenario(t, p, "getProfile resource.missing-id")
	uri := base + "/profiles/zzzzzzzzzzzzzzzz"
	for _, good := range []string{"120", "0", "Sun, 22 Nov 2026 08:49:37 GMT", "99999999999999999999"} {
		clean(t, verdict.Judge(p.Contract, s, ex("GET", "/profiles/zzzzzzzzzzzzzzzz", 404, envelope("GET", uri, 4040), "Content-Type", jsonCT, "Retry-After", good), nil))
	}
	for _, bad := range []string{"soon", "-5", "1.5", "Sunday", "+5"} {
		only(t, verdict.Judge(p.Contract, s, ex("GET", "/profiles/zzzzzzzzzzzzzzzz", 404, envelope("GET", uri, 4040), "Content-Type", jsonCT, "Retry-After", bad), nil), "retry-after.valid")
	}
}

func TestRefusalMustNameTheState(t *testing.T) {
	p := ucsPlan(t)
	s := scenario(t, p, "maintenance state.refuses getProfile")
	if s.Expect.Mentions != "maintenance" {
		t.Fatalf("plan: mentions %q", s.Expect.Mentions)
	}
	uri := base + "/profiles/" + profileID
	good := `{"http_method":"GET","title":"forbidden","description":"the server is in Maintenance mode","code":4031,"uri":"` + uri + `"}`
	clean(t, verdict.Judge(p.Contract, s, ex("GET", "/profiles/"+profileID, 403, good, "Content-Type", jsonCT), nil))
	only(t, verdict.Judge(p.Contract, s, ex("GET", "/profiles/"+profileID, 403, envelope("GET", uri, 4030), "Content-Type", jsonCT), nil), "state.refuses.mentions")
}

func TestRetryAfterDelay(t *testing.T) {
	now := time.Date(2026, 11, 22, 8, 0, 0, 0, time.UTC)
	for v, want := range map[string]time.Duration{"3": 3 * time.Second, "Sun, 22 Nov 2026 08:00:05 GMT": 5 * time.Second, "Sun, 22 Nov 2026 07:00:00 GMT": 0} {
		h := http.Header{"Retry-After": {v}}
		if d, ok := verdict.RetryAfter(h, now); !ok || d != want {
			t.Errorf("RetryAfter(%q) = %v, %v; want %v", v, d, ok, want)
		}
	}
	if _, ok := verdict.RetryAfter(http.Header{"Retry-After": {"later"}}, now); ok {
		t.Error("an invalid Retry-After gave a delay")
	}
	if _, ok := verdict.RetryAfter(http.Header{}, now); ok {
		t.Error("no Retry-After gave a delay")
	}
}

func TestFieldReadsJSONAndXML(t *testing.T) {
	p := ucsPlan(t)
	o := p.Contract.Operation("getServerStatus")
	got, err := verdict.Field(p.Contract, o, ex("GET", "/server/status", 200, `{"mode":"maintenance"}`, "Content-Type", jsonCT), "mode")
	if err != nil || got != "maintenance" {
		t.Fatalf("JSON field: %q, %v", got, err)
	}
	if _, err := verdict.Field(p.Contract, o, ex("GET", "/server/status", 200, `{"state":"x"}`, "Content-Type", jsonCT), "mode"); err == nil {
		t.Fatal("a missing field was read")
	}
	if _, err := verdict.Field(p.Contract, o, ex("GET", "/server/status", 503, envelope("GET", base+"/server/status", 5030), "Content-Type", jsonCT), "mode"); err == nil {
		t.Fatal("a field was read from an error envelope that has none")
	}
	x := loadFinesse(t)
	fo := x.Operation("getSystemInfo")
	got, err = verdict.Field(x, fo, ex("GET", "/SystemInfo", 200, `<SystemInfo><status>OUT_OF_SERVICE</status><deploymentType>UCCE</deploymentType><currentTimestamp>2026-11-22T08:00:00Z</currentTimestamp></SystemInfo>`, "Content-Type", "application/xml"), "status")
	if err != nil || got != "OUT_OF_SERVICE" {
		t.Fatalf("XML field: %q, %v", got, err)
	}
}

func loadFinesse(t *testing.T) *contract.Contract {
	t.Helper()
	c, err := contract.Load("cisco-finesse")
	if err != nil {
		t.Fatal(err)
	}
	return c
}
