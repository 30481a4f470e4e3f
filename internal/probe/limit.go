package probe

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// limiter spaces requests to a rate, and holds every request back while a
// target's Retry-After runs: one throttled answer slows the whole run.
type limiter struct {
	mu       sync.Mutex
	interval time.Duration
	next     time.Time
	paused   time.Time
	// held is the time Retry-After has held the run back in all.
	held time.Duration
}

func newLimiter(rate float64) *limiter {
	l := &limiter{}
	if rate > 0 {
		l.interval = time.Duration(float64(time.Second) / rate)
	}
	return l
}

// wait blocks until the caller may send, or the context ends.
func (l *limiter) wait(ctx context.Context) error {
	l.mu.Lock()
	now := time.Now()
	at := now
	if l.paused.After(at) {
		at = l.paused
	}
	if l.interval > 0 {
		if l.next.After(at) {
			at = l.next
		}
		l.next = at.Add(l.interval)
	}
	l.mu.Unlock()
	d := at.Sub(now)
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// hold holds every request back until the given time, unless that would
// take the time the run has been held by Retry-After past budget: then it
// holds nothing, and says how long the run has been held so far. A request
// that arrives while the run is already held as long costs nothing, so
// that workers throttled together count once. The time held is measured
// exactly and compared with budget to the second, the resolution of
// Retry-After: the few milliseconds by which the answers of workers
// throttled together differ do not cost a wait the budget has room for.
// A negative budget holds nothing.
func (l *limiter) hold(until time.Time, budget time.Duration) (time.Duration, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	from := time.Now()
	if l.paused.After(from) {
		from = l.paused
	}
	extra := until.Sub(from)
	if extra <= 0 {
		return l.held, budget >= 0
	}
	if budget < 0 || (l.held+extra).Round(time.Second) > budget {
		return l.held, false
	}
	l.held += extra
	l.paused = until
	return l.held, true
}

// maxDuration is the longest time.Duration.
const maxDuration = time.Duration(1<<63 - 1)

// RetryAfter reads a Retry-After value, delay-seconds or an HTTP-date, as
// a delay from now; ok is false when the value is neither. Any number of
// digits is a valid delay (RFC 9110 section 10.2.3): one past what a
// time.Duration holds reads as the longest Duration, never as a negative
// or wrapped one. A date in the past is no delay.
func RetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if digits(v) {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n > int64(maxDuration/time.Second) {
			return maxDuration, true
		}
		return time.Duration(n) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return d, true
		}
		return 0, true
	}
	return 0, false
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
