package report

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The HTML report is read by people in a browser, so the test renders it in
// one: headless Chromium takes a screenshot of the page and dumps the DOM it
// built, and the test checks what a person sees there.

const (
	browserWidth  = 1280
	browserHeight = 1600
)

// findChromium returns the Chromium binary, or skips the test when there is
// none, except where the browser is required (CI installs it in .ci/run, so
// a CI run without it must not pass silently).
func findChromium(t *testing.T) string {
	t.Helper()
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	const msg = "headless Chromium is not installed (no chromium on PATH, no /usr/bin/chromium): " +
		"the HTML report's browser test needs it; install it with `apt-get install chromium`"
	if os.Getenv("CI") == "true" || os.Getenv("APICONFORM_REQUIRE_BROWSER") == "1" {
		t.Fatal(msg + " (required: CI=true or APICONFORM_REQUIRE_BROWSER=1)")
	}
	t.Skip(msg)
	return ""
}

// runChromium runs headless Chromium on the report with one action flag
// (--screenshot=FILE or --dump-dom) and returns its standard output.
func runChromium(t *testing.T, bin, dir, report string, action string) []byte {
	t.Helper()
	// Bounded: a browser that hangs must not hang the test suite.
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	profile, err := os.MkdirTemp(dir, "profile-")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(ctx, bin,
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--disable-extensions", "--hide-scrollbars", "--force-device-scale-factor=1",
		"--user-data-dir="+profile,
		"--window-size="+strconv.Itoa(browserWidth)+","+strconv.Itoa(browserHeight),
		action, "file://"+report)
	// The browser's home and caches stay in the test's temp dir.
	cmd.Env = append(os.Environ(), "HOME="+profile, "XDG_CONFIG_HOME="+profile, "XDG_CACHE_HOME="+profile)
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			t.Fatalf("chromium %s took more than 60s", action)
		}
		t.Fatalf("chromium %s: %v\n%s", action, err, tail(stderr.String(), 2000))
	}
	return stdout.Bytes()
}

func TestHTMLReportInBrowser(t *testing.T) {
	bin := findChromium(t)
	dir := t.TempDir()
	report := filepath.Join(dir, "report.html")
	f, err := os.Create(report)
	if err != nil {
		t.Fatal(err)
	}
	if err := WriteHTML(f, sampleRun(), sampleBook()); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}

	// What the browser built: the matrix, a failed cell, the failure's
	// details open with the rule ids, the transcript and the curl line.
	dom := string(runChromium(t, bin, dir, report, "--dump-dom"))
	matrix := regexp.MustCompile(`(?s)<table class="matrix">.*?</table>`).FindString(dom)
	if matrix == "" {
		t.Fatalf("no matrix in the rendered page:\n%s", tail(dom, 3000))
	}
	for _, want := range []string{"getProfile", "createProfile", "updateProfile", "getServices", "switchMode", "/profiles", "/apiconform-no-such-path",
		">success<", ">credentials<", ">missing-id<", ">out-of-range<", ">unsupported<", ">options<"} {
		if !strings.Contains(matrix, want) {
			t.Errorf("the rendered matrix lacks %s", want)
		}
	}
	row := regexp.MustCompile(`(?s)<tr[^>]*><th scope="row">getProfile<.*?</tr>`).FindString(matrix)
	if !strings.Contains(row, `class="cell failed"`) || !strings.Contains(row, "fail") {
		t.Errorf("getProfile's row shows no failed cell: %s", row)
	}
	if !strings.Contains(matrix, `class="cell inconclusive"`) || !strings.Contains(matrix, `class="cell warned"`) || !strings.Contains(matrix, `class="cell skipped"`) {
		t.Error("the matrix lacks an inconclusive, warned or skipped cell")
	}
	details := regexp.MustCompile(`(?s)<details class="case failed" id="s-\d+" open="">.*?</details>`).FindString(dom)
	if details == "" {
		t.Fatal("the failure's details are not open in the rendered page")
	}
	for _, want := range []string{"envelope.schema", "envelope.echo-uri", "Authorization: Basic [redacted]",
		"curl -i -X GET 'http://127.0.0.1:18080/cv/profiles/zzzzzzzzzzzzzzzz'"} {
		if !strings.Contains(details, want) {
			t.Errorf("the failure's rendered details lack %s", want)
		}
	}

	// What the page looks like: a PNG of the window's size, in which the
	// failed cell's red and the passed cells' green show.
	shot := filepath.Join(dir, "html-report.png")
	runChromium(t, bin, dir, report, "--screenshot="+shot)
	data, err := os.ReadFile(shot)
	if err != nil {
		t.Fatalf("no screenshot: %v", err)
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("the screenshot is not a PNG: %v", err)
	}
	if b := img.Bounds(); b.Dx() != browserWidth || b.Dy() != browserHeight {
		t.Errorf("screenshot is %dx%d, want %dx%d", b.Dx(), b.Dy(), browserWidth, browserHeight)
	}
	// The cells' backgrounds, as html.tmpl defines them.
	for name, c := range map[string]color.RGBA{
		"failed (#fee2e2)":       {0xfe, 0xe2, 0xe2, 0xff},
		"passed (#dcfce7)":       {0xdc, 0xfc, 0xe7, 0xff},
		"inconclusive (#ffedd5)": {0xff, 0xed, 0xd5, 0xff},
	} {
		if n := countColor(img, c); n < 200 {
			t.Errorf("the screenshot shows %d pixels of the %s colour: the matrix or the details are not visible", n, name)
		}
	}
	t.Logf("screenshot: %s", shot)
	if os.Getenv("APICONFORM_UPDATE_SCREENSHOT") == "1" {
		// The README shows this screenshot; the test made it.
		docs := filepath.Join("..", "..", "docs")
		if err := os.MkdirAll(docs, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(docs, "html-report.png"), data, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("updated %s", filepath.Join(docs, "html-report.png"))
	}
}

// countColor counts the pixels of exactly one colour.
func countColor(img image.Image, want color.RGBA) int {
	n := 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if uint8(r>>8) == want.R && uint8(g>>8) == want.G && uint8(bl>>8) == want.B {
				n++
			}
		}
	}
	return n
}

func tail(s string, n int) string {
	if len(s) > n {
		return "..." + s[len(s)-n:]
	}
	return s
}
