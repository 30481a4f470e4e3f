package main

// End-to-end tests of writes a target accepts where it should refuse them:
// the built binary against reference targets whose faults take a body of
// the wrong type. Every report must say what was accepted and what the
// suite did about it, and the target's data must be what it was before,
// read from the target itself.

import (
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apiconform/apiconform/fixtures"
	"github.com/apiconform/apiconform/internal/report"
)

// reportsOf is what one run left: its exit code, its output and its three
// reports.
type reportsOf struct {
	code        int
	out         string
	junit, html string
	json        *report.JSONReport
}

func runReports(t *testing.T, target *fixtures.Target, srv *httptest.Server, extra ...string) reportsOf {
	t.Helper()
	dir := t.TempDir()
	junit, jsonFile, htmlFile := filepath.Join(dir, "junit.xml"), filepath.Join(dir, "results.json"), filepath.Join(dir, "report.html")
	args := append([]string{"run", "--target", srv.URL, "--contract", target.Contract, "--no-color",
		"--junit-report", junit, "--json-report", jsonFile, "--html-report", htmlFile}, target.Credentials...)
	code, out := execBinary(t, noProxyEnv(), append(args, extra...)...)
	x, err := os.ReadFile(junit)
	if err != nil {
		t.Fatalf("no JUnit report: %v\n%s", err, out)
	}
	h, err := os.ReadFile(htmlFile)
	if err != nil {
		t.Fatalf("no HTML report: %v\n%s", err, out)
	}
	return reportsOf{code: code, out: out, junit: string(x), html: string(h), json: readResults(t, jsonFile)}
}

// read GETs a path of the target, with the demo account where it has one.
func read(t *testing.T, srv *httptest.Server, path string) string {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
	req.SetBasicAuth("demo", "demo")
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %s", path, resp.StatusCode, body)
	}
	return string(body)
}

// acceptedIn lists the scenarios of the JSON results with an accepted
// write, checking that each failed naming rule.
func acceptedIn(t *testing.T, rep *report.JSONReport, rule string) []report.JSONScenario {
	t.Helper()
	var out []report.JSONScenario
	for _, s := range rep.Scenarios {
		if len(s.AcceptedWrites) == 0 {
			continue
		}
		out = append(out, s)
		if s.Result != report.Failed || len(s.Mismatches) == 0 || s.Mismatches[0].Rule != rule {
			t.Errorf("%s: an accepted write still fails its scenario for %s: %s %+v", s.Name, rule, s.Result, s.Mismatches)
		}
	}
	return out
}

// saysIt checks that every report says what the target accepted and what
// the suite did about it.
func saysIt(t *testing.T, r reportsOf, s report.JSONScenario) {
	t.Helper()
	w := s.AcceptedWrites[0]
	for what, text := range map[string]string{"terminal summary": r.out, "JUnit": r.junit} {
		for _, want := range []string{w.Accepted(), w.Outcome()} {
			if !strings.Contains(text, want) && !strings.Contains(text, html.EscapeString(want)) {
				t.Errorf("the %s does not say %q", what, want)
			}
		}
	}
	for _, want := range []string{html.EscapeString(w.Accepted()), html.EscapeString(w.Undo)} {
		if !strings.Contains(r.html, want) {
			t.Errorf("the HTML does not say %q", want)
		}
	}
}

// TestAcceptedCreateIsDeleted: plain-pets adds a pet from a body of the
// wrong type; the suite deletes it (the Location gives its id), verifies
// with GET, says so everywhere, and the target holds its one pet again.
func TestAcceptedCreateIsDeleted(t *testing.T) {
	target, srv := serveFault(t, "plain-pets", "create-takes-wrong-type")
	before := read(t, srv, "/api/pets")
	r := runReports(t, target, srv)
	if r.code != 1 {
		t.Fatalf("exit %d, want 1 (the scenarios fail):\n%s", r.code, r.out)
	}
	got := acceptedIn(t, r.json, "body.wrong-type.status")
	if len(got) != 2 {
		t.Fatalf("%d scenarios with an accepted write, want 2 (name and tag of the wrong type):\n%s", len(got), r.out)
	}
	for _, s := range got {
		w := s.AcceptedWrites[0]
		if w.Method != "POST" || w.URL != srv.URL+"/api/pets" || w.Status != 201 || !strings.HasPrefix(w.Location, "/api/pets/") || !w.Undone {
			t.Errorf("%s: %+v", s.Name, w)
		}
		id := strings.TrimPrefix(w.Location, "/api/pets/")
		if want := "DELETE " + srv.URL + "/api/pets/" + id + " answered 204, and GET " + srv.URL + "/api/pets/" + id + " answered 404"; w.Undo != want {
			t.Errorf("undo %q, want %q", w.Undo, want)
		}
		saysIt(t, r, s)
	}
	if !strings.Contains(r.out, "the target accepted POST "+srv.URL+"/api/pets (201, Location: /api/pets/") || !strings.Contains(r.out, "; data may have changed") {
		t.Errorf("the summary lacks the sentence:\n%s", r.out)
	}
	if len(r.json.FailedRestores) != 0 || strings.Contains(r.out, "RESTORE FAILED") {
		t.Errorf("what was undone is listed as not undone: %v", r.json.FailedRestores)
	}
	if after := read(t, srv, "/api/pets"); after != before {
		t.Errorf("the pets are not what they were:\nbefore %s\nafter  %s", before, after)
	}
}

