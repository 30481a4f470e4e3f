package main

import (
	"io"
	"log"

	"github.com/apiconform/apiconform/internal/probe"
)

// redactStdLog sends what the process-wide log package prints, which is
// where Go's net/http writes (the bytes a target sent on an idle
// connection, echoed credentials and all), through the redactor of the
// run's credentials to stderr, one "apiconform run: " line a message. It
// returns what puts the log package back as it was.
func redactStdLog(o *runOptions, stderr io.Writer) (restore func()) {
	red := probe.NewRedactor(o.contractSource(nil).fetch)
	out, flags, prefix := log.Writer(), log.Flags(), log.Prefix()
	log.SetOutput(red.LogWriter(stderr, "apiconform run: "))
	log.SetFlags(0)
	log.SetPrefix("")
	return func() {
		log.SetOutput(out)
		log.SetFlags(flags)
		log.SetPrefix(prefix)
	}
}
