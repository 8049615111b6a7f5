//! v3's socket API driven by a plain Unix-socket client against the real
//! binary in a pty: queries, `stop` during a streaming answer, the file's
//! permissions, and what the socket may not do (turn YOLO on, loosen the
//! sandbox), nor another user's process.

#![allow(clippy::unwrap_used)]

use aicoder_tests::server::{answer_text, Reply, ScriptedServer};
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
    let mut term = expectrl::Session::spawn(p.command(&[])).unwrap();
    term.set_expect_timeout(Some(Duration::from_secs(30)));
    let found = term
        .expect(expectrl::Regex("socket: (\\S+\\.socket)"))
        .unwrap();
    let path = PathBuf::from(String::from_utf8_lossy(found.get(1).unwrap()).to_string());
    term.expect("> ").unwrap();
    (p, term, path)
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
    assert!(send(&socket, "inject hi").starts_with("ERROR: inject is not available"));
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
