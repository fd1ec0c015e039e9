# The two commands a newcomer needs:
#   make run    build everything and run Attain on SQLite with a demo workspace
#   make test   run every test, on SQLite and PostgreSQL
.PHONY: run build web test test-go test-web lint lint-openapi bench clean

GO ?= go
BIN := bin/attain
export ATTAIN_TEST_POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/test?sslmode=disable

# On first start (an empty database) serve --demo creates the demo workspace
# and prints how to sign in as its admin, a manager and a rep.
run: build
	./$(BIN) serve --demo

build: web
	$(GO) build -o $(BIN) ./cmd/attain

# The web app is built when it exists; its output is embedded by web/embed.go.
web:
	@if [ -f web/package.json ]; then \
		cd web && ( [ -d node_modules ] && [ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund ) && npm run build; \
	fi

test: test-go test-web

test-go: lint-openapi
	./scripts/ensure-postgres.sh
	$(GO) vet ./...
	$(GO) test -race -count=1 -timeout 45m ./...

# The OpenAPI document is generated from api/routes.go (attain openapi) and
# linted by Redocly CLI, pinned in tools/openapi-lint, offline: telemetry and
# update checks off.
lint-openapi:
	cd tools/openapi-lint && ( [ -d node_modules ] && [ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund )
	@mkdir -p bin
	$(GO) run ./cmd/attain openapi > bin/openapi.json
	cd tools/openapi-lint && REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true \
		./node_modules/.bin/redocly lint --config redocly.yaml ../../bin/openapi.json

test-web:
	@if [ -f web/package.json ]; then $(MAKE) build && cd web && npm test; fi

# Benchmarks and the load test on a demo workspace, written to
# docs/bench/YYYY-MM-DD.md; not part of `make test`. Sizes:
#   make bench DEALS=1000000 REPS=100 CLIENTS=32 DURATION=30s BENCHTIME=1s
#   make bench SCALE_DB=data-1m/attain.db DEALS=1000000   (reuses a demo database, on a copy)
#   make bench SCALE_PG=attain_1m DEALS=1000000 ENGINES=postgres   (the same for a PostgreSQL database)
# (see scripts/bench.sh and docs/PERFORMANCE.md).
DEALS ?= 10000
REPS ?= 25
CLIENTS ?= 32
DURATION ?= 20s
BENCHTIME ?= 1s
BENCH ?= .
SCALE_DB ?=
SCALE_PG ?=
ENGINES ?= sqlite postgres
bench:
	SCALE_DB='$(SCALE_DB)' SCALE_PG='$(SCALE_PG)' ENGINES='$(ENGINES)' DEALS=$(DEALS) REPS=$(REPS) CLIENTS=$(CLIENTS) DURATION=$(DURATION) BENCHTIME=$(BENCHTIME) BENCH='$(BENCH)' GO=$(GO) \
		./scripts/bench.sh

clean:
	rm -rf bin web/node_modules tools/openapi-lint/node_modules
	find web/dist -mindepth 1 ! -name .gitkeep -delete 2>/dev/null || true
