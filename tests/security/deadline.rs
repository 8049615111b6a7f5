//! The call deadline covers host time (issue #11 part 4): a plugin call is
//! stopped at PLUGIN_TIMEOUT_MS whatever it is doing — wasm, a WASI sleep or
//! poll, a host function waiting on a shell command — audited as `stopped`
//! with the deadline as the reason, and the plugin's next call gets a fresh
//! instance.
//!
//! Every run is bounded: a binary still running after [`HANG_LIMIT`] is killed
//! and the test fails, so a host without the protection fails these tests
//! instead of hanging CI. The sleeps asked for are far longer than that limit;
//! no test asserts how long a run took.

#![allow(clippy::unwrap_used)]

use aicoder::config::SandboxLimits;
use aicoder::plugins::{CallError, PluginHost, TrapKind};
use aicoder_tests::server::{answer_text, finish, tool_call, tool_results, Reply, ScriptedServer};
use aicoder_tests::{wasm, Project, Run};
use serde_json::{json, Value};
use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// How long a run may take before it is taken for a hang (the sleeps in these
/// tests are 1000 s or more; the deadlines 1-2 s).
const HANG_LIMIT: Duration = Duration::from_secs(60);

/// Run `aicoder ARGS` with `stdin`, killing it if it is still running after
/// [`HANG_LIMIT`] (which fails the test).
fn run_bounded(p: &Project, args: &[&str], stdin: &str) -> Run {
    let mut child = p
        .command(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let pid = child.id();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    match rx.recv_timeout(HANG_LIMIT) {
        Ok(output) => Run(output.unwrap()),
        Err(_) => {
            let _ = Command::new("kill").args(["-9", &pid.to_string()]).status();
            panic!(
                "aicoder {args:?} was still running after {} s: the plugin deadline did not stop it",
                HANG_LIMIT.as_secs()
            );
        }
    }
}

/// Run `f` on its own thread; fail if it has not returned after [`HANG_LIMIT`].
fn bounded<R: Send + 'static>(what: &str, f: impl FnOnce() -> R + Send + 'static) -> R {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    match rx.recv_timeout(HANG_LIMIT) {
        Ok(result) => result,
        Err(mpsc::RecvTimeoutError::Disconnected) => panic!("{what} panicked (see above)"),
        Err(mpsc::RecvTimeoutError::Timeout) => panic!(
            "{what} was still running after {} s: the plugin deadline did not stop it",
            HANG_LIMIT.as_secs()
        ),
    }
}

/// The audit entries recording a stop of `plugin` by the sandbox.
fn stops(p: &Project, plugin: &str) -> Vec<Value> {
    p.audit()
        .into_iter()
        .filter(|e| e["outcome"] == "stopped" && e["plugin"] == plugin)
        .collect()
}

fn python_call(id: &str, code: &str) -> Reply {
    Reply::Stream(vec![
        tool_call(
            0,
            id,
            "run_inline_python",
            &json!({ "code": code }).to_string(),
        ),
        finish("tool_calls", 1, 1),
    ])
}

#[test]
fn py_cli_sleep_is_stopped_at_the_deadline() {
    let mut p = Project::new();
    p.env("PLUGIN_TIMEOUT_MS", "2000");
    let err = run_bounded(&p, &["py", "-c", "import time; time.sleep(10**9)"], "").fails();
    assert!(
        err.contains("ran past its deadline of 2000 ms (PLUGIN_TIMEOUT_MS)"),
        "{err}"
    );
    let stops = stops(&p, "python_runtime");
    assert_eq!(stops.len(), 1, "{stops:#?}");
    assert_eq!(stops[0]["operation"], "call-tool");
    assert!(
        stops[0]["detail"].as_str().unwrap().contains("deadline"),
        "{}",
        stops[0]
    );
}

#[test]
fn a_python_sleep_is_stopped_and_the_next_call_gets_a_fresh_interpreter() {
    let server = ScriptedServer::start(vec![
        python_call("a", "kept = 1"),
        python_call("b", "import time\ntime.sleep(10**9)"),
        python_call(
            "c",
            "try:\n    kept\n    print('kept survived')\nexcept NameError:\n    print('fresh interpreter')\nx = 6 * 7",
        ),
        answer_text("all done"),
    ]);
    let mut p = Project::with_model(&server);
    p.env("YOLO_MODE", "1").env("PLUGIN_TIMEOUT_MS", "2000");
    let out = run_bounded(&p, &["--python-runtime"], "nap\n").ok();
    assert!(out.contains("all done"), "{out}");

    let requests = server.requests();
    assert_eq!(requests.len(), 4, "the session went on after the stop");
    let results = tool_results(&requests[3]);
    assert_eq!(results.len(), 3, "{results:?}");
    assert_eq!(results[0], "kept = 1");
    assert!(
        results[1].contains("ran past its deadline of 2000 ms") && results[1].contains("made anew"),
        "{}",
        results[1]
    );
    assert!(
        results[2].contains("fresh interpreter") && results[2].contains("x = 42"),
        "the next call runs, in a new interpreter: {}",
        results[2]
    );

    let stops = stops(&p, "python_runtime");
    assert_eq!(stops.len(), 1, "{stops:#?}");
    assert_eq!(
        (&stops[0]["operation"], &stops[0]["args"]["name"]),
        (&"call-tool".into(), &"run_inline_python".into())
    );
    assert!(
        stops[0]["detail"].as_str().unwrap().contains("deadline"),
        "{}",
        stops[0]
    );
}

