package main

import (
	"errors"
	"strings"
	"unicode"

	"github.com/apiconform/apiconform/internal/contract"
)

// basePathFlag is --base-path: where the target serves the contract's
// paths, in place of the path of the contract's servers[0].url. A staging
// server behind a gateway often serves them under another prefix than the
// production URL the contract names; "/" says there is none.
type basePathFlag struct {
	// path is the base path given, "" when none was.
	path string
	// declared is the contract's own base path, kept by apply for the
	// messages that compare the two.
	declared string
}

func (b *basePathFlag) String() string { return b.path }

// Set checks the path at once, so that a bad one is a usage error naming
// the flag, its variable or the line of the configuration file.
func (b *basePathFlag) Set(v string) error {
	v = strings.TrimSpace(v)
	if v != "" {
		if err := checkBasePath(v); err != nil {
			return err
		}
	}
	b.path = v
	return nil
}

// checkBasePath refuses what cannot be the path part of a URL that the
// contract's paths are appended to.
func checkBasePath(p string) error {
	switch {
	case !strings.HasPrefix(p, "/"):
		return errors.New("must start with / (a path such as /api/v2; / alone for none)")
	case strings.ContainsAny(p, "?#"):
		return errors.New("must be a path alone, without a query or fragment")
	case strings.ContainsAny(p, "{}"):
		return errors.New("must not hold a server variable ({...}): give its value")
	case strings.Contains(p, "%"):
		return errors.New("must be written unescaped (no %XX)")
	case strings.Contains(p, "//"):
		return errors.New("must not hold an empty segment (//)")
	case strings.IndexFunc(p, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0:
		return errors.New("must not hold spaces or control characters")
	}
	return nil
}

// given tells whether --base-path was given.
func (b *basePathFlag) given() bool { return b.path != "" }

// apply puts the base path given in place of the contract's, which it
// keeps. The target URL is then joined to it as to the contract's own: a
// target that already ends with it is not doubled.
func (b *basePathFlag) apply(c *contract.Contract) {
	b.declared = c.BasePath
	if b.given() {
		c.BasePath = strings.TrimRight(b.path, "/")
	}
}
