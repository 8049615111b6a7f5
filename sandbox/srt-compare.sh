#!/usr/bin/env bash
# The same probes under aicoder-sandbox and under Anthropic's sandbox-runtime
# (srt, npm @anthropic-ai/sandbox-runtime, pinned; `make srt` installs it and
# its Debian helpers bwrap, socat and ripgrep into target/srt), with the
# equivalent policy: the project folder writable, its .aicoder/ and the
# test HOME's secrets unreadable, the network only to one loopback server.
# Prints one line per probe (allowed/denied under each) and fails when an
# answer differs from the expected one, except the differences listed in
# KNOWN (documented in docs/security.md, "Processes").
#
# usage: sandbox/srt-compare.sh AICODER_SANDBOX_BIN SRT_DIR
set -u
SBX=$(realpath "$1")
SRT_DIR=$(realpath "$2")
SRT=(node "$SRT_DIR/npm/node_modules/@anthropic-ai/sandbox-runtime/dist/cli.js")
export PATH="$SRT_DIR/root/usr/bin:$PATH"
export LD_LIBRARY_PATH="$SRT_DIR/root/usr/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"

T=$(mktemp -d /tmp/srt-compare.XXXXXX)
trap 'kill $SERVER $OTHER 2>/dev/null; rm -rf "$T"' EXIT
mkdir -p "$T/home/.ssh" "$T/home/.aws" "$T/home/.config/aicoder" "$T/work/.aicoder" "$T/outside"
echo CANARY-ssh > "$T/home/.ssh/id_rsa"
echo CANARY-aws > "$T/home/.aws/credentials"
echo '{}' > "$T/home/.config/aicoder/grants.json"
echo log > "$T/work/.aicoder/audit.jsonl"
ln -s "$T/home/.ssh" "$T/work/keys"
export HOME="$T/home"
cd "$T/work" || exit 1

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
OTHER_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
(cd "$T/outside" && exec python3 -m http.server "$PORT" --bind 127.0.0.1 >/dev/null 2>&1) & SERVER=$!
(cd "$T/outside" && exec python3 -m http.server "$OTHER_PORT" --bind 127.0.0.1 >/dev/null 2>&1) & OTHER=$!
sleep 1

cat > "$T/srt.json" <<EOF
{"network":{"allowedDomains":["127.0.0.1:$PORT"],"deniedDomains":[]},
 "filesystem":{"denyRead":["~/.ssh","~/.aws","~/.config/aicoder","$T/work/.aicoder"],
               "allowWrite":["$T/work"],"denyWrite":["$T/work/.aicoder","~/.config/aicoder"]}}
EOF

# name | expected (allow/deny) | command (exit 0 = the action succeeded)
PROBES=(
  "write in the project|allow|touch made && test -f made"
  "write outside the project|deny|touch $T/outside/escaped"
  "write in HOME|deny|touch $HOME/planted"
  "read ~/.ssh/id_rsa|deny|grep -q CANARY ~/.ssh/id_rsa"
  "read ~/.ssh through a symlink in the project|deny|grep -q CANARY keys/id_rsa"
  "read ~/.aws/credentials|deny|grep -q CANARY ~/.aws/credentials"
  "read .aicoder/audit.jsonl|deny|grep -q log .aicoder/audit.jsonl"
  "remove .aicoder/audit.jsonl|deny|rm .aicoder/audit.jsonl && ! test -e .aicoder/audit.jsonl"
  "write ~/.config/aicoder/grants.json|deny|echo x > ~/.config/aicoder/grants.json"
  "read /etc/hostname|allow|cat /etc/hostname >/dev/null"
  "run a program|allow|/bin/true"
  "write /dev/null|allow|echo x > /dev/null"
  "curl through the proxy to the allowed host|allow|curl -sf -m 5 http://127.0.0.1:$PORT/ >/dev/null"
  "curl through the proxy to another port|deny|curl -sf -m 5 http://127.0.0.1:$OTHER_PORT/ >/dev/null"
  "curl to a name for the allowed address|deny|curl -sf -m 5 http://localhost:$PORT/ >/dev/null"
  "python urllib to the allowed host|allow|python3 -c \"import urllib.request as u; u.urlopen('http://127.0.0.1:$PORT/', timeout=5)\""
  "direct TCP ignoring the proxy|deny|python3 -c \"import socket; socket.create_connection(('127.0.0.1', $PORT), 3)\""
  "curl --noproxy to the allowed host|deny|curl --noproxy '*' -sf -m 3 http://127.0.0.1:$PORT/ >/dev/null"
  "DNS lookup without the proxy|deny|python3 -c \"import socket; socket.getaddrinfo('deb.debian.org', 80)\""
  "listen and connect on loopback inside|allow|python3 -c \"import socket; s=socket.socket(); s.bind(('127.0.0.1',0)); s.listen(); socket.create_connection(s.getsockname(), 2)\""
)
# Differences known and explained in docs/security.md: "name|tool|answer".
KNOWN=(
  # srt sets no_proxy=localhost,127.0.0.1,...: a loopback server on the host is
  # never reached, even when allowed; aicoder reaches it when the rule names
  # the address.
  "curl through the proxy to the allowed host|srt|deny"
  "python urllib to the allowed host|srt|deny"
)

