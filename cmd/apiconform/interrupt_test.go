package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/apiconform/apiconform/fixtures"
)

// TestInterruptedRunRestoresTheTarget interrupts a run with SIGINT while the
// suite has the target in maintenance mode, and then finds the target back
// in production: the suite's cleanup runs on interruption too.
func TestInterruptedRunRestoresTheTarget(t *testing.T) {
	target, err := fixtures.Lookup("genesys-ucs")
	if err != nil {
		t.Fatal(err)
	}
	h, _ := target.Handler("")
	var maintenance atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/server/mode") {
			body, _ := io.ReadAll(r.Body)
			r.Body = io.NopCloser(bytes.NewReader(body))
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, r)
			if rec.Code == http.StatusOK {
				maintenance.Store(strings.Contains(strings.ToLower(string(body)), "maintenance"))
			}
			for k, v := range rec.Header() {
				w.Header()[k] = v
			}
			w.WriteHeader(rec.Code)
			w.Write(rec.Body.Bytes())
			return
		}
		if maintenance.Load() {
			// slow in maintenance, so that the interrupt lands there
			time.Sleep(300 * time.Millisecond)
		}
		h.ServeHTTP(w, r)
	}))
	defer srv.Close()

	cmd := exec.Command(binary, "run", "--target", srv.URL, "--contract", "genesys-ucs", "--basic-auth", "demo:demo",
		"--allow-disruptive", "--label-filter", "disruptive && maintenance", "--no-color")
	cmd.Env = cleanEnv()
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	for i := 0; i < 800 && !maintenance.Load(); i++ {
		select {
		case err := <-exited:
			t.Fatalf("the run ended before the target was in maintenance (%v):\n%s", err, out.String())
		case <-time.After(25 * time.Millisecond):
		}
	}
	if !maintenance.Load() {
		cmd.Process.Kill()
		t.Fatalf("the target never went into maintenance:\n%s", out.String())
	}
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case <-exited:
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("the run did not end after SIGINT:\n%s", out.String())
	}
	if code := cmd.ProcessState.ExitCode(); code == 0 {
		t.Errorf("an interrupted run exited 0:\n%s", out.String())
	}
	if !strings.Contains(out.String(), "the run was stopped early") {
		t.Errorf("an interrupted run must say it was stopped:\n%s", out.String())
	}
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/cv/server/status", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var status struct{ Mode string }
	if err := json.NewDecoder(resp.Body).Decode(&status); err != nil || status.Mode != "production" {
		t.Fatalf("after the interrupted run the target reports %q (%v), want production:\n%s", status.Mode, err, out.String())
	}
	if maintenance.Load() {
		t.Fatal("the last mode switch was to maintenance")
	}
}
