//! AI Coder v3's socket API (docs/SOCKET_API.md): a Unix socket per
//! interactive session that scripts, tmux bindings and editors use to ask
//! what the session is doing, stop an answer, save it. One line in, one line
//! out, then the connection closes.
//!
//! The socket is `aicoder-<pid>-<tmux pane or 0>.socket` in a private folder
//! (`$XDG_RUNTIME_DIR/aicoder`, else `/tmp/aicoder-<uid>`, mode 0700, owned
//! by the user, never a symlink), itself mode 0600, or AICODER_SOCKET_IPC_FILE.
//! A peer whose uid is not the user's is refused (SO_PEERCRED) and that is
//! audited, as is every command that changes the session. Nothing on the
//! socket loosens safety: it can turn YOLO mode off, never on; it cannot
//! approve a tool call, grant a capability or turn the file sandbox off.

use super::socket_bridge as bridge;
use super::socket_error::at;
pub use super::socket_error::SocketError;
use crate::caps::audit::{AuditEntry, Outcome};
use crate::caps::Services;
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// Whether a turn is running (`is_processing`).
static PROCESSING: AtomicBool = AtomicBool::new(false);

/// Mark a turn as running or not.
pub(crate) fn set_processing(on: bool) {
    PROCESSING.store(on, Ordering::SeqCst);
}

/// The longest command line read (an inject-text of v3's largest text,
/// 10 MiB, in base64).
const MAX_LINE: u64 = 14 << 20;

/// The most text inject-text adds at once (v3's limit).
const MAX_INJECT_TEXT: usize = 10 << 20;

/// Wakes a turn's request to cancel it (`stop`), in piped runs too, where
/// SIGINT keeps its default action until the first request.
static STOP: tokio::sync::Notify = tokio::sync::Notify::const_new();

/// Resolves when `stop` arrives on the socket.
pub(crate) async fn stopped() {
    STOP.notified().await;
}

/// What Ctrl-C does: the streaming answer is cancelled, a running tool
/// stopped (its flag is the one the shell runner polls).
fn stop_turn() {
    crate::interrupt::flag().store(true, Ordering::SeqCst);
    STOP.notify_waiters();
    if bridge::mode() == bridge::Mode::Interactive {
        // SAFETY: kill with our own pid and a standard signal.
        unsafe { libc::kill(libc::getpid(), libc::SIGINT) };
    }
}

/// The running socket; the file is removed when dropped.
#[derive(Debug)]
pub struct SocketServer {
    path: PathBuf,
}

impl SocketServer {
    /// Where the socket is.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for SocketServer {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

fn uid() -> u32 {
    // SAFETY: getuid cannot fail and touches no memory.
    unsafe { libc::getuid() }
}

/// The private folder sockets live in, made if missing and checked: a
/// directory (not a symlink) of this user with no access for others.
fn private_dir() -> Result<PathBuf, SocketError> {
    let dir = crate::util::runtime_dir();
    match std::fs::create_dir(&dir) {
        Ok(()) => {
            std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700))
                .map_err(at(&dir))?;
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(at(&dir)(e)),
    }
    let meta = std::fs::symlink_metadata(&dir).map_err(at(&dir))?;
    if !meta.is_dir() || meta.uid() != uid() || meta.mode() & 0o077 != 0 {
        return Err(SocketError::NotPrivate(dir));
    }
    Ok(dir)
}

/// The socket's path: AICODER_SOCKET_IPC_FILE, or v3's name in the private
/// folder.
fn socket_path() -> Result<PathBuf, SocketError> {
    if let Some(file) = std::env::var_os("AICODER_SOCKET_IPC_FILE").filter(|f| !f.is_empty()) {
        return Ok(PathBuf::from(file));
    }
    let pane = std::env::var("TMUX_PANE").unwrap_or_else(|_| "0".into());
    let pane: String = pane
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '%')
        .collect();
    Ok(private_dir()?.join(format!("aicoder-{}-{pane}.socket", std::process::id())))
}

