package probe

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
)

// maxPEMFile bounds what is read of a certificate or key file: a CA bundle
// is well under a megabyte, and a path such as /dev/zero must not eat the
// memory of the run.
const maxPEMFile = 16 << 20

// FileError is a certificate or key file of the options that cannot be
// used: it cannot be read, holds no PEM data of the right kind, or the key
// does not match the certificate.
type FileError struct {
	// Option names the Options field that gave the file: "CACert",
	// "ClientCert" or "ClientKey", so that a command can name its flag.
	Option string
	Path   string
	Err    error
}

func (e *FileError) Error() string {
	what := map[string]string{"CACert": "CA certificates", "ClientCert": "client certificate", "ClientKey": "client key"}[e.Option]
	return fmt.Sprintf("%s %s: %v", what, e.Path, e.Err)
}

func (e *FileError) Unwrap() error { return e.Err }

// TLSConfig is the TLS configuration the options ask for: the system's
// roots plus the CA certificates of CACert, the client certificate of
// ClientCert and ClientKey (both or neither), and InsecureSkipVerify. A
// file that cannot be used is a *FileError.
func (o Options) TLSConfig() (*tls.Config, error) {
	cfg := &tls.Config{
		MinVersion: tls.VersionTLS12,
		// Only on the user's explicit request, and every report of such a
		// run carries a warning.
		InsecureSkipVerify: o.InsecureSkipVerify, //nolint:gosec
	}
	if o.CACert != "" {
		data, err := readPEMFile("CACert", o.CACert)
		if err != nil {
			return nil, err
		}
		// Added to the system's roots rather than replacing them: a proxy
		// or a redirect target may carry a public certificate.
		pool, err := x509.SystemCertPool()
		if err != nil || pool == nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM(data) {
			return nil, &FileError{"CACert", o.CACert, errors.New("no PEM certificate in it")}
		}
		cfg.RootCAs = pool
	}
	switch {
	case o.ClientCert == "" && o.ClientKey == "":
	case o.ClientKey == "":
		return nil, &FileError{"ClientCert", o.ClientCert, errors.New("a client certificate needs its key")}
	case o.ClientCert == "":
		return nil, &FileError{"ClientKey", o.ClientKey, errors.New("a client key needs its certificate")}
	default:
		certPEM, err := readPEMFile("ClientCert", o.ClientCert)
		if err != nil {
			return nil, err
		}
		keyPEM, err := readPEMFile("ClientKey", o.ClientKey)
		if err != nil {
			return nil, err
		}
		pair, err := tls.X509KeyPair(certPEM, keyPEM)
		if err != nil {
			// crypto/tls says "certificate input" or "key input"; a key
			// that does not match is reported on the key, naming both.
			msg := err.Error()
			switch {
			case strings.Contains(msg, "certificate input") || strings.HasPrefix(msg, "x509:"):
				return nil, &FileError{"ClientCert", o.ClientCert, err}
			case strings.Contains(msg, "does not match"):
				return nil, &FileError{"ClientKey", o.ClientKey, fmt.Errorf("%w (the certificate is %s)", err, o.ClientCert)}
			}
			return nil, &FileError{"ClientKey", o.ClientKey, err}
		}
		cfg.Certificates = []tls.Certificate{pair}
	}
	return cfg, nil
}

// readPEMFile reads a certificate or key file, up to maxPEMFile bytes.
func readPEMFile(option, path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, &FileError{option, path, pathless(err)}
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxPEMFile+1))
	if err != nil {
		return nil, &FileError{option, path, pathless(err)}
	}
	if len(data) > maxPEMFile {
		return nil, &FileError{option, path, fmt.Errorf("larger than %d MiB: not a PEM file", maxPEMFile>>20)}
	}
	return data, nil
}

// pathless drops the path from an *os.PathError: FileError names it once.
func pathless(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// TLSError is an exchange's TLS failure in words: which host, what went
// wrong and what to do about it. It wraps the error the exchange failed
// with.
type TLSError struct {
	Host string
	msg  string
	Err  error
}

func (e *TLSError) Error() string { return e.msg }

func (e *TLSError) Unwrap() error { return e.Err }

// explainTLS turns the TLS failures a user can act on into a TLSError that
// names the host and the flag that helps; any other error is returned as
// is. Go's own text ("tls: failed to verify certificate: x509: ...") names
// neither.
func explainTLS(err error, host string) error {
	if err == nil {
		return nil
	}
	var (
		unknown x509.UnknownAuthorityError
		name    x509.HostnameError
		invalid x509.CertificateInvalidError
		verify  *tls.CertificateVerificationError
		record  tls.RecordHeaderError
		op      *net.OpError
	)
	var msg string
	switch {
	case errors.As(err, &unknown):
		msg = fmt.Sprintf("TLS: the certificate of %s is not trusted (%v): pass --ca-cert with its CA, or --insecure-skip-verify", host, unknown)
	case errors.As(err, &name):
		msg = fmt.Sprintf("TLS: the certificate of %s is not valid for that name (%v): use a name the certificate lists, or pass --insecure-skip-verify", host, name)
	case errors.As(err, &invalid):
		msg = fmt.Sprintf("TLS: the certificate of %s is not valid (%v): pass --insecure-skip-verify to test it anyway", host, invalid)
	case errors.As(err, &verify):
		msg = fmt.Sprintf("TLS: the certificate of %s cannot be verified (%v): pass --ca-cert with its CA, or --insecure-skip-verify", host, verify.Err)
	case errors.As(err, &record):
		msg = fmt.Sprintf("TLS: %s does not answer in TLS (%v): is it an http:// target?", host, record)
	case errors.As(err, &op) && op.Op == "remote error":
		// The server sent an alert: with TLS 1.3 a refused client
		// certificate shows only here, after the client's handshake.
		msg = fmt.Sprintf("TLS: %s refused the connection (remote error: %v): if it requires a client certificate, pass --client-cert and --client-key with one it trusts", host, op.Err)
	default:
		return err
	}
	return &TLSError{Host: host, msg: msg, Err: err}
}
