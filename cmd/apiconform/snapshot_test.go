package main

import (
	"encoding/xml"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/apiconform/apiconform/fixtures"
)

// seen is one request a target got, and its answer's status.
type seen struct {
	Method, Path, Body string
	Status             int
}

// recorder keeps every request a handler gets, up to a bound.
type recorder struct {
	mu   sync.Mutex
	got  []seen
	next http.Handler
}

// maxRecorded bounds what a recorder keeps: a disruptive run sends a few
// hundred requests.
const maxRecorded = 10000

func (rec *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<16))
	r.Body = io.NopCloser(strings.NewReader(string(body)))
	sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
	rec.next.ServeHTTP(sw, r)
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if len(rec.got) < maxRecorded {
		rec.got = append(rec.got, seen{r.Method, r.URL.Path, string(body), sw.status})
	}
}

func (rec *recorder) requests() []seen {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return append([]seen(nil), rec.got...)
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

// TestASnapshotNotTakenIsNeverWrittenBack: the no-profile-schema state
// saves the profile schema before deleting it, and writes it back when it
// leaves. When that snapshot answers 503 (schema-reload-503), the suite
// must not enter the state and must never PUT the error body as the
// schema: the target is left untouched, and every report says why.
func TestASnapshotNotTakenIsNeverWrittenBack(t *testing.T) {
	t.Parallel()
	target, _ := fixtures.Lookup("genesys-ucs")
	h, err := target.Handler("schema-reload-503")
	if err != nil {
		t.Fatal(err)
	}
	rec := &recorder{next: h}
	srv := httptest.NewServer(rec)
	defer srv.Close()
	dir := t.TempDir()
	junit, jsonFile := filepath.Join(dir, "junit.xml"), filepath.Join(dir, "results.json")
	args := append([]string{"run", "--target", srv.URL, "--contract", "genesys-ucs", "--allow-disruptive", "--label-filter", "disruptive",
		"--no-color", "--junit-report", junit, "--json-report", jsonFile}, target.Credentials...)
	code, out := execBinary(t, nil, args...)
	if code != exitFailed {
		t.Fatalf("exit %d, want 1 (inconclusive):\n%s", code, out)
	}

	// What reached the target: the snapshot answered 503, and after it
	// nothing changed the schema or the mode.
	got := rec.requests()
	snap := -1
	for i, r := range got {
		if r.Method == http.MethodGet && r.Path == "/cv/metadata/profile" && r.Status == http.StatusServiceUnavailable {
			snap = i
			break
		}
	}
	if snap < 0 {
		t.Fatalf("the snapshot never met the 503; requests:\n%v", got)
	}
	for _, r := range got[snap+1:] {
		if r.Path == "/cv/metadata/profile" || r.Path == "/cv/server/mode" {
			t.Errorf("after the failed snapshot the target got %s %s %q", r.Method, r.Path, r.Body)
		}
	}
	for _, r := range got {
		if r.Method == http.MethodPut && strings.Contains(r.Body, "reloaded") {
			t.Errorf("the error body of the snapshot was written back: PUT %s %q", r.Path, r.Body)
		}
	}
	// The state was not entered: the schema is there, as it was.
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/cv/metadata/profile", nil)
	req.SetBasicAuth("demo", "demo")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	schema, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(schema), `"EmailAddress"`) {
		t.Errorf("the schema after the run: %d %s", resp.StatusCode, schema)
	}

	// Every report says why.
	const why = "the snapshot call getProfileSchema (save: schema) answered 503 Service Unavailable"
	if !strings.Contains(out, "INCONCLUSIVE no-profile-schema [state.enter]") || !strings.Contains(out, why+": the suite did not enter the state and wrote nothing back; the target was left untouched") {
		t.Errorf("the summary does not say why:\n%s", out)
	}
	rep := readResults(t, jsonFile)
	enter := scenarioByID(t, rep, "no-profile-schema state.enter getProfileSchema")
	if enter.Result != "inconclusive" || !strings.HasPrefix(enter.Reason, why) || !strings.Contains(enter.Transcript, "< HTTP/1.1 503") {
		t.Errorf("JSON: the enter scenario is %s: %q\n%s", enter.Result, enter.Reason, enter.Transcript)
	}
	others := 0
	for _, s := range rep.Scenarios {
		if strings.HasPrefix(s.ID, "no-profile-schema ") && s.ID != enter.ID {
			others++
			if s.Result != "skipped" || s.Reason != "not run: the no-profile-schema state was not entered: "+why {
				t.Errorf("JSON: %s is %s: %q", s.ID, s.Result, s.Reason)
			}
		}
	}
	if others == 0 {
		t.Error("JSON: the state's other scenarios are missing")
	}
	// The maintenance state before it went through, as usual.
	if s := scenarioByID(t, rep, "maintenance state.restore getServerStatus"); s.Result != "passed" {
		t.Errorf("JSON: the maintenance restore is %s: %q", s.Result, s.Reason)
	}
	data, err := os.ReadFile(junit)
	if err != nil {
		t.Fatal(err)
	}
	var x junitSuites
	if err := xml.Unmarshal(data, &x); err != nil {
		t.Fatal(err)
	}
	if len(failures(x)) != 0 || inconclusiveIn(x, "state.enter") != 1 || !strings.Contains(string(data), "inconclusive: "+why) {
		t.Errorf("JUnit: failures %q; want the enter scenario skipped as inconclusive, saying why", failures(x))
	}

	// With --strict the inconclusive switch fails the run, and still
	// nothing is written back.
	strict := &recorder{next: mustHandler(t, target, "schema-reload-503")}
	srv2 := httptest.NewServer(strict)
	defer srv2.Close()
	args[2] = srv2.URL
	code, out = execBinary(t, nil, append(args, "--strict")...)
	data, _ = os.ReadFile(junit)
	if code != exitFailed || !strings.Contains(string(data), "inconclusive, and --strict is set: "+why) {
		t.Errorf("--strict: exit %d\n%s", code, out)
	}
	for _, r := range strict.requests() {
		if r.Method == http.MethodPut && strings.Contains(r.Body, "reloaded") {
			t.Errorf("--strict: the error body was written back: PUT %s %q", r.Path, r.Body)
		}
	}
}

func mustHandler(t *testing.T, target *fixtures.Target, fault string) http.Handler {
	t.Helper()
	h, err := target.Handler(fault)
	if err != nil {
		t.Fatal(err)
	}
	return h
}
