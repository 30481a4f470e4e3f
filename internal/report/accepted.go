package report

import (
	"fmt"
	"strings"
)

// AcceptedWrite is an unsafe request (POST, PUT, PATCH, DELETE) of a
// negative scenario that the target accepted with a 2xx where the scenario
// expected a refusal: it may have changed data. The suite undoes what it
// can and says here what it did. Every value in it is redacted.
type AcceptedWrite struct {
	Method string `json:"method"`
	URL    string `json:"url"`
	Status int    `json:"status"`
	// Location is the answer's Location header, "" for none.
	Location string `json:"location"`
	// Undone is false when the change could not be undone, or the undo
	// could not be verified: the run fails, and the reports list it among
	// the failed restores.
	Undone bool `json:"undone"`
	// Undo says what the suite did about it: what it deleted or put back
	// and how it verified that, that nothing needed undoing, or why it
	// could not undo it.
	Undo string `json:"undo"`
	// Commands are curl lines: the request the target accepted, then the
	// ones the suite sent to undo it, for a person to check or finish the
	// undo by hand.
	Commands []string `json:"commands"`
	// Transcript holds the exchanges of the undo (the read before the
	// request, the delete or the put back, the read that verified it).
	Transcript string `json:"transcript"`
}

// Accepted is the sentence every report says an accepted write with: the
// target accepted METHOD URL (STATUS[, Location: ...]); data may have
// changed.
func (w *AcceptedWrite) Accepted() string {
	st := fmt.Sprint(w.Status)
	if w.Location != "" {
		st += ", Location: " + w.Location
	}
	return fmt.Sprintf("the target accepted %s %s (%s); data may have changed", w.Method, w.URL, st)
}

// Outcome says in a line whether it was undone: "undone: ...", or "NOT
// UNDONE: ...".
func (w *AcceptedWrite) Outcome() string {
	if w.Undone {
		return "undone: " + w.Undo
	}
	return "NOT UNDONE: " + w.Undo
}

// FailedRestore is the message a write the suite could not undo leaves
// among the failed restores, worded as a state the suite could not restore
// is: what happened, why it could not be undone, and the curl lines to
// check and undo it by hand.
func (w *AcceptedWrite) FailedRestore(scenario string) string {
	msg := fmt.Sprintf("RESTORE FAILED: in %q %s, and the suite could not undo it: %s.", scenario, w.Accepted(), w.Undo)
	switch len(w.Commands) {
	case 0:
	case 1:
		msg += "\nCheck and undo it by hand; the request the target accepted:\n  " + w.Commands[0]
	default:
		msg += "\nCheck and undo it by hand; the request the target accepted, then what the suite sent to undo it:\n  " + strings.Join(w.Commands, "\n  ")
	}
	return msg
}
