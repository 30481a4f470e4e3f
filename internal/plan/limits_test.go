package plan

import (
	"errors"
	"fmt"
	"math"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/apiconform/apiconform/internal/contract"
)

// numbersDoc is a contract whose every length, count and number is given:
// string, integer and array parameters (path, query), and a JSON body
// with a string, a number and an array of arrays of strings, the shape
// that multiplies a minItems by another and by a minLength.
func numbersDoc(minLen, maxLen, minItems, maxItems uint64, minimum, maximum, multipleOf float64) string {
	num := func(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }
	str := fmt.Sprintf(`{"type":"string","minLength":%d,"maxLength":%d}`, minLen, maxLen)
	n := fmt.Sprintf(`{"type":"%%s","minimum":%s,"maximum":%s,"multipleOf":%s}`, num(minimum), num(maximum), num(multipleOf))
	items := fmt.Sprintf(`{"type":"string","minLength":%d}`, minLen)
	arr := fmt.Sprintf(`{"type":"array","minItems":%d,"maxItems":%d,"items":%s}`, minItems, maxItems, items)
	grid := fmt.Sprintf(`{"type":"array","minItems":%d,"maxItems":%d,"items":%s}`, minItems, maxItems, arr)
	return `{"openapi":"3.0.3","info":{"title":"numbers","version":"1"},"paths":{"/things/{id}":{"post":{` +
		`"operationId":"createThing","parameters":[` +
		`{"name":"id","in":"path","required":true,"schema":` + str + `},` +
		`{"name":"q","in":"query","required":true,"schema":` + str + `},` +
		`{"name":"n","in":"query","required":true,"schema":` + fmt.Sprintf(n, "integer") + `},` +
		`{"name":"X-Size","in":"header","required":true,"schema":` + fmt.Sprintf(n, "number") + `},` +
		`{"name":"tags","in":"query","required":true,"schema":` + arr + `}],` +
		`"requestBody":{"required":true,"content":{"application/json":{"schema":{"type":"object","required":["name","size","grid"],` +
		`"additionalProperties":false,"properties":{"name":` + str + `,"size":` + fmt.Sprintf(n, "number") + `,"grid":` + grid + `}}}}},` +
		`"responses":{"201":{"description":"made"},"400":{"description":"refused"}}}}}}`
}

// planMemoryBound is the most a plan of numbersDoc may allocate, whatever
// its numbers: a few bodies of MaxBodyBytes and their variants, and the
// loading. Before the bounds, maxLength 2147483647 alone allocated 4 GB.
const planMemoryBound = 96 << 20

// FuzzSchemaNumbers: whatever numbers a schema holds, loading and planning
// never panic, allocate at most planMemoryBound, and build no value past
// the planner's bounds; a number out of range is an error that names its
// place.
func FuzzSchemaNumbers(f *testing.F) {
	const unbounded = 2147483647 // what generators write for "no limit"
	f.Add(uint64(1), uint64(unbounded), uint64(0), uint64(unbounded), 1.0, 100.0, 1.0)
	f.Add(uint64(unbounded), uint64(unbounded), uint64(unbounded), uint64(unbounded), -1e308, 1e308, 1e-300)
	f.Add(uint64(1)<<63, uint64(1)<<63, uint64(1)<<63, uint64(math.MaxUint64), 0.0, 0.0, 0.0)
	f.Add(uint64(contract.MaxCount), uint64(contract.MaxCount)+1, uint64(3), uint64(2), 10.0, 5.0, -2.0)
	f.Add(uint64(MaxValueLength), uint64(MaxValueLength), uint64(MaxItems), uint64(MaxItems), math.MaxFloat64, -math.MaxFloat64, 0.5)
	f.Add(uint64(MaxValueLength+1), uint64(MaxValueLength-1), uint64(MaxItems+1), uint64(MaxItems+1), 1e300, 1e300, 3.0)
	f.Add(uint64(1000), uint64(65535), uint64(1000), uint64(1000), -5.5, 5.5, 0.1)
	f.Add(uint64(0), uint64(0), uint64(32), uint64(32), math.Inf(1), math.NaN(), 1.0)
	f.Fuzz(func(t *testing.T, minLen, maxLen, minItems, maxItems uint64, minimum, maximum, multipleOf float64) {
		doc := numbersDoc(minLen, maxLen, minItems, maxItems, minimum, maximum, multipleOf)
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		c, err := contract.Parse([]byte(doc), "numbers", "numbers.json", false)
		if err != nil {
			var ce *contract.Error
			if !errors.As(err, &ce) {
				t.Fatalf("not a contract error: %v", err)
			}
			if strings.Contains(err.Error(), "cannot be read") {
				t.Fatalf("loading panicked: %v", err)
			}
			for _, n := range []uint64{minLen, maxLen, minItems, maxItems} {
				if n > contract.MaxCount && ce.Place == "" {
					t.Fatalf("a count out of range, and the error names no place: %v", err)
				}
			}
			return
		}
		for _, n := range []uint64{minLen, maxLen, minItems, maxItems} {
			if n > contract.MaxCount {
				t.Fatalf("the count %d is out of range, yet the contract loaded", n)
			}
		}
		p, err := Build(c)
		if err != nil {
			t.Fatal(err)
		}
		runtime.ReadMemStats(&after)
		if got := after.TotalAlloc - before.TotalAlloc; got > planMemoryBound {
			t.Errorf("loading and planning allocated %d MB, more than %d MB", got>>20, planMemoryBound>>20)
		}
		for _, s := range p.All() {
			r := s.Request
			if len(r.Body) > MaxBodyBytes+64 {
				t.Errorf("%s: a body of %d bytes", s.ID, len(r.Body))
			}
			for _, v := range []string{r.PathParams["id"], r.Query.Get("q")} {
				if n := utf8.RuneCountInString(v); n > MaxValueLength {
					t.Errorf("%s: a string of %d characters", s.ID, n)
				}
			}
			if n := len(r.Query.Get("tags")); n > MaxBodyBytes {
				t.Errorf("%s: an array parameter of %d bytes", s.ID, n)
			}
		}
	})
}

