package contract

import (
	"strings"
	"testing"
)

func TestParameterNamesAreSortedAndUnique(t *testing.T) {
	c, err := Load("problem-details")
	if err != nil {
		t.Fatal(err)
	}
	// widgetId is a path-level parameter of several operations: listed once.
	if got := strings.Join(c.ParameterNames(), ","); got != "colour,limit,widgetId" {
		t.Fatalf("parameter names %s", got)
	}
}
