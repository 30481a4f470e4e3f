package plan

import "testing"

// BenchmarkBuild plans the shipped genesys-ucs contract.
func BenchmarkBuild(b *testing.B) {
	c := ucs(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Build(c); err != nil {
			b.Fatal(err)
		}
	}
}
