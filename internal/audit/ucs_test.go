package audit

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// seedLine is the line of the vendor's page, as the page renders it (its
// separators shown as four spaces) and without the page's field numbers.
const seedLine = "14:33:39.485 Trc 29998 [let-3851106] 2010-04-02    14:33:39    8080    GET    /cv/server/status    -    200    -    0    2    http://localhost:8080    Apache-HttpClient/4.0-beta2 (java 1.5)    -"

type fields struct {
	ts, level, date, time, ip, port, method, url string
	status                                       int
	ms                                           int64
	host, ua                                     string
	opaque                                       [6]string
}

func fieldsOf(r *Record) fields {
	f := fields{
		ts: string(r.Timestamp), level: string(r.Level), date: string(r.Date), time: string(r.Time),
		ip: string(r.IP), port: string(r.Port), method: string(r.Method), url: string(r.URL),
		status: r.Status, ms: r.Millis, host: string(r.Host), ua: string(r.UserAgent),
	}
	for i, o := range r.Opaque {
		f.opaque[i] = string(o)
	}
	return f
}

var seedFields = fields{
	ts: "14:33:39.485", level: "Trc", date: "2010-04-02", time: "14:33:39", ip: "", port: "8080",
	method: "GET", url: "/cv/server/status", status: 200, ms: 2, host: "http://localhost:8080",
	ua:     "Apache-HttpClient/4.0-beta2 (java 1.5)",
	opaque: [6]string{"29998", "[let-3851106]", "-", "-", "0", "-"},
}

func mustParse(t *testing.T, line string) fields {
	t.Helper()
	var r Record
	if err := ParseLine([]byte(line), &r); err != nil {
		t.Fatalf("ParseLine(%q): %v", line, err)
	}
	return fieldsOf(&r)
}

func TestParseTheVendorsLine(t *testing.T) {
	if got := mustParse(t, seedLine); got != seedFields {
		t.Fatalf("got  %+v\nwant %+v", got, seedFields)
	}
}

func TestParseTabSpaceAndMixedSeparators(t *testing.T) {
	tabbed := strings.ReplaceAll(seedLine, "    ", "\t")
	mixed := strings.ReplaceAll(tabbed, "\t200\t", " 200  ")
	for name, line := range map[string]string{
		"tabs":                tabbed,
		"single spaces":       strings.ReplaceAll(seedLine, "    ", " "),
		"mixed":               mixed,
		"CRLF":                tabbed + "\r\n",
		"LF":                  tabbed + "\n",
		"leading blanks":      "  \t" + tabbed,
		"empty address field": strings.Replace(tabbed, "14:33:39\t8080", "14:33:39\t\t8080", 1),
		"dash address":        strings.Replace(tabbed, "14:33:39\t8080", "14:33:39\t-\t8080", 1),
	} {
		t.Run(name, func(t *testing.T) {
			if got := mustParse(t, line); got != seedFields {
				t.Fatalf("got  %+v\nwant %+v", got, seedFields)
			}
		})
	}
}

func TestParseAddressesAndOddFields(t *testing.T) {
	tabbed := strings.ReplaceAll(seedLine, "    ", "\t")
	withIP := func(ip string) string { return strings.Replace(tabbed, "14:33:39\t8080", "14:33:39\t"+ip+"\t8080", 1) }
	for _, ip := range []string{"10.0.0.7", "::1", "2001:db8::8a2e:370:7334", "2130706433"} {
		if got := mustParse(t, withIP(ip)); got.ip != ip || got.port != "8080" || got.method != "GET" {
			t.Errorf("address %s: got ip %q port %q method %q", ip, got.ip, got.port, got.method)
		}
	}
	// A thread name with a space stays one opaque field, up to the date.
	got := mustParse(t, strings.Replace(tabbed, "[let-3851106]", "[pool-1 thread-2]", 1))
	if got.opaque[0] != "29998" || got.opaque[1] != "[pool-1 thread-2]" || got.date != "2010-04-02" {
		t.Errorf("thread with a space: %+v", got)
	}
	// No message id and thread at all.
	got = mustParse(t, strings.Replace(tabbed, " 29998 [let-3851106]", "", 1))
	if got.opaque[0] != "" || got.opaque[1] != "" || got.status != 200 {
		t.Errorf("no logger fields: %+v", got)
	}
	// A user agent without spaces and no last field; one with a tab.
	got = mustParse(t, strings.TrimSuffix(tabbed, "\tApache-HttpClient/4.0-beta2 (java 1.5)\t-")+"\tcurl/8.5.0")
	if got.ua != "curl/8.5.0" || got.opaque[5] != "" {
		t.Errorf("lone user agent: ua %q o5 %q", got.ua, got.opaque[5])
	}
	got = mustParse(t, strings.Replace(tabbed, "(java 1.5)", "(java\t1.5)", 1))
	if got.ua != "Apache-HttpClient/4.0-beta2 (java\t1.5)" || got.opaque[5] != "-" {
		t.Errorf("user agent with a tab: ua %q o5 %q", got.ua, got.opaque[5])
	}
	// "-" as execution time; an absolute URL with a query.
	got = mustParse(t, strings.Replace(strings.Replace(tabbed, "\t0\t2\t", "\t0\t-\t", 1), "/cv/server/status", "https://h:8443/cv/x?a=b", 1))
	if got.ms != -1 || got.url != "https://h:8443/cv/x?a=b" {
		t.Errorf("ms %d url %q", got.ms, got.url)
	}
}