run_probe() { # tool command
  case $1 in
    aicoder) timeout 30 "$SBX" --no-default-deny --deny "$T/work/.aicoder" --deny "$T/home/.ssh" --deny "$T/home/.aws" \
               --deny "$T/home/.config/aicoder" --allow "127.0.0.1:$PORT" -- sh -c "$2" >/dev/null 2>&1 ;;
    srt) timeout 30 "${SRT[@]}" -s "$T/srt.json" -c "$2" >/dev/null 2>&1 ;;
    # Unconfined: each probe a sandbox denies should succeed here, or it
    # would not show that the sandbox refused it.
    none) timeout 30 env -u http_proxy -u HTTP_PROXY -u https_proxy -u HTTPS_PROXY sh -c "$2" >/dev/null 2>&1 ;;
  esac
}

fail=0
printf '%-46s %-8s %-8s %-8s %-8s\n' probe expected aicoder srt none
for p in "${PROBES[@]}"; do
  IFS='|' read -r name expected cmd <<<"$p"
  answers=()
  for tool in aicoder srt none; do
    rm -f made "$T/outside/escaped" "$HOME/planted"
    echo log > .aicoder/audit.jsonl
    echo '{}' > "$HOME/.config/aicoder/grants.json"
    if run_probe "$tool" "$cmd"; then a=allow; else a=deny; fi
    # A write outside is judged on the real file (a sandbox may let the
    # command write to a private copy: that is a refusal too).
    case $name in
      "write outside the project") a=deny; test -e "$T/outside/escaped" && a=allow ;;
      "write in HOME") a=deny; test -e "$HOME/planted" && a=allow ;;
      "remove .aicoder/audit.jsonl") a=deny; test -e .aicoder/audit.jsonl || a=allow ;;
      "write ~/.config/aicoder/grants.json") a=deny; grep -q x "$HOME/.config/aicoder/grants.json" && a=allow ;;
    esac
    answers+=("$a")
    if [ $tool = none ]; then
      [ "$a" = allow ] || [ "$expected" = allow ] || echo "NOTE: unconfined too, this was refused: $name (the probe does not tell the sandbox's refusal apart here)"
      continue
    fi
    if [ "$a" != "$expected" ]; then
      known=no
      for k in "${KNOWN[@]}"; do [ "$k" = "$name|$tool|$a" ] && known=yes; done
      [ $known = no ] && { echo "UNEXPECTED: $tool answered $a to: $name"; fail=1; }
    fi
  done
  printf '%-46s %-8s %-8s %-8s %-8s\n' "$name" "$expected" "${answers[0]}" "${answers[1]}" "${answers[2]}"
done

# Processes left behind: a setsid sleep must be gone once the command ends.
for tool in aicoder srt; do
  marker="sleep 4242$([ $tool = srt ] && echo 1 || echo 0)"
  run_probe "$tool" "setsid $marker >/dev/null 2>&1 < /dev/null &"
  sleep 0.5
  pids=$(pgrep -f "^$marker\$")
  if [ -n "$pids" ]; then left=allow; kill $pids; else left=deny; fi
  printf '%-46s %-8s %-8s\n' "setsid sleep outlives the command ($tool)" deny "$left"
  if [ "$left" != deny ]; then
    known=no
    for k in "${KNOWN[@]}"; do [ "$k" = "setsid sleep outlives the command|$tool|$left" ] && known=yes; done
    [ $known = no ] && { echo "UNEXPECTED: $tool left a setsid sleep running"; fail=1; }
  fi
done
exit $fail