/// The uid and pid of the process at the other end.
fn peer(stream: &UnixStream) -> Option<(u32, i32)> {
    use std::os::fd::AsRawFd;
    let mut cred = libc::ucred {
        pid: 0,
        uid: u32::MAX,
        gid: 0,
    };
    let mut len = std::mem::size_of::<libc::ucred>() as libc::socklen_t;
    // SAFETY: the buffer is a ucred of the length passed, as SO_PEERCRED
    // wants; the fd is the stream's, open for the call's duration.
    let rc = unsafe {
        libc::getsockopt(
            stream.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_PEERCRED,
            (&mut cred as *mut libc::ucred).cast(),
            &mut len,
        )
    };
    (rc == 0).then_some((cred.uid, cred.pid))
}

/// Whether process `pid` shares this process's network namespace. A
/// command in the process sandbox has a namespace of its own and the same
/// uid: it must not drive the session that started it, even if it finds
/// the socket (the sandbox also hides the folder). Unknown counts as not.
fn same_network_namespace(pid: i32) -> bool {
    let ns = |who: &str| std::fs::read_link(format!("/proc/{who}/ns/net")).ok();
    match (ns("self"), ns(&pid.to_string())) {
        (Some(mine), Some(theirs)) => mine == theirs,
        _ => false,
    }
}

/// Start serving; `sandbox` is the file sandbox's state (read only here).
pub fn start(services: Arc<Services>, sandbox: bool) -> Result<SocketServer, SocketError> {
    let path = socket_path()?;
    // A socket left by a crashed process of the same name (a reused pid).
    if std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_socket()) {
        let _ = std::fs::remove_file(&path);
    }
    let listener = UnixListener::bind(&path).map_err(at(&path))?;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).map_err(at(&path))?;
    std::thread::Builder::new()
        .name("aicoder-socket".into())
        .spawn(move || {
            for stream in listener.incoming().flatten() {
                // A connection of its own: one waiting for a command to
                // finish never holds up `stop`.
                let services = services.clone();
                let _ = std::thread::Builder::new()
                    .name("aicoder-socket-client".into())
                    .spawn(move || serve(stream, &services, sandbox));
            }
        })
        .map_err(SocketError::Thread)?;
    Ok(SocketServer { path })
}

fn audit(services: &Services, command: &str, outcome: Outcome, detail: Option<String>) {
    let entry = AuditEntry {
        seq: None,
        prev: None,
        time: crate::util::now_rfc3339(),
        plugin: "socket".into(),
        hash: String::new(),
        capability: "socket".into(),
        operation: command.split_whitespace().next().unwrap_or("").into(),
        args: json!({"line": crate::util::truncate_text(command, 200).0}),
        old: None,
        new: None,
        old_blob: None,
        new_blob: None,
        outcome,
        scope: None,
        within: None,
        detail,
        via: None,
    };
    services.audit.record(&entry);
    // Nothing else flushes from this thread: written now, not at a turn's end.
    services.audit.flush();
}

fn serve(stream: UnixStream, services: &Services, sandbox: bool) {
    let _ = stream.set_read_timeout(Some(std::time::Duration::from_secs(5)));
    let me = uid();
    let peer = peer(&stream);
    if peer.map(|(uid, _)| uid) != Some(me) {
        audit(
            services,
            "connect",
            Outcome::Denied,
            Some("a process of another user connected; refused".into()),
        );
        let _ = (&stream).write_all(b"ERROR: refused: not this session's user\n");
        return;
    }
    if !peer.is_some_and(|(_, pid)| same_network_namespace(pid)) {
        audit(
            services,
            "connect",
            Outcome::Denied,
            Some("a sandboxed process (another network namespace) connected; refused".into()),
        );
        let _ =
            (&stream).write_all(b"ERROR: refused: a sandboxed process may not drive the session\n");
        return;
    }
    let mut line = String::new();
    if BufReader::new((&stream).take(MAX_LINE))
        .read_line(&mut line)
        .is_err()
    {
        return;
    }
    // `stop` answers before it stops: a piped run may end the moment its
    // turn is cancelled, before a later answer could be written.
    if line.trim() == "stop" {
        let _ = (&stream).write_all(b"OK\n");
        let _ = (&stream).flush();
        drop(stream);
        let _ = command("stop", services, sandbox);
        return;
    }
    let reply = command(line.trim(), services, sandbox);
    let _ = (&stream).write_all(format!("{reply}\n").as_bytes());
    // `quit` is queued once its answer is written: the session may be
    // gone the moment it takes it.
    if line.trim() == "quit" && reply == "OK" {
        let _ = (&stream).flush();
        drop(stream);
        let _ = bridge::submit(bridge::Action::Quit, false);
    }
}

