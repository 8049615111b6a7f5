# aicoder: `make run` starts it, `make test` runs every check CI runs.
# Both install what they need (the pinned toolchain and the wasm target).

CARGO       ?= cargo
WASM_TARGET := wasm32-wasip2
# Plugin components: the shipped ones and the test fixtures.
COMPONENTS  := -p example -p python_runtime -p misbehave

.PHONY: all setup plugins build run test bench fmt clippy clean

all: build

# rustup reads rust-toolchain.toml: this installs the pinned toolchain,
# clippy, rustfmt and the wasm32-wasip2 target when they are missing.
setup:
	@command -v rustup >/dev/null || { echo "rustup is required: https://rustup.rs"; exit 1; }
	rustup show active-toolchain >/dev/null 2>&1 || rustup toolchain install
	rustup target add $(WASM_TARGET)
	rustup component add clippy rustfmt

plugins: setup
	$(CARGO) build --locked --release --target $(WASM_TARGET) $(COMPONENTS)

build: plugins
	$(CARGO) build --locked --release -p aicoder

run: build
	./target/release/aicoder

fmt: setup
	$(CARGO) fmt --all -- --check

clippy: setup
	$(CARGO) clippy --locked --workspace --all-targets -- -D warnings

# Unit tests beside the code, then end-to-end tests against the built binary
# and components (tests/).
test: fmt clippy build
	$(CARGO) test --locked --release --workspace

# Benchmarks (not part of `make test`): one table, each figure beside its
# baseline measured in the same run. See docs/performance.md.
bench: build
	$(CARGO) run --locked --release -p aicoder-bench

clean:
	$(CARGO) clean
