package main

import (
	"fmt"
	"io"

	"github.com/apiconform/apiconform/fixtures"
	"github.com/apiconform/apiconform/internal/contract"
	"github.com/apiconform/apiconform/specs"
)

func contractsCmd(args []string, stdout, stderr io.Writer) int {
	fs, e := newFlagSet("contracts", "contracts", stderr)
	if err := e.parse(args); err != nil {
		return usageError(stdout, stderr, err)
	}
	_ = fs
	for _, name := range specs.Names() {
		c, err := contract.Load(name)
		if err != nil {
			fmt.Fprintf(stderr, "apiconform: %v\n", err)
			return exitUsage
		}
		target := "no reference target"
		if _, err := fixtures.Lookup(name); err == nil {
			target = "reference target: apiconform serve --contract " + name
		}
		fmt.Fprintf(stdout, "%-16s %s %s, %d operations; %s\n", name, c.Doc.Info.Title, c.Doc.Info.Version, len(c.Operations), target)
	}
	return exitOK
}
