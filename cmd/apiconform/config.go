package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// The configuration file: YAML whose keys are the names of run's flags. A
// flag wins over its environment variable, which wins over the file.
const (
	// defaultConfigFile is read from the working directory when present and
	// no other file is named.
	defaultConfigFile = "apiconform.yaml"
	configVariable    = "APICONFORM_CONFIG"
)

// Sources of a flag's value, as `apiconform config` shows them.
const (
	sourceFlag    = "flag"
	sourceDefault = "default"
)

// notInFile are run's flags that ask for an action rather than configure a
// run (or name the file itself): a file that sets them is a mistake.
var notInFile = map[string]bool{"config": true, "version": true, "list-labels": true}

// useConfigFile adds --config to the flag set and has parse read the
// configuration file for the flags given neither on the command line nor in
// the environment. The file's keys are run's flags, so that one file serves
// run and list: a command takes the keys it has, and checks the values of
// the others (and of those given otherwise) without using them, so that a
// file one command refuses, every command refuses.
func (e *envFlags) useConfigFile() {
	e.fs.String("config", "", "read the options not given as flags or variables from the YAML `FILE` (default: ./"+defaultConfigFile+" when present)")
	e.env("config", configVariable)
	e.fileFlags = runFileFlags
}

// fileKeysOf lists the flags of a flag set a configuration file may set.
// Walking the flag set, rather than keeping a list, means a flag added to
// run is a key of the file with nothing more to do.
func fileKeysOf(fs *flag.FlagSet) map[string]bool {
	keys := map[string]bool{}
	fs.VisitAll(func(f *flag.Flag) {
		if !notInFile[f.Name] {
			keys[f.Name] = true
		}
	})
	return keys
}

// runFileFlags are the flags a configuration file sets: run's, fresh.
func runFileFlags() *flag.FlagSet {
	_, e := runFlags(io.Discard)
	return e.fs
}

// runFileKeys are the keys of a configuration file: run's flags.
func runFileKeys() map[string]bool { return fileKeysOf(runFileFlags()) }

// readConfigFile sets, from the configuration file, every flag that has no
// source yet. A missing default file is no error; a file named by --config
// or $APICONFORM_CONFIG must exist.
func (e *envFlags) readConfigFile() error {
	path, named := e.fs.Lookup("config").Value.String(), true
	if path == "" {
		path, named = defaultConfigFile, false
	}
	data, err := readConfigData(path)
	if err != nil {
		if !named && errors.Is(err, os.ErrNotExist) {
			return nil
		}
		if e.sources["config"] == sourceFlag {
			return fmt.Errorf("--config: %v", err)
		}
		return fmt.Errorf("$%s: %v", configVariable, err)
	}
	e.configPath = path
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return fmt.Errorf("configuration file %s: %v", path, err)
	}
	if len(doc.Content) == 0 {
		return nil // an empty file, or only comments
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return fmt.Errorf("%s:%d: the configuration must be a mapping of option names to values, e.g. target: https://staging.example.com", path, root.Line)
	}
	// fresh flags, to check the values this command does not use
	check := e.fileFlags()
	keys := fileKeysOf(check)
	seen := map[string]bool{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		name := k.Value
		where := fmt.Sprintf("%s:%d", path, k.Line)
		if !keys[name] {
			return fmt.Errorf("%s: unknown key %q; the keys are the flags of 'apiconform run': %s", where, name, strings.Join(sortedKeys(keys), ", "))
		}
		if seen[name] {
			return fmt.Errorf("%s: key %q is given twice", where, name)
		}
		seen[name] = true
		f := e.fs.Lookup(name)
		use := f != nil && e.sources[name] == ""
		if !use {
			// another command's, or given as a flag or a variable
			f = check.Lookup(name)
		}
		if v.Tag == "!!null" {
			continue // left empty
		}
		values, err := nodeValues(v, f)
		if err != nil {
			return fmt.Errorf("%s: %s: %v", where, name, err)
		}
		for _, val := range values {
			if err := f.Value.Set(val); err != nil {
				return fmt.Errorf("%s: %s: invalid value %q: %v", where, name, val, err)
			}
		}
		if use {
			e.sources[name] = "file " + path
		}
	}
	return nil
}

// maxConfigFile bounds what is read of a configuration file: a few hundred
// bytes make a configuration, and --config /dev/zero must not eat memory.
const maxConfigFile = 1 << 20

// readConfigData reads a configuration file, a pipe too (--config <(...)),
// up to maxConfigFile bytes.
func readConfigData(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxConfigFile+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxConfigFile {
		return nil, fmt.Errorf("%s: more than %d bytes: not a configuration file", path, maxConfigFile)
	}
	return data, nil
}

