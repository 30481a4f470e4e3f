package audit

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// logLine writes one access-log line the way the reference targets do.
func logLine(method, url string, status int, ms int64) string {
	r := Record{
		Timestamp: []byte("10:00:00.000"), Level: []byte("Trc"), Date: []byte("2024-05-02"), Time: []byte("10:00:00"),
		IP: []byte("10.0.0.1"), Port: []byte("8080"), Method: []byte(method), URL: []byte(url),
		Status: status, Millis: ms, Host: []byte("http://h:8080"), UserAgent: []byte("test agent/1.0"),
	}
	for i, v := range DefaultOpaque {
		r.Opaque[i] = []byte(v)
	}
	return string(AppendLine(nil, &r))
}

func auditOf(t *testing.T, a *Auditor, name string, lines ...string) *Report {
	t.Helper()
	if err := a.Read(name, strings.NewReader(strings.Join(lines, ""))); err != nil {
		t.Fatal(err)
	}
	return a.Report()
}

func opReport(t *testing.T, r *Report, id string) *OperationReport {
	t.Helper()
	for i := range r.Operations {
		if r.Operations[i].ID == id {
			return &r.Operations[i]
		}
	}
	t.Fatalf("no operation %s in the report", id)
	return nil
}

func statusOf(o *OperationReport, status int) *StatusCount {
	for i := range o.Statuses {
		if o.Statuses[i].Status == status {
			return &o.Statuses[i]
		}
	}
	return nil
}

func lineNumbers(occ []Occurrence) []int64 {
	var out []int64
	for _, o := range occ {
		out = append(out, o.Line)
	}
	return out
}

func TestDeclaredAndUndeclaredStatuses(t *testing.T) {
	c := loadTestContract(t)
	r := auditOf(t, New(c, Options{}), "t.log",
		logLine("GET", "/users/1", 200, 1),        // 1 declared
		logLine("GET", "/users/2", 404, 1),        // 2 declared by 4XX
		logLine("GET", "/users/3", 500, 1),        // 3 default declares it (issue 11)
		logLine("GET", "/users/4", 418, 1),        // 4 4XX matches, but x-conformance never
		logLine("DELETE", "/users/5", 409, 1),     // 5 409 is deleteUser's alone
		logLine("POST", "/users/6/posts", 409, 1), // 6 declared, but only deleteUser may answer 409
		logLine("GET", "/users/7", 500, 1),        // 7 a second one
		logLine("HEAD", "/users/me", 200, 1),      // 8 judged as GET
	)
	get := opReport(t, r, "getUser")
	want := map[int]struct {
		count    int64
		declared bool
		rule     string
		lines    string
	}{
		200: {1, true, "", "[]"},
		404: {1, true, "", "[]"},
		500: {2, true, "", "[]"},
		418: {1, false, "status.never", "[4]"},
	}
	if len(get.Statuses) != len(want) || get.Requests != 5 || get.Undeclared != 1 || get.ServerErrors != 2 {
		t.Fatalf("getUser: %+v", get)
	}
	for code, w := range want {
		s := statusOf(get, code)
		if s == nil || s.Count != w.count || s.Declared != w.declared || s.Rule != w.rule || fmt.Sprint(lineNumbers(s.First)) != w.lines {
			t.Errorf("getUser %d: got %+v, want %+v", code, s, w)
		}
	}
	if s := statusOf(opReport(t, r, "deleteUser"), 409); s == nil || !s.Declared {
		t.Errorf("deleteUser 409 should be declared: %+v", s)
	}
	if s := statusOf(opReport(t, r, "createPost"), 409); s == nil || s.Declared || s.Rule != "status.only-on" {
		t.Errorf("createPost 409 should break status.only-on: %+v", s)
	}
	if me := opReport(t, r, "getMe"); me.Requests != 1 || me.Undeclared != 0 {
		t.Errorf("HEAD /users/me should count as getMe: %+v", me)
	}
	if r.Undeclared != 2 || r.Passed {
		t.Errorf("undeclared %d, passed %v; want 2, false", r.Undeclared, r.Passed)
	}
	// Statuses are listed in order, the declared ones without occurrences.
	if got := statusList(get); got != "200:1 404:1 418!:1 500:2" {
		t.Errorf("status list %q", got)
	}
}

