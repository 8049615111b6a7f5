//! Confine a child process on Linux, for every process aicoder starts
//! (`run_shell_command`, `shell.exec`, background jobs, MCP servers).
//!
//! # Public API (stable: the host and the MCP client build on it)
//!
//! - [`Policy`]: what the child may touch: the workspace `root` (writable),
//!   extra `writable` folders, `deny_read` paths made empty/unreadable
//!   (aicoder's own folders and the secret places, see
//!   [`default_deny_read`]), the `net` allow list ([`HostRule`]s, decided by
//!   the host-side proxy) and `listen` (ports a server inside may publish
//!   on the host's loopback).
//! - [`confine`] turns a program and its arguments into a
//!   [`std::process::Command`] that runs them confined (set stdio, env and
//!   the process group on it as for any command, then spawn it), plus a
//!   [`Guard`] that keeps the proxy and the private temporary folder alive
//!   and reports what the proxy refused ([`Guard::refusals`]). Drop the
//!   guard after the child has been waited for.
//! - [`probe`] says which mechanisms this kernel supports ([`Support`]);
//!   [`Support::missing`] names what is missing in one line.
//! - [`launch_if_requested`] must be the first call of the binary's `main`:
//!   the confined command is started by re-executing that binary
//!   (`Policy::launcher`, by default the running executable) with a hidden
//!   first argument.
//!
//! # How each promise is kept
//!
//! | promise | mechanism |
//! |---|---|
//! | no write outside root, private tmp, `/dev/null` | Landlock (filesystem rights, ABI 1-3) |
//! | `deny_read` paths read as empty | mount namespace: an empty read-only tmpfs over each folder, `/dev/null` bound over each file |
//! | no direct network | network namespace with only loopback |
//! | hosts per grant | host-side HTTP/CONNECT proxy serving `127.0.0.1:PROXY_PORT` inside (the launcher hands it the listening socket; a forwarder to its Unix socket if that fails) |
//! | names resolving to internal addresses refused | the proxy resolves the name itself, refuses loopback/private unless the rule names that address, and connects to the address it checked |
//! | nothing outlives the command | PID namespace: the command's parent is the namespace's init, which exits with the command, and the kernel then kills every process left |
//! | no mount changes, no capabilities | Landlock forbids mount changes; capabilities are dropped before exec |
//! | no new user namespaces, io_uring, keyrings, bpf, module loading, `setns` | seccomp filter (seccomp.rs) installed just before exec, inherited by every child |

mod host_port;
mod launch;
mod mounts;
mod proxy;
mod pump;
#[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
mod seccomp;
mod setup_error;
mod stale;
mod warm;

pub use host_port::{HostPort, HostPortError};
pub use launch::launch_if_requested;
pub use proxy::{is_internal, HostRequest, Refusal};
pub use pump::{set_socket_buffers, LOOPBACK_BUFFER};
pub use warm::Io;

use serde::{Deserialize, Serialize};
use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

/// The port the proxy answers on inside the sandbox (`127.0.0.1`), given to
/// the command as `HTTP_PROXY`/`HTTPS_PROXY`.
pub const PROXY_PORT: u16 = 3128;

/// The hidden first argument that makes the binary act as the launcher.
pub const LAUNCH_ARG: &str = "__aicoder-sandbox-launch";

/// A host the proxy lets through: `host`, `host:port` or `*.domain`
/// (any name below `domain`, not `domain` itself), compared
/// case-insensitively. A rule whose host is an IP address is the only way
/// to reach a loopback or private address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HostRule {
    /// The host, lowercase; `*.domain` for a whole domain.
    pub host: String,
    /// The port, or any port.
    pub port: Option<u16>,
}

/// A host rule that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "`{rule}` is not a host rule: {reason} (e.g. `api.github.com`, `*.pypi.org`, `127.0.0.1:8080`)"
)]
pub struct BadRule {
    rule: String,
    reason: String,
}

impl HostRule {
    /// Read `host`, `host:port`, `[v6]:port` or `*.domain` ([`HostPort`]).
    pub fn parse(text: &str) -> Result<HostRule, BadRule> {
        let HostPort { host, port } = HostPort::parse(text).map_err(|e| BadRule {
            rule: text.into(),
            reason: e.to_string(),
        })?;
        Ok(HostRule { host, port })
    }

