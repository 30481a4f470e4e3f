package main

import (
	"io"
	"strings"
	"testing"
)

// FuzzRunFlags feeds arbitrary command lines to the run flags and their
// checks: every input ends in options or an error, never a panic.
func FuzzRunFlags(f *testing.F) {
	for _, args := range []string{
		"--target\x00http://127.0.0.1:1\x00--contract\x00genesys-ucs",
		"--label-filter\x00a && (b || !c)\x00--focus\x00get[",
		"--header\x00X-Key: v\x00--header\x00bad\x00--value\x00id=3",
		"--timeout\x00-1s\x00--max-body\x000\x00--basic-auth\x00u",
		"--target\x00https://h/p?q=1#f\x00-v\x00--strict=maybe",
		"--ca-cert\x00\x00--client-cert\x00c.pem\x00--insecure-skip-verify=maybe",
	} {
		f.Add(args)
	}
	f.Fuzz(func(t *testing.T, joined string) {
		o, e := runFlags(io.Discard)
		if err := e.parse(strings.Split(joined, "\x00")); err != nil {
			return
		}
		u, err := checkRunOptions(o)
		if err == nil && (u == nil || u.Host == "") {
			t.Fatalf("accepted %q without a target host", joined)
		}
	})
}

func TestEnvListFlagTakesOneValuePerLine(t *testing.T) {
	t.Setenv("APICONFORM_HEADER", "X-One: 1\nX-Two: 2\n")
	t.Setenv("APICONFORM_TARGET", "http://127.0.0.1:9")
	o, e := runFlags(io.Discard)
	if err := e.parse([]string{"--contract", "genesys-ucs"}); err != nil {
		t.Fatal(err)
	}
	if len(o.headers) != 2 || o.headers[1] != "X-Two: 2" || o.target != "http://127.0.0.1:9" {
		t.Fatalf("headers %q, target %q", o.headers, o.target)
	}
	// A flag given on the command line replaces the variable's values.
	o, e = runFlags(io.Discard)
	if err := e.parse([]string{"--header", "X-Three: 3"}); err != nil {
		t.Fatal(err)
	}
	if len(o.headers) != 1 || o.headers[0] != "X-Three: 3" {
		t.Fatalf("headers %q", o.headers)
	}
}
