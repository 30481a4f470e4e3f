package probe

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"io"
	"net"
	"net/http"
	"time"
)

// headLinger is how long the client listens after a HEAD answer's headers
// for a body the target should not send: a server that keeps the
// connection open despite Connection: close costs no more than this.
const headLinger = 250 * time.Millisecond

// direct tells whether a request goes to the target without a proxy.
func (c *Client) direct(req *http.Request) bool {
	u, err := http.ProxyFromEnvironment(req)
	return err == nil && u == nil
}

// head sends a HEAD request on a connection of its own and keeps whatever
// the target sends after the headers as the answer's body. Go's transport
// drops the body of a HEAD answer unread, so a target that sends one
// (RFC 9110 section 9.3.2 forbids it) would go unseen through it. The
// headers are bounded as Go's transport bounds them for the other
// exchanges (MaxHeaderBytes, MaxHeaderFields).
func (c *Client) head(ctx context.Context, req *http.Request) (*http.Response, error) {
	host := req.URL.Host
	if req.URL.Port() == "" {
		port := "80"
		if req.URL.Scheme == "https" {
			port = "443"
		}
		host = net.JoinHostPort(req.URL.Hostname(), port)
	}
	conn, err := (&net.Dialer{Timeout: c.opts.Timeout}).DialContext(ctx, "tcp", host)
	if err != nil {
		return nil, &net.OpError{Op: "dial", Net: "tcp", Err: err}
	}
	defer conn.Close()
	if dl, ok := ctx.Deadline(); ok {
		conn.SetDeadline(dl)
	}
	stop := context.AfterFunc(ctx, func() { conn.SetDeadline(time.Now()) })
	defer stop()
	if req.URL.Scheme == "https" {
		cfg := c.tlsCfg.Clone()
		if cfg == nil {
			cfg = &tls.Config{MinVersion: tls.VersionTLS12}
		}
		cfg.ServerName = req.URL.Hostname()
		cfg.NextProtos = []string{"http/1.1"}
		tc := tls.Client(conn, cfg)
		if err := tc.HandshakeContext(ctx); err != nil {
			return nil, err
		}
		conn = tc
	}
	out := req.Clone(ctx)
	out.Close = true
	if err := out.Write(conn); err != nil {
		return nil, err
	}
	budget := &headerBudget{r: conn, left: MaxHeaderBytes, on: true}
	br := bufio.NewReader(budget)
	var resp *http.Response
	for {
		resp, err = http.ReadResponse(br, out)
		if err != nil {
			if budget.left <= 0 {
				return nil, &HeaderLimitError{}
			}
			return nil, err
		}
		// Informational answers (103 Early Hints, a 100 nobody asked
		// for) come before the answer, as Go's transport skips them;
		// 101 ends the exchange as it does there. Their headers count
		// against the same MaxHeaderBytes.
		if resp.StatusCode < 100 || resp.StatusCode > 199 || resp.StatusCode == http.StatusSwitchingProtocols {
			break
		}
	}
	budget.on = false
	if err := checkHeaderFields(resp.Header); err != nil {
		return nil, err
	}
	// What follows the headers is a body the target sent anyway.
	linger := time.Now().Add(headLinger)
	if dl, ok := ctx.Deadline(); !ok || linger.Before(dl) {
		conn.SetReadDeadline(linger)
	}
	extra, _ := io.ReadAll(io.LimitReader(br, c.opts.MaxBody+1))
	resp.Body = io.NopCloser(bytes.NewReader(extra))
	return resp, nil
}
