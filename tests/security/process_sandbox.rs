//! The process sandbox through the real binary (issue 24): an approved
//! `run_shell_command` (YOLO, piped) tries what an attacker would, and the
//! sandbox (user/mount/PID/network namespaces, Landlock, the host-side
//! proxy) refuses it. Each attack is also run with `SHELL_SANDBOX=0` to show
//! the test can fail (the unconfined command succeeds).

#![allow(clippy::unwrap_used)]

use aicoder_tests::server::{
    finish, run_shell_commands, shell_call, tool_call, tool_results, Reply, ScriptedServer,
};
use aicoder_tests::Project;

use std::time::Duration;

#[test]
fn aicoders_own_files_and_the_secrets_are_out_of_reach() {
    let mut p = Project::new();
    let ssh = p.home().join(".ssh");
    std::fs::create_dir_all(&ssh).unwrap();
    std::fs::write(ssh.join("id_rsa"), "CANARY-ssh-5521").unwrap();
    std::os::unix::fs::symlink(&ssh, p.work().join("keys")).unwrap();
    let grants = p.home().join(".config/aicoder/grants.json");
    let outside = tempfile::tempdir().unwrap();
    let commands = [
        "echo first > made.txt && cat made.txt".to_string(),
        "rm -f .aicoder/audit.jsonl; echo rc=$?; ls .aicoder | wc -l".to_string(),
        format!("echo '{{}}' > {}; echo rc=$?", grants.display()),
        "cat ~/.ssh/id_rsa; echo rc=$?".to_string(),
        "cat keys/id_rsa; echo rc=$?".to_string(),
        format!("touch {}/escaped; echo rc=$?", outside.path().display()),
        "touch $TMPDIR/scratch && echo tmp-ok".to_string(),
    ];
    let commands: Vec<&str> = commands.iter().map(String::as_str).collect();
    let results = run_shell_commands(&mut p, &commands, "1").0;
    assert!(results[0].contains("first"), "{}", results[0]);
    assert!(
        p.work().join("made.txt").exists(),
        "writes in the root work"
    );
    assert!(
        results[1].contains("\n0\n") || results[1].contains("stdout:\nrc=0\n0"),
        "aicoder's folder reads as empty: {}",
        results[1]
    );
    assert!(results[3].contains("rc=1"), "{}", results[3]);
    for (i, r) in results.iter().enumerate() {
        assert!(!r.contains("CANARY-ssh-5521"), "call {i} read the key: {r}");
    }
    assert!(!results[4].contains("CANARY"), "{}", results[4]);
    assert!(
        results[2].contains("rc=1") || results[2].contains("rc=2"),
        "{}",
        results[2]
    );
    assert!(!grants.exists() || std::fs::read_to_string(&grants).unwrap() != "{}\n");
    assert!(!outside.path().join("escaped").exists(), "{}", results[5]);
    assert!(results[6].contains("tmp-ok"), "{}", results[6]);
    // The log was never touched: it still verifies.
    assert!(p.work().join(".aicoder/audit.jsonl").exists());
    p.run(&["audit", "verify"]).ok();

    // Without the sandbox the same key is read (the test can fail).
    let mut q = Project::new();
    let ssh = q.home().join(".ssh");
    std::fs::create_dir_all(&ssh).unwrap();
    std::fs::write(ssh.join("id_rsa"), "CANARY-ssh-5521").unwrap();
    let results = run_shell_commands(&mut q, &["cat ~/.ssh/id_rsa"], "0").0;
    assert!(results[0].contains("CANARY-ssh-5521"), "{}", results[0]);
}

