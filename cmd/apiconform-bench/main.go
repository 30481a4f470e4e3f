// Command apiconform-bench measures apiconform against its performance
// targets and prints the figures side by side: a pipelined run against a
// slow loopback target at concurrency 1 and 32 beside the ideal time,
// loading and planning large synthetic contracts (time and peak memory),
// and the CPU time per scenario against a target that answers at once.
//
// Usage: apiconform-bench [-bin bin/apiconform] [-scenarios 1000]
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/apiconform/apiconform/internal/contract"
	"github.com/apiconform/apiconform/internal/plan"
)

func main() {
	if len(os.Args) == 3 && os.Args[1] == "load" {
		os.Exit(load(os.Args[2]))
	}
	if len(os.Args) == 4 && os.Args[1] == "contract" {
		// for profiling by hand: write the synthetic contract of N operations
		n, _ := strconv.Atoi(os.Args[3])
		writeContract(os.Args[2], n)
		return
	}
	if len(os.Args) == 2 && os.Args[1] == "serve" {
		// for profiling by hand: the conforming target, at once, until killed
		fmt.Println(serve(0))
		select {}
	}
	bin := flag.String("bin", "bin/apiconform", "the apiconform binary to measure")
	scenarios := flag.Int("scenarios", 1000, "at least this many scenarios in the pipelined run")
	delay := flag.Duration("delay", 20*time.Millisecond, "the slow target's delay per response")
	flag.Parse()
	dir, err := os.MkdirTemp("", "apiconform-bench")
	if err != nil {
		fail(err)
	}
	defer os.RemoveAll(dir)

	fmt.Println("apiconform benchmarks (targets from issue 6)")
	fmt.Println()
	ops := (*scenarios + 8) / 9
	doc := filepath.Join(dir, "bench.json")
	writeContract(doc, ops)
	n := planned(doc)
	fmt.Printf("(a) a run of %d scenarios (%d operations) against a loopback target that delays every response by %s\n", n, ops, *delay)
	slow := serve(*delay)
	for _, c := range []int{1, 32} {
		wall, _ := runOnce(*bin, doc, slow, c)
		ideal := time.Duration(n) * *delay / time.Duration(c)
		fmt.Printf("    concurrency %2d: %8s   ideal %8s   ratio %.2fx%s\n", c, wall.Round(10*time.Millisecond), ideal.Round(10*time.Millisecond), float64(wall)/float64(ideal), target(c == 32, float64(wall)/float64(ideal) <= 1.3, "target <= 1.3x"))
	}
	fmt.Println()
	fmt.Println("(b) loading and planning synthetic contracts")
	self, _ := os.Executable()
	for _, size := range []int{2000, 10000} {
		f := filepath.Join(dir, fmt.Sprintf("ops-%d.json", size))
		writeContract(f, size)
		cmd := exec.Command(self, "load", f)
		out, err := cmd.CombinedOutput()
		if err != nil {
			fail(fmt.Errorf("load %d: %v\n%s", size, err, out))
		}
		ms, _ := strconv.ParseFloat(strings.TrimSpace(string(out)), 64)
		rss := cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss / 1024
		fmt.Printf("    %5d operations: %7.0f ms   peak RSS %4d MB%s\n", size, ms, rss, target(size == 2000, ms < 1000 && rss < 300, "target < 1 s and < 300 MB"))
	}
	fmt.Println()
	fmt.Println("(c) CPU time per scenario against a target that answers at once")
	fast := serve(0)
	_, cpu := runOnce(*bin, doc, fast, 8)
	per := cpu / time.Duration(n)
	fmt.Printf("    %d scenarios: %s CPU in all, %s per scenario%s\n", n, cpu.Round(time.Millisecond), per.Round(time.Microsecond), target(true, per < 200*time.Microsecond, "target < 200 us"))
}

func target(applies, met bool, what string) string {
	switch {
	case !applies:
		return ""
	case met:
		return "   (" + what + ": met)"
	}
	return "   (" + what + ": NOT met)"
}

