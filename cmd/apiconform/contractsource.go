package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path"
	"regexp"
	"strings"
	"time"

	"github.com/apiconform/apiconform/internal/contract"
	"github.com/apiconform/apiconform/internal/overlay"
	"github.com/apiconform/apiconform/internal/probe"
)

// contractSource is where a command reads its contract from: a shipped
// name, a file or an http(s) URL, with the overlays applied to it before
// it is loaded.
type contractSource struct {
	ref      string
	overlays []string
	// fetch holds what a URL is fetched with: the TLS settings, the
	// timeout, and for run the target and credentials (sent only to the
	// target's origin, see probe.Fetch).
	fetch probe.Options
}

// isURL tells whether a --contract names an http(s) URL rather than a
// shipped contract or a file.
func isURL(ref string) bool {
	l := strings.ToLower(ref)
	return strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://")
}

// errNoAnswer marks a contract whose URL gave no HTTP answer: the run exits
// 3, as for a target that cannot be reached.
var errNoAnswer = errors.New("the contract's URL cannot be reached")

// load reads the contract, applies the overlays and parses the result. The
// warnings are those of the overlays (an action that selected nothing).
func (s contractSource) load() (c *contract.Contract, warnings []string, err error) {
	for _, o := range s.overlays {
		if isURL(o) {
			return nil, nil, fmt.Errorf("--overlay %s: an overlay is a file; download it first", redactContractRef(o))
		}
	}
	var (
		data          []byte
		name, source  string
		shipped       bool
		fromURL       = isURL(s.ref)
		overlaysGiven = len(s.overlays) > 0
	)
	if fromURL {
		data, name, source, err = s.fetchDocument()
	} else {
		data, name, source, shipped, err = contract.Read(s.ref)
	}
	if err != nil {
		return nil, nil, err
	}
	parseSource := source
	if overlaysGiven {
		if data, warnings, err = overlay.ApplyFiles(data, source, s.overlays); err != nil {
			return nil, warnings, err
		}
		parseSource = source + " with " + overlayList(s.overlays)
	}
	c, err = contract.Parse(data, name, parseSource, shipped)
	if err != nil {
		return nil, warnings, contractError(err, overlaysGiven)
	}
	c.Source = source
	if overlaysGiven {
		// The lines of the document with the overlays applied are
		// lines of no file the user has: the JSON pointers say where.
		for i, w := range c.Warnings {
			c.Warnings[i] = lineNote.ReplaceAllString(w, "")
		}
	}
	return c, warnings, nil
}

// fetchDocument gets a contract from its URL.
func (s contractSource) fetchDocument() (data []byte, name, source string, err error) {
	u, err := url.Parse(s.ref)
	if err != nil || u.Host == "" {
		return nil, "", "", &contract.Error{Source: redactContractRef(s.ref), Err: errors.New("not a valid http(s) URL")}
	}
	source = redactURL(u, s.fetch)
	f, err := probe.Fetch(context.Background(), u, s.fetch, probe.MaxDocument)
	if err != nil {
		var fe *probe.FileError
		if errors.As(err, &fe) {
			return nil, "", "", tlsFlagError(err)
		}
		cerr := &contract.Error{Source: source, Err: err}
		var na *probe.NoAnswerError
		if errors.As(err, &na) {
			return nil, "", "", fmt.Errorf("%w: %w", errNoAnswer, cerr)
		}
		return nil, "", "", cerr
	}
	if looksLikeHTML(f.Body) {
		ct := f.ContentType
		if ct == "" {
			ct = "none"
		}
		return nil, "", "", &contract.Error{Source: source, Err: fmt.Errorf("the answer is an HTML page (Content-Type %s), not an OpenAPI document: give the URL of the JSON or YAML document itself, such as /openapi.json or /v3/api-docs", ct)}
	}
	name = strings.TrimSuffix(path.Base(u.Path), path.Ext(u.Path))
	if name == "" || name == "." || name == "/" {
		name = u.Hostname()
	}
	return f.Body, name, source, nil
}

// looksLikeHTML tells a documentation page (Swagger UI, ReDoc) from a
// document: neither JSON nor YAML starts with "<".
func looksLikeHTML(body []byte) bool {
	b := bytes.TrimLeft(bytes.TrimPrefix(body, []byte("\xef\xbb\xbf")), " \t\r\n")
	return len(b) > 0 && b[0] == '<'
}

// lineNote is the "(line N)" a contract warning names its place with.
var lineNote = regexp.MustCompile(` \(line \d+(, column \d+)?\)`)

// contractError adds to a contract's error what a user can do about it.
func contractError(err error, overlaid bool) error {
	var ce *contract.Error
	if !errors.As(err, &ce) {
		return err
	}
	if overlaid {
		ce.Line, ce.Column = 0, 0
	}
	if strings.Contains(ce.Err.Error(), "disallowed external reference") {
		ce.Err = fmt.Errorf("%w: apiconform reads one document and fetches no other that a $ref names; bundle the contract into one file first (e.g. npx @redocly/cli bundle)", ce.Err)
	}
	return err
}