    /// Whether this rule covers `host:port` (host lowercase).
    pub fn covers(&self, host: &str, port: u16) -> bool {
        let host_ok = match self.host.strip_prefix("*.") {
            Some(domain) => host
                .strip_suffix(domain)
                .is_some_and(|sub| sub.ends_with('.') && sub.len() > 1),
            None => self.host.eq_ignore_ascii_case(host),
        };
        host_ok && self.port.is_none_or(|p| p == port)
    }

    /// Whether this rule names the address `ip` itself.
    pub fn names_address(&self, ip: std::net::IpAddr) -> bool {
        self.host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|mine| mine == ip)
    }
}

impl std::fmt::Display for HostRule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.port, self.host.contains(':')) {
            (Some(p), true) => write!(f, "[{}]:{p}", self.host),
            (Some(p), false) => write!(f, "{}:{p}", self.host),
            (None, _) => f.write_str(&self.host),
        }
    }
}

/// What the proxy does with a host no rule covers, asked while the command
/// runs (the host may ask the user). `true` lets it through.
pub type AskHost = Arc<dyn Fn(&HostRequest) -> bool + Send + Sync>;

/// Told of each connection the proxy refuses, when it refuses it (see
/// [`Guard::on_refusal`]).
pub type OnRefusal = Arc<dyn Fn(&Refusal) + Send + Sync>;

/// The network part of a [`Policy`].
#[derive(Clone, Default)]
pub struct NetPolicy {
    /// Hosts let through.
    pub allow: Vec<HostRule>,
    /// Asked about a host no rule covers; `None` refuses it.
    pub ask: Option<AskHost>,
}

impl std::fmt::Debug for NetPolicy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NetPolicy")
            .field("allow", &self.allow)
            .field("ask", &self.ask.is_some())
            .finish()
    }
}

/// What a confined command may touch.
#[derive(Debug, Clone, Default)]
pub struct Policy {
    /// The workspace root: readable and writable (except what `deny_read`
    /// hides beneath it).
    pub root: PathBuf,
    /// More folders the command may write beneath.
    pub writable: Vec<PathBuf>,
    /// Paths that read as empty and cannot be written (folders: an empty
    /// read-only folder; files: empty). Paths that do not exist are skipped.
    pub deny_read: Vec<PathBuf>,
    /// Hosts reachable through the proxy.
    pub net: NetPolicy,
    /// Ports on `127.0.0.1` inside that are published on the host's
    /// loopback (a dev server a background job starts). Empty: none.
    pub listen: Vec<u16>,
    /// The binary re-executed as the launcher; `None`: the running one.
    pub launcher: Option<PathBuf>,
}

/// The usual secret places beneath `home` (`~/.ssh`, `~/.gnupg`, cloud and
/// tool credentials), hidden by default.
pub fn default_deny_read(home: &Path) -> Vec<PathBuf> {
    [
        ".ssh",
        ".gnupg",
        ".aws",
        ".azure",
        ".config/gcloud",
        ".config/gh",
        ".config/hub",
        ".netrc",
        ".git-credentials",
        ".docker/config.json",
        ".kube",
        ".npmrc",
        ".pypirc",
        ".cargo/credentials.toml",
        ".cargo/credentials",
        ".password-store",
        ".local/share/keyrings",
        ".mozilla",
        ".config/google-chrome",
        ".config/chromium",
    ]
    .iter()
    .map(|p| home.join(p))
    .chain(
        ["/var/run/docker.sock", "/run/docker.sock"]
            .iter()
            .map(PathBuf::from),
    )
    .collect()
}

