package verdict

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
)

func statusText(code int) string {
	if t := http.StatusText(code); t != "" {
		return fmt.Sprintf("%d %s", code, t)
	}
	return fmt.Sprint(code)
}

func statusList(codes []int) string {
	words := make([]string, len(codes))
	for i, c := range codes {
		words[i] = statusText(c)
	}
	return strings.Join(words, " or ")
}

// statusNumbers writes statuses as numbers alone: "503 or 429".
func statusNumbers(codes []int) string {
	words := make([]string, len(codes))
	for i, c := range codes {
		words[i] = fmt.Sprint(c)
	}
	return strings.Join(words, " or ")
}

// allowDiff says how an Allow header differs from the declared methods;
// HEAD and OPTIONS may be listed besides them.
func allowDiff(values, want []string) string {
	got := map[string]bool{}
	for _, v := range values {
		for _, m := range strings.Split(v, ",") {
			if m = strings.ToUpper(strings.TrimSpace(m)); m != "" {
				got[m] = true
			}
		}
	}
	wanted := map[string]bool{}
	var missing, extra []string
	for _, m := range want {
		wanted[m] = true
		if !got[m] {
			missing = append(missing, m)
		}
	}
	for m := range got {
		if !wanted[m] && m != "HEAD" && m != "OPTIONS" {
			extra = append(extra, m)
		}
	}
	sort.Strings(extra)
	var parts []string
	if len(missing) > 0 {
		parts = append(parts, "missing "+strings.Join(missing, ", "))
	}
	if len(extra) > 0 {
		parts = append(parts, "not declared: "+strings.Join(extra, ", "))
	}
	return strings.Join(parts, "; ")
}

// offers tells whether any challenge names the auth-scheme.
func offers(challenges []string, scheme string) bool {
	for _, c := range challenges {
		for _, part := range strings.Split(c, ",") {
			word, _, _ := strings.Cut(strings.TrimSpace(part), " ")
			if strings.EqualFold(word, scheme) {
				return true
			}
		}
	}
	return false
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