func overlayList(files []string) string {
	if len(files) == 1 {
		return "overlay " + files[0]
	}
	return "overlays " + strings.Join(files, ", ")
}

// redactURL shows a contract's URL without what may be a secret: the
// user and password, secret query values and the run's credentials.
func redactURL(u *url.URL, o probe.Options) string {
	return probe.NewRedactor(o).URL(u)
}

// redactContractRef is a --contract value as outputs show it: a URL
// redacted, a name or a file as it is.
func redactContractRef(ref string) string {
	if !isURL(ref) {
		return ref
	}
	u, err := url.Parse(ref)
	if err != nil {
		return "[a URL that does not parse]"
	}
	return redactURL(u, probe.Options{})
}

// printOverlayWarnings prints the warnings of the overlays, one a line.
func printOverlayWarnings(stderr io.Writer, cmd string, warnings []string) {
	for _, w := range warnings {
		fmt.Fprintf(stderr, "apiconform %s: warning: %s\n", cmd, w)
	}
}

// loadExitCode is the exit code of a contract that cannot be loaded: 3
// when its URL gave no answer, 2 otherwise.
func loadExitCode(err error) int {
	if errors.Is(err, errNoAnswer) {
		return exitUnreachable
	}
	return exitUsage
}

// registerOverlay adds --overlay to a command's flags.
func registerOverlay(fs *flag.FlagSet, e *envFlags, overlays *listFlag) {
	fs.Var(overlays, "overlay", "an OpenAPI Overlay 1.0 `FILE` applied to the contract before it is loaded; repeatable, applied in the order given")
	e.env("overlay", "APICONFORM_OVERLAY")
}

// sourceFlags are the flags of a command that reads a contract but does
// not run (list, audit): the overlays, and how a URL is fetched. They have
// run's names and variables, so that one configuration file serves all.
type sourceFlags struct {
	overlays                      listFlag
	caCert, clientCert, clientKey string
	insecure                      bool
	timeout                       time.Duration
}

func (f *sourceFlags) register(fs *flag.FlagSet, e *envFlags) {
	registerOverlay(fs, e, &f.overlays)
	fs.StringVar(&f.caCert, "ca-cert", "", "a PEM `FILE` of CA certificates trusted besides the system's, for an https:// contract URL")
	e.env("ca-cert", "APICONFORM_CA_CERT")
	fs.StringVar(&f.clientCert, "client-cert", "", "a PEM `FILE` with the client certificate for mutual TLS (with --client-key)")
	e.env("client-cert", "APICONFORM_CLIENT_CERT")
	fs.StringVar(&f.clientKey, "client-key", "", "a PEM `FILE` with the key of --client-cert")
	e.env("client-key", "APICONFORM_CLIENT_KEY")
	fs.BoolVar(&f.insecure, "insecure-skip-verify", false, "accept any certificate of the contract URL's server")
	e.env("insecure-skip-verify", "APICONFORM_INSECURE_SKIP_VERIFY")
	fs.DurationVar(&f.timeout, "timeout", 10*time.Second, "time limit of fetching a contract URL (`DURATION`)")
	e.env("timeout", "APICONFORM_TIMEOUT")
}

// source is the contract source of these flags: no target, so a URL gets
// no credential.
func (f *sourceFlags) source(ref string) contractSource {
	return contractSource{ref: ref, overlays: f.overlays, fetch: probe.Options{
		Timeout:            f.timeout,
		UserAgent:          "apiconform/" + version,
		CACert:             f.caCert,
		ClientCert:         f.clientCert,
		ClientKey:          f.clientKey,
		InsecureSkipVerify: f.insecure,
	}}
}

// contractSource is the run's contract source. A URL on the target's
// origin gets the run's credentials; target is nil when not known (the
// --list-labels path).
func (o *runOptions) contractSource(target *url.URL) contractSource {
	h := http.Header{}
	for _, kv := range o.headers {
		name, val, _ := strings.Cut(kv, ":")
		if name = strings.TrimSpace(name); name != "" {
			h.Add(name, strings.TrimSpace(val))
		}
	}
	opts := probe.Options{
		Target:             target,
		Timeout:            o.timeout,
		Header:             h,
		BearerToken:        o.bearer,
		UserAgent:          "apiconform/" + version,
		CACert:             o.caCert,
		ClientCert:         o.clientCert,
		ClientKey:          o.clientKey,
		InsecureSkipVerify: o.insecure,
	}
	if o.basicAuth != "" {
		opts.BasicUser, opts.BasicPassword, _ = strings.Cut(o.basicAuth, ":")
		opts.HasBasic = true
	}
	return contractSource{ref: o.contract, overlays: o.overlays, fetch: opts}
}
