package probe

import (
	"context"
	"errors"
	"net/http"
	"net/url"
)

// Reach makes one HEAD request to the target, through the same transport
// as every exchange (TLS settings, client certificate, proxy), within the
// per-exchange timeout: any HTTP answer will do, only a failure to connect
// or to agree on TLS counts. A run checks it once, before any scenario, so
// that a target it cannot talk to is one clear line, not a failure per
// scenario.
func (c *Client) Reach(ctx context.Context) error {
	if c.tlsErr != nil {
		return c.tlsErr
	}
	ctx, cancel := context.WithTimeout(ctx, c.opts.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, c.opts.Target.String(), nil)
	if err != nil {
		return err
	}
	if c.opts.UserAgent != "" {
		req.Header.Set("User-Agent", c.opts.UserAgent)
	}
	req.Header.Set(ScenarioHeader, "reachability")
	resp, err := c.http.Do(req)
	if err != nil {
		// url.Error repeats the URL, which the caller already shows
		// (redacted).
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err
		}
		return explainTLS(err, c.opts.Target.Host)
	}
	resp.Body.Close()
	return nil
}
