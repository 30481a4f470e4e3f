package contract

import (
	"fmt"
	"strings"
	"time"
)

// State is an operational state of the target the suite may drive (enter
// and leave) or only observe (no enter): maintenance mode, out of service.
// Scenarios about states are disruptive: they run only when asked for.
type State struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	// Enter and Leave are the calls that switch the target into the state
	// and back. A state without Enter can only be observed.
	Enter []Call `json:"enter"`
	Leave []Call `json:"leave"`
	// Check reads whether the target is in the state.
	Check *Check `json:"check"`
	// Switching is what every request answers while a switch is under way.
	Switching *Switching `json:"switching"`
	// Serves lists operations that keep working in the state.
	Serves []string `json:"serves"`
	// Refuses is what the other operations answer in the state.
	Refuses *Refusal `json:"refuses"`
	// MaxWait bounds how long the suite waits for an observed state to end,
	// or for a restore to show (a Go duration; default 60s).
	MaxWait string `json:"maxWait"`

	// Wait is MaxWait parsed.
	Wait time.Duration `json:"-"`
}

// Call is one request of a state switch.
type Call struct {
	Operation string `json:"operation"`
	// Body is sent as JSON; a string "$NAME" sends the body a former call
	// saved under NAME.
	Body any `json:"body"`
	// Status lists the statuses the call must answer (default: any 2xx).
	Status []int `json:"status"`
	// Headers maps a header to a value its answer must end with (Location:
	// /server/status accepts an absolute URL ending so).
	Headers map[string]string `json:"headers"`
	// Save keeps the answer's body under a name for a later call.
	Save string `json:"save"`
}

// Check reads whether the target is in a state: by a field of an
// operation's answer, or by the answer's status.
type Check struct {
	Operation string `json:"operation"`
	// Field is a top-level field of the answer's body (JSON or XML).
	Field string `json:"field"`
	// In and Out are the field's values in the state and out of it.
	In  []string `json:"in"`
	Out []string `json:"out"`
	// InStatus and OutStatus read the state from the status instead.
	InStatus  []int `json:"inStatus"`
	OutStatus []int `json:"outStatus"`
}

// Switching describes the answers while a switch is under way.
type Switching struct {
	Status []int `json:"status"`
}

// Refusal is what an operation answers in a state that does not serve it.
type Refusal struct {
	Status []int `json:"status"`
	// Mentions is a word the error envelope must contain (e.g. the mode).
	Mentions string `json:"mentions"`
	// Operations lists the refused operations; empty means every safe
	// operation the state does not serve.
	Operations []string `json:"operations"`
}

// Throttling describes how the target throttles a burst of requests.
type Throttling struct {
	// Operation is the (safe) operation the burst is made of.
	Operation string `json:"operation"`
	// Burst is the most requests the suite sends, within Within.
	Burst  int    `json:"burst"`
	Within string `json:"within"`
	// Status lists the statuses a throttled request answers (429 or 503).
	Status []int `json:"status"`
	// MaxWait bounds the wait for the target to serve again.
	MaxWait string `json:"maxWait"`

	Window, Wait time.Duration `json:"-"`
}

