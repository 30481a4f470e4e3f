package conformance

import (
	"context"
	"net/http"

	"github.com/apiconform/apiconform/internal/catalog"
	"github.com/apiconform/apiconform/internal/plan"
	"github.com/apiconform/apiconform/internal/probe"
)

// HEAD where GET is declared: the suite sends the GET first and compares.
func init() {
	exchanges[catalog.MethodHead.ID] = headExchange
}

// The GET and the HEAD go out together: they are independent, and a slow
// target would otherwise cost a HEAD scenario two round trips.
func headExchange(ctx context.Context, r *runner, s *plan.Scenario) (*probe.Exchange, *probe.Exchange) {
	get := s.Request.Clone()
	get.Method = http.MethodGet
	done := make(chan *probe.Exchange, 1)
	go func() { done <- r.Client.Do(ctx, s.ID+" (GET to compare)", &get) }()
	head := r.Client.Do(ctx, s.ID, &s.Request)
	return head, <-done
}
