# apiconform: `make run` shows a real run, `make test` is the whole test suite.
GO       ?= go
BIN      := bin/apiconform
CONTRACT ?= genesys-ucs
PORT     ?= 18080
REPORTS  ?= reports
VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS  := -X main.version=$(VERSION)

.PHONY: build run test lint fuzz bench vet fmt clean

build:
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/apiconform

# Starts the reference target of $(CONTRACT) on loopback, runs the suite
# against it with writes allowed, and stops the target again.
run: build
	@mkdir -p $(REPORTS)
	@$(BIN) serve --contract $(CONTRACT) --addr 127.0.0.1:$(PORT) > $(REPORTS)/serve.log 2>&1 & pid=$$!; \
	trap 'kill $$pid 2>/dev/null' EXIT; \
	for i in $$(seq 1 100); do grep -q '^serving' $(REPORTS)/serve.log 2>/dev/null && break; sleep 0.1; done; \
	grep -q '^serving' $(REPORTS)/serve.log || { cat $(REPORTS)/serve.log; exit 3; }; \
	creds=$$($(BIN) serve --contract $(CONTRACT) --list-credentials); \
	$(BIN) run --target http://127.0.0.1:$(PORT) --contract $(CONTRACT) $$creds --allow-writes --allow-disruptive \
		--junit-report $(REPORTS)/junit.xml --json-report $(REPORTS)/results.json --html-report $(REPORTS)/report.html

# The command tests spend most of their time waiting on the reference
# targets (a mode switch, a Retry-After, a held request), not on the CPU:
# four at a time keep two cores busy, and make test passes with four busy
# loops beside it.
TESTFLAGS ?= -count=1 -parallel 4
test: vet
	$(GO) test $(TESTFLAGS) ./...
	cd fixtures/corpus && $(GO) test $(TESTFLAGS) ./...

vet:
	@test -z "$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))" || { echo "gofmt needed:"; gofmt -l .; exit 1; }
	$(GO) vet ./...
	cd fixtures/corpus && $(GO) vet ./...

# staticcheck (its checks, with staticcheck.conf) and deadcode (functions
# nothing reaches, tests included) on both modules; the versions are pinned
# so that a new release cannot turn CI red overnight.
STATICCHECK ?= honnef.co/go/tools/cmd/staticcheck@v0.8.2
DEADCODE    ?= golang.org/x/tools/cmd/deadcode@v0.52.0
lint:
	$(GO) run $(STATICCHECK) ./...
	cd fixtures/corpus && $(GO) run $(STATICCHECK) ./...
	@out=$$($(GO) run $(DEADCODE) -test ./...); test -z "$$out" || { echo "deadcode: unreachable functions:"; echo "$$out"; exit 1; }

# Each fuzz target for a while; the seed corpora run in `make test`.
FUZZTIME ?= 20s
fuzz:
	$(GO) test ./internal/contract -run '^$$' -fuzz FuzzParse -fuzztime $(FUZZTIME)
	$(GO) test ./internal/plan -run '^$$' -fuzz FuzzFromPattern -fuzztime $(FUZZTIME)
	$(GO) test ./internal/plan -run '^$$' -fuzz FuzzSchemaNumbers -fuzztime $(FUZZTIME)
	$(GO) test ./internal/console -run '^$$' -fuzz FuzzEscape -fuzztime $(FUZZTIME)
	$(GO) test ./cmd/apiconform -run '^$$' -fuzz FuzzRunFlags -fuzztime $(FUZZTIME)
	$(GO) test ./internal/audit -run '^$$' -fuzz FuzzParseLine -fuzztime $(FUZZTIME)
	$(GO) test ./internal/verdict -run '^$$' -fuzz FuzzDecodeXML -fuzztime $(FUZZTIME)
	$(GO) test ./internal/overlay -run '^$$' -fuzz FuzzParse -fuzztime $(FUZZTIME)
	$(GO) test ./internal/probe -run '^$$' -fuzz FuzzRedact -fuzztime $(FUZZTIME)
	$(GO) test ./internal/probe -run '^$$' -fuzz FuzzRetryAfter -fuzztime $(FUZZTIME)
	$(GO) test ./internal/probe -run '^$$' -fuzz FuzzHeaderBounds -fuzztime $(FUZZTIME)

bench: build
	$(GO) test -run '^$$' -bench . -benchmem ./...
	$(GO) run ./cmd/apiconform-bench -bin $(BIN)   # the run, load and CPU figures of issue 6
	$(GO) test ./internal/audit -run '^$$' -bench 'ParseAndMap|Read' -benchmem -cpu 1   # the audit on one core: target 1,000,000 lines/s

clean:
	rm -rf bin $(REPORTS)