func (c *Contract) checkStates() error {
	seen := map[string]bool{}
	for i := range c.Conformance.States {
		st := &c.Conformance.States[i]
		place := fmt.Sprintf("%s.states[%d]", ExtensionKey, i)
		if !scenarioName.MatchString(st.Name) {
			return &Error{Source: c.Source, Place: place + ".name", Err: fmt.Errorf("%q must be lower-case letters, digits and dashes", st.Name)}
		}
		if seen[st.Name] {
			return &Error{Source: c.Source, Place: place + ".name", Err: fmt.Errorf("%q is used twice", st.Name)}
		}
		seen[st.Name] = true
		if st.Check == nil {
			return &Error{Source: c.Source, Place: place + ".check", Err: fmt.Errorf("a state needs a check, so that the suite can verify the restore")}
		}
		if len(st.Enter) > 0 && len(st.Leave) == 0 {
			return &Error{Source: c.Source, Place: place + ".leave", Err: fmt.Errorf("a state the suite enters needs the calls that leave it")}
		}
		saved := map[string]bool{}
		for j, list := range [][]Call{st.Enter, st.Leave} {
			part := []string{"enter", "leave"}[j]
			for k, call := range list {
				where := fmt.Sprintf("%s.%s[%d]", place, part, k)
				if !c.hasOperation(call.Operation) {
					return &Error{Source: c.Source, Place: where + ".operation", Err: fmt.Errorf("no operation %q", call.Operation)}
				}
				if name, ok := call.Body.(string); ok && strings.HasPrefix(name, "$") && !saved[name[1:]] {
					return &Error{Source: c.Source, Place: where + ".body", Err: fmt.Errorf("%s is not saved by an earlier call", name)}
				}
				if call.Save != "" {
					saved[call.Save] = true
				}
			}
		}
		ch := st.Check
		if !c.hasOperation(ch.Operation) {
			return &Error{Source: c.Source, Place: place + ".check.operation", Err: fmt.Errorf("no operation %q", ch.Operation)}
		}
		if (ch.Field == "") == (len(ch.InStatus) == 0) {
			return &Error{Source: c.Source, Place: place + ".check", Err: fmt.Errorf("give either field with in and out, or inStatus and outStatus")}
		}
		if ch.Field != "" && (len(ch.In) == 0 || len(ch.Out) == 0) {
			return &Error{Source: c.Source, Place: place + ".check", Err: fmt.Errorf("field %q needs the values in and out of the state", ch.Field)}
		}
		for _, op := range st.Serves {
			if !c.hasOperation(op) {
				return &Error{Source: c.Source, Place: place + ".serves", Err: fmt.Errorf("no operation %q", op)}
			}
		}
		if r := st.Refuses; r != nil {
			for _, op := range r.Operations {
				if !c.hasOperation(op) {
					return &Error{Source: c.Source, Place: place + ".refuses.operations", Err: fmt.Errorf("no operation %q", op)}
				}
			}
			if err := checkStatuses(r.Status); err != nil || len(r.Status) == 0 {
				return &Error{Source: c.Source, Place: place + ".refuses.status", Err: fmt.Errorf("needs one or more statuses")}
			}
		}
		wait, err := parseDuration(st.MaxWait, time.Minute)
		if err != nil {
			return &Error{Source: c.Source, Place: place + ".maxWait", Err: err}
		}
		st.Wait = wait
	}
	if t := c.Conformance.Throttling; t != nil {
		place := ExtensionKey + ".throttling"
		if o := c.Operation(t.Operation); o == nil || o.Method != "GET" {
			return &Error{Source: c.Source, Place: place + ".operation", Err: fmt.Errorf("%q must be a GET operation of the contract", t.Operation)}
		}
		if t.Burst < 1 || t.Burst > 10000 {
			return &Error{Source: c.Source, Place: place + ".burst", Err: fmt.Errorf("must be between 1 and 10000, not %d", t.Burst)}
		}
		if len(t.Status) == 0 {
			return &Error{Source: c.Source, Place: place + ".status", Err: fmt.Errorf("needs the throttled status (429 or 503)")}
		}
		var err error
		if t.Window, err = parseDuration(t.Within, 10*time.Second); err != nil {
			return &Error{Source: c.Source, Place: place + ".within", Err: err}
		}
		if t.Wait, err = parseDuration(t.MaxWait, time.Minute); err != nil {
			return &Error{Source: c.Source, Place: place + ".maxWait", Err: err}
		}
	}
	return nil
}

func parseDuration(s string, def time.Duration) (time.Duration, error) {
	if s == "" {
		return def, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("%q is not a positive duration such as 30s", s)
	}
	return d, nil
}

// Operation returns the operation with an id, or nil.
func (c *Contract) Operation(id string) *Operation { return c.byID[id] }
