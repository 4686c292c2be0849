# tote: the two set-up commands are `make demo` and `make test`.
GO ?= go

.PHONY: help demo test lint build release bench fuzz

help: ## list the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-7s %s\n", $$1, $$2}'

BENCH ?= pick

demo: ## a demo site: pick cart, pack bench, dispatch bench, Tab between them (no hardware needed); BENCH=pack|dispatch to start there, DIR=path to reuse a demo folder
	$(GO) run ./cmd/tote demo --bench $(BENCH) $(if $(DIR),--dir $(DIR))

# -timeout: the sync suite runs on SQLite and on PostgreSQL, past go test's
# default 10 minutes per package on a busy 2-core machine.
test: ## vet and run every test with the race detector
	$(GO) vet ./...
	$(GO) test -race -timeout 30m ./...

# staticcheck is pinned here, not in go.mod: go run fetches exactly this
# version (checksummed) without adding its dependencies to tote's build.
STATICCHECK ?= honnef.co/go/tools/cmd/staticcheck@v0.8.2

lint: ## go.mod tidy, go vet and staticcheck (pinned version) over every package
	$(GO) mod tidy -diff
	$(GO) vet ./...
	$(GO) run $(STATICCHECK) ./...

build: ## build bin/tote
	$(GO) build -o bin/tote ./cmd/tote

# Release builds are pure Go (CGO_ENABLED=0): one static file each, and
# macOS builds without a C toolchain (devices/serialport/raw_darwin.go).
PLATFORMS ?= linux/amd64 linux/arm64 windows/amd64 darwin/amd64 darwin/arm64

release: ## build dist/tote-OS-ARCH for every platform, with dist/SHA256SUMS
	rm -rf dist && mkdir -p dist
	@for p in $(PLATFORMS); do \
	  os=$${p%/*}; arch=$${p#*/}; ext=; [ $$os = windows ] && ext=.exe; \
	  echo "== $$p"; \
	  CGO_ENABLED=0 GOOS=$$os GOARCH=$$arch $(GO) build -trimpath -buildvcs=true -ldflags='-s -w' -o dist/tote-$$os-$$arch$$ext ./cmd/tote || exit 1; \
	done
	cd dist && (sha256sum tote-* 2>/dev/null || shasum -a 256 tote-*) > SHA256SUMS && cat SHA256SUMS

bench: ## pick and verify scans against a bare SQLite commit, one after the other and taking turns (benchstat), the WAL pages each writes, the parsers, and the hubs' ingest from 50 stations (SQLite, PostgreSQL with one and two hubs) against bare inserts
	$(GO) test -run '^$$' -bench Commit -benchtime 2000x -count 8 ./station/ | tee bench-commit.txt
	$(GO) test -run '^$$' -bench Interleaved -benchtime 2000x -count 8 ./station/ | tee bench-interleaved.txt
	@command -v benchstat >/dev/null && benchstat -col /path bench-commit.txt && benchstat bench-interleaved.txt || echo "go install golang.org/x/perf/cmd/benchstat@latest to compare"
	$(GO) test -run '^$$' -bench WALPages -benchtime 1000x ./station/
	$(GO) test -run '^$$' -bench . ./internal/gs1 ./internal/barcode
	$(GO) test -run '^$$' -bench ScanToFrame -benchtime 300x -count 5 ./cmd/tote | tee bench-frame.txt
	$(GO) test -run '^$$' -bench 'Keystroke|OutcomeFrame' -benchmem ./station/tui
	$(GO) test -run '^$$' -bench Ingest50Stations -benchtime 1x -count 3 ./sync/hub/pgstore

fuzz: ## a short run of every fuzz target (FUZZTIME=20s)
	@for pkg in $$($(GO) list ./...); do \
	  for f in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
	    echo "== $$pkg $$f"; $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $${FUZZTIME:-20s} -fuzzminimizetime 5s $$pkg || exit 1; \
	  done; \
	done
