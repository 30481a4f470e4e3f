package contract

import (
	"testing"

	"github.com/apiconform/apiconform/specs"
)

// BenchmarkParseShipped loads and validates the genesys-ucs contract.
func BenchmarkParseShipped(b *testing.B) {
	data, _, _ := specs.Read("genesys-ucs")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(data, "genesys-ucs", "specs/genesys-ucs.yaml", true); err != nil {
			b.Fatal(err)
		}
	}
}
