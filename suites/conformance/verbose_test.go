package conformance

import (
	"bytes"
	"strings"
	"testing"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/apiconform/apiconform/internal/console"
	"github.com/apiconform/apiconform/internal/contract"
	"github.com/apiconform/apiconform/internal/plan"
	"github.com/apiconform/apiconform/internal/report"
)

// TestVerboseColoursItsTagsAndEscapesTheRest: in colour, -v writes its
// result tags' colours raw and escapes the scenario's name and what is said
// under it, which quote the contract.
func TestVerboseColoursItsTagsAndEscapesTheRest(t *testing.T) {
	s := &plan.Scenario{ID: "evil", Name: "get\x1b[5mItem\nPASS forged [success]"}
	r := &runner{
		Options:    Options{Plan: &plan.Plan{Contract: &contract.Contract{Name: "c"}}, Book: report.NewBook()},
		scenarioAt: map[int]*plan.Scenario{1: s},
	}
	r.Book.Put(&report.Record{Scenario: s, Result: report.Skipped, Reason: "the contract says \x1b]0;owned\x07"})
	var buf bytes.Buffer
	v := &verbose{w: console.NewWriter(&buf), color: true, r: r}
	v.done(types.SpecReport{
		LeafNodeType:     types.NodeTypeIt,
		LeafNodeLocation: types.CodeLocation{FileName: "c plan", LineNumber: 1},
		NumAttempts:      1,
		State:            types.SpecStateSkipped,
	})
	want := yellow + "SKIP" + reset + ` get\x1b[5mItem\nPASS forged [success]` + "\n" + `    the contract says \x1b]0;owned\x07` + "\n"
	if buf.String() != want {
		t.Errorf("got\n%q\nwant\n%q", buf.String(), want)
	}
	if strings.Count(buf.String(), "\x1b") != 2 {
		t.Errorf("only the tag's colour should be raw: %q", buf.String())
	}
}
