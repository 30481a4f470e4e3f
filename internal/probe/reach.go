package probe

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"sync/atomic"
	"time"
)

// ReachID is the scenario id the reachability check sends in
// X-Apiconform-Scenario.
const ReachID = "reachability"

// SilentError is the reachability check's failure when the target took
// the connection but sent no answer within the timeout: a target that is
// there, too slow or stuck, not one that cannot be reached.
type SilentError struct {
	// Within is the timeout the answer did not come within.
	Within time.Duration
}

func (e *SilentError) Error() string {
	return fmt.Sprintf("connected, but sent no answer within %s", e.Within)
}

// Reach makes one HEAD request to the target, through the same transport
// as every exchange (TLS settings, client certificate, proxy), within the
// per-exchange timeout: any HTTP answer will do, only a failure to connect
// or to agree on TLS, or a target that connects and then stays silent
// (a *SilentError), counts. A run checks it once, before any scenario, so
// that a target it cannot talk to is one clear line, not a failure per
// scenario.
func (c *Client) Reach(ctx context.Context) error { return c.ReachExchange(ctx).Err }

// ReachExchange is Reach with the exchange it made, for a report to show
// and reproduce: Err is set when the check failed.
func (c *Client) ReachExchange(ctx context.Context) *Exchange {
	x := &Exchange{ScenarioID: ReachID, Method: http.MethodHead, URL: c.opts.Target}
	if c.tlsErr != nil {
		x.Err = c.tlsErr
		return x
	}
	ctx, cancel := context.WithTimeout(ctx, c.opts.Timeout)
	defer cancel()
	// Whether a connection was made tells a silent target from one that
	// cannot be reached, when both end in the timeout.
	var connected atomic.Bool
	ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		ConnectDone: func(_, _ string, err error) {
			if err == nil {
				connected.Store(true)
			}
		},
		GotConn: func(httptrace.GotConnInfo) { connected.Store(true) },
	})
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, c.opts.Target.String(), nil)
	if err != nil {
		x.Err = err
		return x
	}
	if c.opts.UserAgent != "" {
		req.Header.Set("User-Agent", c.opts.UserAgent)
	}
	req.Header.Set(ScenarioHeader, ReachID)
	x.Header, x.URL = req.Header.Clone(), req.URL
	start := time.Now()
	resp, err := c.http.Do(req)
	x.Duration = time.Since(start)
	if headerBytesError(err) {
		err = &HeaderLimitError{}
	}
	if err != nil {
		// url.Error repeats the URL, which the caller already shows
		// (redacted).
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err
		}
		x.fail(err, ctx, c.redact)
		if x.TimedOut && connected.Load() {
			x.Err = &SilentError{Within: c.opts.Timeout}
		}
		return x
	}
	resp.Body.Close()
	if err := checkHeaderFields(resp.Header); err != nil {
		x.fail(err, ctx, c.redact)
		return x
	}
	x.Status, x.Proto, x.RespHdr = resp.StatusCode, resp.Proto, resp.Header
	return x
}