/// The user's session sockets that would let a command act outside the
/// sandbox, hidden from every confined command whatever the deny list
/// says: tmux servers (`$TMUX_TMPDIR` or /tmp, `tmux-UID/`: `tmux
/// send-keys` types into an unconfined shell), GNU screen's, X11's
/// (`/tmp/.X11-unix`: keystrokes into a terminal window), the runtime
/// folder (`$XDG_RUNTIME_DIR`: the user's D-Bus, `systemd-run --user`,
/// agents) and the ssh agent (`$SSH_AUTH_SOCK`: signing with the user's
/// keys). A Unix socket on the filesystem is not a Landlock right: hiding
/// it (mount namespace) is what keeps the command from connecting.
pub fn session_sockets() -> Vec<PathBuf> {
    // SAFETY: getuid takes no arguments and cannot fail.
    let uid = unsafe { libc::getuid() };
    let var = |name: &str| {
        std::env::var_os(name)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    let mut list = vec![
        var("TMUX_TMPDIR")
            .unwrap_or_else(|| PathBuf::from("/tmp"))
            .join(format!("tmux-{uid}")),
        PathBuf::from(format!("/tmp/tmux-{uid}")),
        PathBuf::from("/tmp/.X11-unix"),
        PathBuf::from("/run/screen"),
        PathBuf::from("/var/run/screen"),
    ];
    list.extend(var("XDG_RUNTIME_DIR").filter(|p| p.is_absolute()));
    list.extend(var("SSH_AUTH_SOCK").filter(|p| p.is_absolute()));
    list.extend(var("SCREENDIR").filter(|p| p.is_absolute()));
    list
}

/// Why a command could not be confined.
#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    #[error("the sandbox is not supported here: {0}")]
    Unsupported(String),
    #[error("the sandbox could not find its launcher binary: {0}")]
    Launcher(#[source] std::io::Error),
    #[error("the sandbox could not make its private folder: {0}")]
    TempDir(#[source] std::io::Error),
    #[error("the sandbox proxy could not start: {0}")]
    Proxy(#[source] std::io::Error),
    #[error("cannot publish port {port} on the host's loopback: {source}")]
    Listen {
        port: u16,
        #[source]
        source: std::io::Error,
    },
    #[error("the workspace root {path} cannot be used: {reason}")]
    Root { path: String, reason: String },
}

/// Which mechanisms this kernel offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Support {
    /// User, mount, PID and network namespaces can be made.
    pub namespaces: bool,
    /// The Landlock ABI version (0: none).
    pub landlock_abi: i32,
}

impl Support {
    /// Whether every promise can be kept.
    pub fn full(&self) -> bool {
        self.namespaces && self.landlock_abi >= 1
    }

    /// One line naming what is missing, or `None` when nothing is.
    pub fn missing(&self) -> Option<String> {
        let mut gone = Vec::new();
        if !self.namespaces {
            gone.push("user/mount/PID/network namespaces (unshare failed)");
        }
        if self.landlock_abi < 1 {
            gone.push("Landlock (Linux 5.13+, enabled in the LSM list)");
        }
        (!gone.is_empty()).then(|| gone.join(" and "))
    }
}

/// What this kernel supports (tries the namespaces in a short-lived child).
pub fn probe() -> Support {
    Support {
        namespaces: launch::namespaces_work(),
        landlock_abi: launch::landlock_abi(),
    }
}

/// A confined command's companions: the proxy and the private temporary
/// folder. Keep it until the child was waited for.
pub struct Guard {
    /// `None` only once dropped.
    proxy: Option<proxy::Proxy>,
    _published: Vec<proxy::Publisher>,
    tmp: Option<tempfile::TempDir>,
    /// What a warm launcher left: its mount namespace, held so that the
    /// namespace is torn down here, after the command, not in the
    /// launcher's exit (which aicoder waits for); and the launcher to
    /// start again for the next command.
    pub(crate) warm: Option<(std::os::fd::OwnedFd, PathBuf)>,
}

impl Drop for Guard {
    /// The proxy stops, the folder goes and the next warm launcher starts
    /// in the background: the command's result does not wait for them.
    fn drop(&mut self) {
        let (proxy, tmp, warm) = (self.proxy.take(), self.tmp.take(), self.warm.take());
        // Claimed now: a command that comes before the next launcher is
        // started waits for it rather than starting cold.
        let refill = warm.as_ref().is_some_and(|(_, l)| warm::claim(l));
        std::thread::spawn(move || {
            drop(proxy);
            drop(tmp);
            if let Some((ns, launcher)) = warm {
                drop(ns);
                if refill {
                    warm::fill(launcher);
                }
            }
        });
    }
}

impl Guard {
    /// What the proxy refused so far.
    pub fn refusals(&self) -> Vec<Refusal> {
        self.proxy
            .as_ref()
            .map(proxy::Proxy::refusals)
            .unwrap_or_default()
    }

    /// Call `hook` for each refusal from now on, as it is made (set it
    /// before spawning; [`Guard::refusals`] still lists them all).
    pub fn on_refusal(&self, hook: OnRefusal) {
        if let Some(p) = &self.proxy {
            p.on_refusal(hook);
        }
    }

    /// Let `rule` through from now on (a host the user granted while the
    /// command runs).
    pub fn allow(&self, rule: HostRule) {
        if let Some(p) = &self.proxy {
            p.allow(rule);
        }
    }

    /// Serve the proxy port a warm launcher made.
    pub(crate) fn adopt(&self, listener: std::net::TcpListener) -> std::io::Result<()> {
        match &self.proxy {
            Some(p) => p.adopt(listener),
            None => Err(std::io::Error::other("the sandbox proxy has stopped")),
        }
    }

    /// The command's private temporary folder (its `TMPDIR`).
    pub fn tmp(&self) -> &Path {
        self.tmp.as_ref().map_or(Path::new(""), |t| t.path())
    }
}

impl std::fmt::Debug for Guard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Guard").field("tmp", &self.tmp()).finish()
    }
}

