package main

// Shard reports merge takes from other jobs: one that is not what a run
// writes is refused, saying why, rather than merged into a report that
// looks whole and is not.

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apiconform/apiconform/internal/report"
)

func TestMergeRefusesShardsNoRunWrote(t *testing.T) {
	srv := ucsServer(t, "")
	dir := t.TempDir()
	shard := filepath.Join(dir, "shard.json")
	code, out := execBinary(t, nil, "run", "--target", srv.URL, "--contract", "genesys-ucs", "--basic-auth", "demo:demo",
		"--label-filter", "success", "--json-report", shard)
	if code != 0 {
		t.Fatalf("the run: exit %d\n%s", code, out)
	}
	data, err := os.ReadFile(shard)
	if err != nil {
		t.Fatal(err)
	}
	merged := filepath.Join(dir, "merged.json")
	if code, out := inProcessCombined(t, nil, "merge", "--json-report", merged, shard); code != 0 {
		t.Fatalf("the shard as the run wrote it: exit %d\n%s", code, out)
	}
	for _, tc := range []struct {
		name  string
		spoil func(doc map[string]any)
		want  string
	}{
		{"scenarios null", func(doc map[string]any) { doc["scenarios"] = nil },
			`reading JSON results: "scenarios" is null or missing: not a complete results file`},
		{"a scenario not in the plan", func(doc map[string]any) {
			first(doc)["id"] = "getProfile no.such-family"
		}, `scenario "getProfile no.such-family" is not in the plan of the contract genesys-ucs`},
		{"a transcript past the bound", func(doc map[string]any) {
			first(doc)["transcript"] = strings.Repeat("x", report.MaxTranscriptBytes+1)
		}, "its transcript has 1048577 bytes, more than the 1048576 a report holds"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var doc map[string]any
			if err := json.Unmarshal(data, &doc); err != nil {
				t.Fatal(err)
			}
			tc.spoil(doc)
			bad := filepath.Join(t.TempDir(), "shard.json")
			spoilt, _ := json.Marshal(doc)
			os.WriteFile(bad, spoilt, 0o644)
			code, out := inProcessCombined(t, nil, "merge", "--json-report", filepath.Join(t.TempDir(), "merged.json"), bad)
			if code != exitUsage || !strings.Contains(out, tc.want) {
				t.Fatalf("exit %d, want 2 saying %q:\n%s", code, tc.want, out)
			}
			noStackTrace(t, out)
		})
	}
}

// first is the first scenario of a results file read as a map.
func first(doc map[string]any) map[string]any {
	return doc["scenarios"].([]any)[0].(map[string]any)
}