// TestAcceptedUpdateIsPutBack: the ucs target overwrites the known profile
// with a body of the wrong type. Without --allow-writes those scenarios do
// not run, saying why; with it, the suite reads the profile first, puts it
// back, verifies it, and the profile is the one it was.
func TestAcceptedUpdateIsPutBack(t *testing.T) {
	t.Parallel()
	const profile = "/cv/profiles/00027a5C4T0R001E"
	target, srv := serveFault(t, "genesys-ucs", "update-takes-wrong-type")
	before := read(t, srv, profile)

	r := runReports(t, target, srv)
	if r.code != 0 {
		t.Fatalf("without --allow-writes nothing aimed at the profile should change it, nor fail: exit %d\n%s", r.code, r.out)
	}
	skipped := 0
	for _, s := range r.json.Scenarios {
		if strings.HasPrefix(s.Name, "updateProfile [body.wrong-type]") {
			skipped++
			want := "aimed at the existing resource " + srv.URL + profile + ": a target that wrongly accepted it would change it; run with --allow-writes to include it"
			if s.Result != report.Skipped || s.Reason != want {
				t.Errorf("%s: %s %q, want skipped %q", s.Name, s.Result, s.Reason, want)
			}
		}
	}
	if skipped == 0 {
		t.Fatal("no updateProfile [body.wrong-type] scenario")
	}
	if read(t, srv, profile) != before {
		t.Fatal("a run without --allow-writes changed the profile")
	}

	r = runReports(t, target, srv, "--allow-writes")
	if r.code != 1 {
		t.Fatalf("exit %d, want 1:\n%s", r.code, r.out)
	}
	got := acceptedIn(t, r.json, "body.wrong-type.status")
	if len(got) != skipped {
		t.Fatalf("%d accepted writes, want %d:\n%s", len(got), skipped, r.out)
	}
	for _, s := range got {
		w := s.AcceptedWrites[0]
		want := "PUT " + srv.URL + profile + " answered 200 with the representation read before, and GET " + srv.URL + profile + " answered 200 with it again"
		if w.Method != "PUT" || w.Status != 200 || !w.Undone || w.Undo != want {
			t.Errorf("%s: %+v", s.Name, w)
		}
		// the read before and the put back are in the undo transcript
		if !strings.Contains(w.Transcript, "(read before)") || !strings.Contains(w.Transcript, "> PUT "+srv.URL+profile) {
			t.Errorf("%s: undo transcript\n%s", s.Name, w.Transcript)
		}
		saysIt(t, r, s)
	}
	if len(r.json.FailedRestores) != 0 {
		t.Errorf("failed restores %v", r.json.FailedRestores)
	}
	if after := read(t, srv, profile); after != before {
		t.Errorf("the profile is not back:\nbefore %s\nafter  %s", before, after)
	}
}

