package main

// Hostile contracts: numbers in schemas that once made planning take
// gigabytes or panic.

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// unboundedContract declares every length and count "unbounded" the way
// generators do, with 2147483647, on path, query and body alike.
const unboundedContract = `openapi: 3.0.3
info: {title: unbounded, version: "1"}
paths:
  /items/{id}:
    get:
      operationId: getItem
      parameters:
        - {name: id, in: path, required: true, schema: {type: string, maxLength: 2147483647}}
        - {name: q, in: query, required: true, schema: {type: string, minLength: 1, maxLength: 2147483647}}
        - {name: tags, in: query, schema: {type: array, maxItems: 2147483647, items: {type: string, maxLength: 2147483647}}}
      responses:
        "200": {description: ok}
        "400": {description: refused}
        "404": {description: not found}
  /items:
    post:
      operationId: createItem
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [name]
              properties:
                name: {type: string, maxLength: 2147483647}
                notes: {type: array, maxItems: 2147483647, items: {type: string, maxLength: 2147483647}}
      responses:
        "201": {description: made}
        "400": {description: refused}
`

// planRSSBound is the most memory, in kilobytes of peak RSS, a run of
// unboundedContract may take. Before planning had bounds it took 4.2 GB
// and died for want of memory; it now takes about 30 MB.
const planRSSBound = 150 << 10

// maxRSS is the peak resident set of an ended process, in kilobytes.
func maxRSS(t *testing.T, ps *os.ProcessState) int64 {
	t.Helper()
	ru, ok := ps.SysUsage().(*syscall.Rusage)
	if !ok {
		t.Skip("no resource usage on this system")
	}
	return ru.Maxrss
}

func TestUnboundedLengthsPlanInLittleMemory(t *testing.T) {
	file := filepath.Join(t.TempDir(), "unbounded.yaml")
	if err := os.WriteFile(file, []byte(unboundedContract), 0o644); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, io.LimitReader(r.Body, 1<<22))
		http.Error(w, `{"error":"refused"}`, http.StatusBadRequest)
	}))
	defer srv.Close()
	for _, args := range [][]string{
		{"list", "--contract", file},
		{"run", "--target", srv.URL, "--contract", file, "--label-filter", "params || body"},
	} {
		cmd := binaryCommand(args...)
		cmd.Env = noProxyEnv()
		out, err := cmd.CombinedOutput()
		if _, exited := err.(*exec.ExitError); err != nil && !exited {
			t.Fatal(err)
		}
		noStackTrace(t, string(out))
		if code := cmd.ProcessState.ExitCode(); code != 0 && code != exitFailed {
			t.Fatalf("%s: exit %d\n%s", args[0], code, out)
		}
		if rss := maxRSS(t, cmd.ProcessState); rss > planRSSBound {
			t.Errorf("%s: peak RSS %d MB, more than %d MB", args[0], rss>>10, planRSSBound>>10)
		}
		if args[0] == "list" {
			want := "getItem [params.out-of-range] query q longer than 2147483647 answers 400  [params.out-of-range, params, getItem]  (skipped: its maxLength is 2147483647, and apiconform builds strings of at most 65536 characters)"
			if !strings.Contains(string(out), want) {
				t.Errorf("list lacks %q:\n%s", want, out)
			}
		}
	}
}

// TestSchemaNumbersOutOfRangeExitTwo: a length from 2^53 on (2^63 used to
// panic in the length fitter), negative, fractional or past 2^64, and a
// number past the float range, each refuse the contract, exit 2, naming
// the file, the line and the JSON pointer.
func TestSchemaNumbersOutOfRangeExitTwo(t *testing.T) {
	dir := t.TempDir()
	const q = "minLength: 1, maxLength: 2147483647}" // the query parameter q, on line 9
	const where = `, line 9: at /paths/~1items~1{id}/get/parameters/1/schema/`
	for _, tc := range []struct{ to, want string }{
		{"minLength: 1, maxLength: 9223372036854775808}", "maxLength: maxLength 9223372036854775808 is out of range: a length or count is a whole number from 0 to 9007199254740991"},
		{"minLength: 9223372036854775807}", "minLength: minLength 9223372036854775807 is out of range"},
		{"minLength: -1}", "minLength: minLength -1 is out of range"},
		{"minLength: 2.5}", "minLength: minLength 2.5 is out of range"},
		{"maxLength: 18446744073709551616}", "maxLength: maxLength 18446744073709551616 is out of range"},
		{"minimum: 1e400}", "minimum: minimum 1e400 is not a number apiconform can read"},
	} {
		t.Run(tc.to, func(t *testing.T) {
			file := filepath.Join(dir, "numbers.yaml")
			doc := strings.Replace(unboundedContract, q, tc.to, 1)
			if err := os.WriteFile(file, []byte(doc), 0o644); err != nil {
				t.Fatal(err)
			}
			for _, cmd := range []string{"list", "run"} {
				code, out := inProcessCombined(t, nil, cmd, "--target", "http://127.0.0.1:1", "--contract", file)
				if cmd == "list" {
					code, out = inProcessCombined(t, nil, cmd, "--contract", file)
				}
				want := "apiconform " + cmd + ": contract " + file + where + tc.want
				if code != exitUsage || !strings.HasPrefix(out, want) {
					t.Errorf("%s: exit %d, want 2 and %q:\n%s", cmd, code, want, out)
				}
				noStackTrace(t, out)
			}
		})
	}
}