/// `ERROR: …` refusing a change the socket may not make.
fn terminal_only(what: &str) -> String {
    format!(
        "ERROR: {what} only at aicoder's prompt: the socket never loosens approvals or the sandbox"
    )
}

/// Run one command line; the reply line.
fn command(line: &str, services: &Services, sandbox: bool) -> String {
    let (name, arg) = line.split_once(' ').unwrap_or((line, ""));
    let arg = arg.trim();
    let processing = PROCESSING.load(Ordering::SeqCst);
    match name {
        "is_processing" => json!({"processing": processing}).to_string(),
        "status" => {
            let state = services.state();
            json!({
                "processing": processing,
                "yolo_enabled": state.config.yolo_mode,
                "detail_enabled": false,
                "sandbox_enabled": sandbox,
                "messages": state.messages.len(),
            })
            .to_string()
        }
        "stats" => {
            let state = services.state();
            let s = &state.stats;
            json!({
                "messages_sent": s.messages_sent,
                "api_requests": s.api_requests,
                "api_success": s.api_success,
                "api_errors": s.api_errors,
                "prompt_tokens": s.prompt_tokens,
                "completion_tokens": s.completion_tokens,
                "cache_read_tokens": s.cache_read_tokens,
                "cache_write_tokens": s.cache_write_tokens,
                "tool_calls": s.tool_calls,
                "current_prompt_size": s.context_tokens,
                "estimated_cost": crate::config::prices::dollars(s.cost_micros),
            })
            .to_string()
        }
        "yolo" => {
            let mut state = services.state();
            let on = state.config.yolo_mode;
            match arg {
                "" | "status" => json!({"enabled": on}).to_string(),
                "off" | "toggle" if on => {
                    state.config.yolo_mode = false;
                    drop(state);
                    audit(services, line, Outcome::Allowed, None);
                    json!({"enabled": false, "message": "YOLO disabled"}).to_string()
                }
                "off" => json!({"enabled": false, "message": "YOLO disabled"}).to_string(),
                "on" | "toggle" => {
                    drop(state);
                    audit(services, line, Outcome::Denied, Some("YOLO only at the prompt".into()));
                    terminal_only("YOLO mode can be turned on")
                }
                other => format!("ERROR: yolo {other}: use on, off, status or toggle"),
            }
        }
        "sandbox" => match arg {
            "" | "status" => json!({"enabled": sandbox}).to_string(),
            "on" if sandbox => json!({"enabled": true, "message": "sandbox enabled"}).to_string(),
            "on" | "off" | "toggle" => {
                audit(services, line, Outcome::Denied, Some("sandbox only at the prompt".into()));
                terminal_only("the file sandbox can be changed")
            }
            other => format!("ERROR: sandbox {other}: use on, off, status or toggle"),
        },
        "detail" => match arg {
            "" | "status" => json!({"enabled": false}).to_string(),
            _ => "ERROR: aicoder has no detail mode: tool results show one line; /context shows what the model is sent".into(),
        },
        "stop" => {
            if processing {
                audit(services, line, Outcome::Allowed, None);
                stop_turn();
            }
            "OK".into()
        }
        "messages" => {
            let state = services.state();
            if arg == "count" {
                let count = |role: &str| state.messages.iter().filter(|m| m.role == role).count();
                json!({"total": state.messages.len(), "user": count("user"),
                    "assistant": count("assistant"), "system": count("system"), "tool": count("tool")})
                .to_string()
            } else {
                Value::from(state.messages.iter().map(|m| m.to_api()).collect::<Vec<_>>()).to_string()
            }
        }
        "save" => {
            let state = services.state();
            let path = if arg.is_empty() {
                crate::config::Paths::for_project(&state.cwd).project_dir.join("session.json")
            } else {
                PathBuf::from(shellexpand_home(arg))
            };
            let saved = crate::session::store::SavedSession {
                version: 1,
                messages: state.messages.to_vec(),
                stats: state.stats.clone(),
                cwd: Some(state.cwd.display().to_string()),
            };
            drop(state);
            let result = crate::session::store::save(&path, &saved);
            let outcome = if result.is_ok() { Outcome::Allowed } else { Outcome::Failed };
            audit(services, line, outcome, result.as_ref().err().map(|e| e.to_string()));
            match result {
                Ok(()) => format!("OK: saved to {}", path.display()),
                Err(e) => format!("ERROR: {e}"),
            }
        }
        "inject" if arg.is_empty() => {
            "ERROR: Missing argument: message (inject MESSAGE, or inject-text BASE64 for several lines)".into()
        }
        "inject" => {
            audit(services, line, Outcome::Allowed, None);
            bridge::inject(arg.to_string(), services);
            "OK".into()
        }
        "inject-text" => inject_text(line, arg, services),
        "command" => command_line(line, arg, services, processing),
        "process" | "retry" | "reset" | "compact" | "quit" => {
            control(name, line, arg, services, processing)
        }
        "" => "ERROR: empty command".into(),
        other => format!("ERROR: unknown command {other}"),
    }
}

