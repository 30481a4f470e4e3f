package overlay

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

const pets = `openapi: 3.0.3
info:
  title: Pets
  version: "1.0"
tags:
  - name: pets
paths:
  /pets:
    get:
      operationId: listPets
      parameters:
        - {name: limit, in: query, schema: {type: integer, maximum: 100}}
        - {name: dummy, in: query, schema: {type: string}}
      responses:
        "200": {description: OK}
    post:
      operationId: createPet
      responses:
        201: {description: Created}
  /pets/{id}:
    get:
      operationId: getPet
      responses:
        "200": {description: OK}
`

// apply applies overlays given as texts to a document and returns the
// result read back as plain values.
func apply(t *testing.T, doc string, overlays ...string) (map[string]any, []string) {
	t.Helper()
	d, err := ParseDocument([]byte(doc), "pets.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var warnings []string
	for i, text := range overlays {
		o, err := Parse([]byte(text), "o"+string(rune('1'+i))+".yaml")
		if err != nil {
			t.Fatal(err)
		}
		w, err := d.Apply(o)
		if err != nil {
			t.Fatal(err)
		}
		warnings = append(warnings, w...)
	}
	out, err := d.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := yaml.Unmarshal(out, &m); err != nil {
		t.Fatalf("the result does not read back: %v\n%s", err, out)
	}
	return m, warnings
}

// at walks a decoded document by keys and indexes.
func at(t *testing.T, v any, path ...any) any {
	t.Helper()
	for _, p := range path {
		switch k := p.(type) {
		case string:
			var ok bool
			switch m := v.(type) {
			case map[string]any:
				v, ok = m[k]
			case map[any]any: // a key such as 201 that YAML reads as a number
				if v, ok = m[k]; !ok {
					n, err := strconv.Atoi(k)
					v, ok = m[n], err == nil
				}
			default:
				t.Fatalf("%v: not an object at %q", path, k)
			}
			if !ok || v == nil {
				return nil
			}
		case int:
			s, ok := v.([]any)
			if !ok || k >= len(s) {
				t.Fatalf("%v: no item %d", path, k)
			}
			v = s[k]
		}
	}
	return v
}

func TestUpdateMergesRecursively(t *testing.T) {
	m, w := apply(t, pets, `overlay: 1.0.0
info: {title: skip, version: "1"}
actions:
  - target: $.paths['/pets'].get
    update:
      summary: Lists the pets.
      responses:
        "200": {description: The pets}
        "400": {description: Bad}
      x-conformance:
        skip: {success: not in staging}
`)
	if len(w) != 0 {
		t.Errorf("warnings: %v", w)
	}
	get := at(t, m, "paths", "/pets", "get")
	if at(t, get, "operationId") != "listPets" {
		t.Error("a property the update does not name was lost")
	}
	if at(t, get, "summary") != "Lists the pets." {
		t.Error("a new property was not added")
	}
	if at(t, get, "responses", "200", "description") != "The pets" {
		t.Error("a property of a nested object was not replaced")
	}
	if at(t, get, "responses", "400", "description") != "Bad" {
		t.Error("a key of a nested object was not added")
	}
	if at(t, get, "x-conformance", "skip", "success") != "not in staging" {
		t.Error("x-conformance was not added")
	}
	if at(t, m, "paths", "/pets", "post", "operationId") != "createPet" {
		t.Error("a sibling of the target changed")
	}
}

func TestUpdateAppendsToLists(t *testing.T) {
	m, _ := apply(t, pets, `overlay: 1.0.0
info: {title: lists, version: "1"}
actions:
  - target: $.tags
    update: {name: admin}
  - target: $.tags
    update: [{name: a}, {name: b}]
  - target: $.paths['/pets'].get
    update:
      parameters:
        - {name: offset, in: query}
`)
	tags := at(t, m, "tags").([]any)
	var names []string
	for _, tag := range tags {
		names = append(names, at(t, tag, "name").(string))
	}
	if got := strings.Join(names, ","); got != "pets,admin,a,b" {
		t.Errorf("tags = %s, want pets,admin,a,b (an item appended, a list's items appended)", got)
	}
	params := at(t, m, "paths", "/pets", "get", "parameters").([]any)
	if len(params) != 3 || at(t, params[2], "name") != "offset" {
		t.Errorf("a list inside a merged object was not appended to: %v", params)
	}
}

func TestRemove(t *testing.T) {
	m, _ := apply(t, pets, `overlay: 1.0.0
info: {title: remove, version: "1"}
actions:
  - target: $.paths.*.get.parameters[?@.name == 'dummy']
    remove: true
  - target: $.paths['/pets/{id}']
    remove: true
    update: {ignored: true}
  - target: $.paths['/pets'].post.responses['201'].description
    remove: true
`)
	params := at(t, m, "paths", "/pets", "get", "parameters").([]any)
	if len(params) != 1 || at(t, params[0], "name") != "limit" {
		t.Errorf("the filtered item was not removed alone: %v", params)
	}
	if at(t, m, "paths", "/pets/{id}") != nil {
		t.Error("the path was not removed")
	}
	if at(t, m, "paths", "/pets", "post", "responses", "201", "description") != nil {
		t.Error("a string property was not removed")
	}
	if at(t, m, "paths", "/pets", "post", "operationId") != "createPet" {
		t.Error("more than the target was removed")
	}
}

func TestRemoveSeveralItemsOfOneList(t *testing.T) {
	m, _ := apply(t, pets, `overlay: 1.0.0
info: {title: remove all, version: "1"}
actions:
  - target: $.paths['/pets'].get.parameters[*]
    remove: true
`)
	if params := at(t, m, "paths", "/pets", "get", "parameters").([]any); len(params) != 0 {
		t.Errorf("items left: %v", params)
	}
}

func TestATargetThatSelectsNothingIsAWarning(t *testing.T) {
	m, w := apply(t, pets, `overlay: 1.0.0
info: {title: nothing, version: "1"}
actions:
  - target: $.paths['/cats']
    update: {x-note: never}
  - target: $.info
    update: {x-note: applied}
`)
	if len(w) != 1 || !strings.Contains(w[0], "o1.yaml:4: action 1 (target $.paths['/cats'])") || !strings.Contains(w[0], "selects nothing") {
		t.Errorf("warnings = %q", w)
	}
	if at(t, m, "info", "x-note") != "applied" {
		t.Error("the action after the one that selected nothing was not applied")
	}
}

func TestSeveralOverlaysApplyInOrder(t *testing.T) {
	first := `overlay: 1.0.0
info: {title: first, version: "1"}
actions:
  - target: $.info
    update: {x-by: first, x-first: true}
`
	second := `overlay: 1.0.1
info: {title: second, version: "1"}
actions:
  - target: $.info
    update: {x-by: second}
  - target: $.info['x-first']
    remove: true
`
	m, _ := apply(t, pets, first, second)
	if at(t, m, "info", "x-by") != "second" {
		t.Error("the later overlay did not win")
	}
	if at(t, m, "info", "x-first") != nil {
		t.Error("the later overlay did not see the earlier one's result")
	}
	m, _ = apply(t, pets, second, first)
	if at(t, m, "info", "x-by") != "first" || at(t, m, "info", "x-first") != true {
		t.Errorf("in the other order: %v", at(t, m, "info"))
	}
}

func TestNullInAnUpdateChangesNothing(t *testing.T) {
	m, _ := apply(t, pets, `overlay: 1.0.0
info: {title: structured, version: "1"}
actions:
  - target: $
    update:
      info: {x-overlay-applied: structured}
      tags:
`)
	if tags, _ := at(t, m, "tags").([]any); len(tags) != 1 {
		t.Errorf("tags = %v", at(t, m, "tags"))
	}
	if at(t, m, "info", "x-overlay-applied") != "structured" {
		t.Error("the root update was not merged")
	}
}

func TestJSONDocumentAndAnchors(t *testing.T) {
	doc := `{"openapi": "3.0.3", "info": {"title": "J", "version": "1"},
"paths": {"/a": {"get": {"responses": {"200": {"description": "OK"}}}}}}`
	m, _ := apply(t, doc, `overlay: 1.0.0
info: {title: anchors, version: "1"}
actions:
  - target: $.paths['/a'].get
    update: &skip
      x-conformance: {skip: {success: read-only}}
  - target: $.info
    update:
      <<: *skip
      x-more: 1
`)
	if at(t, m, "paths", "/a", "get", "x-conformance", "skip", "success") != "read-only" {
		t.Error("the update was not applied to a JSON document")
	}
	if at(t, m, "info", "x-conformance", "skip", "success") != "read-only" || at(t, m, "info", "x-more") != 1 {
		t.Errorf("a merge key in an update was not expanded: %v", at(t, m, "info"))
	}
	if at(t, m, "paths", "/a", "get", "responses", "200", "description") != "OK" {
		t.Error("a quoted numeric key was lost")
	}
}

func TestAliasesInTheDocumentAreCopiedNotShared(t *testing.T) {
	doc := `openapi: 3.0.3
info: {title: A, version: "1"}
x-shared: &r {description: OK}
paths:
  /a: {get: {responses: {"200": *r}}}
  /b: {get: {responses: {"200": *r}}}
`
	m, _ := apply(t, doc, `overlay: 1.0.0
info: {title: one, version: "1"}
actions:
  - target: $.paths['/a'].get.responses['200']
    update: {description: changed}
`)
	if at(t, m, "paths", "/a", "get", "responses", "200", "description") != "changed" {
		t.Error("not changed")
	}
	if at(t, m, "paths", "/b", "get", "responses", "200", "description") != "OK" {
		t.Error("changing one alias changed the other")
	}
}

// overlayError applies an overlay and returns its error, which must be an
// *Error naming the file.
func overlayError(t *testing.T, text string) *Error {
	t.Helper()
	o, err := Parse([]byte(text), "fix.yaml")
	if err == nil {
		d, derr := ParseDocument([]byte(pets), "pets.yaml")
		if derr != nil {
			t.Fatal(derr)
		}
		_, err = d.Apply(o)
	}
	if err == nil {
		t.Fatalf("no error for\n%s", text)
	}
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("%T %v: not an *Error", err, err)
	}
	if !strings.HasPrefix(err.Error(), "overlay fix.yaml:") {
		t.Errorf("%q does not name the file and line", err)
	}
	return e
}

