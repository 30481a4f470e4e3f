// Package specs holds the contracts apiconform ships: OpenAPI documents with
// their x-conformance extension, embedded so that the binary needs no files.
package specs

import (
	"embed"
	"io/fs"
	"sort"
	"strings"
)

//go:embed *.yaml
var files embed.FS

// Names lists the shipped contracts, sorted, by the name --contract accepts.
func Names() []string {
	entries, _ := fs.ReadDir(files, ".")
	var names []string
	for _, e := range entries {
		names = append(names, strings.TrimSuffix(e.Name(), ".yaml"))
	}
	sort.Strings(names)
	return names
}

// Read returns the document of a shipped contract and the path it has in the
// repository, or ok=false when no contract of that name is shipped.
func Read(name string) (data []byte, path string, ok bool) {
	if strings.ContainsAny(name, "/\\.") {
		return nil, "", false
	}
	data, err := files.ReadFile(name + ".yaml")
	if err != nil {
		return nil, "", false
	}
	return data, "specs/" + name + ".yaml", true
}
