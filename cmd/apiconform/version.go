package main

import (
	"fmt"
	"io"
	"runtime/debug"
)

// A binary built by `go install module@version` is not stamped by the
// Makefile, but the Go toolchain records the module's version in it: use
// that rather than say "dev" of a released build.
func init() {
	version = resolveVersion(version, debug.ReadBuildInfo)
}

// resolveVersion is the stamped version, else the main module's version
// the build recorded, else the stamped "dev".
func resolveVersion(stamped string, buildInfo func() (*debug.BuildInfo, bool)) string {
	if stamped != "dev" {
		return stamped
	}
	if bi, ok := buildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return stamped
}

// versionCmd prints the version, for `apiconform version` and --version.
func versionCmd(_ []string, stdout, _ io.Writer) int {
	fmt.Fprintf(stdout, "apiconform %s\n", version)
	return exitOK
}