func TestErrorsNameFileLineAndAction(t *testing.T) {
	head := "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n"
	cases := []struct {
		name, text string
		line       int
		action     int
		want       string
	}{
		{"bad JSONPath", head + "  - target: $.paths[\n    update: {x: 1}\n", 4, 1, "not a valid JSONPath"},
		{"not JSONPath at all", head + "  - target: $.info\n    update: {x: 1}\n  - target: paths./pets\n    remove: true\n", 6, 2, "not a valid JSONPath"},
		{"neither update nor remove", head + "  - target: $.info\n    description: nothing\n", 4, 1, "does nothing"},
		{"remove false alone", head + "  - target: $.info\n    remove: false\n", 4, 1, "does nothing"},
		{"remove not a boolean", head + "  - target: $.info\n    remove: yes please\n", 5, 1, "true or false"},
		{"empty update", head + "  - target: $.info\n    update:\n", 5, 1, "update is empty"},
		{"unknown action key", head + "  - target: $.info\n    updates: {x: 1}\n", 5, 1, `unknown key "updates"`},
		{"copy", head + "  - target: $.info\n    copy: $.tags\n", 5, 1, "Overlay 1.1"},
		{"update of a string", head + "  - target: $.info.title\n    update: {x: 1}\n", 4, 1, "select the object that holds it"},
		{"scalar update of an object", head + "  - target: $.info\n    update: hello\n", 4, 1, "must be an object"},
		{"remove the root", head + "  - target: $\n    remove: true\n", 4, 1, "whole document"},
		{"update with a key that is not a string", head + "  - target: $.info\n    update:\n      ? [a, b]\n      : c\n", 6, 1, "key that is not a string"},
		{"update with a key twice", head + "  - target: $.info\n    update:\n      x-a: {b: 1, b: 2}\n", 6, 1, `gives key "b" twice`},
		{"no target", head + "  - update: {x: 1}\n", 4, 1, "no target"},
		{"version", "overlay: 1.1.0\ninfo: {title: t, version: '1'}\nactions: [{target: $, update: {}}]\n", 1, 0, "Overlay 1.0.x"},
		{"no info", "overlay: 1.0.0\nactions: [{target: $, update: {}}]\n", 1, 0, "no info"},
		{"no actions", "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions: []\n", 3, 0, "at least one action"},
		{"unknown root key", "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactionz: []\n", 3, 0, `unknown key "actionz"`},
		{"not an object", "- overlay\n", 1, 0, "an overlay is an object"},
		{"not YAML", "overlay: [1.0.0\n", 0, 0, "not YAML or JSON"},
		{"alias loop", "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n  - &a {target: $.info, update: {x: [*a]}}\n", 4, 0, "contains it"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := overlayError(t, tc.text)
			if e.Line != tc.line || e.Action != tc.action {
				t.Errorf("%q: line %d action %d, want line %d action %d", e, e.Line, e.Action, tc.line, tc.action)
			}
			if !strings.Contains(e.Error(), tc.want) {
				t.Errorf("%q does not say %q", e, tc.want)
			}
		})
	}
}

