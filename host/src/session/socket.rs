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

/// The longest command line read.
const MAX_LINE: u64 = 64 << 10;

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
fn private_dir() -> Result<PathBuf, String> {
    let dir = match std::env::var_os("XDG_RUNTIME_DIR").filter(|d| !d.is_empty()) {
        Some(run) => PathBuf::from(run).join("aicoder"),
        None => std::env::temp_dir().join(format!("aicoder-{}", uid())),
    };
    match std::fs::create_dir(&dir) {
        Ok(()) => {
            std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700))
                .map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(format!("{}: {e}", dir.display())),
    }
    let meta = std::fs::symlink_metadata(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    if !meta.is_dir() || meta.uid() != uid() || meta.mode() & 0o077 != 0 {
        return Err(format!(
            "{} is not a private folder of yours (a directory, mode 0700); remove it or set \
             AICODER_SOCKET_IPC_FILE",
            dir.display()
        ));
    }
    Ok(dir)
}

/// The socket's path: AICODER_SOCKET_IPC_FILE, or v3's name in the private
/// folder.
fn socket_path() -> Result<PathBuf, String> {
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

/// The uid of the process at the other end.
fn peer_uid(stream: &UnixStream) -> Option<u32> {
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
    (rc == 0).then_some(cred.uid)
}

/// Start serving; `sandbox` is the file sandbox's state (read only here).
pub fn start(services: Arc<Services>, sandbox: bool) -> Result<SocketServer, String> {
    let path = socket_path()?;
    // A socket left by a crashed process of the same name (a reused pid).
    if std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_socket()) {
        let _ = std::fs::remove_file(&path);
    }
    let listener = UnixListener::bind(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))
        .map_err(|e| format!("{}: {e}", path.display()))?;
    std::thread::Builder::new()
        .name("aicoder-socket".into())
        .spawn(move || {
            for stream in listener.incoming().flatten() {
                serve(stream, &services, sandbox);
            }
        })
        .map_err(|e| format!("cannot start the socket thread: {e}"))?;
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
    if peer_uid(&stream) != Some(me) {
        audit(
            services,
            "connect",
            Outcome::Denied,
            Some("a process of another user connected; refused".into()),
        );
        let _ = (&stream).write_all(b"ERROR: refused: not this session's user\n");
        return;
    }
    let mut line = String::new();
    if BufReader::new((&stream).take(MAX_LINE))
        .read_line(&mut line)
        .is_err()
    {
        return;
    }
    let reply = command(line.trim(), services, sandbox);
    let _ = (&stream).write_all(format!("{reply}\n").as_bytes());
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
                // What Ctrl-C does: the streaming answer is cancelled, a
                // running tool stopped.
                // SAFETY: kill with our own pid and a standard signal.
                unsafe { libc::kill(libc::getpid(), libc::SIGINT) };
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
        "inject" | "inject-text" | "command" | "process" | "retry" | "reset" | "compact" | "quit" => {
            format!(
                "ERROR: {name} is not available on aicoder's socket yet; is_processing, status, \
                 stats, yolo, sandbox, detail, stop, messages and save are"
            )
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
