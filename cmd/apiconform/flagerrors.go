package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"

	"github.com/apiconform/apiconform/internal/suggest"
)

// A mistake on the command line is told in one line that names the
// command and what is wrong, with the nearest flag for a misspelt one:
// the usage of run is eighty lines, and printed after a typo it buries
// the one word that matters. --help asks for the usage, which goes to
// stdout, as any output asked for does.

// flagError is a usage mistake of a command, in words.
type flagError struct {
	cmd, msg string
}

func (e *flagError) Error() string { return e.msg }

// helpRequest is -h or --help: not a mistake, the usage is the answer.
type helpRequest struct{ usage string }

func (h *helpRequest) Error() string { return "help requested" }

// usageError prints what parsing a command's flags ended in: the usage on
// stdout for --help (exit 0), else one line on stderr (exit 2).
func usageError(stdout, stderr io.Writer, err error) int {
	var help *helpRequest
	if errors.As(err, &help) {
		fmt.Fprint(stdout, help.usage)
		return exitOK
	}
	var fe *flagError
	if errors.As(err, &fe) {
		fmt.Fprintf(stderr, "apiconform %s: %s\n", fe.cmd, fe.msg)
		return exitUsage
	}
	fmt.Fprintf(stderr, "apiconform: %s\n", oneLine(err.Error()))
	return exitUsage
}

// parseFlags parses command-line flags with the flag package's own output
// silenced, and turns what it refuses into a flagError or a helpRequest.
func (e *envFlags) parseFlags(args []string) error {
	out := e.fs.Output()
	e.fs.SetOutput(io.Discard)
	err := e.fs.Parse(args)
	e.fs.SetOutput(out)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, flag.ErrHelp):
		var b strings.Builder
		e.fs.SetOutput(&b)
		e.fs.Usage()
		e.fs.SetOutput(out)
		return &helpRequest{usage: b.String()}
	}
	return e.fail(e.explain(err.Error()))
}

// fail makes a message a flagError of the command, unless it is one.
func (e *envFlags) fail(msg string) error {
	return &flagError{cmd: e.fs.Name(), msg: oneLine(msg)}
}

// failErr is fail for an error: a flagError or help request passes as it is.
func (e *envFlags) failErr(err error) error {
	var fe *flagError
	var help *helpRequest
	if err == nil || errors.As(err, &fe) || errors.As(err, &help) {
		return err
	}
	return e.fail(err.Error())
}

// The flag package's messages, which its compatibility promise keeps.
var (
	unknownFlag  = regexp.MustCompile(`^flag provided but not defined: -+(.*)$`)
	needsValue   = regexp.MustCompile(`^flag needs an argument: -+(.*)$`)
	invalidValue = regexp.MustCompile(`^invalid (?:boolean )?value "(.*)" for (?:flag )?-+([^:]+): (.*)$`)
)

// explain rewords an error of the flag package.
func (e *envFlags) explain(msg string) string {
	if m := unknownFlag.FindStringSubmatch(msg); m != nil {
		out := "unknown flag " + dashed(m[1])
		if near := suggest.Nearest(m[1], e.flagNames()); near != "" {
			out += "; did you mean " + dashed(near) + "?"
		}
		return out + fmt.Sprintf(" (apiconform %s --help lists the flags)", e.fs.Name())
	}
	if m := needsValue.FindStringSubmatch(msg); m != nil {
		return dashed(m[1]) + " needs a value"
	}
	if m := invalidValue.FindStringSubmatch(msg); m != nil {
		if f := e.fs.Lookup(m[2]); f != nil {
			return valueError(f, m[1], m[3])
		}
	}
	return msg
}

// valueError says what a flag takes, for a value it refused. The flag
// package's reason for a number or duration is "parse error", which says
// nothing; a flag type of apiconform's own says what it wants.
func valueError(f *flag.Flag, val, reason string) string {
	if want := expects(f); want != "" {
		if reason == "value out of range" {
			return fmt.Sprintf("invalid value %q for %s: out of range", val, dashed(f.Name))
		}
		return fmt.Sprintf("invalid value %q for %s: expected %s", val, dashed(f.Name), want)
	}
	return fmt.Sprintf("invalid value %q for %s: %s", val, dashed(f.Name), reason)
}

// expects names, in words, the kind of value a flag of a plain type takes
// ("" for apiconform's own types, whose errors say it).
func expects(f *flag.Flag) string {
	g, ok := f.Value.(flag.Getter)
	if !ok {
		return ""
	}
	switch g.Get().(type) {
	case time.Duration:
		return "a duration such as 10s, 1m30s or 500ms"
	case bool:
		return "true or false"
	case int, int64, uint, uint64:
		return "a whole number"
	case float64:
		return "a number"
	}
	return ""
}

// flagNames lists a command's flags, for the nearest to a misspelt one.
func (e *envFlags) flagNames() []string {
	names := []string{"help"}
	e.fs.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
	return names
}

// dashed writes a flag's name as the usage shows it: -v, --target.
func dashed(name string) string {
	if len(name) == 1 {
		return "-" + name
	}
	return "--" + name
}