func TestReadBoundsTheFile(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.yaml")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(MaxFile + 1); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if _, err := Read(big); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("a file over the bound: %v", err)
	}
	if _, err := Read(filepath.Join(dir, "none.yaml")); err == nil || !strings.Contains(err.Error(), "overlay "+filepath.Join(dir, "none.yaml")+": no such file") {
		t.Errorf("a missing file: %v", err)
	}
}

func TestApplyFilesChecksEveryOverlayFirst(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.yaml")
	os.WriteFile(good, []byte("overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions: [{target: $.info, update: {x-a: 1}}]\n"), 0o644)
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions: [{target: '$.', update: {}}]\n"), 0o644)
	if _, _, err := ApplyFiles([]byte("not: [a document"), "pets.yaml", []string{good, bad}); err == nil || !strings.Contains(err.Error(), "bad.yaml:3") {
		t.Errorf("the bad overlay should be named before the document is read: %v", err)
	}
	out, w, err := ApplyFiles([]byte(pets), "pets.yaml", []string{good})
	if err != nil || len(w) != 0 {
		t.Fatal(err, w)
	}
	if !strings.Contains(string(out), "x-a: 1") || !strings.Contains(string(out), `"200":`) {
		t.Errorf("the result:\n%s", out)
	}
}

