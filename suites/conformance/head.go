package conformance

import (
	"context"
	"net/http"

	"github.com/apiconform/apiconform/internal/plan"
	"github.com/apiconform/apiconform/internal/probe"
)

// HEAD where GET is declared: the suite sends the GET first and compares.
func init() {
	registerFamily("method.head", family{Title: "HEAD", Exchange: headExchange})
}

func headExchange(ctx context.Context, r *runner, s *plan.Scenario) (*probe.Exchange, *probe.Exchange) {
	get := s.Request.Clone()
	get.Method = http.MethodGet
	g := r.Client.Do(ctx, s.ID+" (GET to compare)", &get)
	return r.Client.Do(ctx, s.ID, &s.Request), g
}
