// Package probe sends a scenario's request to the target and records what
// came back: a bounded, time-limited client that never follows redirects,
// caps what it reads, tags every request with the scenario's id, and keeps
// a redacted transcript and a curl line that reproduces the exchange.
package probe

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/apiconform/apiconform/internal/contract"
	"github.com/apiconform/apiconform/internal/plan"
)

// ScenarioHeader carries the scenario id on every request, so that a vendor
// can find the suite's traffic in its own logs.
const ScenarioHeader = "X-Apiconform-Scenario"

// Invalid credentials the suite sends for credentials.invalid: of the right
// kind, and never valid on a real system.
const (
	InvalidUser   = "apiconform-invalid"
	InvalidSecret = "apiconform-invalid-secret"
	InvalidToken  = "apiconform-invalid-token"
)

// Options configures the client.
type Options struct {
	// Target is the base URL the contract's paths are joined to (the
	// contract's base path already applied).
	Target *url.URL
	// Timeout bounds one exchange: connect, headers and body.
	Timeout time.Duration
	// MaxBody caps the bytes read of a response body.
	MaxBody int64
	// BasicUser and BasicPassword are sent where a scheme asks for HTTP
	// Basic; HasBasic tells whether they were given.
	BasicUser, BasicPassword string
	HasBasic                 bool
	// BearerToken is sent where a scheme asks for a bearer token.
	BearerToken string
	// Header is added to every request.
	Header http.Header
	// UserAgent names the tool in every request.
	UserAgent string
	// Origin, when set, is sent as the Origin of every request, for the
	// contract's CORS rules.
	Origin string
	// CACert is a PEM file of CA certificates trusted besides the
	// system's, for a target whose certificate a private CA signed.
	CACert string
	// ClientCert and ClientKey are PEM files of the client certificate
	// and its key, for a target that requires mutual TLS.
	ClientCert, ClientKey string
	// InsecureSkipVerify accepts any server certificate: for a staging
	// server with a self-signed one, never silently (a run warns).
	InsecureSkipVerify bool
	// Rate bounds the requests per second over the whole run (0: none).
	Rate float64
	// MaxRetryWait bounds the time a run waits on the Retry-After of 429
	// answers, in all: once a wait would go past it, a throttled answer is
	// the answer. 0 is DefaultMaxRetryWait; a negative value never waits.
	MaxRetryWait time.Duration
}

// DefaultMaxRetryWait is the time a run may wait on Retry-After in all,
// unless the options say otherwise.
const DefaultMaxRetryWait = time.Minute

// Client sends scenario requests.
type Client struct {
	tlsCfg *tls.Config
	opts   Options
	http   *http.Client
	redact *Redactor
	// tlsErr is why the TLS options cannot be used; it fails every
	// exchange.
	tlsErr error
	limit  *limiter
}

