//! v3's socket API driven by a plain Unix-socket client against the real
//! binary in a pty: queries, `stop` during a streaming answer, the file's
//! permissions, and what the socket may not do (turn YOLO on, loosen the
//! sandbox, run a slash command that widens grants), nor another user's
//! process; inject, inject-text, command, process, retry, reset, compact and
//! quit; a piped run's socket.

#![allow(clippy::unwrap_used)]

use aicoder_tests::server::{answer_text, finish, tool_call, Reply, ScriptedServer};
use aicoder_tests::terminal;
use serde_json::Value;
use std::io::{Read, Write};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The system's Python (a pyenv shim under /root is closed to other users).
const PYTHON: &str = "/usr/bin/python3";

fn send(socket: &Path, line: &str) -> String {
    let mut s = UnixStream::connect(socket).unwrap();
    s.write_all(format!("{line}\n").as_bytes()).unwrap();
    let mut reply = String::new();
    s.read_to_string(&mut reply).unwrap();
    reply.trim_end().to_string()
}

fn json(socket: &Path, line: &str) -> Value {
    let reply = send(socket, line);
    serde_json::from_str(&reply).unwrap_or_else(|e| panic!("{line}: {reply:?}: {e}"))
}

/// A session in a pty whose sockets live in the project's own run folder.
fn session(server: &ScriptedServer) -> (aicoder_tests::Project, expectrl::Session, PathBuf) {
    let mut p = terminal::project(server);
    let run = p.work().parent().unwrap().join("run");
    std::fs::create_dir_all(&run).unwrap();
    p.env("XDG_RUNTIME_DIR", run.to_str().unwrap());
    let mut term = aicoder_tests::terminal::start(&p, &[]);
    let found = term
        .expect(expectrl::Regex("socket: (\\S+\\.socket)"))
        .unwrap();
    let path = PathBuf::from(String::from_utf8_lossy(found.get(1).unwrap()).to_string());
    term.expect("> ").unwrap();
    (p, term, path)
}

