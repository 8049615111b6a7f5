//! The process sandbox between processes (issue 24): one sandbox cannot use
//! another's proxy; a background job's refused host is audited; what a job
//! leaves dies with it. Each test was seen failing first (the first before
//! the cover below; the other two with `SANDBOX_ISOLATION_OFF=1`).
//!
//! One sandbox cannot use another's proxy (the review's hole).
//! Every sandbox's host-side proxy listens on a Unix socket in a folder of
//! its own; a confined process of one session that finds another
//! session's `proxy.sock` must not reach the hosts granted to that other
//! sandbox. Closed by the mount namespace: the launcher covers the folder
//! holding every sandbox's folder with an empty tmpfs and binds its own
//! folder back, so each command sees only its own sockets.

#![allow(clippy::unwrap_used)]

use aicoder_tests::server::{finish, shell_call, tool_call, tool_results, Reply, ScriptedServer};
use aicoder_tests::Project;

/// A session whose one approved command (YOLO, piped) is `command`.
fn session(command: &str) -> (Project, ScriptedServer) {
    let server = ScriptedServer::start(vec![
        shell_call("c1", command),
        aicoder_tests::server::answer_text("done"),
    ]);
    let mut p = Project::with_model(&server);
    p.env("YOLO_MODE", "1").env("SHELL_SANDBOX", "required");
    (p, server)
}

/// What the attacker runs: every `proxy.sock` it can find under /tmp, asked
/// for the page the other session was granted.
const PROBE: &str = r#"
import glob, socket, sys
port = sys.argv[1]
socks = glob.glob('/tmp/aicoder-sandbox-*/proxy.sock') + glob.glob('/tmp/aicoder-sandbox-*/*/proxy.sock')
print('sockets', len(socks))
for path in socks:
    try:
        c = socket.socket(socket.AF_UNIX)
        c.settimeout(5)
        c.connect(path)
        c.sendall(('GET http://127.0.0.1:%s/ HTTP/1.1\r\nHost: 127.0.0.1:%s\r\nConnection: close\r\n\r\n' % (port, port)).encode())
        data = b''
        while True:
            chunk = c.recv(65536)
            if not chunk:
                break
            data += chunk
        print(path, data.decode(errors='replace').replace('\r\n', ' | '))
    except Exception as e:
        print(path, 'error', e)
"#;