// New makes a client. It follows no redirect: a 3xx is an answer to judge.
func New(opts Options) *Client {
	if opts.MaxBody <= 0 {
		opts.MaxBody = 1 << 20
	}
	if opts.Timeout <= 0 {
		opts.Timeout = 10 * time.Second
	}
	if opts.MaxRetryWait == 0 {
		opts.MaxRetryWait = DefaultMaxRetryWait
	}
	// A certificate file that cannot be used fails every exchange with
	// its reason; a command checks TLSConfig first and refuses it.
	tlsCfg, tlsErr := opts.TLSConfig()
	transport := &http.Transport{
		Proxy:                  http.ProxyFromEnvironment,
		DialContext:            (&net.Dialer{Timeout: opts.Timeout}).DialContext,
		TLSHandshakeTimeout:    opts.Timeout,
		ResponseHeaderTimeout:  opts.Timeout,
		MaxResponseHeaderBytes: MaxHeaderBytes,
		MaxIdleConnsPerHost:    256,
		TLSClientConfig:        tlsCfg,
	}
	return &Client{
		tlsCfg: tlsCfg,
		opts:   opts,
		http: &http.Client{
			Transport:     transport,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
		redact: NewRedactor(opts),
		tlsErr: tlsErr,
		limit:  newLimiter(opts.Rate),
	}
}

// Redactor returns the redactor that hides this client's secrets.
func (c *Client) Redactor() *Redactor { return c.redact }

// Exchange is one request and what came back.
type Exchange struct {
	ScenarioID string
	Method     string
	URL        *url.URL
	// Header and Body are the request as sent, secrets included: render
	// them only through Transcript and Curl.
	Header http.Header
	Body   []byte
	// Auth says which credentials were sent.
	Auth plan.Auth

	Status   int
	Proto    string
	RespHdr  http.Header
	RespBody []byte
	// Truncated is set when the body was longer than the cap.
	Truncated bool
	Duration  time.Duration
	// Err is set when no complete answer came back.
	Err error
	// TimedOut is set when Err is the timeout.
	TimedOut bool
	// Retries counts the times a 429 made the client wait and try again.
	Retries int
	// Throttled, on a 429 answer, says why the client did not wait and
	// try again.
	Throttled string
}

// URLFor joins a request's path and query to the target.
func (c *Client) URLFor(r *plan.Request) *url.URL {
	u := *c.opts.Target
	// The template is filled with escaped values, so the path is built in
	// its escaped form and unescaped from there.
	raw := strings.TrimRight(c.opts.Target.EscapedPath(), "/") + r.URLPath()
	u.Path, _ = url.PathUnescape(raw)
	u.RawPath = raw
	u.RawQuery = r.Query.Encode()
	return &u
}

// Do sends a scenario's request and reads the answer.
//
// It waits its turn under --rate, and a 429 with a Retry-After slows the
// whole run down (every request waits) and is tried again, at most
// maxThrottleRetries times: a throttled staging server is no failure of
// the scenario. The waits of the whole run are bounded by MaxRetryWait;
// a 429 the client does not try again says why in Throttled.
func (c *Client) Do(ctx context.Context, id string, r *plan.Request) *Exchange {
	var x *Exchange
	for try := 0; ; try++ {
		if err := c.limit.wait(ctx); err != nil {
			return c.stopped(ctx, id, r, err)
		}
		x = c.once(ctx, id, r)
		x.Retries = try
		if x.Err != nil || x.Status != http.StatusTooManyRequests {
			break
		}
		if try >= maxThrottleRetries {
			x.Throttled = fmt.Sprintf("still 429 after %d tries; the client tries no more", try+1)
			break
		}
		d, ok := RetryAfter(x.RespHdr.Get("Retry-After"), time.Now())
		if !ok {
			break
		}
		if d > maxThrottleWait {
			x.Throttled = fmt.Sprintf("its Retry-After asks for %s, longer than the %s the client waits for one answer", roundDelay(d), maxThrottleWait)
			break
		}
		if held, ok := c.limit.hold(time.Now().Add(d), c.opts.MaxRetryWait); !ok {
			x.Throttled = c.budgetSpent(d, held)
			break
		}
	}
	return x
}

// budgetSpent says why a Retry-After was not waited for: the run's
// --max-retry-wait would be past.
func (c *Client) budgetSpent(d, held time.Duration) string {
	if c.opts.MaxRetryWait < 0 {
		return "the run does not wait on Retry-After (--max-retry-wait 0)"
	}
	return fmt.Sprintf("the run did not wait its Retry-After of %s: the time spent waiting on throttling would pass --max-retry-wait %s (%s spent)",
		roundDelay(d), c.opts.MaxRetryWait, held.Round(100*time.Millisecond))
}

// roundDelay shows a delay in whole seconds, and the longest one as such.
func roundDelay(d time.Duration) string {
	if d == maxDuration {
		return "longer than any wait"
	}
	return d.Round(time.Second).String()
}

// DoOnce sends a request once, with no retry on 429: for the scenarios that
// provoke throttling themselves.
func (c *Client) DoOnce(ctx context.Context, id string, r *plan.Request) *Exchange {
	if err := c.limit.wait(ctx); err != nil {
		return c.stopped(ctx, id, r, err)
	}
	return c.once(ctx, id, r)
}

// stopped is the exchange of a request the run ended before it was sent.
func (c *Client) stopped(ctx context.Context, id string, r *plan.Request, err error) *Exchange {
	x := &Exchange{ScenarioID: id, Method: r.Method, URL: c.URLFor(r), Body: r.Body, Auth: r.Auth}
	x.fail(err, ctx, c.redact)
	return x
}

// Bounds of the slow-down on 429 Too Many Requests.
const (
	maxThrottleRetries = 3
	maxThrottleWait    = 30 * time.Second
)

func (c *Client) once(ctx context.Context, id string, r *plan.Request) *Exchange {
	x := &Exchange{ScenarioID: id, Method: r.Method, URL: c.URLFor(r), Body: r.Body, Auth: r.Auth}
	if c.tlsErr != nil {
		x.Err = c.tlsErr
		return x
	}
	ctx, cancel := context.WithTimeout(ctx, c.opts.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, r.Method, x.URL.String(), bytes.NewReader(r.Body))
	if err != nil {
		x.Err = err
		return x
	}
	if r.Body == nil {
		req.Body, req.ContentLength = http.NoBody, 0
	}
	for k, vs := range c.opts.Header {
		req.Header[k] = append([]string(nil), vs...)
	}
	for k, vs := range r.Header {
		req.Header[k] = append([]string(nil), vs...)
	}
	if r.ContentType != "" {
		req.Header.Set("Content-Type", r.ContentType)
	}
	if c.opts.UserAgent != "" {
		req.Header.Set("User-Agent", c.opts.UserAgent)
	}
	if c.opts.Origin != "" {
		req.Header.Set("Origin", c.opts.Origin)
	}
	req.Header.Set(ScenarioHeader, id)
	c.applyAuth(req, r)
	x.Header = req.Header.Clone()
	x.URL = req.URL

	start := time.Now()
	var resp *http.Response
	if req.Method == http.MethodHead && c.direct(req) {
		resp, err = c.head(ctx, req)
	} else {
		resp, err = c.http.Do(req)
	}
	if err == nil {
		if err = checkHeaderFields(resp.Header); err != nil {
			resp.Body.Close()
		}
	} else if headerBytesError(err) {
		err = &HeaderLimitError{}
	}
	if err != nil {
		x.Duration = time.Since(start)
		x.fail(err, ctx, c.redact)
		return x
	}
	defer resp.Body.Close()
	x.Status, x.Proto, x.RespHdr = resp.StatusCode, resp.Proto, resp.Header
	body, err := io.ReadAll(io.LimitReader(resp.Body, c.opts.MaxBody+1))
	x.Duration = time.Since(start)
	if int64(len(body)) > c.opts.MaxBody {
		body, x.Truncated = body[:c.opts.MaxBody], true
	}
	x.RespBody = body
	if err != nil {
		x.fail(fmt.Errorf("reading the body: %w", err), ctx, c.redact)
	}
	return x
}

// fail records why no complete answer came, in words, redacted and cut
// to MaxShownText: Go's errors quote what a broken target sent (a status
// line, a header line), and every report and verdict repeats the error.
func (x *Exchange) fail(err error, ctx context.Context, red *Redactor) {
	x.Err = x.explain(err)
	if msg := x.Err.Error(); len(msg) > MaxShownText {
		x.Err = &shownError{msg: red.Clip(msg, MaxShownText), err: x.Err}
	}
	var netErr net.Error
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded) || (errors.As(err, &netErr) && netErr.Timeout()) {
		x.TimedOut = true
	}
}

