//go:build linux || darwin || freebsd || netbsd || openbsd

package main

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
)

// spaceFor refuses a file whose file system has no block left for it.
func spaceFor(path string) error {
	var fs syscall.Statfs_t
	if err := syscall.Statfs(filepath.Dir(path), &fs); err != nil {
		return nil // a file system that does not say: the write will tell
	}
	if fs.Bavail == 0 {
		return errors.New("no space left on its file system")
	}
	return nil
}

// alwaysFull tells whether a character device is the one /dev/full is,
// which takes no byte.
func alwaysFull(st os.FileInfo) bool {
	full, err := os.Stat("/dev/full")
	if err != nil {
		return false
	}
	a, okA := st.Sys().(*syscall.Stat_t)
	b, okB := full.Sys().(*syscall.Stat_t)
	return okA && okB && full.Mode()&os.ModeCharDevice != 0 && a.Rdev == b.Rdev
}