#[test]
fn a_confined_command_cannot_use_another_sandboxs_proxy() {
    let port = aicoder_tests::server::serve_page("granted-to-the-other-session-62");
    // Session A may reach the page; its command waits until the test says
    // go, so its proxy is up while B probes.
    let (mut a, a_server) =
        session("touch ready; i=0; while [ ! -e go ] && [ $i -lt 600 ]; do sleep 0.05; i=$((i+1)); done; echo a-done");
    a.env("SHELL_SANDBOX_HOSTS", &format!("127.0.0.1:{port}"));
    // Session B holds no grant.
    let (b, b_server) = session(&format!("python3 probe.py {port}"));
    std::fs::write(b.work().join("probe.py"), PROBE).unwrap();
    let b_result = std::thread::scope(|s| {
        let a_run = s.spawn(|| a.run_with_stdin(&[], "wait\n"));
        let ready = a.work().join("ready");
        let until = std::time::Instant::now() + std::time::Duration::from_secs(60);
        while !ready.exists() && std::time::Instant::now() < until {
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        assert!(ready.exists(), "session A's command never started");
        let b_run = b.run_with_stdin(&[], "probe\n");
        std::fs::write(a.work().join("go"), "").unwrap();
        let a_run = a_run.join().unwrap();
        let requests = a_server.requests();
        assert!(
            requests.len() > 1 && tool_results(&requests[1])[0].contains("a-done"),
            "session A ran: {}",
            a_run.stderr()
        );
        let requests = b_server.requests();
        assert!(requests.len() > 1, "session B ran: {}", b_run.stderr());
        tool_results(&requests[1]).remove(0)
    });
    assert!(b_result.contains("sockets"), "{b_result}");
    assert!(
        !b_result.contains("granted-to-the-other-session-62"),
        "a sandbox without the grant reached the host through another sandbox's proxy: {b_result}"
    );
}

/// A background job's connection the proxy refuses is an audit line at
/// once, naming the plugin, the job's command (the process) and the host;
/// the tool call that started the job is the `process.spawn` line with the
/// same command.
#[test]
fn a_background_jobs_refused_host_is_audited_with_its_process() {
    let port = aicoder_tests::server::serve_page("not-for-background-jobs-48");
    let job = format!("curl -sS -m 5 http://127.0.0.1:{port}/ > out.txt 2>&1; echo $? > curl.done");
    let start = serde_json::json!({ "command": job });
    let server = ScriptedServer::start(vec![
        Reply::Stream(vec![
            tool_call(0, "c1", "job_start", &start.to_string()),
            finish("tool_calls", 3, 2),
        ]),
        // Wait for the job with the shell (the session would end first).
        shell_call(
            "c2",
            "i=0; while [ ! -s curl.done ] && [ $i -lt 400 ]; do sleep 0.05; i=$((i+1)); done; cat out.txt",
        ),
        aicoder_tests::server::answer_text("done"),
    ]);
    let mut p = Project::with_model(&server);
    // SANDBOX_ISOLATION_OFF=1 runs the job unconfined: the test then fails
    // ("the job reached the host"), as it did before the sandbox.
    p.env("YOLO_MODE", "1").env(
        "SHELL_SANDBOX",
        std::env::var("SANDBOX_ISOLATION_OFF").map_or("required", |_| "0"),
    );
    let run = p.run_with_stdin(
        &["--grant", "bg_jobs:process.spawn,process.read"],
        "fetch in the background\n",
    );
    run.ok();
    let out = std::fs::read_to_string(p.work().join("out.txt")).unwrap_or_default();
    assert!(
        !out.contains("not-for-background-jobs-48"),
        "the job reached the host: {out}"
    );
    let audit = p.audit();
    let started = audit.iter().any(|e| {
        e["plugin"] == "bg_jobs" && e["capability"] == "process.spawn" && e["operation"] == "start"
    });
    assert!(started, "the job's start is audited: {audit:#?}");
    let refused = audit.iter().find(|e| {
        e["plugin"] == "bg_jobs"
            && e["capability"] == "process.sandbox"
            && e["operation"] == "proxy-refused"
    });
    let refused = refused.unwrap_or_else(|| panic!("no refusal line: {audit:#?}"));
    assert_eq!(refused["outcome"], "denied", "{refused}");
    assert_eq!(refused["args"]["command"], job.as_str(), "{refused}");
    assert_eq!(refused["args"]["host"], "127.0.0.1", "{refused}");
    assert_eq!(refused["args"]["port"], port, "{refused}");
    p.run(&["audit", "verify"]).ok();
}

/// What a background job leaves behind (`setsid`, a double fork) is gone
/// when the job ends, while the session goes on: checked from outside
/// while a later command of the same session waits.
#[test]
fn what_a_background_job_leaves_dies_with_the_job() {
    let job = "setsid sleep 1031 > /dev/null 2>&1 < /dev/null & \
               ( ( sleep 1032 > /dev/null 2>&1 < /dev/null & ) & ); echo job-done > job.done";
    let start = serde_json::json!({ "command": job });
    let server = ScriptedServer::start(vec![
        Reply::Stream(vec![
            tool_call(0, "c1", "job_start", &start.to_string()),
            finish("tool_calls", 3, 2),
        ]),
        shell_call(
            "c2",
            "i=0; while [ ! -s job.done ] && [ $i -lt 400 ]; do sleep 0.05; i=$((i+1)); done; \
             touch check; i=0; while [ ! -e checked ] && [ $i -lt 600 ]; do sleep 0.05; i=$((i+1)); done",
        ),
        aicoder_tests::server::answer_text("done"),
    ]);
    let mut p = Project::with_model(&server);
    // SANDBOX_ISOLATION_OFF=1: unconfined, the sleeps outlive the job.
    p.env("YOLO_MODE", "1").env(
        "SHELL_SANDBOX",
        std::env::var("SANDBOX_ISOLATION_OFF").map_or("required", |_| "0"),
    );
    let left = || {
        let out = std::process::Command::new("pgrep")
            .args(["-f", "^sleep 103[12]$"])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    };
    let seen = std::thread::scope(|s| {
        let run = s.spawn(|| {
            p.run_with_stdin(
                &["--grant", "bg_jobs:process.spawn,process.read"],
                "start it\n",
            )
        });
        let check = p.work().join("check");
        let until = std::time::Instant::now() + std::time::Duration::from_secs(60);
        while !check.exists() && std::time::Instant::now() < until {
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        assert!(
            check.exists(),
            "the session never reached its second command"
        );
        // The job has ended; the session has not (its command waits).
        let mut seen = left();
        for _ in 0..40 {
            if seen.is_empty() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
            seen = left();
        }
        std::fs::write(p.work().join("checked"), "").unwrap();
        run.join().unwrap().ok();
        seen
    });
    if !seen.is_empty() {
        let _ = std::process::Command::new("pkill")
            .args(["-f", "^sleep 103[12]$"])
            .status();
    }
    assert!(seen.is_empty(), "left running after the job ended: {seen}");
}

/// A confined command cannot type into the user's tmux (an unconfined
/// shell): the tmux folder is hidden like the other session sockets
/// (`aicoder_sandbox::session_sockets`). Seen failing first: before, the
/// command's `tmux send-keys` made the victim shell write outside.
#[test]
fn a_confined_command_cannot_type_into_the_users_tmux() {
    if std::process::Command::new("tmux")
        .arg("-V")
        .output()
        .is_err()
    {
        eprintln!("SKIPPED: no tmux here");
        return;
    }
    let (mut p, server) =
        session("tmux send-keys -t victim-sb 'touch ../escaped' Enter; echo rc=$?");
    let tmux_dir = p.work().parent().unwrap().join("tmux");
    std::fs::create_dir_all(&tmux_dir).unwrap();
    p.env("TMUX_TMPDIR", tmux_dir.to_str().unwrap());
    let tmux = |args: &[&str]| {
        std::process::Command::new("tmux")
            .args(args)
            .env("TMUX_TMPDIR", &tmux_dir)
            .env_remove("TMUX")
            .current_dir(p.work())
            .status()
            .unwrap()
    };
    assert!(tmux(&["new-session", "-d", "-s", "victim-sb", "sh"]).success());
    let run = p.run_with_stdin(&[], "type it\n");
    // The victim reads its input in order: once the test's own marker is
    // made, what the command typed (if anything) was run before it.
    tmux(&["send-keys", "-t", "victim-sb", "touch ../marker", "Enter"]);
    let parent = p.work().parent().unwrap().to_path_buf();
    let until = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while !parent.join("marker").exists() && std::time::Instant::now() < until {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    tmux(&["kill-server"]);
    let requests = server.requests();
    assert!(requests.len() > 1, "the call ran: {}", run.stderr());
    let result = tool_results(&requests[1]).remove(0);
    assert!(
        parent.join("marker").exists(),
        "the victim shell ran nothing"
    );
    assert!(
        !parent.join("escaped").exists(),
        "a confined command typed into the user's tmux: {result}"
    );
}
