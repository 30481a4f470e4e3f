// Package testnet holds the loopback listeners the tests of several
// packages need: a target that connects and never answers, and an address
// nothing listens on.
package testnet

import (
	"net"
	"sync"
	"testing"
)

// Silent listens on loopback, accepts every connection and never answers,
// a target that is there but stuck; it closes the connections when the
// test ends. It returns the address, host:port.
func Silent(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		<-done
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	return ln.Addr().String()
}

// Closed is a loopback address nothing listens on, a target that is not
// there.
func Closed(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}
