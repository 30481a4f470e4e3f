package probe_test

import (
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/apiconform/apiconform/internal/probe"
)

var now = time.Date(2026, 11, 22, 8, 0, 0, 0, time.UTC)

// TestRetryAfterHugeValues: delay-seconds of any length are a delay, the
// longest Duration past what one holds, never a negative or wrapped one
// (9223372037 seconds overflowed to a negative Duration before).
func TestRetryAfterHugeValues(t *testing.T) {
	longest := time.Duration(math.MaxInt64)
	for v, want := range map[string]time.Duration{
		"30":                            30 * time.Second,
		" 30 ":                          30 * time.Second,
		"0":                             0,
		"007":                           7 * time.Second,
		"9223372036":                    9223372036 * time.Second,
		"9223372037":                    longest,
		"10000000000":                   longest,
		"99999999999999999999999999":    longest,
		"Fri, 31 Dec 9999 23:59:59 GMT": time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC).Sub(now),
		"Sun, 22 Nov 2026 07:00:00 GMT": 0,
	} {
		if d, ok := probe.RetryAfter(v, now); !ok || d != want {
			t.Errorf("RetryAfter(%q) = %v, %v; want %v", v, d, ok, want)
		}
	}
	for _, v := range []string{"", "-1", "+5", "1.5", "1e3", "soon", "30s", "0x10"} {
		if d, ok := probe.RetryAfter(v, now); ok {
			t.Errorf("RetryAfter(%q) = %v, valid", v, d)
		}
	}
}

// FuzzRetryAfter: any value reads as no delay or a delay of zero or more;
// digits always read, as their seconds up to the longest Duration. Its
// seed corpus runs as a test.
func FuzzRetryAfter(f *testing.F) {
	for _, s := range []string{"30", "0", "9223372037", strings.Repeat("9", 400), "-1", "Sun, 22 Nov 2026 08:00:05 GMT", "Sunday, 22-Nov-26 08:00:05 GMT", "Sun Nov 22 08:00:05 2026", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		d, ok := probe.RetryAfter(v, now)
		if d < 0 || (!ok && d != 0) {
			t.Fatalf("RetryAfter(%q) = %v, %v", v, d, ok)
		}
		digits := strings.TrimSpace(v)
		if digits == "" || strings.Trim(digits, "0123456789") != "" {
			return
		}
		if !ok {
			t.Fatalf("RetryAfter(%q): digits must be a delay", v)
		}
		n, err := strconv.ParseUint(digits, 10, 64)
		if err == nil && n <= math.MaxInt64/uint64(time.Second) {
			if d != time.Duration(n)*time.Second {
				t.Fatalf("RetryAfter(%q) = %v, want %d s", v, d, n)
			}
		} else if d != time.Duration(math.MaxInt64) {
			t.Fatalf("RetryAfter(%q) = %v, want the longest Duration", v, d)
		}
	})
}
