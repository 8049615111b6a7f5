# aicoder: `make run` starts it, `make test` runs every check CI runs.
# Both install what they need (the pinned toolchain and the wasm target).

CARGO       ?= cargo
WASM_TARGET := wasm32-wasip2
# Plugin components: the shipped ones and the test fixtures.
COMPONENTS  := -p example -p python_runtime -p redact_secrets -p session_view -p web -p misbehave \
               -p memory -p skills -p git_aware -p ask_user -p bg_jobs

.PHONY: all setup plugins snippets-plugin py-plugins authoring-toolchains wit-package sdk-package mcp-clients build run test bench fuzz fmt clippy clean

all: build

# rustup reads rust-toolchain.toml: this installs the pinned toolchain,
# clippy, rustfmt and the wasm32-wasip2 target when they are missing.
setup:
	@command -v rustup >/dev/null || { echo "rustup is required: https://rustup.rs"; exit 1; }
	rustup show active-toolchain >/dev/null 2>&1 || rustup toolchain install
	rustup target add $(WASM_TARGET)
	rustup component add clippy rustfmt

# python_runtime is then pre-initialised in place (tools/snapshot): its
# interpreter starts at build time, not in every session.
plugins: setup
	$(CARGO) build --locked --release --target $(WASM_TARGET) $(COMPONENTS)
	$(CARGO) run --locked --release -p aicoder-snapshot -- target/$(WASM_TARGET)/release/python_runtime.wasm

# Plugins in other languages, with their own toolchains from the registries.
PY_VENV := target/py-venv
COMPONENTIZE_PY := componentize-py==0.25.1

py-plugins: target/py-plugins/word_stats.wasm

$(PY_VENV)/bin/componentize-py:
	python3 -m venv $(PY_VENV) && $(PY_VENV)/bin/pip install --quiet $(COMPONENTIZE_PY)