func TestBadLinesNameTheirReason(t *testing.T) {
	tabbed := strings.ReplaceAll(seedLine, "    ", "\t")
	cut := func(after string) string { return tabbed[:strings.Index(tabbed, after)+len(after)] }
	cases := []struct {
		name, line string
		want       error
	}{
		{"blank", " \t\r\n", ErrBlank},
		{"not a log line", "garbage", ErrTimestamp},
		{"another logger message", "14:34:21.117 Std 20000 Server started", ErrNoDate},
		{"date too far", "14:34:21.117 Std a b c d e f g h i 2010-04-02\t14:33:39\t8080\tGET\t/\t-\t200\t-\t0\t2\th\tua", ErrNoDate},
		{"only a timestamp", "14:33:39.485", ErrTruncated},
		{"no time", cut("2010-04-02"), ErrTime},
		{"bad time", strings.Replace(tabbed, "\t14:33:39\t", "\t14h33\t", 1), ErrTime},
		{"port not a number", strings.Replace(tabbed, "\t8080\t", "\t10.0.0.1\thttp\t", 1), ErrPort},
		{"port too long", strings.Replace(tabbed, "\t8080\t", "\t10.0.0.1\t808080\t", 1), ErrPort},
		{"method not a token", strings.Replace(tabbed, "\tGET\t", "\tGE(T\t", 1), ErrMethod},
		{"url not a path", strings.Replace(tabbed, "/cv/server/status", "cv/server/status", 1), ErrURL},
		{"ends after the URL", cut("/cv/server/status"), ErrTruncated},
		{"status letters", strings.Replace(tabbed, "\t200\t", "\t2OO\t", 1), ErrStatus},
		{"status 600", strings.Replace(tabbed, "\t200\t", "\t600\t", 1), ErrStatus},
		{"status 99", strings.Replace(tabbed, "\t200\t", "\t099\t", 1), ErrStatus},
		{"millis letters", strings.Replace(tabbed, "\t0\t2\t", "\t0\tfast\t", 1), ErrMillis},
		{"millis overflow", strings.Replace(tabbed, "\t0\t2\t", "\t0\t9999999999999999\t", 1), ErrMillis},
		{"no user agent", cut("http://localhost:8080"), ErrTruncated},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var r Record
			if err := ParseLine([]byte(tc.line), &r); !errors.Is(err, tc.want) {
				t.Fatalf("ParseLine(%q) = %v, want %v", tc.line, err, tc.want)
			}
		})
	}
}

