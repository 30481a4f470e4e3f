package main

import (
	"net/http/httptest"
	"testing"

	"github.com/apiconform/apiconform/fixtures"
)

// serveFault starts a reference target with a fault; the test reads its
// data through the returned server after the run.
func serveFault(t *testing.T, contract, fault string) (*fixtures.Target, *httptest.Server) {
	t.Helper()
	target, err := fixtures.Lookup(contract)
	if err != nil {
		t.Fatal(err)
	}
	h, err := target.Handler(fault)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return target, srv
}
