package verdict_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/apiconform/apiconform/internal/plan"
	"github.com/apiconform/apiconform/internal/probe"
	"github.com/apiconform/apiconform/internal/verdict"
)

// The rules judged over the exchanges of a sequence (a state switch, a
// burst), each proven both ways on answers made by hand.

func stateFlow(t *testing.T, p *plan.Plan, name string) *plan.StateFlow {
	t.Helper()
	for _, f := range p.States {
		if f.State.Name == name {
			return f
		}
	}
	t.Fatalf("no state %s in the plan of %s", name, p.Contract.Name)
	return nil
}

func statusEx(mode string) *probe.Exchange {
	return ex("GET", "/server/status", 200, `{"mode":"`+mode+`"}`, "Content-Type", jsonCT)
}

func noAnswer() *probe.Exchange {
	x := ex("GET", "/server/status", 0, "")
	x.Err = errors.New("connection refused")
	return x
}

func TestStateCheckBothWays(t *testing.T) {
	p := ucsPlan(t)
	f := stateFlow(t, p, "maintenance")
	clean(t, verdict.JudgeStateCheck(p.Contract, f, statusEx("maintenance")))
	m := only(t, verdict.JudgeStateCheck(p.Contract, f, statusEx("production")), "state.check")
	if m.Actual != "mode production" {
		t.Errorf("actual %q", m.Actual)
	}
	only(t, verdict.JudgeStateCheck(p.Contract, f, noAnswer()), "state.check")
	// a check by status: the no-profile-schema state reads 404 as in it
	g := stateFlow(t, p, "no-profile-schema")
	if r := verdict.ReadState(p.Contract, g, ex("GET", "/metadata/profile", 404, "")); !r.In || r.Out || r.What != "404 Not Found from getProfileSchema" {
		t.Errorf("ReadState by status: %+v", r)
	}
}

func TestStateRestoreBothWays(t *testing.T) {
	p := ucsPlan(t)
	f := stateFlow(t, p, "maintenance")
	clean(t, verdict.JudgeStateRestore(p.Contract, f, statusEx("production")))
	m := only(t, verdict.JudgeStateRestore(p.Contract, f, statusEx("maintenance")), "state.restore")
	if m.Actual != "after 10s the target still reports mode maintenance" {
		t.Errorf("actual %q", m.Actual)
	}
	only(t, verdict.JudgeStateRestore(p.Contract, f, nil), "state.restore")
}

func TestStateRecoversBothWays(t *testing.T) {
	c := loadFinesse(t)
	p, err := plan.Build(c)
	if err != nil {
		t.Fatal(err)
	}
	f := stateFlow(t, p, "out-of-service")
	info := func(status string) *probe.Exchange {
		return ex("GET", "/SystemInfo", 200, `<SystemInfo><status>`+status+`</status><deploymentType>UCCE</deploymentType><currentTimestamp>2026-11-22T08:00:00Z</currentTimestamp></SystemInfo>`, "Content-Type", "application/xml")
	}
	clean(t, verdict.JudgeStateRecovers(c, f, info("IN_SERVICE")))
	only(t, verdict.JudgeStateRecovers(c, f, info("OUT_OF_SERVICE")), "state.recovers")
}

// switchAnswers are the answers to the maintenance state's enter call.
func switchAnswers(t *testing.T, p *plan.Plan, x *probe.Exchange) (*plan.Scenario, []verdict.CallAnswer) {
	t.Helper()
	f := stateFlow(t, p, "maintenance")
	return f.EnterSpec, []verdict.CallAnswer{{Call: f.Enter[0], Request: f.Enter[0].Request, X: x}}
}

func TestStateCallsBothWays(t *testing.T) {
	p := ucsPlan(t)
	mode := func(status int, hdr ...string) *probe.Exchange {
		body := ""
		if status >= 400 {
			body = envelope("POST", base+"/server/mode", status*10)
			hdr = append(hdr, "Content-Type", jsonCT)
		}
		return ex("POST", "/server/mode", status, body, hdr...)
	}
	s, good := switchAnswers(t, p, mode(200, "Location", "/cv/server/status"))
	clean(t, verdict.JudgeCalls(p.Contract, s, good, "", verdict.Options{}))

	// The Location the call names is judged by state.call.header alone,
	// although the operation's 200 also marks it required.
	_, noLocation := switchAnswers(t, p, mode(200))
	m := only(t, verdict.JudgeCalls(p.Contract, s, noLocation, "", verdict.Options{}), "state.call.header")
	if m.Actual != "no Location header" {
		t.Errorf("actual %q", m.Actual)
	}
	_, elsewhere := switchAnswers(t, p, mode(200, "Location", "/cv/elsewhere"))
	only(t, verdict.JudgeCalls(p.Contract, s, elsewhere, "", verdict.Options{}), "state.call.header")

	// Another status than the call's breaks the step's status rule, and
	// then the headers are not asked for.
	_, refused := switchAnswers(t, p, mode(403))
	only(t, verdict.JudgeCalls(p.Contract, s, refused, "", verdict.Options{}), "state.enter.status")

	// A switch the suite stopped is inconclusive, with the reason it gives;
	// so is one whose answer is.
	v := verdict.JudgeCalls(p.Contract, s, good, "the snapshot call getProfileSchema (save: schema) answered 503", verdict.Options{})
	if !strings.HasPrefix(v.Inconclusive, "the snapshot call") || len(v.Mismatches) > 0 {
		t.Errorf("a cut switch: %+v", v)
	}
	_, throttled := switchAnswers(t, p, mode(429))
	if v := verdict.JudgeCalls(p.Contract, s, throttled, "", verdict.Options{}); !strings.Contains(v.Inconclusive, "429") {
		t.Errorf("a throttled call: %+v", v)
	}
}