/// A command ready to start confined, and its guard.
#[derive(Debug)]
pub struct Confined {
    /// Spawn this (set stdio, the process group, more env first if needed).
    pub command: Command,
    /// Keep until the child was waited for.
    pub guard: Guard,
}

/// Start a launcher ahead of time for `launcher` (`None`: the running
/// binary) and wait until it is ready, at most `limit`: the next
/// [`Confined::spawn`] then skips making the namespaces. Returns whether
/// one is ready.
pub fn warm_up(launcher: Option<&Path>, limit: std::time::Duration) -> bool {
    match launcher {
        Some(l) => warm::warm_up(l, limit),
        None => std::env::current_exe().is_ok_and(|l| warm::warm_up(&l, limit)),
    }
}

/// What the launcher is told (serialised as its second argument).
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct LaunchSpec {
    pub root: PathBuf,
    pub cwd: PathBuf,
    pub writable: Vec<PathBuf>,
    pub deny_read: Vec<PathBuf>,
    pub proxy_socket: PathBuf,
    /// The folder holding every sandbox's folder (see [`sandboxes_folder`]):
    /// covered inside, with only this sandbox's own folder bound back.
    pub sandboxes: PathBuf,
    /// The secret the launcher shows when it hands its listener to the
    /// proxy: `listener.sock` lies in /tmp, where another confined process
    /// could connect first and hand over a listener of its own.
    pub handoff_token: String,
    pub listen: Vec<u16>,
}

/// The folder of this user's sandbox folders (`$TMPDIR/aicoder-sandbox-UID`,
/// mode 0700). Each sandbox's proxy socket lies in a folder of its own
/// beneath it; the launcher covers this folder with an empty tmpfs and
/// binds its own folder back, so a confined process cannot connect to
/// another sandbox's proxy (and use that sandbox's host grants). A folder
/// of that name that is not this user's private folder (a symlink, another
/// owner, readable by others) is refused rather than used. The folders of
/// sessions that were killed are removed by the next one (stale.rs).
fn sandboxes_folder() -> std::io::Result<PathBuf> {
    use std::os::unix::fs::{DirBuilderExt, MetadataExt};
    // SAFETY: getuid takes no arguments and cannot fail.
    let uid = unsafe { libc::getuid() };
    let dir = std::env::temp_dir().join(format!("aicoder-sandbox-{uid}"));
    match std::fs::DirBuilder::new().mode(0o700).create(&dir) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(e),
    }
    let meta = std::fs::symlink_metadata(&dir)?;
    if !meta.is_dir() || meta.uid() != uid || meta.mode() & 0o077 != 0 {
        return Err(std::io::Error::other(format!(
            "{} is not a private folder of this user (a symlink, another owner, or open to \
             others); remove it",
            dir.display()
        )));
    }
    Ok(dir)
}