// TestUnboundedLengthsPlanSmall is the case that made planning allocate
// gigabytes: maxLength 2147483647 everywhere. The "longer than maxLength"
// scenarios are skipped, saying why.
func TestUnboundedLengthsPlanSmall(t *testing.T) {
	c, err := contract.Parse([]byte(numbersDoc(1, 2147483647, 1, 2147483647, 1, 10, 1)), "numbers", "numbers.json", false)
	if err != nil {
		t.Fatal(err)
	}
	p, err := Build(c)
	if err != nil {
		t.Fatal(err)
	}
	skipped := 0
	for _, s := range p.All() {
		if strings.Contains(s.Name, "longer than 2147483647") {
			skipped++
			want := "its maxLength is 2147483647, and apiconform builds strings of at most 65536 characters"
			if s.Skip != want {
				t.Errorf("%s: skip %q, want %q", s.Name, s.Skip, want)
			}
		}
	}
	if skipped != 2 {
		t.Errorf("%d scenarios longer than maxLength, want 2 (path id, query q)", skipped)
	}
}

// TestAMinLengthPastTheBoundSaysSo: a required query parameter whose
// minLength is past MaxValueLength leaves the success scenario without a
// value, and its skip names the bound and the way out.
func TestAMinLengthPastTheBoundSaysSo(t *testing.T) {
	p := parse(t, `openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /things:
    get:
      operationId: listThings
      parameters:
        - {name: q, in: query, required: true, schema: {type: string, minLength: 65537}}
      responses:
        "200": {description: ok}
        "400": {description: refused}
`)
	s := find(t, p, "listThings [success] answers a declared 2xx whose body matches its schema")
	for _, want := range []string{"no value for query q: its minLength is 65537, and apiconform builds strings of at most 65536 characters", "--value q="} {
		if !strings.Contains(s.Skip, want) {
			t.Errorf("skip %q lacks %q", s.Skip, want)
		}
	}
	s = find(t, p, "listThings [params.out-of-range] query q shorter than 65537 answers 400")
	if s.Skip != "" || len(s.Request.Query.Get("q")) != 65536 {
		t.Errorf("a value of 65536 characters is within the bound: skip %q, %d characters", s.Skip, len(s.Request.Query.Get("q")))
	}
}

// TestNumbersPastTheFloatRangeAreNotSent: one step past the largest float
// is infinity, which no request can carry: no such scenario is planned;
// past a bound too large for the step to move it, the next number is
// used, so a "below its minimum" value is below it.
func TestNumbersPastTheFloatRangeAreNotSent(t *testing.T) {
	for _, tc := range []struct {
		minimum, maximum float64
		wantBelow        bool
	}{{-math.MaxFloat64, math.MaxFloat64, false}, {1e300, 1e301, true}} {
		c, err := contract.Parse([]byte(numbersDoc(0, 10, 0, 1, tc.minimum, tc.maximum, 1)), "numbers", "numbers.json", false)
		if err != nil {
			t.Fatal(err)
		}
		p, err := Build(c)
		if err != nil {
			t.Fatal(err)
		}
		below := 0
		for _, s := range p.All() {
			if !strings.Contains(s.Name, "query n below its minimum") {
				continue
			}
			below++
			v, err := strconv.ParseFloat(s.Request.Query.Get("n"), 64)
			if err != nil || !(v < tc.minimum) {
				t.Errorf("%s: n=%q is not below %g", s.Name, s.Request.Query.Get("n"), tc.minimum)
			}
		}
		if (below > 0) != tc.wantBelow {
			t.Errorf("minimum %g: %d below-minimum scenarios", tc.minimum, below)
		}
	}
}
