package report

import (
	"fmt"
	"unicode/utf8"

	"github.com/apiconform/apiconform/internal/probe"
)

// MaxTranscriptBytes is the longest transcript a report holds, per
// scenario and per undo of an accepted write: the exchanges of a scenario
// together, room for 32 of the longest transcript of one exchange
// (probe.MaxTranscript, 32 KiB), 1 MiB. A run cuts a longer one (saying so
// where it cuts), so that every report it writes is one merge reads; merge
// refuses a results file with a longer one, which this version did not
// write.
const MaxTranscriptBytes = 32 * probe.MaxTranscript

// clipTranscript cuts a transcript to MaxTranscriptBytes, the note of the
// cut included, on a character boundary.
func clipTranscript(s string) string {
	if len(s) <= MaxTranscriptBytes {
		return s
	}
	note := fmt.Sprintf("\n... (the transcript is cut here at the report's bound; it had %d bytes in all)", len(s))
	cut := MaxTranscriptBytes - len(note)
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + note
}

// transcriptOver says why a results file's transcripts cannot be read:
// one is past MaxTranscriptBytes. "" when none is.
func transcriptOver(rep *JSONReport) string {
	for i, s := range rep.Scenarios {
		if len(s.Transcript) > MaxTranscriptBytes {
			return fmt.Sprintf("scenario %d (%q): its transcript has %d bytes, more than the %d a report holds (MaxTranscriptBytes): not a file apiconform wrote", i, s.ID, len(s.Transcript), MaxTranscriptBytes)
		}
		for _, w := range s.AcceptedWrites {
			if len(w.Transcript) > MaxTranscriptBytes {
				return fmt.Sprintf("scenario %d (%q): the transcript of its accepted write has %d bytes, more than the %d a report holds (MaxTranscriptBytes): not a file apiconform wrote", i, s.ID, len(w.Transcript), MaxTranscriptBytes)
			}
		}
	}
	return ""
}
