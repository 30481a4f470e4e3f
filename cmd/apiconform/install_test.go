package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// The install recipes are what a new user meets first, and nothing else
// runs them: these tests run the README's from-source lines, the GitHub
// Action's shell steps and the GitLab template's jobs as written, from a
// clone of this repository, against a reference target. Only what a CI
// service does itself is stood in for: the clone URL points at the local
// repository, the Action's `${{ }}` expressions are filled in, and the
// `uses:` steps (setup-go, upload-artifact) are left to the Go at hand.
// They clone the committed HEAD, so uncommitted changes are not in them.

// upstream is the clone URL the recipes name, replaced by the local one.
const upstream = "https://github.com/apiconform/apiconform.git"

// localClone clones the repository into a temporary directory, with its
// HEAD on a branch of a known name, and returns its file:// URL, the
// branch and the directory.
func localClone(t *testing.T) (url, branch, dir string) {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("git", "-C", root, "rev-parse", "HEAD").CombinedOutput(); err != nil {
		t.Skipf("the recipes clone the repository, and %s is no git checkout: %s", root, out)
	}
	dir = filepath.Join(t.TempDir(), "apiconform")
	branch = "recipe-under-test"
	for _, args := range [][]string{
		{"clone", "--quiet", root, dir},
		{"-C", dir, "checkout", "--quiet", "-B", branch},
	} {
		if out, err := exec.Command("git", args...).CombinedOutput(); err != nil {
			t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	return "file://" + dir, branch, dir
}

// shell runs a script with bash as a CI runner does (stopping at the first
// failing command) in dir, and returns its output.
func shell(t *testing.T, dir, script string, env []string) string {
	t.Helper()
	cmd := exec.Command("bash", "-eo", "pipefail", "-c", script)
	cmd.Dir = dir
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("the script failed: %v\n--- script\n%s\n--- output\n%s", err, script, out)
	}
	return string(out)
}

// referenceTarget serves plain-pets, a contract that needs no credentials,
// on loopback for the runs the recipes make.
func referenceTarget(t *testing.T) string {
	t.Helper()
	_, srv := serveFault(t, "plain-pets", "")
	return srv.URL
}

func TestReadmeInstallFromSourceRunsAsWritten(t *testing.T) {
	t.Parallel()
	readme := readRepoFile(t, "README.md")
	start := strings.Index(readme, "## Install\n")
	if start < 0 {
		t.Fatal("the README has no Install section")
	}
	block := regexp.MustCompile("(?s)```sh\n(.*?)```").FindStringSubmatch(readme[start:])
	if block == nil || !strings.Contains(block[1], upstream) {
		t.Fatalf("the Install section's first sh block does not clone %s: %q", upstream, block)
	}
	url, _, _ := localClone(t)
	work := t.TempDir()
	out := shell(t, work, strings.ReplaceAll(block[1], upstream, url), cleanEnv())
	if !regexp.MustCompile(`(?m)^apiconform \S+`).MatchString(out) {
		t.Errorf("the recipe's last line did not print the version:\n%s", out)
	}
	if _, err := os.Stat(filepath.Join(work, "apiconform", "bin", "apiconform")); err != nil {
		t.Errorf("the recipe built no bin/apiconform in the clone: %v", err)
	}
}

// actionStep is a step of the composite action as far as it is run here.
type actionStep struct {
	Name  string
	Uses  string
	Run   string
	Shell string
	Env   map[string]string
}

func TestGitHubActionBuildsFromItsCheckoutAndRuns(t *testing.T) {
	t.Parallel()
	var action struct {
		Inputs map[string]struct{ Default string }
		Runs   struct{ Steps []actionStep }
	}
	if err := yaml.Unmarshal([]byte(readRepoFile(t, "action.yml")), &action); err != nil {
		t.Fatal(err)
	}
	_, _, checkout := localClone(t)
	work, temp := t.TempDir(), t.TempDir()
	githubPath, githubOutput := filepath.Join(temp, "github_path"), filepath.Join(temp, "github_output")
	inputs := map[string]string{"target": referenceTarget(t), "contract": "plain-pets", "args": "--allow-writes"}
	for name, in := range action.Inputs {
		if _, set := inputs[name]; !set {
			inputs[name] = in.Default
		}
	}
	expr := regexp.MustCompile(`\$\{\{\s*([^}]*?)\s*\}\}`)
	fill := func(v string) string {
		return expr.ReplaceAllStringFunc(v, func(m string) string {
			e := expr.FindStringSubmatch(m)[1]
			switch {
			case strings.HasPrefix(e, "inputs."):
				return inputs[strings.TrimPrefix(e, "inputs.")]
			case e == "github.action_ref":
				return "" // a local action has none
			}
			t.Fatalf("action.yml uses the expression %q, which this test does not fill in", m)
			return ""
		})
	}
	path := os.Getenv("PATH")
	ran := 0
	for _, st := range action.Runs.Steps {
		if st.Run == "" {
			continue
		}
		if st.Shell != "bash" {
			t.Fatalf("step %q runs in %q, not bash", st.Name, st.Shell)
		}
		if added, err := os.ReadFile(githubPath); err == nil {
			for _, dir := range strings.Fields(string(added)) {
				path = dir + string(os.PathListSeparator) + path
			}
		}
		env := append(cleanEnv(), "GITHUB_ACTION_PATH="+checkout, "RUNNER_TEMP="+temp,
			"GITHUB_PATH="+githubPath, "GITHUB_OUTPUT="+githubOutput, "PATH="+path)
		for k, v := range st.Env {
			env = append(env, k+"="+fill(v))
		}
		shell(t, work, fill(st.Run), env)
		ran++
	}
	if ran < 2 {
		t.Fatalf("only %d shell steps in action.yml", ran)
	}
	out, _ := os.ReadFile(githubOutput)
	if !strings.Contains(string(out), "exit-code=0") {
		t.Errorf("the action's run step did not report exit-code=0: %q", out)
	}
	for _, f := range []string{"junit.xml", "results.json", "report.html"} {
		if _, err := os.Stat(filepath.Join(work, inputs["reports"], f)); err != nil {
			t.Errorf("the action left no %s for the upload step: %v", f, err)
		}
	}
}

func TestGitLabTemplateJobsRunAsWritten(t *testing.T) {
	t.Parallel()
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(readRepoFile(t, "ci/gitlab/apiconform.gitlab-ci.yml")), &doc); err != nil {
		t.Fatal(err)
	}
	jobs := map[string]*yaml.Node{}
	root := doc.Content[0]
	for i := 0; i+1 < len(root.Content); i += 2 {
		jobs[root.Content[i].Value] = root.Content[i+1]
	}
	field := func(job *yaml.Node, key string) *yaml.Node {
		for i := 0; i+1 < len(job.Content); i += 2 {
			if job.Content[i].Value == key {
				return job.Content[i+1]
			}
		}
		return nil
	}
	// script resolves GitLab's !reference [job, script] entries, as the
	// runner does, into the lines run in one shell.
	var script func(name string) []string
	script = func(name string) []string {
		job := jobs[name]
		if job == nil {
			t.Fatalf("the template has no job %s", name)
		}
		var lines []string
		for _, n := range field(job, "script").Content {
			if n.Tag == "!reference" {
				lines = append(lines, script(n.Content[0].Value)...)
				continue
			}
			lines = append(lines, n.Value)
		}
		return lines
	}
	url, branch, _ := localClone(t)
	project := t.TempDir()
	target := referenceTarget(t)
	runJob := func(name string, extra ...string) string {
		env := cleanEnv()
		if vars := field(jobs[name], "variables"); vars != nil {
			for i := 0; i+1 < len(vars.Content); i += 2 {
				env = append(env, vars.Content[i].Value+"="+vars.Content[i+1].Value)
			}
		}
		// the project's CI/CD variables, and the runner's own
		env = append(env, "APICONFORM_SOURCE="+url, "APICONFORM_REF="+branch, "CI_PROJECT_DIR="+project,
			"APICONFORM_TARGET="+target, "APICONFORM_CONTRACT=plain-pets", "APICONFORM_ARGS=--allow-writes")
		return shell(t, project, strings.Join(script(name), "\n"), append(env, extra...))
	}
	for _, shard := range []string{"1", "2"} {
		runJob(".apiconform", "CI_NODE_TOTAL=2", "CI_NODE_INDEX="+shard)
	}
	out := runJob(".apiconform-merge")
	for _, f := range []string{"reports/shard-1/junit.xml", "reports/shard-2/results.json", "merged/junit.xml", "merged/report.html"} {
		if _, err := os.Stat(filepath.Join(project, f)); err != nil {
			t.Errorf("the jobs left no %s: %v\n%s", f, err, out)
		}
	}
	merged, _ := os.ReadFile(filepath.Join(project, "merged", "junit.xml"))
	if !bytes.Contains(merged, []byte("<testcase")) {
		t.Errorf("the merged JUnit report has no testcase:\n%s", merged)
	}
}
