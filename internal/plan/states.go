package plan

import (
	"fmt"
	"strings"

	"github.com/apiconform/apiconform/internal/catalog"
	"github.com/apiconform/apiconform/internal/contract"
)

// StateFlow is the plan of one operational state: the calls that switch the
// target into it and out, and the scenarios judged on the way. It runs as
// one ordered, serial container, labelled disruptive, and whatever it
// changes is restored, also when a step fails or the run is interrupted.
type StateFlow struct {
	State *contract.State
	// Driven is set when the suite switches the target itself; otherwise
	// the state can only be observed when the target happens to be in it.
	Driven bool
	Enter  []*Call
	Leave  []*Call
	// CheckRequest reads whether the target is in the state.
	CheckRequest Request
	CheckOp      *contract.Operation

	// The scenarios, in run order. Nil where the contract gives nothing to
	// judge.
	EnterSpec, SwitchingSpec, CheckSpec *Scenario
	Serves, Refuses                     []*Scenario
	LeaveSpec, RestoreSpec, RecoverSpec *Scenario
	After                               []*Scenario
}

// Call is one request of a switch into or out of a state.
type Call struct {
	Op      *contract.Operation
	Request Request
	// Status lists the statuses the call must answer; empty means any 2xx.
	Status []int
	// Headers maps a header to the value its answer must end with.
	Headers map[string]string
	// Save keeps the answer's body under a name; BodyFrom sends the body
	// saved under a name.
	Save, BodyFrom string
}

// ThrottleFlow is the plan of the throttling scenarios.
type ThrottleFlow struct {
	Config *contract.Throttling
	// Request is the request the burst repeats.
	Request Request
	Op      *contract.Operation
	// Burst and Recover are the two scenarios.
	Burst, Recover *Scenario
}

// Scenarios lists the flow's scenarios in run order.
func (f *StateFlow) Scenarios() []*Scenario {
	var out []*Scenario
	add := func(s ...*Scenario) {
		for _, x := range s {
			if x != nil {
				out = append(out, x)
			}
		}
	}
	add(f.EnterSpec, f.SwitchingSpec, f.CheckSpec)
	add(f.Serves...)
	add(f.Refuses...)
	add(f.LeaveSpec, f.RestoreSpec, f.RecoverSpec)
	add(f.After...)
	return out
}

// disruptive labels a scenario of a state or of throttling.
func disruptive(s *Scenario, extra ...string) *Scenario {
	s.Labels = append(s.Labels, "disruptive")
	s.Labels = append(s.Labels, extra...)
	s.Phase = PhaseDisruptive
	return s
}

// stateScenario makes a scenario about a state: its subject is the state's
// name, so that names read "maintenance [state.refuses] getProfile ...".
func (b *Builder) stateScenario(st *contract.State, family, text string, o *contract.Operation, req Request, exp Expect) *Scenario {
	s := &Scenario{Family: family, Subject: st.Name, Operation: o, Request: req, Expect: exp}
	s.name("", text)
	s.Labels = labelsFor(family, "")
	if o != nil {
		s.Labels = append(s.Labels, Label(o.ID))
		s.ID = idSafe(st.Name + " " + family + " " + o.ID)
	}
	return disruptive(s, Label(st.Name))
}

