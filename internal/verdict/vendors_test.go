package verdict_test

import (
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/apiconform/apiconform/internal/contract"
	"github.com/apiconform/apiconform/internal/plan"
	"github.com/apiconform/apiconform/internal/probe"
	"github.com/apiconform/apiconform/internal/verdict"
)

// TestVendorNegativeScenariosCanPass judges, for every runnable negative
// scenario of the published descriptions of real vendors (see
// ../contract/testdata/vendors/SOURCES.md), the answer a server that keeps
// its contract gives: a status the scenario accepts, the operation's own
// declaration of it where it has one, with a body of the declared schema.
// No rule about the status may fail on it: a scenario that could only pass
// with a status the operation cannot declare would blame every conforming
// server (issue 11).
func TestVendorNegativeScenariosCanPass(t *testing.T) {
	dir := filepath.Join("..", "contract", "testdata", "vendors")
	files, err := filepath.Glob(filepath.Join(dir, "*.gz"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no vendor descriptions in %s: %v", dir, err)
	}
	statusRules := func(m verdict.Mismatch) bool {
		return strings.HasSuffix(m.Rule, ".status") || m.Rule == "status.declared" || m.Rule == "server.error" || m.Rule == "status.never" || m.Rule == "status.only-on"
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			c := loadGz(t, file)
			p, err := plan.Build(c)
			if err != nil {
				t.Fatal(err)
			}
			judged, failing := 0, map[string]int{}
			var examples []string
			for _, s := range p.Scenarios {
				if s.Skip != "" || s.Operation == nil || len(s.Expect.Status) == 0 || !negative(s.Family) {
					continue
				}
				judged++
				x := conformingAnswer(s)
				for _, m := range verdict.Judge(c, s, x, nil).Mismatches {
					if statusRules(m) {
						failing[s.Family]++
						if len(examples) < 5 {
							examples = append(examples, s.Name+": "+m.String())
						}
						break
					}
				}
			}
			if judged == 0 {
				t.Fatal("no negative scenario was judged")
			}
			if len(failing) > 0 {
				var fams []string
				total := 0
				for f, n := range failing {
					fams = append(fams, fmt.Sprintf("%s %d", f, n))
					total += n
				}
				sort.Strings(fams)
				t.Errorf("%d of %d negative scenarios cannot pass with a status their contract permits (%s); for example:\n%s", total, judged, strings.Join(fams, ", "), strings.Join(examples, "\n"))
			}
		})
	}
}

// negative tells the families whose expected statuses are the RFC's for a
// refused request.
func negative(family string) bool {
	for _, g := range []string{"method.unsupported", "mediatype.", "resource.", "params.", "body.", "credentials.", "negotiation."} {
		if strings.HasPrefix(family, g) {
			return true
		}
	}
	return false
}

// conformingAnswer is what a server that keeps its contract answers: an
// accepted status the operation declares if there is one (else the
// RFC's), with the declared JSON body and the headers the RFC requires.
func conformingAnswer(s *plan.Scenario) *probe.Exchange {
	o := s.Operation
	st := s.Expect.Status[0]
	for _, cand := range append(append([]int(nil), s.Expect.Status...), s.Expect.Tolerated...) {
		if _, cov := o.Response(cand); cov.Declared() {
			st = cand
			break
		}
	}
	hdr := []string{}
	body := ""
	if r, _ := o.Response(st); r != nil {
		for _, mt := range sortedKeys(r.Content) {
			if m := r.Content[mt]; strings.Contains(mt, "json") && m != nil && m.Schema != nil {
				v, ok := plan.Sample(m.Schema)
				if !ok {
					v = map[string]any{}
				}
				data, _ := json.Marshal(v)
				hdr, body = append(hdr, "Content-Type", mt), string(data)
				break
			}
		}
		for name, h := range r.Headers {
			if h != nil && h.Value != nil && h.Value.Required {
				hdr = append(hdr, name, "x")
			}
		}
	}
	switch st {
	case 405:
		hdr = append(hdr, "Allow", strings.Join(s.Expect.Allow, ", "))
	case 401:
		ch := s.Expect.Challenge
		if ch == "" || ch == plan.NoChallenge {
			ch = "Bearer"
		}
		hdr = append(hdr, "WWW-Authenticate", ch)
	}
	return ex(s.Request.Method, s.Request.URLPath(), st, body, hdr...)
}

func loadGz(t *testing.T, path string) *contract.Contract {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	z, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	data, err := io.ReadAll(z)
	if err != nil {
		t.Fatal(err)
	}
	name := strings.TrimSuffix(filepath.Base(path), ".gz")
	c, err := contract.Parse(data, name, name, false)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func sortedKeys(m openapi3.Content) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
