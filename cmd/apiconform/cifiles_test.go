package main

import (
	"flag"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// The CI files (the action, the GitLab template, the Dockerfile) and the
// README's CI section cannot be run here, no CI and no Docker engine being
// at hand: these tests read them and check what can go stale unnoticed,
// the flags, variables, module path and Go version they name.

func readRepoFile(t *testing.T, rel string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", rel))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// ciText is every text a CI user copies from: the files and the README's
// "Run it in CI" section.
func ciText(t *testing.T) map[string]string {
	t.Helper()
	readme := readRepoFile(t, "README.md")
	start := strings.Index(readme, "## Run it in CI")
	end := strings.Index(readme[start+1:], "\n## ")
	if start < 0 || end < 0 {
		t.Fatal("the README has no \"Run it in CI\" section")
	}
	return map[string]string{
		"action.yml":                         readRepoFile(t, "action.yml"),
		"ci/gitlab/apiconform.gitlab-ci.yml": readRepoFile(t, "ci/gitlab/apiconform.gitlab-ci.yml"),
		"Dockerfile":                         readRepoFile(t, "Dockerfile"),
		"README.md#run-it-in-ci":             readme[start : start+1+end],
	}
}

// TestCIFilesUseRealFlagsAndVariables: every `apiconform run|merge|list`
// command in them uses flags the command has, and every APICONFORM_
// variable is one apiconform reads (or one the templates define).
func TestCIFilesUseRealFlagsAndVariables(t *testing.T) {
	flagsOf := map[string]*flag.FlagSet{}
	vars := map[string]bool{}
	_, re := runFlags(io.Discard)
	flagsOf["run"] = re.fs
	_, me := mergeFlags(io.Discard)
	flagsOf["merge"] = me.fs
	for _, e := range []*envFlags{re} {
		for _, v := range e.vars {
			vars[v] = true
		}
	}
	// the templates' own
	for _, v := range []string{"APICONFORM_VERSION", "APICONFORM_ARGS", "APICONFORM_SOURCE", "APICONFORM_REF"} {
		vars[v] = true
	}
	cmdLine := regexp.MustCompile(`apiconform (run|merge)\b((?:[^\n]|\\\n)*)`)
	flagRE := regexp.MustCompile(`(?:^|\s)--?([a-z][a-z-]*)`)
	varRE := regexp.MustCompile(`APICONFORM_[A-Z_]+`)
	argsLine := regexp.MustCompile(`(?m)\b(?:args|APICONFORM_ARGS): (.*)$`)
	commands := 0
	for name, text := range ciText(t) {
		for _, m := range cmdLine.FindAllStringSubmatch(text, -1) {
			commands++
			fs := flagsOf[m[1]]
			for _, f := range flagRE.FindAllStringSubmatch(m[2], -1) {
				if fs.Lookup(f[1]) == nil {
					t.Errorf("%s: `apiconform %s` has no flag --%s: %q", name, m[1], f[1], strings.TrimSpace(m[0]))
				}
			}
		}
		// the action's args input and the template's APICONFORM_ARGS
		for _, m := range argsLine.FindAllStringSubmatch(text, -1) {
			for _, f := range flagRE.FindAllStringSubmatch(m[1], -1) {
				if flagsOf["run"].Lookup(f[1]) == nil {
					t.Errorf("%s: `apiconform run` has no flag --%s: %q", name, f[1], strings.TrimSpace(m[0]))
				}
			}
		}
		for _, v := range varRE.FindAllString(text, -1) {
			if !vars[v] {
				t.Errorf("%s: apiconform reads no variable %s", name, v)
			}
		}
	}
	if commands < 6 {
		t.Errorf("only %d apiconform commands found in the CI files: the pattern is broken", commands)
	}
}

// TestCIFilesInstallTheModuleWithItsGo: they install this module's command
// with the Go version go.mod asks for, and parse as YAML where they are.
func TestCIFilesInstallTheModuleWithItsGo(t *testing.T) {
	gomod := readRepoFile(t, "go.mod")
	module := regexp.MustCompile(`(?m)^module (\S+)`).FindStringSubmatch(gomod)[1]
	goVersion := regexp.MustCompile(`(?m)^go (\d+\.\d+)`).FindStringSubmatch(gomod)[1]
	files := ciText(t)
	for _, name := range []string{"action.yml", "ci/gitlab/apiconform.gitlab-ci.yml"} {
		var doc map[string]any
		if err := yaml.Unmarshal([]byte(files[name]), &doc); err != nil {
			t.Errorf("%s is not YAML: %v", name, err)
		}
		if !strings.Contains(files[name], "go install \"") || !strings.Contains(files[name], module+"/cmd/apiconform@") {
			t.Errorf("%s does not go install %s/cmd/apiconform", name, module)
		}
	}
	var action struct {
		Inputs map[string]struct{ Default string }
	}
	if err := yaml.Unmarshal([]byte(files["action.yml"]), &action); err != nil || action.Inputs["go-version"].Default != goVersion {
		t.Errorf("action.yml's go-version is %q (%v), not %s, the version go.mod asks for", action.Inputs["go-version"].Default, err, goVersion)
	}
	for name, want := range map[string]string{
		"ci/gitlab/apiconform.gitlab-ci.yml": `image: golang:` + regexp.QuoteMeta(goVersion) + `\n`,
		"Dockerfile":                         `FROM golang:` + regexp.QuoteMeta(goVersion) + ` AS build`,
	} {
		if !regexp.MustCompile(want).MatchString(files[name]) {
			t.Errorf("%s does not use Go %s, the version go.mod asks for", name, goVersion)
		}
	}
	docker := files["Dockerfile"]
	for _, want := range []string{"CGO_ENABLED=0", "-X main.version=${VERSION}", "./cmd/apiconform", `VOLUME ["/reports"]`, "WORKDIR /reports", `ENTRYPOINT ["apiconform"]`} {
		if !strings.Contains(docker, want) {
			t.Errorf("the Dockerfile lacks %s", want)
		}
	}
	actionText := files["action.yml"]
	for _, want := range []string{"using: composite", "if: always()", "actions/upload-artifact@", "APICONFORM_JUNIT_REPORT"} {
		if !strings.Contains(actionText, want) {
			t.Errorf("action.yml lacks %s", want)
		}
	}
}
