# Entry points for building and testing consent-guard. The work is done by the
# scripts in scripts/, which can also be run on their own.
#
#   make install   install what is missing (rust target, wasm-bindgen-cli at
#                  the Cargo.lock version, chromium + chromedriver, npm ci)
#   make build     pkg/consent-guard.js, pkg/esm/, pkg/cookies.schema.json
#   make demo      build, then serve www/ at / and pkg/ at /pkg/ on
#                  http://127.0.0.1:$(PORT)/ (PORT=8000 by default)
#   make test      build, then every suite: native, wasm (browser), schema,
#                  e2e, size budget; ends with a summary line
#   make fuzz      every cargo-fuzz target of fuzz/ for FUZZ_SECONDS seconds
#                  each (120 by default), one after the other: execs, corpus
#                  size and crashes per target, then a summary line
#   make clean     remove pkg/ and the bindgen intermediates (not target/)
#   make bench     build, then consent-guard against its peers in headless
#                  Chromium; rewrites BENCHMARKS.md (BENCH_RUNS=9 by default;
#                  not part of make test: timings are never tests)

SHELL := bash
.DEFAULT_GOAL := build
PORT ?= 8000
FUZZ_SECONDS ?= 120

# npm's binaryen before anything else: never Debian's wasm-opt (TOOLCHAIN.md).
export PATH := $(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)

.PHONY: install build demo test fuzz clean bench

install:
	@scripts/install.sh

build: install
	@scripts/build.sh

demo: build
	@PORT=$(PORT) node scripts/serve.mjs

test: build
	@scripts/test.sh

fuzz:
	@FUZZ_SECONDS=$(FUZZ_SECONDS) scripts/fuzz.sh

clean:
	rm -rf pkg target/bindgen target/test-logs

bench: build
	@BENCH_COMMAND="$(if $(BENCH_RUNS),BENCH_RUNS=$(BENCH_RUNS) )make bench" node bench/run.mjs
