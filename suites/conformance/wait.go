package conformance

import (
	"context"
	"time"

	"github.com/apiconform/apiconform/internal/probe"
	"github.com/apiconform/apiconform/internal/verdict"
)

// clock is the time the suite waits on. A run waits on the wall clock; the
// tests of the waiting logic give a virtual one, so that a wait of minutes
// is checked in microseconds and no machine load can change its outcome.
type clock interface {
	Now() time.Time
	// Sleep waits for d, or until ctx is done: false then.
	Sleep(ctx context.Context, d time.Duration) bool
}

type wallClock struct{}

func (wallClock) Now() time.Time { return time.Now() }

func (wallClock) Sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// wall is the clock of a run.
var wall clock = wallClock{}

// Bounds of poll: the first backoff, its ceiling, and the number of tries.
const (
	pollFirstDelay = 100 * time.Millisecond
	pollMaxDelay   = 2 * time.Second
	pollMaxTries   = 200
)

// poll calls try until it reports done, waiting between tries with a
// backoff (or the delay try asks for, its Retry-After), for at most max in
// all on c: it never sleeps past max, and tries at most pollMaxTries times.
// It tells whether try reported done.
func poll(ctx context.Context, c clock, max time.Duration, try func() (done bool, retryAfter time.Duration)) bool {
	deadline := c.Now().Add(max)
	delay := pollFirstDelay
	for i := 0; i < pollMaxTries; i++ {
		done, ra := try()
		if done {
			return true
		}
		wait := delay
		if ra > 0 {
			wait = ra
		}
		if rest := deadline.Sub(c.Now()); wait > rest {
			wait = rest
		}
		if wait <= 0 || !c.Sleep(ctx, wait) {
			return false
		}
		if delay *= 2; delay > pollMaxDelay {
			delay = pollMaxDelay
		}
	}
	return false
}

// advertised is the delay an answer asks for in its Retry-After, 0 when
// it asks for none: what poll waits instead of its backoff.
func advertised(x *probe.Exchange) time.Duration {
	d, _ := verdict.RetryAfter(x.RespHdr, wall.Now())
	return d
}

// recoverAfter is how long the throttling sequence waits before it asks
// again after the burst was throttled: the Retry-After of the throttled
// answer, one second without a readable one, and never more than the
// contract's wait.
func recoverAfter(throttled *probe.Exchange, max time.Duration, now time.Time) time.Duration {
	wait, ok := verdict.RetryAfter(throttled.RespHdr, now)
	if !ok {
		wait = time.Second
	}
	return min(wait, max)
}
