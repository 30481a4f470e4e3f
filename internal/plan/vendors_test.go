package plan

import (
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/apiconform/apiconform/internal/contract"
)

// The published descriptions of real vendors that internal/contract keeps
// (see ../contract/testdata/vendors/SOURCES.md) must plan, not only load.
var vendorFiles = []string{
	"github-api.github.com.json.gz",
	"influxdb-oss.yaml.gz",
	"adyen-management-v3.json.gz",
	"figma.yaml.gz",
}

type vendorPlan struct {
	once sync.Once
	p    *Plan
	err  error
}

var vendorPlans sync.Map // file -> *vendorPlan

// planVendor loads and plans a vendor document once for all the tests.
func planVendor(t *testing.T, file string) *Plan {
	t.Helper()
	v, _ := vendorPlans.LoadOrStore(file, &vendorPlan{})
	vp := v.(*vendorPlan)
	vp.once.Do(func() {
		f, err := os.Open(filepath.Join("..", "contract", "testdata", "vendors", file))
		if err != nil {
			vp.err = err
			return
		}
		defer f.Close()
		z, err := gzip.NewReader(f)
		if err != nil {
			vp.err = err
			return
		}
		data, err := io.ReadAll(z)
		if err != nil {
			vp.err = err
			return
		}
		c, err := contract.Parse(data, strings.TrimSuffix(file, ".gz"), file, false)
		if err != nil {
			vp.err = err
			return
		}
		vp.p, vp.err = Build(c)
	})
	if vp.err != nil {
		t.Fatalf("%s: %v", file, vp.err)
	}
	return vp.p
}

func TestVendorDocumentsPlan(t *testing.T) {
	for _, file := range vendorFiles {
		t.Run(file, func(t *testing.T) {
			p := planVendor(t, file)
			planned := map[string]bool{}
			for _, s := range p.All() {
				if s.Operation != nil {
					planned[s.Operation.ID] = true
				}
			}
			for _, o := range p.Contract.Operations {
				if !planned[o.ID] {
					t.Errorf("no scenario for %s %s", o.Method, o.Path)
				}
			}
			t.Logf("%d operations, %d scenarios, %d warnings", len(p.Contract.Operations), len(p.All()), len(p.Contract.Warnings))
		})
	}
}

// BenchmarkVendorLoadAndPlan loads and plans each vendor description, what
// apiconform list and run do before they send anything.
func BenchmarkVendorLoadAndPlan(b *testing.B) {
	for _, file := range vendorFiles {
		f, err := os.Open(filepath.Join("..", "contract", "testdata", "vendors", file))
		if err != nil {
			b.Fatal(err)
		}
		z, err := gzip.NewReader(f)
		if err != nil {
			b.Fatal(err)
		}
		data, err := io.ReadAll(z)
		f.Close()
		if err != nil {
			b.Fatal(err)
		}
		b.Run(file, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				c, err := contract.Parse(data, file, file, false)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := Build(c); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
