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

// BenchmarkParseVendors loads and validates each published vendor
// description of testdata/vendors, warnings and all: the GitHub one has
// 1,223 operations in 13 MB of JSON.
func BenchmarkParseVendors(b *testing.B) {
	for _, v := range vendorDocs {
		data := readVendor(b, v.file)
		b.Run(v.file, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, err := Parse(data, v.file, v.file, false); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