func TestUnknownRoutesAndOptions(t *testing.T) {
	c := loadShipped(t, "genesys-ucs")
	r := auditOf(t, New(c, Options{}), "u.log",
		logLine("GET", "/cv/admin?x=1", 404, 1),        // 1
		logLine("DELETE", "/cv/server/status", 405, 1), // 2
		logLine("GET", "/cv/admin?y=2", 404, 1),        // 3 same route: the query does not count
		logLine("OPTIONS", "/cv/profiles", 200, 1),     // 4 counted apart
		logLine("GET", "/server/status", 404, 1),       // 5 base path missing
		logLine("GET", "/cv/admin", 401, 1),            // 6
		logLine("GET", "/cv/server/status", 200, 1),    // 7 fine
	)
	u := r.UnknownRoutes
	if u.Requests != 5 || len(u.Routes) != 3 || u.OtherRequests != 0 {
		t.Fatalf("unknown routes: %+v", u)
	}
	first := u.Routes[0] // the most requested
	if first.Method != "GET" || first.Path != "/cv/admin" || first.Reason != "path" || first.Count != 3 ||
		first.Statuses["404"] != 2 || first.Statuses["401"] != 1 || fmt.Sprint(lineNumbers(first.First)) != "[1 3 6]" {
		t.Errorf("GET /cv/admin: %+v", first)
	}
	if rt := u.Routes[1]; rt.Method != "DELETE" || rt.Reason != "method" || rt.First[0].Line != 2 || rt.First[0].URL != "/cv/server/status" {
		t.Errorf("second route (ties keep the log's order): %+v", rt)
	}
	if rt := u.Routes[2]; rt.Path != "/server/status" || rt.Reason != "base-path" {
		t.Errorf("third route: %+v", rt)
	}
	if r.Options != 1 || r.Undeclared != 0 || r.Passed {
		t.Errorf("options %d, undeclared %d, passed %v", r.Options, r.Undeclared, r.Passed)
	}
	if opReport(t, r, "getServerStatus").Requests != 1 || opReport(t, r, "findProfiles").Requests != 0 {
		t.Error("only the known route should count against its operation; OPTIONS against none")
	}
}

func TestUnknownRoutesAreCapped(t *testing.T) {
	a := New(loadShipped(t, "genesys-ucs"), Options{First: 2})
	var lines []string
	for i := range maxUnknownRoutes + 50 {
		lines = append(lines, logLine("GET", fmt.Sprintf("/cv/probe/%d", i), 404, 1))
	}
	lines = append(lines, logLine("GET", "/cv/probe/0", 404, 1)) // a kept route keeps counting
	r := auditOf(t, a, "scan.log", lines...)
	u := r.UnknownRoutes
	if u.Requests != maxUnknownRoutes+51 || len(u.Routes) != maxUnknownRoutes || u.OtherRequests != 50 {
		t.Fatalf("requests %d, routes %d, other %d", u.Requests, len(u.Routes), u.OtherRequests)
	}
	if u.Routes[0].Path != "/cv/probe/0" || u.Routes[0].Count != 2 || len(u.Routes[0].First) != 2 {
		t.Errorf("most requested route: %+v", u.Routes[0])
	}
	if !strings.Contains(unknownText(&u, 0), "and 50 requests to further routes") {
		t.Error("the report should count the requests it did not keep apart")
	}
}

