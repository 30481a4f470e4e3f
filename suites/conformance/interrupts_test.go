package conformance

import (
	"testing"

	"github.com/apiconform/apiconform/internal/plan"
)

// TestNothingStartsAfterAnInterrupt: once the run has counted a signal, no
// scenario starts, whatever Ginkgo has taken yet. Under load, Ginkgo once
// started the next state's switch after both interrupts of a restore had
// been counted here, and that state was then left behind, its restore
// already cut short.
func TestNothingStartsAfterAnInterrupt(t *testing.T) {
	enter := &plan.Scenario{ID: "no-profile-schema state.enter", Phase: plan.PhaseDisruptive}
	r := &runner{Options: Options{AllowDisruptive: true}, interrupts: newInterrupts()}
	if why := r.skipReason(enter); why != "" {
		t.Fatalf("before any signal: skipped (%s)", why)
	}
	r.interrupts.n = 1
	if why := r.skipReason(enter); why != "the run was stopped early (Interrupted by User) before it came to this scenario" {
		t.Errorf("after a signal: %q", why)
	}
}
