package audit

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// benchLines is a realistic mix: the log the reference target wrote during
// a run (every operation, the client errors a run provokes), four times, and
// once the hand-made log with its undeclared statuses, unknown routes,
// absolute URLs, space-separated and unparsable lines.
func benchLines(b *testing.B) [][]byte {
	b.Helper()
	var all [][]byte
	for _, f := range []struct {
		name  string
		times int
	}{{"ucs-sample.log", 4}, {"ucs-bad-lines.log", 1}} {
		data, err := os.ReadFile(filepath.Join("..", "..", "fixtures", "logs", f.name))
		if err != nil {
			b.Fatal(err)
		}
		lines := bytes.SplitAfter(bytes.TrimSuffix(data, []byte("\n")), []byte("\n"))
		for range f.times {
			all = append(all, lines...)
		}
	}
	return all
}

func reportLines(b *testing.B, lines int) {
	b.ReportMetric(float64(lines)/b.Elapsed().Seconds(), "lines/s")
}

// BenchmarkParseAndMap measures the hot path the issue sets a target for:
// one line parsed, mapped to its operation and counted, per op. Run it on
// one core (make bench does, with -cpu 1): the target is 1,000,000 lines/s.
func BenchmarkParseAndMap(b *testing.B) {
	lines := benchLines(b)
	size := 0
	for _, l := range lines {
		size += len(l)
	}
	a := New(loadShipped(b, "genesys-ucs"), Options{Slow: 500 * time.Millisecond})
	b.SetBytes(int64(size / len(lines)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		a.Line("bench.log", int64(i+1), lines[i%len(lines)])
	}
	b.StopTimer()
	reportLines(b, b.N)
}

// BenchmarkRead adds what ParseAndMap leaves out: reading a stream and
// splitting it into lines, plain and gzip. One op is one pass over a log of
// about 60,000 lines; lines/s is the figure to compare.
func BenchmarkRead(b *testing.B) {
	lines := benchLines(b)
	var plain bytes.Buffer
	n := 0
	for plain.Len() < 8<<20 {
		for _, l := range lines {
			plain.Write(l)
			n++
		}
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(plain.Bytes())
	zw.Close()
	c := loadShipped(b, "genesys-ucs")
	for _, in := range []struct {
		name string
		data []byte
	}{{"plain", plain.Bytes()}, {"gzip", gz.Bytes()}} {
		b.Run(in.name, func(b *testing.B) {
			b.SetBytes(int64(plain.Len()))
			b.ReportAllocs()
			for range b.N {
				a := New(c, Options{Slow: 500 * time.Millisecond})
				if err := a.Read("bench.log", bytes.NewReader(in.data)); err != nil {
					b.Fatal(err)
				}
			}
			reportLines(b, b.N*n)
		})
	}
}
