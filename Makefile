# claimmark — one command per check. `make serve` and `make test` install what
# is missing first (scripts/bootstrap.sh).
SHELL := /bin/bash
export PATH := $(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
export CHROMEDRIVER ?= /usr/bin/chromedriver
export WASM_BINDGEN_TEST_TIMEOUT ?= 120
export WASM_BINDGEN_TEST_DRIVER_TIMEOUT ?= 30
export TRUNK_OFFLINE := true

.PHONY: serve test bootstrap build release lint test-native test-browser test-e2e size bench bench-quick bench-native bench-size bench-parts shell screenshots clean

serve: ## build and serve the app at http://127.0.0.1:8080
	@scripts/bootstrap.sh build
	trunk serve --offline --address 127.0.0.1 --port 8080

test: ## the whole suite: format, lint (native + wasm32), native, browser, end-to-end
	@scripts/bootstrap.sh test
	$(MAKE) lint
	$(MAKE) test-native
	$(MAKE) test-browser
	$(MAKE) test-e2e

bootstrap:
	@scripts/bootstrap.sh test

lint:
	cargo fmt --all --check
	node scripts/imports.mjs src
	cargo clippy --all-targets -- -D warnings
	cargo clippy --target wasm32-unknown-unknown --all-targets -- -D warnings
	cargo clippy --target wasm32-unknown-unknown --features split --bin claimmark -- -D warnings
	cargo clippy --target wasm32-unknown-unknown -p claimmark-later -- -D warnings

test-native: ## the pure core, no browser
	cargo test

test-browser: ## Yew components in headless Chromium (wasm-bindgen-test)
	cargo test --target wasm32-unknown-unknown --test browser

release: ## the release bundle in dist/
	trunk build --release --offline

test-e2e: release ## the release build served on 127.0.0.1, driven through Chromium; the team database's rules; the size budget
	node scripts/size.mjs --check
	node --test --test-timeout=600000 tests/e2e/*.test.mjs tests/couchdb/*.test.mjs

size: ## the release bundle's first-load size against its budget (size-budget.json)
	node scripts/size.mjs --check

bench: ## browser benchmark vs. the no-framework baseline (loads, visits, two tabs, transfer, team sync, traces), then native benches
	@scripts/bootstrap.sh bench
	$(MAKE) release
	node bench/run.mjs --trace
	cargo bench --bench core

bench-quick: ## a shorter browser benchmark (two workloads, three loads each)
	@scripts/bootstrap.sh bench
	$(MAKE) release
	node bench/run.mjs --quick

bench-size: ## what each release setting costs in bytes (slow: one LTO build per setting)
	@scripts/bootstrap.sh build
	bench/size.sh

bench-parts: ## what each part of the app costs in the wasm (twiggy on the release build, names kept)
	@scripts/bootstrap.sh size
	node bench/parts.mjs --build

shell: release ## capture the app's page around the article (assets/shell.html) for the first paint; commit it
	node scripts/shell.mjs

bench-native: ## divan benches of the core
	cargo bench --bench core

screenshots: release ## the README's screenshots (docs/*.png) from the release build
	node scripts/screenshots.mjs

clean:
	cargo clean
	rm -rf dist
