package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/apiconform/apiconform/fixtures"
	_ "github.com/apiconform/apiconform/fixtures/all"
	"github.com/apiconform/apiconform/internal/audit"
	"github.com/apiconform/apiconform/internal/console"
)

func serveCmd(args []string, stdout, stderr io.Writer) int {
	var contractName, addr, fault, accessLog string
	var listFaults, listCreds bool
	var trigger string
	var mount basePathFlag
	fs, e := newFlagSet("serve", "serve --contract NAME [--addr 127.0.0.1:PORT] [--fault NAME] [--list-faults]", stderr)
	fs.StringVar(&contractName, "contract", "", "the shipped contract whose reference target to run (`NAME`)")
	e.env("contract", "APICONFORM_CONTRACT")
	fs.StringVar(&addr, "addr", "127.0.0.1:8080", "the `HOST:PORT` to listen on (port 0 picks a free one)")
	fs.StringVar(&fault, "fault", "", "break exactly one rule: the fault's `NAME` (see --list-faults)")
	fs.BoolVar(&listFaults, "list-faults", false, "list the faults the target takes, with the rule each breaks")
	fs.StringVar(&trigger, "trigger", "", "put the target into an operational state it cannot be switched into through its API, for a while: `STATE:DURATION`, e.g. out-of-service:30s")
	fs.BoolVar(&listCreds, "list-credentials", false, "print the credential flags a run against the target needs, and exit")
	fs.Var(&mount, "base-path", "serve the contract's paths under `PATH` instead of the contract's own base path, as a gateway may; / for the root")
	fs.StringVar(&accessLog, "access-log", "", "append one UCS access-log line per request to `FILE` (what 'apiconform audit' reads)")
	if err := e.parse(args); err != nil {
		return usageError(stdout, stderr, err)
	}
	if contractName == "" {
		fmt.Fprintf(stderr, "apiconform serve: --contract is required; reference targets: %s\n", strings.Join(fixtures.Names(), ", "))
		return exitUsage
	}
	t, err := fixtures.Lookup(contractName)
	if err != nil {
		fmt.Fprintf(stderr, "apiconform serve: %v\n", err)
		return exitUsage
	}
	if listCreds {
		fmt.Fprintln(stdout, strings.Join(t.Credentials, " "))
		return exitOK
	}
	if listFaults {
		for _, f := range t.Faults {
			note := ""
			if f.Writes {
				note += " (seen with --allow-writes)"
			}
			if f.Warning {
				note += " (a warning; fails with --strict)"
			}
			verb := "breaks"
			if f.Inconclusive {
				verb, note = "leaves", note+" (breaks no rule: the run calls it inconclusive; fails with --strict)"
			}
			fmt.Fprintf(stdout, "%-26s %s %-28s %s%s\n", f.Name, verb, f.Rule, f.Description, note)
		}
		return exitOK
	}
	h, err := t.Handler(fault)
	if err != nil {
		fmt.Fprintf(stderr, "apiconform serve: %v\n", err)
		return exitUsage
	}
	if trigger != "" {
		state, dur, ok := strings.Cut(trigger, ":")
		d, err := time.ParseDuration(dur)
		if !ok || err != nil || d <= 0 {
			fmt.Fprintf(stderr, "apiconform serve: --trigger %q: expected STATE:DURATION, e.g. out-of-service:30s\n", trigger)
			return exitUsage
		}
		if t.Trigger == nil {
			fmt.Fprintf(stderr, "apiconform serve: the %s target has no state to trigger\n", contractName)
			return exitUsage
		}
		if err := t.Trigger(h, state, d); err != nil {
			fmt.Fprintf(stderr, "apiconform serve: --trigger: %v (states: %s)\n", err, strings.Join(t.States, ", "))
			return exitUsage
		}
	}
	served, runFlag := t.BasePath, ""
	if mount.given() && strings.TrimRight(mount.path, "/") != strings.TrimRight(t.BasePath, "/") {
		h = t.Mount(h, mount.path)
		served = strings.TrimRight(mount.path, "/")
		runFlag = " --base-path " + mount.path
	}
	if accessLog != "" {
		f, err := os.OpenFile(accessLog, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
		if err != nil {
			fmt.Fprintf(stderr, "apiconform serve: --access-log: %v\n", err)
			return exitUsage
		}
		defer f.Close()
		h = audit.AccessLog(h, f)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		fmt.Fprintf(stderr, "apiconform serve: %v\n", err)
		return exitUsage
	}
	url := "http://" + ln.Addr().String()
	desc := "conforming"
	extra := ""
	if f := t.Fault(fault); f != nil {
		desc = fmt.Sprintf("with fault %s (breaks %s)", f.Name, f.Rule)
		if f.Inconclusive {
			desc = fmt.Sprintf("with fault %s (leaves %s inconclusive)", f.Name, f.Rule)
		}
		if f.Writes {
			extra += " --allow-writes"
		}
		if f.Warning {
			extra += " --strict"
		}
	}
	fmt.Fprintf(stdout, "serving the %s reference target, %s, at %s%s\n", contractName, desc, url, served)
	fmt.Fprintf(stdout, "test it with:\n  apiconform run --target %s --contract %s%s %s%s --junit-report reports/junit.xml\n", url, contractName, runFlag, strings.Join(t.Credentials, " "), extra)
	if f, ok := console.Raw(stdout).(*os.File); ok {
		f.Sync()
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		shut, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		srv.Shutdown(shut)
	}()
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintf(stderr, "apiconform serve: %v\n", err)
		return exitFailed
	}
	return exitOK
}
