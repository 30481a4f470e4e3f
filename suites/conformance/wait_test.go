package conformance

import (
	"context"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/apiconform/apiconform/internal/probe"
)

// virtualClock moves only when the suite sleeps on it, at once.
type virtualClock struct {
	now   time.Time
	slept []time.Duration
}

func (c *virtualClock) Now() time.Time { return c.now }

func (c *virtualClock) Sleep(ctx context.Context, d time.Duration) bool {
	if ctx.Err() != nil {
		return false
	}
	c.slept = append(c.slept, d)
	c.now = c.now.Add(d)
	return true
}

func (c *virtualClock) total() time.Duration {
	var sum time.Duration
	for _, d := range c.slept {
		sum += d
	}
	return sum
}

func TestPollBacksOffUntilDone(t *testing.T) {
	c := &virtualClock{now: time.Unix(0, 0)}
	tries := 0
	ok := poll(context.Background(), c, time.Minute, func() (bool, time.Duration) {
		tries++
		return tries == 4, 0
	})
	want := []time.Duration{100 * time.Millisecond, 200 * time.Millisecond, 400 * time.Millisecond}
	if !ok || tries != 4 || !slices.Equal(c.slept, want) {
		t.Errorf("done %v after %d tries, slept %v; want true after 4, slept %v", ok, tries, c.slept, want)
	}
}

func TestPollNeverWaitsPastItsBound(t *testing.T) {
	c := &virtualClock{now: time.Unix(0, 0)}
	tries := 0
	ok := poll(context.Background(), c, 10*time.Second, func() (bool, time.Duration) {
		tries++
		return false, 0
	})
	// 0.1+0.2+0.4+0.8+1.6+2+2+2 = 9.1s, then the 0.9s left, then a last try
	want := []time.Duration{100 * time.Millisecond, 200 * time.Millisecond, 400 * time.Millisecond, 800 * time.Millisecond,
		1600 * time.Millisecond, 2 * time.Second, 2 * time.Second, 2 * time.Second, 900 * time.Millisecond}
	if ok || !slices.Equal(c.slept, want) || tries != len(want)+1 {
		t.Errorf("done %v after %d tries, slept %v; want false after %d, slept %v", ok, tries, c.slept, len(want)+1, want)
	}
	if c.total() != 10*time.Second {
		t.Errorf("waited %v in all, want the bound, 10s", c.total())
	}
}

func TestPollTakesTheRetryAfterItIsGiven(t *testing.T) {
	c := &virtualClock{now: time.Unix(0, 0)}
	tries := 0
	poll(context.Background(), c, 10*time.Second, func() (bool, time.Duration) {
		tries++
		return tries == 3, 3 * time.Second
	})
	if want := []time.Duration{3 * time.Second, 3 * time.Second}; !slices.Equal(c.slept, want) {
		t.Errorf("slept %v, want %v", c.slept, want)
	}
	// a Retry-After past the bound is cut to what is left
	c = &virtualClock{now: time.Unix(0, 0)}
	poll(context.Background(), c, 5*time.Second, func() (bool, time.Duration) { return false, time.Hour })
	if want := []time.Duration{5 * time.Second}; !slices.Equal(c.slept, want) {
		t.Errorf("with Retry-After: 3600 and a 5s bound, slept %v, want %v", c.slept, want)
	}
}

func TestPollStopsWithItsContext(t *testing.T) {
	c := &virtualClock{now: time.Unix(0, 0)}
	ctx, cancel := context.WithCancel(context.Background())
	tries := 0
	ok := poll(ctx, c, time.Hour, func() (bool, time.Duration) {
		tries++
		if tries == 2 {
			cancel()
		}
		return false, 0
	})
	if ok || tries != 2 {
		t.Errorf("done %v after %d tries, want false after 2: the interrupt ends the wait", ok, tries)
	}
}

func TestPollTriesABoundedNumberOfTimes(t *testing.T) {
	c := &virtualClock{now: time.Unix(0, 0)}
	tries := 0
	poll(context.Background(), c, 1000*time.Hour, func() (bool, time.Duration) {
		tries++
		return false, time.Nanosecond
	})
	if tries != pollMaxTries {
		t.Errorf("%d tries, want %d", tries, pollMaxTries)
	}
	// a bound of nothing is one try
	tries = 0
	poll(context.Background(), c, 0, func() (bool, time.Duration) { tries++; return false, 0 })
	if tries != 1 {
		t.Errorf("with no time to wait: %d tries, want 1", tries)
	}
}

func TestRecoveryWaitsTheAdvertisedDelay(t *testing.T) {
	now := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		retryAfter string
		want       time.Duration
	}{
		{"3", 3 * time.Second},
		{"", time.Second},         // none: one second
		{"soon", time.Second},     // unreadable: the same
		{"600", 10 * time.Second}, // never past the contract's wait
		{now.Add(4 * time.Second).Format(http.TimeFormat), 4 * time.Second},
	} {
		x := &probe.Exchange{RespHdr: http.Header{}}
		if c.retryAfter != "" {
			x.RespHdr.Set("Retry-After", c.retryAfter)
		}
		if got := recoverAfter(x, 10*time.Second, now); got != c.want {
			t.Errorf("Retry-After %q: waits %v, want %v", c.retryAfter, got, c.want)
		}
	}
}
