package report

import (
	"bytes"
	"strings"
	"testing"
)

// TestLongTranscriptsAreCutToWhatMergeReads: a run's transcript past the
// bound is cut, saying so, to a length ReadJSON takes back; a file with a
// longer one is refused.
func TestLongTranscriptsAreCutToWhatMergeReads(t *testing.T) {
	long := strings.Repeat("< X-Padding: é\n", MaxTranscriptBytes/8)
	got := clipTranscript(long)
	if len(got) > MaxTranscriptBytes || !strings.HasSuffix(got, "bytes in all)") || !strings.HasPrefix(long, got[:len(got)-200]) {
		t.Fatalf("cut to %d bytes, ending %q", len(got), got[len(got)-120:])
	}
	if clipTranscript("short") != "short" {
		t.Error("a short transcript was changed")
	}
	rep := &JSONReport{Format: JSONFormat, Scenarios: []JSONScenario{{ID: "a", Result: Passed, Transcript: got}}}
	var buf bytes.Buffer
	if err := EncodeJSON(&buf, rep); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadJSON(bytes.NewReader(buf.Bytes())); err != nil {
		t.Fatalf("a cut transcript does not read back: %v", err)
	}
	rep.Scenarios[0].Transcript = long
	buf.Reset()
	EncodeJSON(&buf, rep)
	if _, err := ReadJSON(&buf); err == nil || !strings.Contains(err.Error(), `scenario 0 ("a"): its transcript has`) {
		t.Fatalf("a transcript past the bound: %v", err)
	}
}

func TestReadJSONRefusesAFileWithoutScenarios(t *testing.T) {
	for _, doc := range []string{
		`{"format":"apiconform-results/1","failed_restores":[],"run":{},"summary":{},"scenarios":null}`,
		`{"format":"apiconform-results/1","failed_restores":[],"run":{},"summary":{}}`,
	} {
		if _, err := ReadJSON(strings.NewReader(doc)); err == nil || !strings.Contains(err.Error(), `"scenarios" is null or missing`) {
			t.Errorf("%s: %v", doc, err)
		}
	}
	rep, err := ReadJSON(strings.NewReader(`{"format":"apiconform-results/1","failed_restores":null,"run":{},"summary":{},"scenarios":[]}`))
	if err != nil || rep.FailedRestores == nil {
		t.Errorf("an empty run reads, failed_restores as []: %v %v", rep, err)
	}
}
