package conformance

import (
	"context"
	"errors"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"
)

// errSecondInterrupt is why a restore stopped before its end.
var errSecondInterrupt = errors.New("a second interrupt (SIGINT, SIGTERM or SIGHUP) cut the restore short")

// interrupts counts the SIGINTs and SIGTERMs a run gets, beside Ginkgo's
// own handling of them: at the first Ginkgo cancels the running spec's
// context, skips the specs left and runs the cleanups; at the second it
// skips what cleanup is left; at the third it ends at once. A restore
// must not stop with the spec whose context the first one cancelled:
// only the second cuts it short, and that is what second tells.
//
// A SIGHUP (the terminal closed, the SSH session dropped) would end the
// process at once, with no report and the target left in the state it was
// switched to; Ginkgo listens to SIGINT and SIGTERM only. So a SIGHUP is
// sent on to the process as a SIGTERM, which both Ginkgo and this count
// take as theirs. A run started with SIGHUP ignored (nohup) keeps it so.
type interrupts struct {
	mu     sync.Mutex
	n      int
	ch     chan os.Signal
	hup    chan os.Signal // nil when SIGHUP is ignored
	done   chan struct{}
	second context.Context
	cut    context.CancelCauseFunc
}

func newInterrupts() *interrupts {
	i := &interrupts{}
	i.second, i.cut = context.WithCancelCause(context.Background())
	return i
}

// listen starts counting. It is called once Ginkgo listens itself (from a
// ReportBeforeSuite node): a signal that came earlier would be taken from
// Ginkgo and not end the run.
func (i *interrupts) listen() {
	i.mu.Lock()
	defer i.mu.Unlock()
	if i.ch != nil {
		return
	}
	i.ch, i.done = make(chan os.Signal, 4), make(chan struct{})
	signal.Notify(i.ch, os.Interrupt, syscall.SIGTERM)
	if !signal.Ignored(syscall.SIGHUP) {
		i.hup = make(chan os.Signal, 4)
		signal.Notify(i.hup, syscall.SIGHUP)
	}
	go func(ch, hup chan os.Signal, done chan struct{}) {
		for {
			select {
			case <-ch:
				i.mu.Lock()
				i.n++
				n := i.n
				i.mu.Unlock()
				if n == 2 {
					i.cut(errSecondInterrupt)
				}
			case <-hup: // a nil channel is never ready
				terminateSelf()
			case <-done:
				return
			}
		}
	}(i.ch, i.hup, i.done)
}

// terminateSelf sends the process a SIGTERM.
func terminateSelf() {
	if p, err := os.FindProcess(os.Getpid()); err == nil {
		p.Signal(syscall.SIGTERM)
	}
}

// stop stops counting.
func (i *interrupts) stop() {
	i.mu.Lock()
	defer i.mu.Unlock()
	if i.ch != nil {
		signal.Stop(i.ch)
		if i.hup != nil {
			signal.Stop(i.hup)
			i.hup = nil
		}
		close(i.done)
		i.ch = nil
	}
}

// count is how many interrupts the run got so far.
func (i *interrupts) count() int {
	i.mu.Lock()
	defer i.mu.Unlock()
	return i.n
}

// restoreContext is the context of a restore: its own, not the run's, so
// that neither an interrupt nor --run-timeout ends it; bounded by d, and
// cut by the second interrupt.
func (i *interrupts) restoreContext(d time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(i.second, d)
}