target/py-plugins/word_stats.wasm: plugins/word_stats_py/app.py $(wildcard wit/*.wit) $(PY_VENV)/bin/componentize-py
	mkdir -p target/py-plugins
	cd plugins/word_stats_py && ../../$(PY_VENV)/bin/componentize-py -d ../../wit -w plugin componentize app -o ../../$@

# The toolchains `aicoder plugin new --lang js|python` projects pin, installed
# once into target/ for tests/authoring.rs (the JS one from the same
# package.json template the scaffold writes).
JS_TOOLCHAIN := target/js-toolchain
JS_TEMPLATE  := host/src/cli/templates/js/package.json

authoring-toolchains: $(JS_TOOLCHAIN)/node_modules/.bin/componentize-js $(PY_VENV)/bin/componentize-py

$(JS_TOOLCHAIN)/node_modules/.bin/componentize-js: $(JS_TEMPLATE)
	mkdir -p $(JS_TOOLCHAIN)
	sed 's/@NAME@/js-toolchain/g' $(JS_TEMPLATE) > $(JS_TOOLCHAIN)/package.json
	cd $(JS_TOOLCHAIN) && npm install --no-audit --no-fund --loglevel=error
	touch $@

# MCP clients nobody here wrote, for tests/mcp_clients.rs: the MCP
# Inspector CLI (npm) and the official Python SDK (PyPI), each pinned, into
# target/mcp-clients. (The conformance suite, @modelcontextprotocol/conformance
# 0.1.16, needs Node 22's fs.globSync; Debian 12's Node 20 cannot run it.)
MCP_CLIENTS     := target/mcp-clients
MCP_INSPECTOR   := @modelcontextprotocol/inspector@2.12.0
MCP_PY          := mcp==2.3.0

mcp-clients: $(MCP_CLIENTS)/node_modules/.bin/mcp-inspector $(MCP_CLIENTS)/py/bin/python

$(MCP_CLIENTS)/node_modules/.bin/mcp-inspector:
	mkdir -p $(MCP_CLIENTS)
	cd $(MCP_CLIENTS) && echo '{"name":"mcp-clients","private":true}' > package.json && \
		npm install --no-audit --no-fund --loglevel=error $(MCP_INSPECTOR)
	touch $@

$(MCP_CLIENTS)/py/bin/python:
	python3 -m venv $(MCP_CLIENTS)/py && $(MCP_CLIENTS)/py/bin/pip install --quiet $(MCP_PY)

# The contract as a WIT package (aicoder:plugin@VERSION), built by wkg from
# wit/ with the metadata in wkg.toml; tests/wit_package.rs checks it. wkg
# itself comes from crates.io, pinned, into target/tools.
WKG_VERSION := 0.16.1
WKG := target/tools/bin/wkg
WIT_PACKAGE := target/wit-package/aicoder-plugin.wasm

# Built without optimisation: it packs a few KiB of WIT, and an optimised
# build costs CI about 2.5 times the CPU (5.5 against 2 minutes here).
$(WKG):
	CARGO_PROFILE_RELEASE_OPT_LEVEL=0 CARGO_PROFILE_RELEASE_DEBUG=0 CARGO_PROFILE_RELEASE_LTO=false \
	CARGO_PROFILE_RELEASE_CODEGEN_UNITS=256 \
		$(CARGO) install wkg --version $(WKG_VERSION) --locked --root target/tools

wit-package: $(WIT_PACKAGE)

$(WIT_PACKAGE): $(wildcard wit/*.wit) wkg.toml $(WKG)
	mkdir -p $(dir $@)
	$(WKG) wit build -o $@

# The Rust SDK as crates.io would take it: `cargo publish --dry-run` packages
# the crate, builds the packaged copy (the WIT inside it) on its own, and
# checks what crates.io checks, uploading nothing.
sdk-package: setup
	$(CARGO) publish --dry-run --locked --allow-dirty -p aicoder-plugin-sdk

# The shipped snippets plugin is Python, built by componentize-py (installed
# into target/py-venv from PyPI on first build) with its own narrow world
# (plugins/snippets/wit), next to the Rust components so it is discovered.
SNIPPETS_WASM := target/$(WASM_TARGET)/release/snippets.wasm

snippets-plugin: $(SNIPPETS_WASM)

$(SNIPPETS_WASM): plugins/snippets/app.py plugins/snippets/logic.py plugins/snippets/wit/world.wit $(wildcard wit/*.wit) $(PY_VENV)/bin/componentize-py
	mkdir -p $(dir $@)
	cd plugins/snippets && ../../$(PY_VENV)/bin/componentize-py -d wit -w snippets componentize app -o ../../$@

# auto_pruner is a shipped plugin written in Python: componentize-py (pinned
# above, from PyPI) builds it beside the Rust ones.
SHIPPED_PY := target/$(WASM_TARGET)/release/auto_pruner.wasm

$(SHIPPED_PY): plugins/auto_pruner/app.py plugins/auto_pruner/prune.py plugins/auto_pruner/auto-pruner.wit $(wildcard wit/*.wit) $(PY_VENV)/bin/componentize-py
	rm -rf target/auto_pruner-wit && mkdir -p target/auto_pruner-wit
	cp wit/*.wit plugins/auto_pruner/auto-pruner.wit target/auto_pruner-wit/
	cd plugins/auto_pruner && ../../$(PY_VENV)/bin/componentize-py -d ../../target/auto_pruner-wit -w auto-pruner componentize app -p . -o ../../$@

# Then the shipped plugins are compiled into your cache (~/.cache/aicoder),
# so the first `make run` starts in milliseconds instead of compiling.
build: plugins snippets-plugin $(SHIPPED_PY)
	$(CARGO) build --locked --release -p aicoder
	./target/release/aicoder plugin precompile

run: build
	./target/release/aicoder

fmt: setup
	$(CARGO) fmt --all -- --check

clippy: setup
	$(CARGO) clippy --locked --workspace --all-targets -- -D warnings

# Unit tests beside the code, then end-to-end tests against the built binary
# and components (tests/). python_runtime is tested through its component
# (tests/python_runtime.rs); a native test build would compile RustPython once
# more for nothing.
test: fmt clippy build py-plugins authoring-toolchains wit-package sdk-package mcp-clients
	XDG_CACHE_HOME=$(CURDIR)/target/test-cache AICODER_SHIPPED_PLUGINS=$(CURDIR)/target/$(WASM_TARGET)/release \
		./target/release/aicoder plugin precompile >/dev/null
	$(CARGO) test --locked --release --workspace --exclude python_runtime
	cd plugins/snippets && python3 -m unittest -q test_logic

# Benchmarks (not part of `make test`): one table, each figure beside its
# baseline measured in the same run. See docs/performance.md.
# The parsers' property tests (SSE, completion chunks, tool arguments, plugin
# manifests, session files) run 256 cases each in `make test`; this runs
# FUZZ_CASES each (default 100,000, a few minutes).
FUZZ_CASES ?= 100000
fuzz: setup
	PROPTEST_CASES=$(FUZZ_CASES) $(CARGO) test --locked --release -p aicoder fuzz_

# B12 compares the grep tool with ripgrep, from Debian's packages.
bench: build
	@command -v rg >/dev/null || { if [ "$$(id -u)" = 0 ]; then apt-get install -y ripgrep; else sudo apt-get install -y ripgrep; fi; } || echo "ripgrep could not be installed: B12 is not measured"
	$(CARGO) run --locked --release -p aicoder-bench

clean:
	$(CARGO) clean
