package report

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/apiconform/apiconform/internal/plan"
)

// Scenarios made inconclusive by one cause are listed with the cause once;
// a reason of its own stays beside its scenario.
func TestSummaryGroupsInconclusiveScenariosByReason(t *testing.T) {
	const wrong = "404 Not Found, not judged: the base path is probably wrong"
	b := NewBook()
	put := func(id, reason string) {
		b.Put(&Record{Scenario: &plan.Scenario{ID: id, Name: id + " answers"}, Result: Inconclusive, Reason: reason})
	}
	put("a", wrong)
	put("b", "no answer within the timeout")
	put("c", wrong)
	put("d", wrong)
	var out bytes.Buffer
	Summary(&out, b, time.Second)
	got := out.String()
	if n := strings.Count(got, wrong); n != 1 {
		t.Fatalf("the shared reason is said %d times, want once:\n%s", n, got)
	}
	want := "  INCONCLUSIVE a answers\n  INCONCLUSIVE c answers\n  INCONCLUSIVE d answers\n       these 3: " + wrong + "\n" +
		"  INCONCLUSIVE b answers\n       no answer within the timeout\n"
	if !strings.Contains(got, want) {
		t.Fatalf("summary:\n%s\nwant the block:\n%s", got, want)
	}
}
