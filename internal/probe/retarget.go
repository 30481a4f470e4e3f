package probe

import "net/url"

// At is the client aimed at another base URL: the same transport, TLS
// settings, credentials, rate limit and redaction. A run uses it to try
// where a target it cannot find its paths on serves them, when the base
// path looks wrong.
func (c *Client) At(target *url.URL) *Client {
	d := *c
	d.opts.Target = target
	return &d
}

// Target is the base URL the client joins every request's path to.
func (c *Client) Target() *url.URL {
	u := *c.opts.Target
	return &u
}