/// `~/x` as the home folder's `x`.
fn shellexpand_home(path: &str) -> String {
    match (path.strip_prefix("~/"), std::env::var("HOME")) {
        (Some(rest), Ok(home)) => format!("{home}/{rest}"),
        _ => path.to_string(),
    }
}

/// v3's JSON error answer.
fn error_json(code: u32, message: &str) -> String {
    json!({"status": "error", "code": code, "message": message}).to_string()
}

/// v3's JSON success answer.
fn success_json(data: Value) -> String {
    json!({"status": "success", "data": data}).to_string()
}

/// `inject-text BASE64`: several lines (or any text) as one user message.
fn inject_text(line: &str, arg: &str, services: &Services) -> String {
    use base64::Engine;
    if arg.is_empty() {
        return error_json(1003, "Missing base64 encoded text");
    }
    let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(arg) else {
        return error_json(1004, "Invalid base64 encoding");
    };
    if bytes.len() > MAX_INJECT_TEXT {
        return error_json(
            1004,
            &format!(
                "Text too large: {} bytes (max: {MAX_INJECT_TEXT})",
                bytes.len()
            ),
        );
    }
    let Ok(text) = String::from_utf8(bytes) else {
        return error_json(1004, "Invalid UTF-8 encoding");
    };
    audit(services, line, Outcome::Allowed, None);
    let length = text.chars().count();
    bridge::inject(text, services);
    success_json(json!({"injected": true, "length": length}))
}

/// Built-in slash commands the socket may run, each with the arguments it
/// may take (`None`: any). Anything that widens what runs without the
/// user (YOLO on, grants, trust) is absent; /edit needs the terminal.
/// A built-in added later is refused until listed here.
const SOCKET_COMMANDS: &[(&str, Option<&[&str]>)] = &[
    ("help", None),
    ("save", None),
    ("load", None),
    ("new", Some(&[""])),
    ("stats", Some(&[""])),
    ("context", Some(&[""])),
    ("compact", Some(&[""])),
    ("retry", Some(&[""])),
    ("thinking", None),
    ("model", None),
    ("models", Some(&[""])),
    ("sessions", None),
    ("plugins", Some(&["", "reload"])),
    ("mcp", Some(&[""])),
    ("audit", None),
    ("quit", Some(&[""])),
    ("exit", Some(&[""])),
    ("q", Some(&[""])),
];

