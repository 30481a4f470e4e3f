package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

// listFlag is a flag that may be given more than once.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ", ") }

func (l *listFlag) Set(v string) error {
	*l = append(*l, v)
	return nil
}

// envFlags maps flag names to the environment variables that set them when
// the flag is not given: a flag wins over its variable, and the variable
// over the configuration file (see useConfigFile).
type envFlags struct {
	fs   *flag.FlagSet
	vars map[string]string
	// order is the order the flags were bound to variables in.
	order []string
	// fileFlags, when set, makes parse read the configuration file; it
	// makes the flags whose names are the keys the file may hold.
	fileFlags func() *flag.FlagSet
	// configPath is the configuration file parse read, "" for none.
	configPath string
	// sources says, after parse, where each flag that is set got its
	// value: "flag", "env VARIABLE" or "file PATH".
	sources map[string]string
}

func newFlagSet(name, synopsis string, stderr io.Writer) (*flag.FlagSet, *envFlags) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	e := &envFlags{fs: fs, vars: map[string]string{}}
	fs.Usage = func() {
		from := "Flags (each also read from the environment variable shown, a flag winning over it):"
		if e.fileFlags != nil {
			from = "Flags (each also read from the environment variable shown, then from the configuration file; a flag wins over both):"
		}
		fmt.Fprintf(fs.Output(), "Usage: apiconform %s\n\n%s\n", synopsis, from)
		fs.VisitAll(func(f *flag.Flag) {
			name := "--" + f.Name
			if len(f.Name) == 1 {
				name = "-" + f.Name
			}
			typ, help := flag.UnquoteUsage(f)
			if typ != "" {
				name += " " + typ
			}
			fmt.Fprintf(fs.Output(), "  %s\n      %s", name, help)
			if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "0" && f.DefValue != "0s" {
				fmt.Fprintf(fs.Output(), " (default %s)", f.DefValue)
			}
			if v := e.vars[f.Name]; v != "" {
				fmt.Fprintf(fs.Output(), " [$%s]", v)
			}
			fmt.Fprintln(fs.Output())
		})
	}
	return fs, e
}

// env binds a flag to an environment variable.
func (e *envFlags) env(flagName, variable string) {
	e.vars[flagName] = variable
	e.order = append(e.order, flagName)
}

// parse reads the flags, then the variables of the flags not given, then
// the configuration file (when the command reads one) for the flags still
// unset. List flags take one value per line of their variable.
func (e *envFlags) parse(args []string) error {
	return e.failErr(e.parseAll(args))
}

func (e *envFlags) parseAll(args []string) error {
	if err := e.parseFlags(args); err != nil {
		return err
	}
	if e.fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q (flags start with --)", e.fs.Arg(0))
	}
	given := map[string]bool{}
	e.sources = map[string]string{}
	e.fs.Visit(func(f *flag.Flag) {
		given[f.Name] = true
		e.sources[f.Name] = sourceFlag
	})
	names := make([]string, 0, len(e.vars))
	for n := range e.vars {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		variable := e.vars[name]
		val, ok := os.LookupEnv(variable)
		if given[name] || !ok || val == "" {
			continue
		}
		f := e.fs.Lookup(name)
		values := []string{val}
		if variable == "NO_COLOR" {
			values = []string{"true"} // any value disables colour (no-color.org)
		}
		if _, isList := f.Value.(*listFlag); isList {
			values = strings.Split(strings.TrimSpace(val), "\n")
		}
		for _, v := range values {
			if err := f.Value.Set(strings.TrimSpace(v)); err != nil {
				return fmt.Errorf("$%s: %s", variable, valueError(f, strings.TrimSpace(v), err.Error()))
			}
		}
		e.sources[name] = "env " + variable
	}
	if e.fileFlags != nil {
		return e.readConfigFile()
	}
	return nil
}
