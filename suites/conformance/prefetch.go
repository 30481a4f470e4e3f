package conformance

import (
	"context"
	"sync"

	"github.com/apiconform/apiconform/internal/plan"
	"github.com/apiconform/apiconform/internal/probe"
)

// The stateless scenarios' exchanges are pipelined: a pool of workers sends
// them ahead, in plan order and under --rate, while Ginkgo judges each
// spec in its own order as its exchange arrives. A slow staging server then
// costs a run about (scenarios x latency / concurrency), not the sum of
// the latencies. Stateful scenarios (writes, states, throttling) are sent
// by their specs, serially, after every stateless one.
type prefetcher struct {
	mu      sync.Mutex
	pending map[string]*future
	cancel  context.CancelFunc
	wg      sync.WaitGroup
}

// future is an exchange on its way.
type future struct {
	done   chan struct{}
	x, get *probe.Exchange
}

// startPrefetch sends the exchanges of the stateless scenarios that will
// run: those the label filter and the focus keep, as Ginkgo will.
func (r *runner) startPrefetch(texts map[*plan.Scenario]string) *prefetcher {
	p := &prefetcher{pending: map[string]*future{}}
	ctx, cancel := context.WithCancel(context.Background())
	p.cancel = cancel
	sends := r.sends(texts)
	type job struct {
		s *plan.Scenario
		f *future
	}
	var queue []job
	for _, s := range r.Plan.Scenarios {
		if !sends(s) {
			continue
		}
		f := &future{done: make(chan struct{})}
		p.pending[s.ID] = f
		if x, sent := r.Sent[s.ID]; sent && x != nil {
			f.x = x
			close(f.done)
			continue
		}
		queue = append(queue, job{s, f})
	}
	jobs := make(chan job)
	workers := max(r.Concurrency, 1)
	for range workers {
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			for j := range jobs {
				f := j.f
				f.x, f.get = r.send(ctx, j.s)
				close(f.done)
			}
		}()
	}
	go func() {
		defer close(jobs)
		for _, j := range queue {
			select {
			case jobs <- j:
			case <-ctx.Done():
				return
			}
		}
	}()
	return p
}

// take returns the exchange of a scenario sent ahead, waiting for it; ok is
// false when the scenario was not sent ahead.
func (p *prefetcher) take(ctx context.Context, id string) (x, get *probe.Exchange, ok bool) {
	if p == nil {
		return nil, nil, false
	}
	p.mu.Lock()
	f := p.pending[id]
	delete(p.pending, id)
	p.mu.Unlock()
	if f == nil {
		return nil, nil, false
	}
	select {
	case <-f.done:
		return f.x, f.get, true
	case <-ctx.Done():
		return nil, nil, false
	}
}

// stop ends the workers: what has not been sent by now never will be.
func (p *prefetcher) stop() {
	p.cancel()
	p.wg.Wait()
}
