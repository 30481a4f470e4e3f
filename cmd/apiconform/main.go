// Command apiconform checks that an HTTP API keeps the error contract of its
// OpenAPI definition: it drives the target through scenarios that must fail
// in a precise way and through the happy paths, judges every answer and
// writes reports a vendor can hand in.
package main

import (
	"fmt"
	"io"
	"os"
	"runtime/pprof"

	"github.com/apiconform/apiconform/internal/console"
)

// Exit codes, as the README documents them.
const (
	exitOK          = 0
	exitFailed      = 1
	exitUsage       = 2
	exitUnreachable = 3
)

const usage = `apiconform: conformance suite for the error contracts of HTTP APIs

Usage:
  apiconform run --target URL --contract NAME|FILE [flags]   run the suite against a target
  apiconform list --contract NAME|FILE [--label-filter EXPR] print the plan, sending nothing
  apiconform contracts                                       list the shipped contracts
  apiconform rules [--json]                                  list the scenario families and rules
  apiconform serve --contract NAME [--addr A] [--fault F]    run a reference target
  apiconform audit --contract NAME|FILE [flags] LOGFILE...   check access logs against the contract
  apiconform merge --junit-report OUT [flags] IN...          merge the JSON reports of shards
  apiconform config [run flags]                              print the effective run configuration
  apiconform version                                         print the version
  apiconform help [COMMAND]                                  show help

Run 'apiconform COMMAND --help' for the flags of a command.
Exit codes: 0 all scenarios passed, 1 a scenario failed or was inconclusive
(or the target connected but never answered), 2 bad usage or a bad contract,
3 the target cannot be reached.
`

func main() {
	// A CPU profile of a whole run, for the project's own performance work.
	if path := os.Getenv("APICONFORM_CPUPROFILE"); path != "" {
		if f, err := os.Create(path); err == nil {
			pprof.StartCPUProfile(f)
			code := run(os.Args[1:], os.Stdout, os.Stderr)
			pprof.StopCPUProfile()
			f.Close()
			os.Exit(code)
		}
	}
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	// Whatever a command prints may quote a contract or a target: the
	// terminal must not act on the escape sequences they hold.
	stdout, stderr = console.NewWriter(stdout), console.NewWriter(stderr)
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	switch args[0] {
	case "run":
		return runCmd(args[1:], stdout, stderr)
	case "list":
		return listCmd(args[1:], stdout, stderr)
	case "contracts":
		return contractsCmd(args[1:], stdout, stderr)
	case "rules":
		return rulesCmd(args[1:], stdout, stderr)
	case "serve":
		return serveCmd(args[1:], stdout, stderr)
	case "audit":
		return auditCmd(args[1:], stdout, stderr)
	case "merge":
		return mergeCmd(args[1:], stdout, stderr)
	case "config":
		return configCmd(args[1:], stdout, stderr)
	case "version", "--version", "-version":
		return versionCmd(args[1:], stdout, stderr)
	case "help", "-h", "--help", "-help":
		if len(args) > 1 {
			return run([]string{args[1], "--help"}, stdout, stderr)
		}
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	fmt.Fprintf(stderr, "apiconform: unknown command %q\n\n%s", args[0], usage)
	return exitUsage
}
