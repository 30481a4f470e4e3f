package internal_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestDocumentationLinksResolve: the README and docs/ link to each other's
// sections; a section moved or renamed must not leave a dead link.
func TestDocumentationLinksResolve(t *testing.T) {
	files := []string{"README.md", "ARCHITECTURE.md", "CONTRIBUTING.md"}
	docs, _ := filepath.Glob("../docs/*.md")
	for _, d := range docs {
		files = append(files, filepath.ToSlash(strings.TrimPrefix(d, "../")))
	}
	if len(docs) < 5 {
		t.Fatalf("only %d files in docs/", len(docs))
	}
	heading := regexp.MustCompile(`^#+ (.*)`)
	anchors := map[string]map[string]bool{}
	for _, f := range files {
		data, err := os.ReadFile("../" + f)
		if err != nil {
			t.Fatal(err)
		}
		anchors[f] = map[string]bool{}
		fence := false
		for _, l := range strings.Split(string(data), "\n") {
			if strings.HasPrefix(l, "```") {
				fence = !fence
			}
			if m := heading.FindStringSubmatch(l); m != nil && !fence {
				anchors[f][slug(m[1])] = true
			}
		}
	}
	link := regexp.MustCompile(`\]\(([^)\s]+)\)`)
	for _, f := range files {
		data, _ := os.ReadFile("../" + f)
		for _, m := range link.FindAllStringSubmatch(string(data), -1) {
			if strings.HasPrefix(m[1], "http") {
				continue
			}
			path, anchor, _ := strings.Cut(m[1], "#")
			target := f
			if path != "" {
				target = filepath.ToSlash(filepath.Join(filepath.Dir(f), path))
			}
			if _, err := os.Stat("../" + target); err != nil {
				t.Errorf("%s links to %s: no such file", f, m[1])
				continue
			}
			if anchor != "" && strings.HasSuffix(target, ".md") && !anchors[target][anchor] {
				t.Errorf("%s links to %s: %s has no such section", f, m[1], target)
			}
		}
	}
}

// slug is the anchor GitHub gives a heading.
func slug(heading string) string {
	s := strings.ToLower(strings.TrimSpace(heading))
	s = regexp.MustCompile(`[^\w\- ]`).ReplaceAllString(s, "")
	return strings.ReplaceAll(s, " ", "-")
}
