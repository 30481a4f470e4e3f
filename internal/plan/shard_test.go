package plan

import (
	"reflect"
	"testing"
)

// TestShardsPartitionThePlan: for every shard count, the shards together
// hold every scenario of the plan exactly once, and every lifecycle, state
// flow and the throttling flow lies whole in one shard.
func TestShardsPartitionThePlan(t *testing.T) {
	p, err := Build(ucs(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Lifecycles) == 0 || len(p.States) == 0 || p.Throttle == nil {
		t.Fatal("the genesys-ucs plan should have lifecycles, states and throttling to shard")
	}
	all := p.All()
	for n := 1; n <= 8; n++ {
		seen := map[string]int{}
		lifecycles, states, throttles := 0, 0, 0
		for i := 1; i <= n; i++ {
			s, err := p.Shard(i, n)
			if err != nil {
				t.Fatal(err)
			}
			if s.Contract != p.Contract {
				t.Fatal("a shard must keep the plan's contract")
			}
			for _, sc := range s.All() {
				seen[sc.ID]++
			}
			lifecycles += len(s.Lifecycles)
			states += len(s.States)
			if s.Throttle != nil {
				throttles++
			}
		}
		for _, sc := range all {
			if seen[sc.ID] != 1 {
				t.Errorf("n=%d: scenario %q is in %d shards", n, sc.ID, seen[sc.ID])
			}
		}
		if len(seen) != len(all) {
			t.Errorf("n=%d: the shards hold %d scenarios, the plan %d", n, len(seen), len(all))
		}
		// A flow in a shard is the plan's own value, all its steps with it,
		// so counting the flows shows none was split or duplicated.
		if lifecycles != len(p.Lifecycles) || states != len(p.States) || throttles != 1 {
			t.Errorf("n=%d: %d lifecycles, %d states, %d throttling flows in the shards; the plan has %d, %d, 1",
				n, lifecycles, states, throttles, len(p.Lifecycles), len(p.States))
		}
	}
}

// TestShardIsStableAndSpreads: the split depends on the scenarios' IDs
// only, so removing a scenario moves no other one; and with a few shards
// none is left empty.
func TestShardIsStableAndSpreads(t *testing.T) {
	p, err := Build(ucs(t))
	if err != nil {
		t.Fatal(err)
	}
	const n = 3
	where := func(p *Plan) map[string]int {
		out := map[string]int{}
		for i := 1; i <= n; i++ {
			s, err := p.Shard(i, n)
			if err != nil {
				t.Fatal(err)
			}
			if len(s.Scenarios) == 0 {
				t.Errorf("shard %d/%d has no stateless scenario", i, n)
			}
			for _, sc := range s.All() {
				out[sc.ID] = i
			}
		}
		return out
	}
	before := where(p)
	smaller := *p
	smaller.Scenarios = append(append([]*Scenario(nil), p.Scenarios[:3]...), p.Scenarios[4:]...)
	after := where(&smaller)
	delete(before, p.Scenarios[3].ID)
	if !reflect.DeepEqual(before, after) {
		t.Error("removing one scenario moved others to another shard")
	}
	// The same shard twice is the same plan.
	a, _ := p.Shard(2, n)
	b, _ := p.Shard(2, n)
	if !reflect.DeepEqual(names(a), names(b)) {
		t.Error("the same shard differs between two calls")
	}
}

func TestShardRefusesBadNumbers(t *testing.T) {
	p, err := Build(ucs(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range [][2]int{{0, 3}, {4, 3}, {-1, 3}, {1, 0}, {1, MaxShards + 1}} {
		if _, err := p.Shard(c[0], c[1]); err == nil {
			t.Errorf("Shard(%d, %d) should be refused", c[0], c[1])
		}
	}
	one, err := p.Shard(1, 1)
	if err != nil || !reflect.DeepEqual(names(one), names(p)) {
		t.Errorf("shard 1/1 must be the whole plan (err %v)", err)
	}
}
