package plan

import (
	"fmt"
	"hash/fnv"

	"github.com/apiconform/apiconform/internal/catalog"
)

// MaxShards bounds the number of shards a plan can be split into: more CI
// jobs than that would mostly be jobs with nothing to do.
const MaxShards = 1000

// Shard returns the part of the plan that shard i of n runs (1 <= i <= n <=
// MaxShards), so that n CI jobs together run the plan once: every scenario
// is in exactly one shard.
//
// A stateless scenario goes to a shard by a hash of its ID, not by its place
// in the plan, so that a scenario added to the contract moves no other one:
// a shard that passed yesterday runs the same scenarios today. A lifecycle,
// a state flow and the throttling flow are ordered series whose steps depend
// on each other: each stays whole and goes to one shard by a hash of its
// name. The hash is FNV-1a, fixed by its specification, so the split is the
// same on every machine and every Go version.
func (p *Plan) Shard(i, n int) (*Plan, error) {
	if err := CheckShard(i, n); err != nil {
		return nil, err
	}
	out := &Plan{Contract: p.Contract}
	for _, s := range p.Scenarios {
		if shardOf("scenario\x00"+s.ID, n) == i {
			out.Scenarios = append(out.Scenarios, s)
		}
	}
	for _, l := range p.Lifecycles {
		if shardOf("lifecycle\x00"+l.Name, n) == i {
			out.Lifecycles = append(out.Lifecycles, l)
		}
	}
	for _, f := range p.States {
		if shardOf("state\x00"+f.State.Name, n) == i {
			out.States = append(out.States, f)
		}
	}
	if p.Throttle != nil && shardOf(catalog.Throttling.ID, n) == i {
		out.Throttle = p.Throttle
	}
	return out, nil
}

// CheckShard validates a shard's number i and the count n.
func CheckShard(i, n int) error {
	switch {
	case n < 1 || n > MaxShards:
		return fmt.Errorf("the number of shards %d must be from 1 to %d", n, MaxShards)
	case i < 1 || i > n:
		return fmt.Errorf("shard %d of %d: shards are numbered from 1 to %d", i, n, n)
	}
	return nil
}

// shardOf is the 1-based shard a key goes to.
func shardOf(key string, n int) int {
	h := fnv.New64a()
	h.Write([]byte(key))
	return int(h.Sum64()%uint64(n)) + 1
}