#[test]
fn the_network_is_the_proxy_and_only_granted_hosts_pass() {
    let port = aicoder_tests::server::serve_page("hello-from-loopback-77");
    let mut p = Project::new();
    p.env("SHELL_SANDBOX_HOSTS", &format!("127.0.0.1:{port}"));
    let curl = |host: &str| format!("curl -sS -m 5 http://{host}:{port}/; echo; echo rc=$?");
    let commands = [
        curl("127.0.0.1"),
        format!(
            "python3 -c \"import urllib.request;print(urllib.request.urlopen('http://127.0.0.1:{port}/').read().decode())\""
        ),
        // Not granted: a name for the same server.
        curl("localhost"),
        // Ignoring the proxy variables reaches nothing.
        format!("curl --noproxy '*' -sS -m 3 http://127.0.0.1:{port}/; echo rc=$?"),
        format!(
            "python3 -c \"import socket; socket.create_connection(('127.0.0.1', {port}), 2)\"; echo rc=$?"
        ),
    ];
    let commands: Vec<&str> = commands.iter().map(String::as_str).collect();
    let results = run_shell_commands(&mut p, &commands, "1").0;
    assert!(
        results[0].contains("hello-from-loopback-77"),
        "{}",
        results[0]
    );
    assert!(
        results[1].contains("hello-from-loopback-77"),
        "{}",
        results[1]
    );
    assert!(
        !results[2].contains("hello-from-loopback-77"),
        "{}",
        results[2]
    );
    assert!(
        results[2].contains("sandbox: the network proxy refused localhost"),
        "the model is told what was refused: {}",
        results[2]
    );
    assert!(
        !results[3].contains("hello-from-loopback-77"),
        "{}",
        results[3]
    );
    assert!(!results[4].contains("rc=0"), "{}", results[4]);
    let refused: Vec<_> = p
        .audit()
        .into_iter()
        .filter(|l| l["operation"] == "proxy-refused")
        .collect();
    assert_eq!(refused.len(), 1, "{refused:?}");
    assert_eq!(refused[0]["args"]["host"], "localhost");
    assert_eq!(refused[0]["outcome"], "denied");

    // Unconfined, the direct connection reaches the server.
    let mut q = Project::new();
    let direct = format!("curl --noproxy '*' -sS -m 3 http://127.0.0.1:{port}/");
    let results = run_shell_commands(&mut q, &[&direct], "0").0;
    assert!(
        results[0].contains("hello-from-loopback-77"),
        "{}",
        results[0]
    );
}

#[test]
fn a_granted_name_that_resolves_to_loopback_is_refused_by_the_proxy() {
    let port = aicoder_tests::server::serve_page("should-not-see-88");
    let mut p = Project::new();
    p.env("SHELL_SANDBOX_HOSTS", &format!("localhost:{port}"));
    let commands = [format!(
        "curl -sS -m 5 http://localhost:{port}/; echo rc=$?"
    )];
    let commands: Vec<&str> = commands.iter().map(String::as_str).collect();
    let results = run_shell_commands(&mut p, &commands, "1").0;
    assert!(!results[0].contains("should-not-see-88"), "{}", results[0]);
    // 127.0.0.1 or ::1, whichever the resolver gives first.
    assert!(
        results[0].contains("resolves to the internal address"),
        "{}",
        results[0]
    );
}

fn alive(pid: &str) -> bool {
    std::fs::read_to_string(format!("/proc/{}/stat", pid.trim())).is_ok_and(|s| !s.contains(") Z "))
}

#[test]
fn nothing_the_command_starts_outlives_it() {
    let mut p = Project::new();
    // The markers let the test find the processes from outside (the PIDs
    // inside the sandbox are its own namespace's).
    let commands = [
        "setsid sleep 1007 > /dev/null 2>&1 < /dev/null & echo started",
        "( ( sleep 1008 > /dev/null 2>&1 < /dev/null & ) & ) ; echo daemon",
    ];
    let results = run_shell_commands(&mut p, &commands, "1").0;
    assert!(results[0].contains("started"), "{}", results[0]);
    std::thread::sleep(Duration::from_millis(300));
    let left = std::process::Command::new("pgrep")
        .args(["-f", "sleep 100[78]"])
        .output()
        .unwrap();
    let pids = String::from_utf8_lossy(&left.stdout).to_string();
    let alive_pids: Vec<&str> = pids.lines().filter(|p| alive(p)).collect();
    assert!(alive_pids.is_empty(), "left running: {alive_pids:?}");
}

#[test]
fn at_the_terminal_a_refused_host_is_granted_for_the_session_and_a_refused_path_rerun_outside_once()
{
    use aicoder_tests::terminal;
    let port = aicoder_tests::server::serve_page("granted-at-the-prompt-31");
    let outside = tempfile::tempdir().unwrap();
    let target = outside.path().join("made-outside");
    let server = ScriptedServer::start(vec![
        shell_call("c1", &format!("curl -sS -m 5 http://127.0.0.1:{port}/")),
        shell_call("c2", &format!("touch {}", target.display())),
        aicoder_tests::server::answer_text("all done"),
    ]);
    let mut p = terminal::project(&server);
    p.env("SHELL_SANDBOX", "1");
    let mut term = terminal::spawn(&p);
    term.send_line("go").unwrap();
    term.expect("Approve [Y/n]: ").unwrap();
    term.send_line("y").unwrap();
    term.expect(format!("to 127.0.0.1:{port}").as_str())
        .unwrap();
    term.expect("for the [s]ession").unwrap();
    term.send_line("s").unwrap();
    term.expect("Approve [Y/n]: ").unwrap();
    term.send_line("y").unwrap();
    term.expect("Rerun it outside the sandbox, this once? [y/N]: ")
        .unwrap();
    term.send_line("y").unwrap();
    term.expect("all done").unwrap();
    term.expect("> ").unwrap();
    terminal::quit(term);

    let requests = server.requests();
    let first = &tool_results(&requests[1])[0];
    assert!(first.contains("granted-at-the-prompt-31"), "{first}");
    assert!(
        target.exists(),
        "the rerun outside the sandbox made the file"
    );
    let audit = p.audit();
    let ops: Vec<&str> = audit
        .iter()
        .filter(|l| l["capability"] == "process.sandbox")
        .filter_map(|l| l["operation"].as_str())
        .collect();
    assert_eq!(
        ops,
        ["proxy-refused", "host-allowed", "rerun-unconfined"],
        "{audit:?}"
    );
}