// nodeValues are the values a file gives a flag: one scalar, or, for a
// repeatable flag, a scalar or a list of them.
func nodeValues(v *yaml.Node, f *flag.Flag) ([]string, error) {
	_, isList := f.Value.(*listFlag)
	switch {
	case v.Kind == yaml.ScalarNode:
		return []string{v.Value}, nil
	case v.Kind == yaml.SequenceNode && isList:
		out := make([]string, 0, len(v.Content))
		for _, item := range v.Content {
			if item.Kind != yaml.ScalarNode {
				// "- X-Key: value" unquoted is a YAML mapping
				return nil, fmt.Errorf("line %d: each item must be a string; quote it, e.g. - 'X-Api-Key: value'", item.Line)
			}
			out = append(out, item.Value)
		}
		return out, nil
	case isList:
		return nil, errors.New("expected a string or a list of strings")
	}
	return nil, errors.New("expected a single value")
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// isSecretFlag tells the flags whose values `apiconform config` hides. The
// names are matched by what they hold rather than listed, so that a secret
// flag added later is hidden too; over-hiding costs nothing.
func isSecretFlag(name string) bool {
	for _, w := range []string{"auth", "token", "password", "secret", "passphrase"} {
		if strings.Contains(name, w) {
			return true
		}
	}
	return false
}

// redactHeader keeps a header's name and hides its value: headers carry API
// keys.
func redactHeader(h string) string {
	name, _, _ := strings.Cut(h, ":")
	return strings.TrimSpace(name) + ": [redacted]"
}

// configCmd prints the configuration a run with these arguments would use,
// as YAML a configuration file can hold, each key with where its value came
// from, secrets redacted.
func configCmd(args []string, stdout, stderr io.Writer) int {
	_, e := runFlags(stderr)
	// run's flags, but the messages name config
	e.fs.Init("config", flag.ContinueOnError)
	e.fs.Usage = func() {
		fmt.Fprintf(e.fs.Output(), "Usage: apiconform config [run flags]\n\nPrints the configuration 'apiconform run' would use with the same flags, environment and configuration file, secrets redacted. The flags are run's:\n")
		runFlagsUsage(e.fs.Output())
	}
	if err := e.parse(args); err != nil {
		return usageError(stdout, stderr, err)
	}
	out, err := e.effectiveConfig()
	if err != nil {
		fmt.Fprintf(stderr, "apiconform config: %v\n", err)
		return exitFailed
	}
	stdout.Write(out)
	return exitOK
}

func runFlagsUsage(w io.Writer) {
	_, e := runFlags(w)
	e.fs.Usage()
}

// effectiveConfig renders every key a configuration file may hold with its
// value and, as a comment, its source: flag, the environment variable,
// the file, or the default.
func (e *envFlags) effectiveConfig() ([]byte, error) {
	keys := fileKeysOf(e.fs)
	m := &yaml.Node{Kind: yaml.MappingNode}
	m.HeadComment = "apiconform run configuration: secrets redacted; precedence flag > environment > file > default"
	if e.configPath != "" {
		m.HeadComment += "\nconfiguration file: " + e.configPath
	} else {
		m.HeadComment += "\nno configuration file"
	}
	for _, name := range e.ordered() {
		if !keys[name] {
			continue
		}
		f := e.fs.Lookup(name)
		src := e.sources[name]
		if src == "" {
			src = sourceDefault
		}
		key := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: name}
		var val *yaml.Node
		if list, ok := f.Value.(*listFlag); ok {
			val = &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Style: yaml.FlowStyle}
			for _, item := range *list {
				switch {
				case name == "header":
					item = redactHeader(item)
				case isSecretFlag(name):
					item = "[redacted]"
				}
				val.Content = append(val.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: item})
			}
			if len(val.Content) > 0 {
				// A block list's first item comes on the next line: the
				// source then goes with the key.
				val.Style = 0
				key.LineComment = src
			} else {
				val.LineComment = src
			}
		} else {
			s := f.Value.String()
			if isSecretFlag(name) && s != "" {
				s = "[redacted]"
			}
			if name == "contract" {
				s = redactContractRef(s) // a URL may carry a password
			}
			val = &yaml.Node{Kind: yaml.ScalarNode, Tag: scalarTag(f), Value: s}
			val.LineComment = src
		}
		m.Content = append(m.Content, key, val)
	}
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(m); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// scalarTag is the YAML type of a flag's value, so that booleans print
// bare and strings that look like them print quoted. Numbers get no tag:
// the encoder prints them bare, where a float tag would print "0" as
// "!!float 0".
func scalarTag(f *flag.Flag) string {
	if b, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() {
		return "!!bool"
	}
	if g, ok := f.Value.(flag.Getter); ok {
		switch g.Get().(type) {
		case int, int64, uint, uint64, float64:
			return ""
		}
	}
	return "!!str"
}

// ordered lists the flags in the order they were bound to their variables,
// which is the order of their definition, then the others by name.
func (e *envFlags) ordered() []string {
	seen := map[string]bool{}
	var out []string
	for _, n := range e.order {
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	var rest []string
	e.fs.VisitAll(func(f *flag.Flag) {
		if !seen[f.Name] {
			rest = append(rest, f.Name)
		}
	})
	return append(out, rest...)
}