func TestServerErrorRateAndSlowRequests(t *testing.T) {
	c := loadShipped(t, "genesys-ucs")
	lines := []string{
		logLine("GET", "/cv/server/status", 200, 100), // 1 at the threshold: not slow
		logLine("GET", "/cv/server/status", 500, 101), // 2 slow
		logLine("GET", "/cv/server/status", 503, 5),   // 3
		logLine("GET", "/cv/server/status", 200, -1),  // 4 no time logged
		logLine("GET", "/cv/nowhere", 404, 900),       // 5 slow, unknown route
		logLine("GET", "/cv/profiles", 200, 300),      // 6 slow
		logLine("GET", "/cv/profiles", 200, 900),      // 7 slow, as slow as line 5
	}
	r := auditOf(t, New(c, Options{Slow: 100 * time.Millisecond, First: 3}), "s.log", lines...)
	st := opReport(t, r, "getServerStatus")
	if st.Requests != 4 || st.ServerErrors != 2 || st.ServerErrorRate != 0.5 || st.Slow != 1 || st.MaxMs != 101 {
		t.Errorf("getServerStatus: %+v", st)
	}
	if fp := opReport(t, r, "findProfiles"); fp.Slow != 2 || fp.ServerErrorRate != 0 {
		t.Errorf("findProfiles: %+v", fp)
	}
	if idle := opReport(t, r, "getService"); idle.Requests != 0 || idle.ServerErrorRate != 0 {
		t.Errorf("an operation without requests: %+v", idle)
	}
	// The three slowest, slowest first, the earlier line first on a tie.
	if r.Slow.Requests != 4 || r.Slow.ThresholdMs != 100 || fmt.Sprint(lineNumbers(r.Slow.Slowest)) != "[5 7 6]" {
		t.Errorf("slow: %+v", r.Slow)
	}
	// Without --slow nothing is slow.
	r = auditOf(t, New(c, Options{}), "s.log", lines...)
	if r.Slow.Requests != 0 || len(r.Slow.Slowest) != 0 || opReport(t, r, "findProfiles").Slow != 0 || r.SlowMs != 0 {
		t.Errorf("slow counted without a threshold: %+v", r.Slow)
	}
	// A fraction of a ms: 101 ms is over 100.5 ms, 100 ms is not.
	r = auditOf(t, New(c, Options{Slow: 100500 * time.Microsecond}), "s.log", lines[0], lines[1])
	if r.Slow.Requests != 1 {
		t.Errorf("threshold 100.5ms: %d slow, want 1", r.Slow.Requests)
	}
}