/// Why the socket may not run this slash command line, if it may not.
fn refuse_command(text: &str, services: &Services) -> Option<String> {
    let Some(body) = text.strip_prefix('/') else {
        return Some("Command must start with '/'".into());
    };
    let (name, args) = body.split_once(char::is_whitespace).unwrap_or((body, ""));
    let args = args.trim();
    let state = services.state();
    match name {
        // Turning YOLO off is allowed (/yolo toggles): never on.
        "yolo" if state.config.yolo_mode && args.is_empty() => None,
        "yolo" => Some("/yolo can turn YOLO mode on only at aicoder's prompt".into()),
        // Listing only: a revoke also removes denials (the plugin is asked
        // again), so from the socket it could widen.
        "grants" if args.is_empty() => None,
        "grants" => {
            Some("/grants can only list from the socket (revoke at aicoder's prompt)".into())
        }
        "edit" => Some("/edit needs the terminal".into()),
        _ => match SOCKET_COMMANDS.iter().find(|(n, _)| *n == name) {
            Some((_, None)) => None,
            Some((_, Some(allowed))) if allowed.contains(&args) => None,
            Some(_) => Some(format!("/{name} {args}: not from the socket")),
            None if state.commands.iter().any(|c| c.name == name) => None,
            None => Some(format!(
                "Unknown command: /{name} (or not allowed from the socket)"
            )),
        },
    }
}

/// How long `command`, `reset` and `compact` wait for the session.
const REPLY_WAIT: std::time::Duration = std::time::Duration::from_secs(600);

/// The session's reply, or why there is none.
fn wait(rx: Option<std::sync::mpsc::Receiver<String>>) -> String {
    match rx.map(|rx| rx.recv_timeout(REPLY_WAIT)) {
        Some(Ok(reply)) => reply,
        Some(Err(_)) => {
            "ERROR: Timeout: the session did not answer (it may be asking a question at its prompt)"
                .into()
        }
        None => "OK".into(),
    }
}

/// `command /NAME ARGS`: a slash command run by the session, as typed.
fn command_line(line: &str, arg: &str, services: &Services, processing: bool) -> String {
    if arg.is_empty() {
        return error_json(1003, "Missing command");
    }
    if let Some(why) = refuse_command(arg, services) {
        audit(services, line, Outcome::Denied, Some(why.clone()));
        return error_json(1101, &why);
    }
    if bridge::mode() != bridge::Mode::Interactive {
        return error_json(1301, bridge::PIPED);
    }
    if processing {
        return error_json(1001, "Already processing, please wait (or stop)");
    }
    match bridge::submit(bridge::Action::Command(arg.to_string()), true) {
        Ok(rx) => {
            audit(services, line, Outcome::Allowed, None);
            wait(rx)
        }
        Err(why) => error_json(1301, &why),
    }
}

/// process, retry, reset, compact and quit: done by the session's thread.
fn control(name: &str, line: &str, arg: &str, services: &Services, processing: bool) -> String {
    let (action, wait_reply) = match name {
        "process" => (bridge::Action::Process, false),
        "retry" => (bridge::Action::Retry, false),
        "reset" => (bridge::Action::Reset, true),
        "compact" => match arg {
            "" => (bridge::Action::Compact(50), true),
            n => match n.trim_end_matches('%').parse::<u8>() {
                Ok(p) if p <= 100 => (bridge::Action::Compact(p), true),
                _ => return format!("ERROR: compact {n}: a percentage from 0 to 100"),
            },
        },
        _ => (bridge::Action::Quit, false),
    };
    if bridge::mode() != bridge::Mode::Interactive {
        return if name == "process" {
            error_json(1301, bridge::PIPED)
        } else {
            format!("ERROR: {}", bridge::PIPED)
        };
    }
    if name == "quit" {
        if processing {
            stop_turn();
        }
        audit(services, line, Outcome::Allowed, None);
        // Queued by `serve` after this answer is written.
        return "OK".into();
    }
    if processing {
        return if name == "process" {
            error_json(1001, "Already processing, please wait")
        } else {
            "ERROR: Already processing: wait (is_processing) or stop".into()
        };
    }
    match bridge::submit(action, wait_reply) {
        Ok(rx) => {
            audit(services, line, Outcome::Allowed, None);
            if name == "process" {
                success_json(json!({"processing": true, "message": "Started processing"}))
            } else {
                wait(rx)
            }
        }
        Err(why) if name == "process" => error_json(1301, &why),
        Err(why) => format!("ERROR: {why}"),
    }
}