#[test]
fn a_server_a_background_job_starts_is_reachable_on_the_hosts_loopback_when_listed() {
    let port = aicoder_tests::http::free_port();
    let start = serde_json::json!({
        "command": format!("exec python3 -m http.server {port} --bind 127.0.0.1")
    });
    let fetch = format!(
        "for i in $(seq 100); do curl -sf -m 2 http://127.0.0.1:{port}/ && exit 0; sleep 0.1; done; exit 1"
    );
    let server = ScriptedServer::start(vec![
        Reply::Stream(vec![
            tool_call(0, "c1", "job_start", &start.to_string()),
            finish("tool_calls", 3, 2),
        ]),
        shell_call("c2", &fetch),
        aicoder_tests::server::answer_text("served"),
    ]);
    let mut p = Project::with_model(&server);
    p.env("YOLO_MODE", "1")
        .env("SHELL_SANDBOX", "1")
        .env("SHELL_SANDBOX_LISTEN", &port.to_string());
    p.run_with_stdin(
        &["--grant", "bg_jobs:process.spawn,process.read"],
        "start the dev server\n",
    )
    .ok();
    let requests = server.requests();
    let fetched = &tool_results(&requests[2])[1];
    // The listing of the job's folder, served inside the job's own network
    // namespace, reached through the host's loopback and the later
    // command's proxy.
    assert!(fetched.contains("Directory listing"), "{fetched}");
}

#[test]
fn a_confined_command_cannot_make_a_user_namespace() {
    let works_outside = std::process::Command::new("unshare")
        .args(["-U", "true"])
        .status()
        .is_ok_and(|s| s.success());
    if !works_outside {
        eprintln!("SKIPPED: `unshare -U` does not work here even unconfined");
        return;
    }
    let mut p = Project::new();
    let results = run_shell_commands(&mut p, &["unshare -U true; echo rc=$?"], "1").0;
    assert!(results[0].contains("rc=1"), "{}", results[0]);
    assert!(
        results[0].contains("Operation not permitted"),
        "refused by the seccomp filter (EPERM): {}",
        results[0]
    );
}

/// A confined command cannot drive the session that started it through the
/// socket API (inject a message the model would take as the user's): the
/// sockets' folder is hidden from it, and a peer in another network
/// namespace is refused even when it reaches the socket through a hard link
/// in the workspace.
#[test]
fn a_confined_command_cannot_drive_its_session_through_the_socket() {
    let mut p = Project::new();
    let socket = p.work().parent().unwrap().join("session.socket");
    p.env("AICODER_SOCKET_IPC_FILE", socket.to_str().unwrap());
    let link = p.work().join("link.sock");
    {
        let (socket, link) = (socket.clone(), link.clone());
        std::thread::spawn(move || {
            for _ in 0..800 {
                if socket.exists() {
                    let _ = std::fs::hard_link(&socket, &link);
                    return;
                }
                std::thread::sleep(std::time::Duration::from_millis(25));
            }
        });
    }
    let probe = |path: &str| {
        format!(
            "python3 -c \"import socket,time,os; [time.sleep(0.05) for _ in range(200) if not os.path.exists('{path}')]; s=socket.socket(socket.AF_UNIX); s.settimeout(3)\ntry:\n  s.connect('{path}'); print('reply:', s.recv(200)); s.sendall(b'inject PWNED\\n'); print('after:', s.recv(200))\nexcept OSError as e:\n  print('refused:', e)\""
        )
    };
    let direct = probe(&socket.display().to_string());
    let linked = probe("link.sock");
    let results = run_shell_commands(&mut p, &[&direct, &linked], "1").0;
    // The socket is not there to connect to (an errno, not a timeout).
    assert!(results[0].contains("refused: [Errno"), "{results:?}");
    assert!(!results[0].contains("reply:"), "{results:?}");
    // Through the link the socket answers at once, and refuses (the server
    // writes before reading, so the probe reads first).
    assert!(
        results[1].contains("a sandboxed process may not drive the session"),
        "{results:?}"
    );
}
