package main

import (
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apiconform/apiconform/fixtures"
)

// serveFault starts a reference target with a fault; the test reads its
// data through the returned server after the run.
func serveFault(t *testing.T, contract, fault string) (*fixtures.Target, *httptest.Server) {
	t.Helper()
	target, err := fixtures.Lookup(contract)
	if err != nil {
		t.Fatal(err)
	}
	h, err := target.Handler(fault)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return target, srv
}

// servePrinted starts `apiconform serve` with args and returns what it
// printed up to its run command, the serve process killed at the end of
// the test, and that command's arguments with the JUnit report moved into
// the test's directory, ready to run as printed.
func servePrinted(t *testing.T, args ...string) (printed string, run []string) {
	t.Helper()
	cmd := binaryCommand(append([]string{"serve"}, args...)...)
	cmd.Env = cleanEnv()
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	buf := make([]byte, 4096)
	for i := 0; i < 50 && !strings.Contains(printed, "--junit-report"); i++ {
		n, err := stdout.Read(buf)
		printed += string(buf[:n])
		if err != nil {
			break
		}
	}
	for _, l := range strings.Split(printed, "\n") {
		if l = strings.TrimSpace(l); strings.HasPrefix(l, "apiconform run ") {
			run = strings.Fields(strings.TrimPrefix(l, "apiconform "))
		}
	}
	for i, a := range run {
		if a == "--junit-report" && i+1 < len(run) {
			run[i+1] = filepath.Join(t.TempDir(), "junit.xml")
		}
	}
	return printed, run
}
