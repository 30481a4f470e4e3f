package main

import (
	"flag"
	"io"
	"strings"
	"testing"
)

// TestEveryRunFlagIsDocumented: the flag table of docs/usage.md names every
// flag of run, with its variable, so that a flag added to runFlags cannot
// go unmentioned.
func TestEveryRunFlagIsDocumented(t *testing.T) {
	doc := readRepoFile(t, "docs/usage.md")
	_, e := runFlags(io.Discard)
	e.fs.VisitAll(func(f *flag.Flag) {
		name := "--" + f.Name
		if len(f.Name) == 1 {
			name = "-" + f.Name
		}
		if !strings.Contains(doc, "`"+name) {
			t.Errorf("docs/usage.md does not document %s", name)
		}
		if v := e.vars[f.Name]; v != "" && !strings.Contains(doc, "`"+v+"`") {
			t.Errorf("docs/usage.md does not name %s's variable %s", name, v)
		}
	})
}