// TestWriterAndParserAgree holds AppendLine (what serve --access-log writes)
// and ParseLine (what audit reads) to the same layout.
func TestWriterAndParserAgree(t *testing.T) {
	b := func(s string) []byte { return []byte(s) }
	recs := []Record{
		{
			Timestamp: b("09:01:02.003"), Level: b("Trc"), Date: b("2024-02-29"), Time: b("09:01:02"),
			IP: b("127.0.0.1"), Port: b("18080"), Method: b("POST"), URL: b("/cv/profiles?x=1"),
			Status: 201, Millis: 12, Host: b("http://127.0.0.1:18080"), UserAgent: b("Mozilla/5.0 (X11; Linux)"),
			Opaque: [6][]byte{b("29998"), b("[apiconform]"), b("-"), b("-"), b("0"), b("-")},
		},
		{ // no address, no time, a tab in the user agent, no logger fields
			Timestamp: b("23:59:59.999"), Level: b("Dbg"), Date: b("1999-12-31"), Time: b("23:59:59"),
			Port: b("80"), Method: b("DELETE"), URL: b("http://h/cv/x"), Status: 599, Millis: -1,
			Host: b("http://h"), UserAgent: b("a\tb"), Opaque: [6][]byte{nil, nil, b("q"), b("r"), b("s"), b("t u")},
		},
	}
	for i, want := range recs {
		line := AppendLine(nil, &want)
		if bytes.Count(line, []byte("\n")) != 1 || line[len(line)-1] != '\n' {
			t.Fatalf("record %d: not one line: %q", i, line)
		}
		var got Record
		if err := ParseLine(line, &got); err != nil {
			t.Fatalf("record %d: %q does not parse: %v", i, line, err)
		}
		if fieldsOf(&got) != fieldsOf(&want) {
			t.Errorf("record %d: written %q\ngot  %+v\nwant %+v", i, line, fieldsOf(&got), fieldsOf(&want))
		}
	}
	// A newline in a field cannot forge a second line; an empty user agent
	// is written as "-".
	forged := recs[0]
	forged.UserAgent = b("x\n14:00:00.000 Trc 1 [t] 2024-01-01\t14:00:00\t\t80\tGET\t/\t-\t200\t-\t0\t1\th\tua")
	if line := AppendLine(nil, &forged); bytes.Count(line, []byte("\n")) != 1 {
		t.Errorf("a newline in the user agent made two lines: %q", line)
	}
	forged.UserAgent = nil
	var got Record
	if err := ParseLine(AppendLine(nil, &forged), &got); err != nil || string(got.UserAgent) != "-" {
		t.Errorf("empty user agent: %q, %v", got.UserAgent, err)
	}
}

func TestParseLineDoesNotAllocate(t *testing.T) {
	line := []byte(strings.ReplaceAll(seedLine, "    ", "\t"))
	bad := []byte("14:34:21.117 Std 20000 Server started")
	var r Record
	if n := testing.AllocsPerRun(100, func() {
		ParseLine(line, &r)
		ParseLine(bad, &r)
	}); n != 0 {
		t.Fatalf("ParseLine allocates %v times per call", n)
	}
}

// FuzzParseLine feeds arbitrary lines to the parser: it never panics, what
// it accepts satisfies the layout, and an accepted line written back with
// AppendLine parses to the same record.
func FuzzParseLine(f *testing.F) {
	tabbed := strings.ReplaceAll(seedLine, "    ", "\t")
	for _, s := range []string{
		seedLine,
		tabbed,
		strings.Replace(tabbed, "14:33:39\t8080", "14:33:39\t::1\t8080", 1),
		strings.Replace(tabbed, "(java 1.5)", "(java\t1.5)", 1),
		"14:33:39.485 Trc 2010-04-02 14:33:39 - 1 GET * - 100 - - - h u",
		"14:33:39.485 Trc a b c 2010-04-02 14:33:39,5 1 2 X http://a - 599 - - 0 h",
		"0 0 0000-00-00 00:00:00 0 0 0 / 0 100 0 0 - 0 0 0",
		"garbage",
		"",
		"1\t\t\t",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		var r Record
		if err := ParseLine([]byte(line), &r); err != nil {
			return
		}
		if r.Status < 100 || r.Status > 599 || r.Millis < -1 || len(r.Method) == 0 || len(r.URL) == 0 ||
			len(r.Host) == 0 || len(r.UserAgent) == 0 || !isDate(r.Date) || !isClock(r.Time) || !allDigits(r.Port) {
			t.Fatalf("accepted %q as %+v", line, fieldsOf(&r))
		}
		if strings.ContainsAny(line, "\r\n") {
			return // AppendLine replaces these, by design
		}
		again := AppendLine(nil, &r)
		var r2 Record
		if err := ParseLine(again, &r2); err != nil {
			t.Fatalf("%q parsed, but its rewrite %q does not: %v", line, again, err)
		}
		if fieldsOf(&r) != fieldsOf(&r2) {
			t.Fatalf("%q\nrewritten %q\nfirst  %+v\nsecond %+v", line, again, fieldsOf(&r), fieldsOf(&r2))
		}
	})
}