func TestStateSwitchingBothWays(t *testing.T) {
	p := ucsPlan(t)
	f := stateFlow(t, p, "maintenance")
	busy := func(retryAfter string) *probe.Exchange {
		return ex("GET", "/server/status", 503, envelope("GET", base+"/server/status", 5030), "Content-Type", jsonCT, "Retry-After", retryAfter)
	}
	// one normal answer before the switch began, then 503 to the end
	v, shown := verdict.JudgeSwitching(f, []*probe.Exchange{statusEx("production"), busy("1"), noAnswer(), busy("1")})
	clean(t, v)
	if len(shown) != 1 || shown[0].Status != 503 {
		t.Errorf("shown: %v", shown)
	}
	v, shown = verdict.JudgeSwitching(f, []*probe.Exchange{busy("1"), statusEx("production"), busy("1")})
	only(t, v, "state.switching.status")
	if len(shown) != 2 || shown[1].Status != 200 {
		t.Errorf("shown: %v", shown)
	}
	// normal answers at the edges: before the target took the call, and
	// after it had switched while its answer was on its way
	v, _ = verdict.JudgeSwitching(f, []*probe.Exchange{statusEx("production"), statusEx("production"), busy("1"), busy("1"), statusEx("maintenance")})
	if !v.OK(true) || v.Inconclusive != "" {
		t.Fatalf("normal answers before and after the switch: %+v", v)
	}
	v, _ = verdict.JudgeSwitching(f, []*probe.Exchange{statusEx("production"), statusEx("maintenance")})
	only(t, v, "state.switching.status")
	v, _ = verdict.JudgeSwitching(f, []*probe.Exchange{busy("1"), busy("soon")})
	only(t, v, "retry-after.valid")
	v, _ = verdict.JudgeSwitching(f, []*probe.Exchange{statusEx("maintenance")})
	if !strings.HasPrefix(v.Inconclusive, "no request could be made while the switch was under way") {
		t.Errorf("no answer during the switch: %+v", v)
	}
}

func TestThrottlingBothWays(t *testing.T) {
	p := ucsPlan(t)
	f := p.Throttle
	if f == nil {
		t.Fatal("genesys-ucs plans no throttling")
	}
	throttled := func(retryAfter string) *probe.Exchange {
		return ex("GET", "/server/status", 503, envelope("GET", base+"/server/status", 5030), "Content-Type", jsonCT, "Retry-After", retryAfter)
	}
	served := statusEx("production")
	burst := func(xs ...*probe.Exchange) *verdict.Verdict {
		for i, x := range xs {
			if over := verdict.BurstOver(f, x); over != (i == len(xs)-1 && x.Status != 200) {
				t.Fatalf("BurstOver at answer %d (%d): %v", i, x.Status, over)
			}
		}
		return verdict.JudgeBurst(p.Contract, f, xs, time.Second, verdict.Options{})
	}
	clean(t, burst(served, served, throttled("2")))
	// the throttled answer is judged like any
	only(t, burst(served, throttled("in a while")), "retry-after.valid")
	m := only(t, burst(served, ex("GET", "/server/status", 404, envelope("GET", base+"/server/status", 4040), "Content-Type", jsonCT)), "throttling.status")
	if m.Actual != "404 Not Found after 2 requests" {
		t.Errorf("actual %q", m.Actual)
	}
	m = only(t, burst(served, served, served), "throttling.status")
	if m.Actual != "3 requests in 1s all served" {
		t.Errorf("actual %q", m.Actual)
	}
	if v := burst(served, noAnswer()); !strings.HasPrefix(v.Inconclusive, "no answer during the burst") {
		t.Errorf("a burst cut by no answer: %+v", v)
	}

	clean(t, verdict.JudgeThrottleRecovery(f, time.Second, served, 2*time.Second))
	m = only(t, verdict.JudgeThrottleRecovery(f, time.Second, throttled("1"), 10*time.Second), "throttling.recovers")
	if m.Actual != "503 Service Unavailable after 10s" {
		t.Errorf("actual %q", m.Actual)
	}
	only(t, verdict.JudgeThrottleRecovery(f, time.Second, noAnswer(), 10*time.Second), "throttling.recovers")
}
