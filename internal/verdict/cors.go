package verdict

import (
	"fmt"
	"strings"

	"github.com/apiconform/apiconform/internal/catalog"
)

// cors checks the cross-origin headers the contract promises on every
// success. The suite sent the contract's Origin with the request.
func (j *judge) cors() {
	policy := j.c.Conformance.CORS
	x := j.x
	if policy == nil || x.Status/100 != 2 {
		return
	}
	h := x.RespHdr
	if h.Get("Access-Control-Allow-Origins") != "" {
		j.warn(catalog.CORSMisspelledHeader, "no Access-Control-Allow-Origins header (a misspelling: browsers read only Access-Control-Allow-Origin)", "Access-Control-Allow-Origins: "+h.Get("Access-Control-Allow-Origins"))
	}
	origin := h.Get("Access-Control-Allow-Origin")
	switch {
	case origin == "*" && policy.AllowCredentials:
		j.fail(catalog.CORSAllowOrigin, fmt.Sprintf("Access-Control-Allow-Origin: %s (the request's Origin; * is not allowed with credentials)", policy.Origin), "Access-Control-Allow-Origin: *")
	case origin == "*":
	case origin != policy.Origin:
		j.fail(catalog.CORSAllowOrigin, "Access-Control-Allow-Origin: "+policy.Origin+" (the request's Origin)", headerOrNone("Access-Control-Allow-Origin", origin))
	}
	if policy.AllowCredentials && h.Get("Access-Control-Allow-Credentials") != "true" {
		j.fail(catalog.CORSAllowCredentials, "Access-Control-Allow-Credentials: true", headerOrNone("Access-Control-Allow-Credentials", h.Get("Access-Control-Allow-Credentials")))
	}
	if missing := missingTokens(h.Values("Access-Control-Allow-Methods"), policy.AllowMethods, policy.AllowCredentials); len(missing) > 0 {
		j.fail(catalog.CORSAllowMethods, "Access-Control-Allow-Methods listing "+strings.Join(policy.AllowMethods, ", "), headerOrNone("Access-Control-Allow-Methods", strings.Join(h.Values("Access-Control-Allow-Methods"), ", "))+" (missing "+strings.Join(missing, ", ")+")")
	}
	if missing := missingTokens(h.Values("Access-Control-Allow-Headers"), policy.AllowHeaders, policy.AllowCredentials); len(missing) > 0 {
		j.fail(catalog.CORSAllowHeaders, "Access-Control-Allow-Headers listing "+strings.Join(policy.AllowHeaders, ", "), headerOrNone("Access-Control-Allow-Headers", strings.Join(h.Values("Access-Control-Allow-Headers"), ", "))+" (missing "+strings.Join(missing, ", ")+")")
	}
}

func headerOrNone(name, value string) string {
	if value == "" {
		return "no " + name + " header"
	}
	return name + ": " + value
}

// missingTokens lists the wanted tokens a comma-separated header lacks,
// case-insensitively (method and header names are tokens). A * stands for
// every token only without credentials, as the Fetch standard reads it.
func missingTokens(values, want []string, credentials bool) []string {
	have := map[string]bool{}
	for _, v := range values {
		for _, t := range strings.Split(v, ",") {
			have[strings.ToLower(strings.TrimSpace(t))] = true
		}
	}
	if have["*"] && !credentials {
		return nil
	}
	var out []string
	for _, w := range want {
		if !have[strings.ToLower(w)] {
			out = append(out, w)
		}
	}
	return out
}
