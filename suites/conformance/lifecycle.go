package conformance

import (
	"encoding/json"
	"fmt"
	"net/url"
	"path"
	"strings"

	. "github.com/onsi/ginkgo/v2"

	"github.com/apiconform/apiconform/internal/plan"
	"github.com/apiconform/apiconform/internal/probe"
)

// writes adds one Ordered container per lifecycle. The suite works only on
// the resource it created, and deletes it afterwards also when a step fails
// or the run is interrupted.
func (r *runner) writes() {
	for _, l := range r.Plan.Lifecycles {
		Describe(l.Name, Ordered, Label("writes"), r.sequence("the "+l.Name), func() {
			var id string
			deleted := false
			fill := func(req *plan.Request) {
				if id == "" {
					Skip("the create step gave no id to work on")
				}
				req.PathParams[l.IDParam] = id
			}
			if r.AllowWrites {
				BeforeAll(func() {
					DeferCleanup(func(ctx SpecContext) {
						if id == "" || deleted {
							return
						}
						req := l.Delete.Request.Clone()
						req.PathParams[l.IDParam] = id
						x := r.Client.Do(ctx, l.Delete.ID+" cleanup", &req)
						if x.Err != nil || x.Status/100 != 2 {
							Fail(fmt.Sprintf("cleanup: the resource %s the suite created could not be deleted: %s", id, describe(x)))
						}
					}, NodeTimeout(r.Client.Timeout()*2))
				})
			}
			It(l.Create.Name, r.at(l.Create), Label(l.Create.Labels...), func(ctx SpecContext) {
				x := r.check(ctx, l.Create, nil)
				if x != nil {
					got, err := createdID(x, l.IDParam)
					if err != nil {
						Fail(fmt.Sprintf("%s: %v; the lifecycle cannot go on", l.Create.Name, err))
					}
					id = got
				}
			})
			for _, s := range l.Steps {
				r.spec(s, fill)
			}
			It(l.Delete.Name, r.at(l.Delete), Label(l.Delete.Labels...), func(ctx SpecContext) {
				x := r.check(ctx, l.Delete, fill)
				if x != nil && x.Err == nil && x.Status/100 == 2 {
					deleted = true
				}
			})
			if l.Gone != nil {
				r.spec(l.Gone, fill)
			}
		})
	}
}

// createdID finds the id of a created resource: the last segment of the
// Location header, else the body's field named like the id parameter or
// "id".
func createdID(x *probe.Exchange, param string) (string, error) {
	if x.Err != nil || x.Status/100 != 2 {
		return "", fmt.Errorf("the create step did not succeed (%s)", describe(x))
	}
	if loc := x.RespHdr.Get("Location"); loc != "" {
		if u, err := url.Parse(loc); err == nil {
			if seg := path.Base(strings.TrimRight(u.Path, "/")); seg != "" && seg != "." && seg != "/" {
				if un, err := url.PathUnescape(seg); err == nil {
					return un, nil
				}
			}
		}
	}
	var obj map[string]any
	if json.Unmarshal(x.RespBody, &obj) == nil {
		for _, k := range []string{param, "id", "Id", "ID"} {
			if v, ok := obj[k]; ok && v != nil {
				if f, isNum := v.(float64); isNum {
					return fmt.Sprint(int64(f)), nil
				}
				return fmt.Sprint(v), nil
			}
		}
	}
	return "", errNoID
}

func describe(x *probe.Exchange) string {
	if x.Err != nil {
		return "no answer: " + x.Err.Error()
	}
	return fmt.Sprintf("%s %s answered %d", x.Method, x.URL.Path, x.Status)
}