// applyAuth adds, leaves out or spoils the credentials each of the request's
// security schemes asks for.
func (c *Client) applyAuth(req *http.Request, r *plan.Request) {
	for _, s := range r.Schemes {
		switch s.Kind {
		case contract.KindBasic:
			switch r.Auth {
			case plan.AuthValid:
				if c.opts.HasBasic {
					req.SetBasicAuth(c.opts.BasicUser, c.opts.BasicPassword)
				}
			case plan.AuthInvalid:
				req.SetBasicAuth(InvalidUser, InvalidSecret)
			}
		case contract.KindBearer:
			switch r.Auth {
			case plan.AuthValid:
				if c.opts.BearerToken != "" {
					req.Header.Set("Authorization", "Bearer "+c.opts.BearerToken)
				}
			case plan.AuthInvalid:
				req.Header.Set("Authorization", "Bearer "+InvalidToken)
			}
		case contract.KindAPIKey:
			if r.Auth == plan.AuthValid {
				continue // the key comes with --header
			}
			switch s.In {
			case "header":
				req.Header.Del(s.Param)
				if r.Auth == plan.AuthInvalid {
					req.Header.Set(s.Param, InvalidToken)
				}
			case "query":
				q := req.URL.Query()
				q.Del(s.Param)
				if r.Auth == plan.AuthInvalid {
					q.Set(s.Param, InvalidToken)
				}
				req.URL.RawQuery = q.Encode()
			case "cookie":
				var keep []*http.Cookie
				for _, ck := range req.Cookies() {
					if ck.Name != s.Param {
						keep = append(keep, ck)
					}
				}
				req.Header.Del("Cookie")
				for _, ck := range keep {
					req.AddCookie(ck)
				}
				if r.Auth == plan.AuthInvalid {
					req.AddCookie(&http.Cookie{Name: s.Param, Value: InvalidToken})
				}
			}
		}
	}
	if r.Auth == plan.AuthNone {
		req.Header.Del("Authorization")
	}
}

// basicToken is the base64 form of user:password, as an Authorization
// header carries it; the redactor hides it as well as the plain values.
func basicToken(user, pass string) string {
	return base64.StdEncoding.EncodeToString([]byte(user + ":" + pass))
}

// Timeout is the per-exchange time limit.
func (c *Client) Timeout() time.Duration { return c.opts.Timeout }

// shownError is an error whose text is cut for display; the error it
// stands for stays in the chain.
type shownError struct {
	msg string
	err error
}

func (e *shownError) Error() string { return e.msg }

func (e *shownError) Unwrap() error { return e.err }
