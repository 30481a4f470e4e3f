package main

import (
	"fmt"
	"io"

	"github.com/apiconform/apiconform/internal/catalog"
)

// rulesCmd prints the catalogue: the families and the rules apiconform
// judges, as tables or, with --json, as the document docs/usage.md describes.
func rulesCmd(args []string, stdout, stderr io.Writer) int {
	fs, e := newFlagSet("rules", "rules [--json]", stderr)
	asJSON := fs.Bool("json", false, "print the catalogue as JSON (schema "+catalog.DocumentSchema+")")
	if err := e.parse(args); err != nil {
		return usageError(stdout, stderr, err)
	}
	write := catalog.WriteText
	if *asJSON {
		write = catalog.WriteJSON
	}
	if err := write(stdout); err != nil {
		fmt.Fprintf(stderr, "apiconform rules: %v\n", err)
		return exitFailed
	}
	return exitOK
}