func TestBadLinesAreCountedAndNeverFatal(t *testing.T) {
	good := logLine("GET", "/cv/server/status", 200, 1)
	lines := []string{
		"garbage\n",                   // 1
		good,                          // 2
		"\n",                          // 3 blank
		"14:00:00.000 Std 20000 Up\n", // 4
		strings.Replace(good, "\t200\t", "\tOK\t", 1),            // 5
		"14:00:00.000 " + strings.Repeat("x", maxLine+10) + "\n", // 6 longer than the buffer
		good,               // 7 read after the long line
		"\t \r\n",          // 8 blank
		"x\n",              // 9
		"y\n",              // 10
		good[:len(good)-1], // 11 last line, no newline
	}
	a := New(loadShipped(t, "genesys-ucs"), Options{First: 4})
	r := auditOf(t, a, "bad.log", lines...)
	l := r.Lines
	if l.Total != 11 || l.Parsed != 3 || l.Unparsed != 6 || l.Blank != 2 || l.Total != l.Parsed+l.Unparsed+l.Blank {
		t.Fatalf("lines: %+v", l)
	}
	var got []string
	for _, b := range l.FirstUnparsed {
		got = append(got, fmt.Sprintf("%s:%d %v", b.File, b.Line, b.Reason))
	}
	want := []string{
		"bad.log:1 " + ErrTimestamp.Error(),
		"bad.log:4 " + ErrNoDate.Error(),
		"bad.log:5 " + ErrStatus.Error(),
		"bad.log:6 " + ErrTooLong.Error(),
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("first unparsed:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if long := l.FirstUnparsed[3].Text; len(long) > maxShown+3 || !strings.HasSuffix(long, "...") {
		t.Errorf("a long line is kept whole: %d bytes", len(long))
	}
	if opReport(t, r, "getServerStatus").Requests != 3 || !r.Passed {
		t.Errorf("bad lines should not stop or fail the audit: %+v", r)
	}
}

func TestLineNumbersAreCountedPerFile(t *testing.T) {
	a := New(loadShipped(t, "genesys-ucs"), Options{})
	auditOf(t, a, "one.log", logLine("GET", "/cv/server/status", 200, 1), logLine("GET", "/cv/x", 404, 1))
	r := auditOf(t, a, "two.log", logLine("GET", "/cv/x", 404, 1))
	occ := r.UnknownRoutes.Routes[0].First
	if fmt.Sprint(r.Files) != "[one.log two.log]" || len(occ) != 2 || occ[0].String()[:9] != "one.log:2" || occ[1].String()[:9] != "two.log:1" {
		t.Fatalf("files %v, occurrences %v", r.Files, occ)
	}
}

func TestGzipIsReadTransparently(t *testing.T) {
	c := loadShipped(t, "genesys-ucs")
	plain, err := os.ReadFile(filepath.Join("..", "..", "fixtures", "logs", "ucs-bad-lines.log"))
	if err != nil {
		t.Fatal(err)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	// Two gzip members, as cat a.gz b.gz makes: both are read.
	half := bytes.IndexByte(plain[len(plain)/2:], '\n') + len(plain)/2 + 1
	zw.Write(plain[:half])
	zw.Close()
	zw = gzip.NewWriter(&gz)
	zw.Write(plain[half:])
	zw.Close()

	reports := map[string]*Report{}
	for name, data := range map[string][]byte{"plain": plain, "gzip": gz.Bytes()} {
		a := New(c, Options{Slow: 500 * time.Millisecond})
		if err := a.Read("log", bytes.NewReader(data)); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		reports[name] = a.Report()
	}
	p, _ := json.Marshal(reports["plain"])
	g, _ := json.Marshal(reports["gzip"])
	if !bytes.Equal(p, g) {
		t.Fatalf("plain and gzip differ:\n%s\n%s", p, g)
	}
	// A stream that claims to be gzip and is not is an error, not lines.
	broken := append([]byte{0x1f, 0x8b}, "not gzip at all"...)
	if err := New(c, Options{}).Read("broken.gz", bytes.NewReader(broken)); err == nil || !strings.Contains(err.Error(), "broken.gz") {
		t.Fatalf("broken gzip: %v", err)
	}
	truncated := gz.Bytes()[:gz.Len()/2]
	if err := New(c, Options{}).Read("cut.gz", bytes.NewReader(truncated)); err == nil {
		t.Fatal("a truncated gzip stream read without error")
	}
}

// TestTheSampleLogs audits the logs in fixtures/logs: the one the reference
// target wrote during a run passes, the hand-made one fails on exactly what
// was put in it.
func TestTheSampleLogs(t *testing.T) {
	c := loadShipped(t, "genesys-ucs")
	read := func(name string) *Report {
		f, err := os.Open(filepath.Join("..", "..", "fixtures", "logs", name))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		a := New(c, Options{Slow: 500 * time.Millisecond})
		if err := a.Read(name, f); err != nil {
			t.Fatal(err)
		}
		return a.Report()
	}
	sample := read("ucs-sample.log")
	if !sample.Passed || sample.Lines.Unparsed != 0 || sample.Lines.Parsed < 50 || sample.UnknownRoutes.Requests != 0 {
		t.Errorf("the reference target's log should pass whole: %+v", sample.Lines)
	}
	requested := 0
	for _, o := range sample.Operations {
		if o.Requests > 0 {
			requested++
		}
	}
	if requested != len(c.Operations) {
		t.Errorf("the sample reaches %d of %d operations; if the contract gained some, remake it with fixtures/logs/make-samples.sh", requested, len(c.Operations))
	}
	if gz := read("ucs-sample.log.gz"); gz.Lines.Total != sample.Lines.Total || gz.Lines.Parsed != sample.Lines.Parsed || gz.Undeclared != 0 || !gz.Passed {
		t.Errorf("the gzip copy differs: %+v", gz.Lines)
	}

	bad := read("ucs-bad-lines.log")
	if bad.Passed || bad.Lines.Total != 21 || bad.Lines.Unparsed != 5 || bad.Lines.Blank != 1 || bad.Lines.Parsed != 15 {
		t.Errorf("lines: %+v", bad.Lines)
	}
	// The vendor's own line (no address, spaces) is among the parsed ones.
	if st := opReport(t, bad, "getServerStatus"); st.Requests != 4 || st.ServerErrors != 1 || statusList(st) != "200:2 303!:1 500:1" {
		t.Errorf("getServerStatus: %+v", st)
	}
	if s := statusOf(opReport(t, bad, "getProfile"), 418); s == nil || fmt.Sprint(lineNumbers(s.First)) != "[3 20]" {
		t.Errorf("418 on getProfile: %+v", s)
	}
	if s := statusOf(opReport(t, bad, "createProfile"), 502); s == nil || s.Declared {
		t.Errorf("502 on createProfile: %+v", s)
	}
	var routes []string
	for _, rt := range bad.UnknownRoutes.Routes {
		routes = append(routes, fmt.Sprintf("%s %s %s %v", rt.Method, rt.Path, rt.Reason, lineNumbers(rt.First)))
	}
	if got := strings.Join(routes, "; "); got != "GET /cv/admin/console path [10]; DELETE /cv/server/status method [11]; GET /server/status base-path [12]" {
		t.Errorf("unknown routes: %s", got)
	}
	if bad.Undeclared != 4 || bad.Options != 1 || bad.Slow.Requests != 2 || fmt.Sprint(lineNumbers(bad.Slow.Slowest)) != "[5 4]" {
		t.Errorf("undeclared %d, options %d, slow %+v", bad.Undeclared, bad.Options, bad.Slow)
	}
	var unparsed []int64
	for _, b := range bad.Lines.FirstUnparsed {
		unparsed = append(unparsed, b.Line)
	}
	if fmt.Sprint(unparsed) != "[15 16 17 18 19]" {
		t.Errorf("first unparsed lines %v", unparsed)
	}
}

// generatedLog streams n access-log lines without holding them: the audit's
// memory is measured, not the test's.
type generatedLog struct {
	n, i int
	buf  []byte
	rec  Record
}

var generatedURLs = [][]byte{[]byte("/cv/server/status"), []byte("/cv/profiles/00027a5C4T0R001E"), []byte("/cv/profiles?EmailAddress=a@b"), []byte("/cv/services/1001"), []byte("/cv/nowhere")}
var generatedStatuses = []int{200, 200, 404, 500, 418}

func (g *generatedLog) Read(p []byte) (int, error) {
	for len(g.buf) < len(p) && g.i < g.n {
		g.rec.URL = generatedURLs[g.i%len(generatedURLs)]
		g.rec.Status = generatedStatuses[g.i%3+g.i%2]
		g.rec.Millis = int64(g.i % 1000)
		g.buf = AppendLine(g.buf, &g.rec)
		if g.i%97 == 0 {
			g.buf = append(g.buf, "not a log line\n"...)
		}
		g.i++
	}
	if len(g.buf) == 0 {
		return 0, io.EOF
	}
	k := copy(p, g.buf)
	g.buf = append(g.buf[:0], g.buf[k:]...)
	return k, nil
}

func newGeneratedLog(n int) *generatedLog {
	g := &generatedLog{n: n}
	g.rec = Record{
		Timestamp: []byte("10:00:00.000"), Level: []byte("Trc"), Date: []byte("2024-05-02"), Time: []byte("10:00:00"),
		IP: []byte("10.0.0.1"), Port: []byte("8080"), Method: []byte("GET"), Host: []byte("http://h"), UserAgent: []byte("agent (x)"),
	}
	return g
}

// allocatedBy returns the bytes the audit of an n-line log allocates.
func allocatedBy(t *testing.T, n int) uint64 {
	c := loadShipped(t, "genesys-ucs")
	g := newGeneratedLog(n)
	// The generator's own buffer is grown before measuring.
	g.buf = make([]byte, 0, 2*maxLine)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	a := New(c, Options{Slow: 500 * time.Millisecond})
	if err := a.Read("gen.log", g); err != nil {
		t.Fatal(err)
	}
	r := a.Report()
	runtime.ReadMemStats(&after)
	if r.Lines.Parsed != int64(n) {
		t.Fatalf("parsed %d of %d", r.Lines.Parsed, n)
	}
	return after.TotalAlloc - before.TotalAlloc
}

// TestMemoryDoesNotGrowWithTheLog audits a log and one twenty times as long:
// the bytes allocated must be nearly the same (the fixed buffers, the
// contract's matcher, the capped occurrences), not twenty times as many.
// It counts bytes, not time, so a slow machine cannot make it flaky.
func TestMemoryDoesNotGrowWithTheLog(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 400,000 lines")
	}
	small := allocatedBy(t, 20_000)
	large := allocatedBy(t, 400_000)
	t.Logf("allocated: %d bytes for 20,000 lines, %d bytes for 400,000", small, large)
	// 380,000 more lines at even one byte each would be 380 KB more.
	if large > small+64<<10 {
		t.Fatalf("the audit allocated %d bytes for 400,000 lines but %d for 20,000: memory grows with the log", large, small)
	}
}
