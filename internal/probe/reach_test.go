package probe_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/apiconform/apiconform/internal/probe"
	"github.com/apiconform/apiconform/internal/testnet"
)

func TestReachTellsASilentTargetFromAnUnreachableOne(t *testing.T) {
	short := func(o *probe.Options) { o.Timeout = 300 * time.Millisecond }
	t.Run("silent", func(t *testing.T) {
		for _, scheme := range []string{"http", "https"} {
			c := client(t, scheme+"://"+testnet.Silent(t)+"/cv", short)
			x := c.ReachExchange(context.Background())
			var silent *probe.SilentError
			if !errors.As(x.Err, &silent) || silent.Within != 300*time.Millisecond || x.Err.Error() != "connected, but sent no answer within 300ms" {
				t.Fatalf("%s: err %v", scheme, x.Err)
			}
			if x.Method != http.MethodHead || x.Header.Get(probe.ScenarioHeader) != probe.ReachID || !x.TimedOut {
				t.Errorf("%s: exchange %+v", scheme, x)
			}
			if cu := x.Curl(c.Redactor()); !strings.HasPrefix(cu, "curl -I '"+scheme+"://") {
				t.Errorf("%s: curl %s", scheme, cu)
			}
		}
	})
	t.Run("closed port", func(t *testing.T) {
		c := client(t, "http://"+testnet.Closed(t), short)
		err := c.Reach(context.Background())
		var silent *probe.SilentError
		if err == nil || errors.As(err, &silent) || !strings.Contains(err.Error(), "refused") {
			t.Fatalf("err %v", err)
		}
	})
	t.Run("any answer", func(t *testing.T) {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusNotFound)
		}))
		defer srv.Close()
		x := client(t, srv.URL, short).ReachExchange(context.Background())
		if x.Err != nil || x.Status != http.StatusNotFound {
			t.Fatalf("err %v status %d", x.Err, x.Status)
		}
	})
}