func stateFlows(b *Builder) []*StateFlow {
	var out []*StateFlow
	for i := range b.C.Conformance.States {
		st := &b.C.Conformance.States[i]
		f := &StateFlow{State: st, Driven: len(st.Enter) > 0}
		f.CheckOp = b.C.Operation(st.Check.Operation)
		f.CheckRequest = b.baseRequest(f.CheckOp).clone()
		f.Enter = b.calls(st.Enter)
		f.Leave = b.calls(st.Leave)
		inWords := stateValues(st.Check.In, st.Check.InStatus)
		outWords := stateValues(st.Check.Out, st.Check.OutStatus)
		noCheck := Expect{Challenge: NoChallenge}
		if f.Driven {
			f.EnterSpec = b.stateScenario(st, catalog.StepStateEnter, fmt.Sprintf("%s switches the target into the state", callNames(f.Enter)), f.Enter[0].Op, f.Enter[0].Request, noCheck)
			if st.Switching != nil {
				f.SwitchingSpec = b.stateScenario(st, catalog.StateSwitching.ID, "requests during the switch answer "+statusWords(st.Switching.Status), f.CheckOp, f.CheckRequest, Expect{Status: st.Switching.Status, Challenge: NoChallenge})
			}
		}
		f.CheckSpec = b.stateScenario(st, catalog.StepStateCheck, fmt.Sprintf("%s reports %s", f.CheckOp.ID, inWords), f.CheckOp, f.CheckRequest, noCheck)
		served := map[string]bool{}
		for _, id := range st.Serves {
			served[id] = true
			o := b.C.Operation(id)
			if !safeMethods[o.Method] {
				continue // only safe operations are sent in a state
			}
			req := b.baseRequest(o)
			s := b.stateScenario(st, catalog.StepStateServes, o.ID+" is served", o, req.clone(), successExpect())
			if reason := cannotSucceed(req); reason != "" {
				s.Skip = reason
			}
			f.Serves = append(f.Serves, s)
		}
		if r := st.Refuses; r != nil {
			refused := r.Operations
			if len(refused) == 0 {
				for _, o := range b.C.Operations {
					if safeMethods[o.Method] && !served[o.ID] {
						refused = append(refused, o.ID)
					}
				}
			}
			for _, id := range refused {
				o := b.C.Operation(id)
				req := b.baseRequest(o)
				exp := b.errorExpect(r.Status...)
				exp.Mentions = r.Mentions
				words := b.errorWords(r.Status...)
				if r.Mentions != "" {
					words += " naming " + r.Mentions
				}
				s := b.stateScenario(st, catalog.StepStateRefuses, o.ID+" "+words, o, req.clone(), exp)
				if reason := cannotSucceed(req); reason != "" {
					s.Skip = reason
				}
				f.Refuses = append(f.Refuses, s)
				if safeMethods[o.Method] {
					a := b.stateScenario(st, catalog.StepStateAfter, o.ID+" is served again after the state ends", o, req.clone(), successExpect())
					a.Skip = s.Skip
					f.After = append(f.After, a)
				}
			}
		}
		if f.Driven {
			f.LeaveSpec = b.stateScenario(st, catalog.StepStateLeave, fmt.Sprintf("%s switches the target back", callNames(f.Leave)), f.Leave[0].Op, f.Leave[0].Request, noCheck)
			f.RestoreSpec = b.stateScenario(st, catalog.StepStateRestore, fmt.Sprintf("%s reports %s again", f.CheckOp.ID, outWords), f.CheckOp, f.CheckRequest, noCheck)
		} else {
			f.RecoverSpec = b.stateScenario(st, catalog.StepStateRecovers, fmt.Sprintf("the state ends within %s (%s reports %s)", st.Wait, f.CheckOp.ID, outWords), f.CheckOp, f.CheckRequest, noCheck)
		}
		out = append(out, f)
	}
	return out
}

// calls builds the requests of a switch.
func (b *Builder) calls(list []contract.Call) []*Call {
	var out []*Call
	for _, c := range list {
		o := b.C.Operation(c.Operation)
		req := b.baseRequest(o).clone()
		call := &Call{Op: o, Status: c.Status, Headers: c.Headers, Save: c.Save}
		if name, ok := c.Body.(string); ok && strings.HasPrefix(name, "$") {
			call.BodyFrom = name[1:]
		} else if c.Body != nil {
			req.Body = mustJSON(c.Body)
			if req.ContentType == "" {
				req.ContentType = "application/json"
			}
		}
		call.Request = req
		out = append(out, call)
	}
	return out
}

func callNames(calls []*Call) string {
	var ids []string
	for i, c := range calls {
		if i > 0 && c.Op.ID == calls[i-1].Op.ID {
			continue
		}
		ids = append(ids, c.Op.ID)
	}
	return strings.Join(ids, ", ")
}

func stateValues(values []string, statuses []int) string {
	if len(values) > 0 {
		return strings.Join(values, " or ")
	}
	return "status " + statusWords(statuses)
}

func throttleFlow(b *Builder) *ThrottleFlow {
	t := b.C.Conformance.Throttling
	if t == nil {
		return nil
	}
	o := b.C.Operation(t.Operation)
	req := b.baseRequest(o)
	f := &ThrottleFlow{Config: t, Op: o, Request: req.clone()}
	mk := func(family, text string) *Scenario {
		s := &Scenario{Family: family, Subject: o.ID, Operation: o, Request: req.clone(), Expect: Expect{Status: t.Status, Challenge: NoChallenge}}
		s.name("", text)
		s.Labels = append(labelsFor(family, o.ID), catalog.Throttling.ID)
		return disruptive(s)
	}
	f.Burst = mk(catalog.StepThrottlingBurst, fmt.Sprintf("a burst of at most %d requests within %s is throttled with %s", t.Burst, t.Window, statusWords(t.Status)))
	f.Recover = mk(catalog.StepThrottlingRecovers, fmt.Sprintf("serves again after the advertised delay, within %s", t.Wait))
	if reason := cannotSucceed(req); reason != "" {
		f.Burst.Skip, f.Recover.Skip = reason, reason
	}
	return f
}
