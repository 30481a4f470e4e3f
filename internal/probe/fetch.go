package probe

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// MaxDocument bounds a contract fetched over HTTP: the largest public
// OpenAPI descriptions are around 10 MiB, and a server that answers with an
// endless body must not eat the memory of the run.
const MaxDocument = 32 << 20

// MaxRedirects is how many redirects a contract's fetch follows; a
// framework that serves its document behind one or two is common, a chain
// longer than this is a loop.
const MaxRedirects = 5

// NoAnswerError is a fetch that got no HTTP answer: the server cannot be
// reached, TLS failed, or the answer did not come in time.
type NoAnswerError struct{ Err error }

func (e *NoAnswerError) Error() string { return e.Err.Error() }

func (e *NoAnswerError) Unwrap() error { return e.Err }

// redirectError is a redirect the fetch refused to follow.
type redirectError struct{ msg string }

func (e *redirectError) Error() string { return e.msg }

// Fetched is a document fetched over HTTP.
type Fetched struct {
	Body []byte
	// ContentType is the answer's Content-Type.
	ContentType string
	// Credentials tells whether the options' credentials were sent.
	Credentials bool
}

// Fetch gets the document at u: the OpenAPI contract that a framework
// serves. It uses the options' TLS settings and proxy, follows at most
// MaxRedirects redirects (never from https to http), gives the whole
// exchange the options' Timeout and reads at most max bytes (MaxDocument
// when max <= 0).
//
// The options' credentials (Header, BearerToken, the Basic user) are sent
// only to the origin of Target (scheme, host and port): the document a
// target serves may need them, and a document elsewhere must not receive
// them. Without a Target no credential is sent. A redirect to another
// origin drops them.
func Fetch(ctx context.Context, u *url.URL, o Options, max int64) (*Fetched, error) {
	if max <= 0 {
		max = MaxDocument
	}
	if o.Timeout <= 0 {
		o.Timeout = 10 * time.Second
	}
	tlsCfg, err := o.TLSConfig()
	if err != nil {
		return nil, err
	}
	send := credentialHeaders(o)
	client := &http.Client{
		Timeout: o.Timeout,
		Transport: &http.Transport{
			Proxy:                  http.ProxyFromEnvironment,
			DialContext:            (&net.Dialer{Timeout: o.Timeout}).DialContext,
			TLSHandshakeTimeout:    o.Timeout,
			ResponseHeaderTimeout:  o.Timeout,
			MaxResponseHeaderBytes: MaxHeaderBytes,
			TLSClientConfig:        tlsCfg,
		},
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) > MaxRedirects {
				return &redirectError{fmt.Sprintf("more than %d redirects", MaxRedirects)}
			}
			if via[len(via)-1].URL.Scheme == "https" && req.URL.Scheme != "https" {
				return &redirectError{fmt.Sprintf("a redirect from https to %s://%s, refused", req.URL.Scheme, req.URL.Host)}
			}
			// net/http copies the first request's headers to each
			// redirect; those of the options stay only on the target's
			// origin.
			if !SameOrigin(req.URL, o.Target) {
				for name := range send {
					req.Header.Del(name)
				}
			}
			return nil
		},
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/vnd.oai.openapi+json, application/json, application/vnd.oai.openapi, application/yaml, text/yaml;q=0.9, */*;q=0.5")
	if o.UserAgent != "" {
		req.Header.Set("User-Agent", o.UserAgent)
	}
	f := &Fetched{}
	if SameOrigin(u, o.Target) && len(send) > 0 {
		for name, vs := range send {
			req.Header[name] = vs
		}
		f.Credentials = true
	}
	resp, err := client.Do(req)
	if headerBytesError(err) {
		return nil, &HeaderLimitError{}
	}
	if err != nil {
		return nil, fetchError(err, o.Timeout, u.Host)
	}
	defer resp.Body.Close()
	if err := checkHeaderFields(resp.Header); err != nil {
		return nil, err
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		msg := "HTTP " + resp.Status
		if resp.StatusCode >= 300 && resp.StatusCode < 400 {
			msg += " without a Location to follow"
		}
		return nil, errors.New(msg)
	}
	if resp.ContentLength > max {
		return nil, fmt.Errorf("the document is %s (Content-Length %d), more than the %s a contract may have", size(resp.ContentLength), resp.ContentLength, size(max))
	}
	f.ContentType = resp.Header.Get("Content-Type")
	f.Body, err = io.ReadAll(io.LimitReader(resp.Body, max+1))
	if err != nil {
		return nil, fetchError(err, o.Timeout, u.Host)
	}
	if int64(len(f.Body)) > max {
		return nil, fmt.Errorf("the document is more than the %s a contract may have", size(max))
	}
	return f, nil
}

// credentialHeaders are the headers that carry the options' credentials:
// every Header, and Authorization from the bearer token or else the Basic
// user when Header has none.
func credentialHeaders(o Options) http.Header {
	h := http.Header{}
	for name, vs := range o.Header {
		h[http.CanonicalHeaderKey(name)] = append([]string(nil), vs...)
	}
	if h.Get("Authorization") == "" {
		switch {
		case o.BearerToken != "":
			h.Set("Authorization", "Bearer "+o.BearerToken)
		case o.HasBasic:
			h.Set("Authorization", "Basic "+basicToken(o.BasicUser, o.BasicPassword))
		}
	}
	return h
}

// SameOrigin tells whether two URLs have one origin: scheme, host and
// port, the default port written or not. A nil URL has no origin.
func SameOrigin(a, b *url.URL) bool {
	if a == nil || b == nil {
		return false
	}
	port := func(u *url.URL) string {
		if p := u.Port(); p != "" {
			return p
		}
		return map[string]string{"http": "80", "https": "443"}[strings.ToLower(u.Scheme)]
	}
	return strings.EqualFold(a.Scheme, b.Scheme) && strings.EqualFold(a.Hostname(), b.Hostname()) && port(a) == port(b)
}

// fetchError says why a fetch failed without repeating the URL, which the
// caller shows redacted.
func fetchError(err error, timeout time.Duration, host string) error {
	var redirect *redirectError
	if errors.As(err, &redirect) {
		return redirect
	}
	var uerr *url.Error
	if errors.As(err, &uerr) {
		if uerr.Timeout() {
			return &NoAnswerError{fmt.Errorf("no complete answer within the timeout of %s", timeout)}
		}
		err = uerr.Err
	}
	var nerr net.Error
	if errors.As(err, &nerr) && nerr.Timeout() {
		return &NoAnswerError{fmt.Errorf("no complete answer within the timeout of %s", timeout)}
	}
	return &NoAnswerError{explainTLS(err, host)}
}

func size(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return strconv.FormatInt(n>>20, 10) + " MiB"
	}
	if n >= 1<<20 {
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	}
	return strconv.FormatInt(n, 10) + " bytes"
}
