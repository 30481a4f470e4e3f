package suggest

import "testing"

func TestDistance(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"target", "target", 0}, {"taget", "target", 1},
		{"", "abc", 3}, {"kitten", "sitting", 3}, {"petid", "petId", 1},
	} {
		if got := Distance(tc.a, tc.b); got != tc.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
		if got := Distance(tc.b, tc.a); got != tc.want {
			t.Errorf("Distance(%q, %q) = %d, want %d (not symmetric)", tc.b, tc.a, got, tc.want)
		}
	}
}

func TestNearest(t *testing.T) {
	flags := []string{"target", "contract", "timeout", "run-timeout", "value"}
	for _, tc := range []struct{ name, want string }{
		{"taget", "target"},
		{"contarct", "contract"},
		{"timeot", "timeout"},
		{"valeu", "value"},
		{"zzzzzz", ""}, // nothing close: no suggestion
		{"x", ""},
	} {
		if got := Nearest(tc.name, flags); got != tc.want {
			t.Errorf("Nearest(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
	if got := Nearest("a", nil); got != "" {
		t.Errorf("no candidates gave %q", got)
	}
}