// load is the child process of (b): it loads and plans one contract and
// prints the milliseconds it took; the parent reads its peak RSS.
func load(path string) int {
	start := time.Now()
	c, err := contract.Load(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if _, err := plan.Build(c); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Printf("%.1f\n", float64(time.Since(start).Microseconds())/1000)
	return 0
}

// writeContract writes an OpenAPI document with n GET operations on items
// with an integer id, no security: nine or so scenarios each.
func writeContract(path string, n int) {
	paths := map[string]any{}
	errResp := map[string]any{"description": "error", "content": map[string]any{"application/json": map[string]any{"schema": map[string]any{"$ref": "#/components/schemas/Error"}}}}
	for i := 0; i < n; i++ {
		paths[fmt.Sprintf("/items%d/{id}", i)] = map[string]any{
			"get": map[string]any{
				"operationId": fmt.Sprintf("getItem%d", i),
				"parameters":  []any{map[string]any{"name": "id", "in": "path", "required": true, "schema": map[string]any{"type": "integer"}, "example": 7}},
				"responses": map[string]any{
					"200": map[string]any{"description": "ok", "content": map[string]any{"application/json": map[string]any{"schema": map[string]any{"type": "object"}}}},
					"400": errResp, "404": errResp,
				},
			},
		}
	}
	doc := map[string]any{
		"openapi": "3.0.3",
		"info":    map[string]any{"title": "benchmark", "version": "1"},
		"paths":   paths,
		"components": map[string]any{"schemas": map[string]any{"Error": map[string]any{
			"type": "object", "required": []any{"code"}, "properties": map[string]any{"code": map[string]any{"type": "integer"}},
		}}},
	}
	data, _ := json.Marshal(doc)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		fail(err)
	}
}

// planned counts the scenarios of a contract.
func planned(path string) int {
	c, err := contract.Load(path)
	if err != nil {
		fail(err)
	}
	p, err := plan.Build(c)
	if err != nil {
		fail(err)
	}
	return len(p.All())
}

// serve starts a loopback target that conforms to the synthetic contract
// and answers every request after a delay: the run passes, so that the
// figures measure the ordinary path of a vendor's run.
func serve(delay time.Duration) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fail(err)
	}
	item := regexp.MustCompile(`^/items\d+/([^/]+)$`)
	go http.Serve(ln, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if delay > 0 {
			time.Sleep(delay)
		}
		h := w.Header()
		h.Set("Content-Type", "application/json")
		m := item.FindStringSubmatch(r.URL.Path)
		switch {
		case m == nil:
			w.WriteHeader(http.StatusNotFound)
			w.Write([]byte(`{"code":404}`))
		case r.Method == http.MethodOptions:
			h.Set("Allow", "GET, HEAD, OPTIONS")
			h.Del("Content-Type")
			w.WriteHeader(http.StatusNoContent)
		case r.Method != http.MethodGet && r.Method != http.MethodHead:
			h.Set("Allow", "GET, HEAD, OPTIONS")
			w.WriteHeader(http.StatusMethodNotAllowed)
			w.Write([]byte(`{"code":405}`))
		case m[1] == "7":
			w.Write([]byte(`{}`))
		case strings.Trim(m[1], "0123456789") != "":
			w.WriteHeader(http.StatusBadRequest)
			w.Write([]byte(`{"code":400}`))
		default:
			w.WriteHeader(http.StatusNotFound)
			w.Write([]byte(`{"code":404}`))
		}
	}))
	return "http://" + ln.Addr().String()
}

// runOnce runs apiconform and returns its wall time and CPU time; the run
// must pass, or the figures would measure failure reports.
func runOnce(bin, doc, url string, concurrency int) (time.Duration, time.Duration) {
	cmd := exec.Command(bin, "run", "--target", url, "--contract", doc, "--concurrency", strconv.Itoa(concurrency), "--timeout", "30s")
	cmd.Env = append(os.Environ(), "NO_COLOR=1")
	start := time.Now()
	out, err := cmd.CombinedOutput()
	wall := time.Since(start)
	if cmd.ProcessState == nil || err != nil {
		fail(fmt.Errorf("%s run: %v\n%s", bin, err, out))
	}
	return wall, cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "apiconform-bench:", err)
	os.Exit(1)
}