// TestAcceptedWriteNotUndone: the ucs target starts a service from a body
// of the wrong type, and the contract has no DELETE for services. The run
// fails, every report lists it as a failed restore with the curl line of
// what the target accepted, and the target holds the services the suite
// said it could not remove: no more, no fewer.
func TestAcceptedWriteNotUndone(t *testing.T) {
	const services = "/cv/profiles/00027a5C4T0R001E/services"
	target, srv := serveFault(t, "genesys-ucs", "service-takes-wrong-type")
	before := strings.Count(read(t, srv, services), `"id":`)
	r := runReports(t, target, srv)
	if r.code != 1 {
		t.Fatalf("exit %d, want 1:\n%s", r.code, r.out)
	}
	got := acceptedIn(t, r.json, "body.wrong-type.status")
	if len(got) == 0 {
		t.Fatalf("no accepted write:\n%s", r.out)
	}
	if len(r.json.FailedRestores) != len(got) {
		t.Fatalf("%d failed restores for %d writes not undone", len(r.json.FailedRestores), len(got))
	}
	for _, s := range got {
		w := s.AcceptedWrites[0]
		if w.Undone || !strings.Contains(w.Undo, "the contract has no DELETE for what a POST to /profiles/{ProfileId}/services makes") {
			t.Errorf("%s: %+v", s.Name, w)
		}
		// the failed restores come in the order the writes were sent
		var msg string
		for _, m := range r.json.FailedRestores {
			if strings.Contains(m, "\""+s.Name+"\"") {
				msg = m
			}
		}
		for _, want := range []string{"RESTORE FAILED: in \"" + s.Name + "\" " + w.Accepted(), "Check and undo it by hand", "curl -i -X POST '" + srv.URL + services + "'"} {
			if !strings.Contains(msg, want) {
				t.Errorf("failed restore lacks %q:\n%s", want, msg)
			}
		}
		if !strings.Contains(r.out, "!!!!!!!!!!\n"+msg+"\n!!!!!!!!!!") {
			t.Errorf("the summary does not show the failed restore:\n%s", r.out)
		}
		if !strings.Contains(r.junit, html.EscapeString("check and undo it by hand")) {
			t.Errorf("the JUnit failure lacks the curl lines")
		}
		saysIt(t, r, s)
	}
	if !strings.Contains(r.html, "run failed: target not restored") || !strings.Contains(r.html, "The suite could not undo") {
		t.Error("the HTML does not show the failed restore")
	}
	if after := strings.Count(read(t, srv, services), `"id":`); after != before+len(got) {
		t.Errorf("%d services, want %d: the report and the target disagree", after, before+len(got))
	}
}

// TestAcceptedDeleteCannotBePutBack: a target in front of the
// problem-details reference target deletes the known widget without
// credentials. With --allow-writes the suite reads the widget first and
// tries to put it back with the contract's PUT, which the target refuses
// for a widget that is gone: the run fails, and the failed restore carries
// the curl line of that PUT with the representation read before, for a
// person to put it back by hand.
func TestAcceptedDeleteCannotBePutBack(t *testing.T) {
	const widget = "/v1/widgets/4b3c1f0e-2d7a-4e8b-9c61-5f2a7d3e9b10"
	target, err := fixtures.Lookup("problem-details")
	if err != nil {
		t.Fatal(err)
	}
	inner, err := target.Handler("")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodDelete && r.URL.Path == widget && r.Header.Get("Authorization") == "" {
			r.Header.Set("Authorization", "Bearer demo") // the fault: no credentials needed
		}
		inner.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	readWidget := func() (int, string) {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+widget, nil)
		req.Header.Set("Authorization", "Bearer demo")
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	_, before := readWidget()

	// Without --allow-writes the DELETE is not sent.
	r := runReports(t, target, srv, "--label-filter", "credentials")
	if st, _ := readWidget(); r.code != 0 || st != http.StatusOK {
		t.Fatalf("without --allow-writes: exit %d, widget %d\n%s", r.code, st, r.out)
	}

	r = runReports(t, target, srv, "--allow-writes", "--label-filter", "credentials")
	if r.code != 1 {
		t.Fatalf("exit %d, want 1:\n%s", r.code, r.out)
	}
	got := acceptedIn(t, r.json, "credentials.missing.status")
	if len(got) != 1 || got[0].Operation != "deleteWidget" {
		t.Fatalf("accepted writes %+v\n%s", got, r.out)
	}
	w := got[0].AcceptedWrites[0]
	if w.Undone || !strings.HasPrefix(w.Undo, "putting back what was read before failed: PUT "+srv.URL+widget+" answered 404") {
		t.Errorf("undo: %+v", w)
	}
	if len(w.Commands) != 2 || !strings.HasPrefix(w.Commands[0], "curl -i -X DELETE '"+srv.URL+widget+"'") || !strings.HasPrefix(w.Commands[1], "curl -i -X PUT '"+srv.URL+widget+"'") {
		t.Fatalf("commands %q", w.Commands)
	}
	// the PUT carries what was read before, less the id WidgetInput does
	// not take
	var saved map[string]any
	if err := json.Unmarshal([]byte(before), &saved); err != nil {
		t.Fatal(err)
	}
	for k, v := range saved {
		if k == "id" {
			continue
		}
		frag, _ := json.Marshal(map[string]any{k: v})
		if !strings.Contains(w.Commands[1], strings.Trim(string(frag), "{}")) {
			t.Errorf("the PUT does not put back %s: %s", frag, w.Commands[1])
		}
	}
	if len(r.json.FailedRestores) != 1 || !strings.Contains(r.json.FailedRestores[0], w.Commands[1]) {
		t.Errorf("failed restores %q", r.json.FailedRestores)
	}
	saysIt(t, r, got[0])
	if st, _ := readWidget(); st != http.StatusNotFound {
		t.Errorf("the widget is %d: the report says it is gone", st)
	}
}