/// Prepare `program args...` to run confined by `policy`, in `cwd` (inside
/// or outside the root). The command gets `HTTP_PROXY`, `HTTPS_PROXY`,
/// `ALL_PROXY` (and lowercase forms) pointing at the proxy, `NO_PROXY`
/// removed, and `TMPDIR` set to its private folder.
pub fn confine(
    policy: &Policy,
    program: &OsStr,
    args: &[OsString],
    cwd: &Path,
) -> Result<Confined, SandboxError> {
    let root = policy.root.canonicalize().map_err(|e| SandboxError::Root {
        path: policy.root.display().to_string(),
        reason: e.to_string(),
    })?;
    let launcher = match &policy.launcher {
        Some(p) => p.clone(),
        None => std::env::current_exe().map_err(SandboxError::Launcher)?,
    };
    let sandboxes = sandboxes_folder().map_err(SandboxError::TempDir)?;
    stale::sweep_once(&sandboxes);
    let tmp = tempfile::Builder::new()
        .prefix("sb-")
        .tempdir_in(&sandboxes)
        .map_err(SandboxError::TempDir)?;
    stale::mark(tmp.path()).map_err(SandboxError::TempDir)?;
    let work = tmp.path().join("tmp");
    std::fs::create_dir(&work).map_err(SandboxError::TempDir)?;
    let socket = tmp.path().join("proxy.sock");
    let handoff_token = proxy::new_token().map_err(SandboxError::Proxy)?;
    let proxy = proxy::Proxy::start(&socket, policy.net.clone(), handoff_token.clone())
        .map_err(SandboxError::Proxy)?;
    let published = policy
        .listen
        .iter()
        .map(|&port| {
            proxy::Publisher::start(port, tmp.path().join(format!("publish-{port}.sock")))
                .map_err(|source| SandboxError::Listen { port, source })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mut writable = vec![root.clone(), work.clone()];
    writable.extend(policy.writable.iter().filter_map(|p| p.canonicalize().ok()));
    let spec = LaunchSpec {
        root,
        cwd: cwd.to_path_buf(),
        writable,
        deny_read: policy
            .deny_read
            .iter()
            .cloned()
            .chain(session_sockets())
            .collect(),
        proxy_socket: socket,
        sandboxes,
        handoff_token,
        listen: policy.listen.clone(),
    };
    let spec = serde_json::to_string(&spec).map_err(|e| SandboxError::Proxy(e.into()))?;
    let mut command = Command::new(launcher);
    command
        .arg(LAUNCH_ARG)
        .arg(spec)
        .arg(program)
        .args(args)
        .current_dir(cwd);
    let proxy_url = format!("http://127.0.0.1:{PROXY_PORT}");
    for name in [
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
    ] {
        command.env(name, &proxy_url);
    }
    command
        .env_remove("NO_PROXY")
        .env_remove("no_proxy")
        .env("TMPDIR", &work)
        .env("AICODER_SANDBOX", "1");
    Ok(Confined {
        command,
        guard: Guard {
            proxy: Some(proxy),
            _published: published,
            tmp: Some(tmp),
            warm: None,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_rules_read_and_match() {
        let r = HostRule::parse("API.github.com").expect("rule");
        assert!(r.covers("api.github.com", 443));
        assert!(!r.covers("github.com", 443));
        let r = HostRule::parse("*.pypi.org").expect("rule");
        assert!(r.covers("files.pypi.org", 443));
        assert!(!r.covers("pypi.org", 443));
        assert!(!r.covers("evilpypi.org", 443));
        let r = HostRule::parse("127.0.0.1:8080").expect("rule");
        assert!(r.covers("127.0.0.1", 8080));
        assert!(!r.covers("127.0.0.1", 8081));
        assert!(r.names_address("127.0.0.1".parse().expect("ip")));
        assert!(HostRule::parse("[::1]:80").expect("v6").covers("::1", 80));
        assert!(HostRule::parse("a b").is_err());
        assert!(HostRule::parse("x:notaport").is_err());
    }
}
