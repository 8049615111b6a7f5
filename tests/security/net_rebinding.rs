//! DNS rebinding against `net.fetch` over HTTPS (issue 24): a granted
//! public name whose first lookup answers a public address and every later
//! one 127.0.0.1 must never reach the local port, because aicoder connects
//! to the address it checked instead of looking the name up again.
//!
//! The run happens in new user, mount and network namespaces (`unshare
//! -rmn`) where /etc/hosts and /etc/resolv.conf are replaced and a small
//! rebinding DNS server (tests/fixtures/rebind/dns.py) answers on
//! 127.0.0.1:53. SKIPPED where such namespaces cannot be made.

#![allow(clippy::unwrap_used)]

use aicoder_tests::Project;
use std::path::Path;
use std::process::Command;

fn namespaces_usable() -> bool {
    Command::new("unshare")
        .args(["-rmn", "true"])
        .status()
        .is_ok_and(|s| s.success())
        && Command::new("python3")
            .arg("-c")
            .arg("pass")
            .status()
            .is_ok_and(|s| s.success())
}

#[test]
fn a_granted_name_rebinding_to_loopback_over_https_never_reaches_the_local_port() {
    if !namespaces_usable() {
        eprintln!("SKIPPED: `unshare -rmn` or python3 is not available here");
        return;
    }
    let p = Project::new();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("hosts"), "127.0.0.1 localhost\n").unwrap();
    std::fs::write(
        d.join("resolv.conf"),
        "nameserver 127.0.0.1\noptions timeout:1 attempts:1\n",
    )
    .unwrap();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/rebind");
    let script = r#"set -e
ip link set lo up
mount --bind "$D/hosts" /etc/hosts
mount --bind "$D/resolv.conf" /etc/resolv.conf
python3 "$F/dns.py" "$D/dns.ready" "$D/queries" >/dev/null 2>&1 &
DNS=$!
python3 "$F/listen.py" 8443 "$D/listen.ready" "$D/connections" >/dev/null 2>&1 &
LISTEN=$!
for i in $(seq 100); do
  [ -e "$D/dns.ready" ] && [ -e "$D/listen.ready" ] && break
  sleep 0.05
done
set +e
"$@"
rc=$?
kill $DNS $LISTEN 2>/dev/null
exit $rc"#;
    let inner = p.command(&[
        "--grant",
        "web:net.fetch:rebind.test",
        "plugin",
        "call",
        "web",
        "get_url_content",
        r#"{"url":"https://rebind.test:8443/"}"#,
        "--detail",
    ]);
    let mut cmd = Command::new("unshare");
    cmd.args(["-rmn", "--", "sh", "-c", script, "sh"])
        .arg(inner.get_program())
        .args(inner.get_args())
        .env("D", d)
        .env("F", &fixtures);
    for (k, v) in inner.get_envs() {
        match v {
            Some(v) => cmd.env(k, v),
            None => cmd.env_remove(k),
        };
    }
    if let Some(cwd) = inner.get_current_dir() {
        cmd.current_dir(cwd);
    }
    let out = cmd.output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let queries = std::fs::read_to_string(d.join("queries")).unwrap_or_default();
    assert!(
        !queries.is_empty(),
        "the rebinding DNS server was asked (else the test proves nothing): {stderr}"
    );
    let connections = std::fs::read_to_string(d.join("connections")).unwrap_or_default();
    assert!(
        connections.is_empty(),
        "the local port was reached through a second lookup ({} connection(s)); stderr: {stderr}",
        connections.lines().count()
    );
    // The request was allowed by the check (the first answer was public)
    // and failed connecting to that public address: no network here.
    let audit = p.audit();
    let lines: Vec<_> = audit
        .iter()
        .filter(|l| l["capability"] == "net.fetch")
        .collect();
    assert_eq!(lines.len(), 1, "{audit:#?}\n{stderr}");
    assert_eq!(lines[0]["outcome"], "failed", "{}", lines[0]);
}
