//go:build !(linux || darwin || freebsd || netbsd || openbsd)

package main

import "os"

// spaceFor cannot tell the free space here: the write will tell.
func spaceFor(string) error { return nil }

// alwaysFull: there is no /dev/full here.
func alwaysFull(os.FileInfo) bool { return false }
