package overlay

import (
	"errors"
	"strings"
	"testing"
)

// FuzzParse reads any text as an overlay: it must never panic, every
// error must be an *Error naming the file, and an overlay that reads must
// apply to a document (or fail with an *Error) leaving a document that
// reads again. The seeds run as a regular test.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		"overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n  - target: $.paths['/pets'].get\n    update: {x-conformance: {skip: {success: no}}}\n",
		"overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n  - target: $.paths.*.get.parameters[?@.name == 'dummy']\n    remove: true\n",
		"overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n  - target: $.tags\n    update: [{name: a}]\n  - target: $..responses[?@.description]\n    update: {x-seen: true}\n",
		"overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n  - target: $\n    update: &u {info: {x-a: *u}}\n",
		"overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n  - target: $.paths[?length(@.*) > 1]\n    remove: true\n  - target: $.info.title\n    update: {}\n",
		`{"overlay": "1.0.0", "info": {"title": "t", "version": "1"}, "actions": [{"target": "$..*", "remove": true}]}`,
		"overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n  - target: $.paths[\n    update: {}\n",
		"overlay: 1.1.0\n",
		"",
		"[",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, text string) {
		o, err := Parse([]byte(text), "fuzz.yaml")
		if err != nil {
			checkError(t, err)
			return
		}
		d, err := ParseDocument([]byte(pets), "pets.yaml")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := d.Apply(o); err != nil {
			checkError(t, err)
			return
		}
		out, err := d.Bytes()
		if err != nil {
			t.Fatalf("the result cannot be written: %v", err)
		}
		if _, err := ParseDocument(out, "result.yaml"); err != nil {
			t.Fatalf("the result does not read again: %v\n%s", err, out)
		}
	})
}

func checkError(t *testing.T, err error) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("%T %v: not an *Error", err, err)
	}
	if !strings.HasPrefix(err.Error(), "overlay fuzz.yaml") {
		t.Fatalf("%q does not name the file", err)
	}
}