#[test]
fn a_python_hook_that_sleeps_is_stopped_and_the_session_goes_on() {
    let register = "import time\ndef nap(*args):\n    time.sleep(10**9)\nctx.register_hook('after_tool_results', nap)";
    let server = ScriptedServer::start(vec![
        python_call("h", register),
        answer_text("still answering"),
    ]);
    let mut p = Project::with_model(&server);
    p.env("YOLO_MODE", "1").env("PLUGIN_TIMEOUT_MS", "2000");
    let out = run_bounded(
        &p,
        &[
            "--python-runtime",
            "--grant",
            "python_runtime:hooks.register",
        ],
        "register a hook\n",
    )
    .ok();
    assert!(out.contains("still answering"), "{out}");
    assert_eq!(server.requests().len(), 2);

    let stops = stops(&p, "python_runtime");
    assert_eq!(stops.len(), 1, "{stops:#?}");
    assert_eq!(
        (&stops[0]["operation"], &stops[0]["args"]["name"]),
        (&"on-event".into(), &"after_tool_results".into())
    );
    assert!(
        stops[0]["detail"]
            .as_str()
            .unwrap()
            .contains("deadline of 2000 ms"),
        "{}",
        stops[0]
    );
}

#[test]
fn a_shell_command_is_killed_at_the_plugin_deadline() {
    let mut p = Project::new();
    // The shell's own limit is an hour: only the plugin's deadline can end it.
    p.env("PLUGIN_TIMEOUT_MS", "2000")
        .env("SHELL_TIMEOUT_MS", "3600000");
    let code = "ctx.run_shell('echo $$ > shell.pid; exec sleep 1021')";
    let err = run_bounded(&p, &["py", "--grant", "shell.exec", "-c", code], "").fails();
    assert!(
        err.contains("ran past its deadline of 2000 ms (PLUGIN_TIMEOUT_MS)"),
        "{err}"
    );

    // The command was killed, not left running after aicoder exited. (The
    // pid it wrote is its PID namespace's under the process sandbox: the
    // sleep is looked for by its command line.)
    assert!(p.work().join("shell.pid").exists(), "the command ran");
    let left = || {
        let out = std::process::Command::new("pgrep")
            .args(["-f", "^sleep 1021$"])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    };
    // SIGKILL lands asynchronously: a moment for the kernel to finish it.
    let gone = (0..100).any(|_| {
        let gone = left().is_empty();
        if !gone {
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        gone
    });
    assert!(gone, "`sleep 1021` (pid {}) is still running", left());

    let audit = p.audit();
    let exec = audit
        .iter()
        .find(|e| e["capability"] == "shell.exec")
        .unwrap();
    assert_eq!(exec["outcome"], "allowed", "{exec}");
    let stops = stops(&p, "python_runtime");
    assert_eq!(stops.len(), 1, "{stops:#?}");
    assert!(
        stops[0]["detail"].as_str().unwrap().contains("deadline"),
        "{}",
        stops[0]
    );
}

#[test]
fn a_rust_plugin_in_a_wasi_sleep_is_stopped() {
    let mut p = Project::new();
    p.install(&wasm("misbehave"), "misbehave.wasm");
    p.env("PLUGIN_TIMEOUT_MS", "1000");
    let err = run_bounded(&p, &["plugin", "call", "misbehave", "sleep"], "").fails();
    assert!(
        err.contains("ran past its deadline of 1000 ms") && err.contains("made anew"),
        "{err}"
    );
    let stops = stops(&p, "misbehave");
    assert_eq!(stops.len(), 1, "{stops:#?}");
    assert_eq!(stops[0]["args"]["name"], "sleep");
}

fn in_process_host(dir: &std::path::Path) -> PluginHost {
    let limits = SandboxLimits {
        call_timeout: Duration::from_millis(1000),
        memory_bytes: 64 << 20,
        output_bytes: 16 << 10,
        shell_timeout: Duration::from_secs(5),
    };
    aicoder_tests::in_process_host(dir, &dir.join("cache"), limits, &["misbehave"])
}

/// Sleep (stopped), then a call that works on a fresh instance.
fn sleep_then_ok(host: &mut PluginHost) -> (Result<String, CallError>, String) {
    let slept = host.call_tool("misbehave", "sleep", "{}").map(|r| r.detail);
    let next = host.call_tool("misbehave", "ok", "{}").unwrap().detail;
    (slept, next)
}

fn assert_stopped_then_fresh((slept, next): (Result<String, CallError>, String)) {
    match slept {
        Err(CallError::Trapped { kind, .. }) => {
            assert_eq!(kind, TrapKind::Deadline(Duration::from_millis(1000)))
        }
        other => panic!("expected a deadline stop, got {other:?}"),
    }
    assert_eq!(next, "ok call 1", "the stopped instance was remade");
}

#[test]
fn the_library_host_stops_a_sleep_and_remakes_the_instance() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_path_buf();
    let result = bounded("a misbehave sleep call", move || {
        sleep_then_ok(&mut in_process_host(&path))
    });
    assert_stopped_then_fresh(result);
    let log = std::fs::read_to_string(dir.path().join("audit.jsonl")).unwrap();
    assert!(
        log.lines()
            .any(|l| l.contains("\"stopped\"") && l.contains("deadline")),
        "{log}"
    );
}

#[test]
fn the_host_can_be_called_from_inside_an_async_runtime() {
    // The session's model client runs on a tokio runtime; a plugin call made
    // from code running on it must neither panic (nested runtimes) nor lose
    // its deadline.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_path_buf();
    let result = bounded("a misbehave sleep call inside a runtime", move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move { sleep_then_ok(&mut in_process_host(&path)) })
    });
    assert_stopped_then_fresh(result);
}
