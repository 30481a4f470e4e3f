package verdict

import (
	"fmt"
	"testing"

	"github.com/apiconform/apiconform/internal/contract"
	"github.com/apiconform/apiconform/internal/plan"
)

func TestZZDump(t *testing.T) {
	c, err := contract.Load("genesys-ucs")
	if err != nil {
		t.Fatal(err)
	}
	p, err := plan.Build(c)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range p.All() {
		fmt.Printf("%-22s | %-28s | %s | %+v inv=%v warn=%v skip=%q\n", s.Family, s.Subject, s.ID, s.Expect, s.Invented, s.Warn, s.Skip)
	}
	fmt.Println(c.Conformance.Envelope.MediaTypes)
}