func TestDocumentErrors(t *testing.T) {
	for doc, want := range map[string]string{
		"openapi: [3":                     "not YAML or JSON",
		"- a list":                        "not an OpenAPI document",
		"a: 1\nb: {c: 1, c: 2}\n":         `key "c" is given twice`,
		"a: &x [*x]\n":                    "contains it",
		"? [complex, key]\n: value\n":     "not a string",
		"a: &a [1,2]\nb: &b [*a,*a,*a]\n": "",
	} {
		_, err := ParseDocument([]byte(doc), "d.yaml")
		switch {
		case want == "" && err != nil:
			t.Errorf("%q: %v", doc, err)
		case want != "" && (err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "contract d.yaml")):
			t.Errorf("%q: %v, want %q naming the contract", doc, err, want)
		}
	}
}

func TestExpandingAliasesIsBounded(t *testing.T) {
	// Each level doubles: 2^30 nodes if expanded without a bound.
	var b strings.Builder
	b.WriteString("l0: &l0 [x, x]\n")
	for i := 1; i <= 30; i++ {
		b.WriteString("l" + itoa(i) + ": &l" + itoa(i) + " [*l" + itoa(i-1) + ", *l" + itoa(i-1) + "]\n")
	}
	if _, err := ParseDocument([]byte(b.String()), "laughs.yaml"); err == nil || !strings.Contains(err.Error(), "too many nodes") {
		t.Errorf("err = %v", err)
	}
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}
