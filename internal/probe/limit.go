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

// pause holds every request back until the given time.
func (l *limiter) pause(until time.Time) {
	l.mu.Lock()
	if until.After(l.paused) {
		l.paused = until
	}
	l.mu.Unlock()
}

// RetryAfter reads a Retry-After value, seconds or an HTTP-date, as a delay
// from now; ok is false when the value is neither.
func RetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if n, err := strconv.Atoi(v); err == nil && n >= 0 {
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
