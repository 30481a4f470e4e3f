package probe

import (
	"context"

	"github.com/apiconform/apiconform/internal/plan"
)

// Unsent is the exchange of a request as it would be sent, headers and
// credentials included, with no answer: the curl line of a call the run
// did not get to send (a restore cut short), for a person to send it by
// hand. Nothing reaches the target: the request is built on a context that
// has already ended, which the transport checks before it dials or writes.
func (c *Client) Unsent(id string, r *plan.Request) *Exchange {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	x := c.once(ctx, id, r)
	x.Err, x.TimedOut, x.Duration = nil, false, 0
	return x
}
