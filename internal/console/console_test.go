package console

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestEscape(t *testing.T) {
	for _, tc := range []struct{ in, escape, line string }{
		{"plain text, ünïcode, 日本", "plain text, ünïcode, 日本", "plain text, ünïcode, 日本"},
		{"\x1b[31mred\x1b[0m", `\x1b[31mred\x1b[0m`, `\x1b[31mred\x1b[0m`},
		{"\x1b]0;owned\x07", `\x1b]0;owned\x07`, `\x1b]0;owned\x07`},
		{"\x1b]52;c;cm0gLXJmIH4=\x1b\\", `\x1b]52;c;cm0gLXJmIH4=\x1b\`, `\x1b]52;c;cm0gLXJmIH4=\x1b\`},
		{"8-bit CSI \u009b2J", `8-bit CSI \u009b2J`, `8-bit CSI \u009b2J`},
		{"abc\u202edcba", `abc\u202edcba`, `abc\u202edcba`},
		{"bad \xff\xfe bytes", `bad \xff\xfe bytes`, `bad \xff\xfe bytes`},
		{"a\tb\nc\r\nd", "a\tb\nc\r\nd", `a` + "\t" + `b\nc\r\nd`},
		{"over\rwrite", `over\rwrite`, `over\rwrite`},
		{"trailing\r", `trailing\r`, `trailing\r`},
		{"nul\x00 del\x7f bell\a", `nul\x00 del\x7f bell\x07`, `nul\x00 del\x7f bell\x07`},
	} {
		if got := Escape(tc.in); got != tc.escape {
			t.Errorf("Escape(%q) = %q, want %q", tc.in, got, tc.escape)
		}
		if got := Line(tc.in); got != tc.line {
			t.Errorf("Line(%q) = %q, want %q", tc.in, got, tc.line)
		}
	}
}

func TestWriterEscapesAndRawDoesNot(t *testing.T) {
	var buf bytes.Buffer
	w := NewWriter(&buf)
	if NewWriter(w) != w {
		t.Error("a Writer wrapped again")
	}
	n, err := w.Write([]byte("title \x1b]0;x\x07\n"))
	if err != nil || n != len("title \x1b]0;x\x07\n") {
		t.Fatalf("Write: %d, %v", n, err)
	}
	Raw(w).Write([]byte("\x1b[32mPASS\x1b[0m\n"))
	want := `title \x1b]0;x\x07` + "\n\x1b[32mPASS\x1b[0m\n"
	if buf.String() != want {
		t.Errorf("got %q, want %q", buf.String(), want)
	}
	if Raw(&buf) != &buf {
		t.Error("Raw of a plain writer is not itself")
	}
}

// FuzzEscape: whatever the text, what Escape gives is valid UTF-8 with no
// character a terminal acts on but line feeds, tabs and CR LF; Line's has
// no line break at all.
func FuzzEscape(f *testing.F) {
	for _, s := range []string{"", "\x1b[2J", "a\r\nb\rc", "\xff\u202e\u009b", "ok"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, oneLine := range []bool{false, true} {
			out := escape(s, oneLine)
			if !utf8.ValidString(out) {
				t.Fatalf("escape(%q) = %q, not UTF-8", s, out)
			}
			for i, r := range out {
				if unsafe(r, out[i+utf8.RuneLen(r):], oneLine) {
					t.Fatalf("escape(%q, %v) = %q keeps %U", s, oneLine, out, r)
				}
			}
			if oneLine && strings.ContainsAny(out, "\r\n") {
				t.Fatalf("Line(%q) = %q breaks the line", s, out)
			}
		}
	})
}