/// A piped run of `p` with its socket at `socket`, given `line` on stdin,
/// once it is answering (its socket says it is processing).
fn piped_run_with_socket(
    p: &aicoder_tests::Project,
    socket: &std::path::Path,
    line: &[u8],
) -> std::process::Child {
    let mut cmd = p.command(&[]);
    cmd.env("AICODER_SOCKET_IPC_FILE", socket)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    child.stdin.take().unwrap().write_all(line).unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while !socket.exists() || json(socket, "is_processing")["processing"] == false {
        assert!(
            Instant::now() < deadline,
            "no socket, or the run never began"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    child
}

#[test]
fn queries_stop_during_streaming_and_nothing_that_loosens_safety() {
    let server = ScriptedServer::start(vec![
        answer_text("first answer"),
        Reply::Endless {
            text: "more ".into(),
            pause_ms: 30,
        },
    ]);
    let (p, mut term, socket) = session(&server);
    // A private folder, a socket only this user can use.
    let meta = std::fs::metadata(&socket).unwrap();
    assert_eq!(meta.mode() & 0o777, 0o600);
    let dir = std::fs::symlink_metadata(socket.parent().unwrap()).unwrap();
    assert_eq!(dir.mode() & 0o777, 0o700);
    assert!(socket
        .file_name()
        .unwrap()
        .to_str()
        .unwrap()
        .starts_with("aicoder-"));

    assert_eq!(json(&socket, "is_processing")["processing"], false);
    term.send_line("hello").unwrap();
    term.expect("first answer").unwrap();
    term.expect("> ").unwrap();
    let status = json(&socket, "status");
    assert_eq!(status["messages"], 3, "{status}");
    assert_eq!(status["yolo_enabled"], false);
    assert_eq!(json(&socket, "stats")["api_requests"], 1);
    assert_eq!(json(&socket, "messages count")["user"], 1);

    // The socket never turns approvals off or loosens the sandbox.
    assert!(send(&socket, "yolo on")
        .starts_with("ERROR: YOLO mode can be turned on only at aicoder's prompt"));
    assert!(send(&socket, "yolo toggle").starts_with("ERROR"));
    assert!(send(&socket, "sandbox off").starts_with("ERROR"));
    assert_eq!(json(&socket, "yolo")["enabled"], false);
    assert_eq!(json(&socket, "sandbox")["enabled"], true);

    // stop during a streaming answer: cancelled as Ctrl-C would.
    term.send_line("go on forever").unwrap();
    term.expect("more more").unwrap();
    assert_eq!(json(&socket, "is_processing")["processing"], true);
    assert_eq!(send(&socket, "stop"), "OK");
    term.expect("cancelled").unwrap();
    term.expect("> ").unwrap();
    let deadline = Instant::now() + Duration::from_secs(5);
    while json(&socket, "is_processing")["processing"] == true {
        assert!(Instant::now() < deadline, "still processing after stop");
        std::thread::sleep(Duration::from_millis(50));
    }

    // save writes the session where asked; audited with the stop and the refusals.
    let target = p.work().join("via-socket.json");
    let reply = send(&socket, &format!("save {}", target.display()));
    assert!(reply.starts_with("OK: saved to"), "{reply}");
    let saved: Value = serde_json::from_str(&std::fs::read_to_string(&target).unwrap()).unwrap();
    assert!(saved["messages"].as_array().unwrap().len() >= 3);
    terminal::quit(term);
    assert!(!socket.exists(), "the socket is removed at exit");
    let audit = p.audit();
    let socket_lines: Vec<(String, String)> = audit
        .iter()
        .filter(|e| e["plugin"] == "socket")
        .map(|e| {
            (
                e["operation"].as_str().unwrap().to_string(),
                e["outcome"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    for expected in [
        ("yolo", "denied"),
        ("sandbox", "denied"),
        ("stop", "allowed"),
        ("save", "allowed"),
    ] {
        assert!(
            socket_lines.contains(&(expected.0.into(), expected.1.into())),
            "{expected:?} in {socket_lines:?}"
        );
    }
}

#[test]
fn another_users_process_cannot_use_the_socket() {
    // Attack: another account on the machine connects to the session's
    // socket and stops answers or reads the conversation (`messages`).
    let server = ScriptedServer::start(vec![]);
    let (_p, term, socket) = session(&server);
    let is_root = std::fs::metadata("/proc/self").unwrap().uid() == 0;
    if !is_root {
        eprintln!("not root: cannot run a client as another user here");
        terminal::quit(term);
        return;
    }
    // The folder is traversable by nobody else, so connecting fails.
    let out = std::process::Command::new("setpriv")
        .args([
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            PYTHON,
            "-c",
        ])
        .arg(format!(
            "import socket,sys\ns=socket.socket(socket.AF_UNIX)\n\
             try:\n s.connect({:?}); s.sendall(b'messages\\n'); print('CONNECTED', s.recv(9999))\n\
             except OSError as e:\n print('REFUSED', e)",
            socket.display().to_string()
        ))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with("REFUSED"),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Even with the folder opened up (a careless chmod), the socket is 0600.
    let dir = socket.parent().unwrap();
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    let out = std::process::Command::new("setpriv")
        .args([
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            PYTHON,
            "-c",
        ])
        .arg(format!(
            "import socket\ns=socket.socket(socket.AF_UNIX)\n\
             try:\n s.connect({:?}); s.sendall(b'messages\\n'); print('CONNECTED', s.recv(9999))\n\
             except OSError as e:\n print('REFUSED', e)",
            socket.display().to_string()
        ))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("REFUSED"), "{text}");
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).unwrap();
    terminal::quit(term);
}

/// The operations and outcomes of the socket's audit lines.
fn socket_audit(p: &aicoder_tests::Project) -> Vec<(String, String)> {
    p.audit()
        .iter()
        .filter(|e| e["plugin"] == "socket")
        .map(|e| {
            (
                e["operation"].as_str().unwrap().to_string(),
                e["outcome"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// The user messages' contents of a request the server received.
fn user_texts(request: &Value) -> Vec<String> {
    request["messages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["role"] == "user")
        .map(|m| m["content"].as_str().unwrap_or_default().to_string())
        .collect()
}

fn wait_idle(socket: &Path) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while json(socket, "is_processing")["processing"] == true {
        assert!(Instant::now() < deadline, "still processing");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn inject_process_command_retry_compact_reset_and_quit() {
    use base64::Engine;
    let server = ScriptedServer::start(vec![
        // process: a tool call (its result is what compact prunes), then text.
        Reply::Stream(vec![
            tool_call(0, "c1", "list_directory", "{\"path\":\".\"}"),
            finish("tool_calls", 10, 5),
        ]),
        answer_text("answer to the injected"),
        answer_text("answer retried"),
    ]);
    let (p, mut term, socket) = session(&server);

    // Several lines in one message (base64), then a plain one.
    let two_lines = base64::engine::general_purpose::STANDARD.encode("line one\nline two");
    let reply = json(&socket, &format!("inject-text {two_lines}"));
    assert_eq!(reply["status"], "success", "{reply}");
    assert_eq!(reply["data"]["length"], 17);
    assert_eq!(json(&socket, "inject-text !!notbase64")["code"], 1004);
    assert_eq!(send(&socket, "inject please answer"), "OK");
    // At rest, they are in the conversation at once.
    assert_eq!(json(&socket, "messages count")["user"], 2);

    // process: a turn over the conversation as it stands.
    let reply = json(&socket, "process");
    assert_eq!(reply["data"]["processing"], true, "{reply}");
    term.expect("answer to the injected").unwrap();
    wait_idle(&socket);
    let requests = server.requests();
    assert_eq!(
        user_texts(&requests[0]),
        ["line one\nline two", "please answer"]
    );

    // command: slash commands as typed; those that widen grants refused.
    let reply = json(&socket, "command /stats");
    assert_eq!(reply["status"], "success", "{reply}");
    term.expect("API requests: 2").unwrap();
    for refused in [
        "/yolo",
        "/grants grant x fs.read",
        "/edit",
        "/trust",
        "stats",
    ] {
        let reply = json(&socket, &format!("command {refused}"));
        assert_eq!(reply["status"], "error", "{refused}: {reply}");
    }
    assert_eq!(json(&socket, "yolo")["enabled"], false);

    // compact 100: every tool result pruned, the messages kept.
    let before = json(&socket, "messages count")["total"].clone();
    let reply = json(&socket, "compact 100");
    assert_eq!(reply["tool_results_pruned"], 1, "{reply}");
    assert_eq!(json(&socket, "messages count")["total"], before);
    assert!(send(&socket, "messages").contains("[tool result pruned by compact]"));
    assert!(send(&socket, "compact 300").starts_with("ERROR"));

    // retry: the last answer asked again.
    assert_eq!(send(&socket, "retry"), "OK");
    term.expect("answer retried").unwrap();
    wait_idle(&socket);
    // The retried request ends at the last user message, as /retry does.
    let last = server.requests().pop().unwrap();
    assert_eq!(
        last["messages"].as_array().unwrap().last().unwrap()["content"],
        "please answer"
    );

    // reset: only the system prompt is left.
    assert_eq!(send(&socket, "reset"), "OK");
    assert_eq!(json(&socket, "messages count")["total"], 1);

    let audit_before_quit = socket_audit(&p);
    for expected in [
        "inject-text",
        "inject",
        "process",
        "command",
        "compact",
        "retry",
        "reset",
    ] {
        assert!(
            audit_before_quit.contains(&(expected.into(), "allowed".into())),
            "{expected} in {audit_before_quit:?}"
        );
    }
    assert!(audit_before_quit.contains(&("command".into(), "denied".into())));

    // quit: the session ends, its socket with it.
    assert_eq!(send(&socket, "quit"), "OK");
    term.expect(expectrl::Eof).unwrap();
    assert!(!socket.exists());
    assert!(socket_audit(&p).contains(&("quit".into(), "allowed".into())));
}

#[test]
fn a_piped_run_has_a_socket_to_watch_steer_and_stop() {
    let server = ScriptedServer::start(vec![
        // Slow enough for the client to inject while it streams.
        Reply::Slow {
            events: vec![
                tool_call(0, "c1", "list_directory", "{\"path\":\".\"}"),
                finish("tool_calls", 10, 5),
            ],
            pause_ms: 300,
        },
        answer_text("steered"),
        Reply::Endless {
            text: "more ".into(),
            pause_ms: 30,
        },
    ]);
    let p = aicoder_tests::Project::with_model(&server);
    let socket = p.work().parent().unwrap().join("piped.socket");
    let child = piped_run_with_socket(&p, &socket, b"list it\n");
    assert_eq!(std::fs::metadata(&socket).unwrap().mode() & 0o777, 0o600);
    assert_eq!(send(&socket, "inject also say steered"), "OK");
    // What only an interactive session's loop does is refused, clearly.
    let reply = json(&socket, "command /stats");
    assert!(
        reply["message"].as_str().unwrap().contains("piped run"),
        "{reply}"
    );
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("steered"));
    // The injected message reached the model at the safe point: after the
    // tool call's result, never between them.
    let last = server.requests().pop().unwrap();
    let messages = last["messages"].as_array().unwrap();
    let at = messages
        .iter()
        .position(|m| m["content"] == "also say steered")
        .expect("the injected message was sent");
    let tool_at = messages.iter().position(|m| m["role"] == "tool").unwrap();
    assert!(at > tool_at, "{messages:?}");
    assert!(!socket.exists(), "removed at exit");

    // stop during a piped run's streaming answer ends it (failing).
    let child = piped_run_with_socket(&p, &socket, b"go on\n");
    let deadline = Instant::now() + Duration::from_secs(20);
    // Let the endless answer start streaming.
    while server.requests().len() < 3 {
        assert!(Instant::now() < deadline, "the third request never came");
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(send(&socket, "stop"), "OK");
    let out = child.wait_with_output().unwrap();
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("cancelled"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
