//! Launchers started ahead of time, so a command's start-up does not wait
//! for the namespaces (B14).
//!
//! Making the user and network namespaces and executing the launcher
//! binary is most of a confined command's start-up cost. A warm launcher
//! does that part before it is needed: it is started (by [`refill`], in the
//! background after each confined command, or by [`crate::warm_up`]) with
//! a Unix socket as its stdin, enters fresh user, mount, network and PID
//! namespaces, brings loopback up, binds the proxy port, says `R`, and
//! waits. [`crate::Confined::spawn`] then sends it the launch
//! specification, the program, its arguments and environment, and the
//! command's three standard streams (`SCM_RIGHTS`); the launcher hides the
//! denied paths and goes on exactly as a cold launcher does.
//!
//! Nothing is shared between commands: each warm launcher serves one
//! command, with namespaces of its own, and the next one is started anew.
//! A launcher that is not ready, or died, is not waited for: the command
//! starts cold (the launcher executed with the specification in its
//! arguments) and nothing is lost but the time. An unused warm launcher
//! exits when aicoder does (its socket reaches end of file).

use crate::LAUNCH_ARG;
use serde::{Deserialize, Serialize};
use std::ffi::OsString;
use std::io::Write;
use std::os::fd::{AsRawFd, OwnedFd};
use std::os::unix::net::UnixStream;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Condvar, Mutex, OnceLock};
use std::time::Duration;

/// The argument after [`LAUNCH_ARG`] that makes a warm launcher.
pub(crate) const WARM_ARG: &str = "--warm";

/// The longest request a warm launcher reads.
pub(crate) const REQUEST_MAX: usize = 16 << 20;

/// What a warm launcher is told (length-prefixed JSON on its socket,
/// followed by the three standard streams).
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct Request {
    /// The proxy took the listener already (from [`Warm::wait_ready`]).
    pub handed: bool,
    /// The [`crate::LaunchSpec`], as JSON.
    pub spec: String,
    pub program: OsString,
    pub args: Vec<OsString>,
    /// The command's whole environment.
    pub env: Vec<(OsString, OsString)>,
}

/// The launcher's side of [`Warm::wait_ready`]: the listener, then the
/// mount namespace.
pub(crate) fn say_ready(
    chan: &UnixStream,
    listener: &std::net::TcpListener,
) -> std::io::Result<()> {
    let ns = std::fs::File::open("/proc/self/ns/mnt")?;
    crate::pump::send_fd(chan, listener.as_raw_fd())?;
    crate::pump::send_fd(chan, ns.as_raw_fd())
}

/// One launcher waiting in its namespaces.
pub(crate) struct Warm {
    pub child: Child,
    pub chan: UnixStream,
    /// Once ready: the proxy port it listens on inside, and its mount
    /// namespace (see [`crate::Guard`]).
    ready: Option<(std::net::TcpListener, OwnedFd)>,
}

impl Warm {
    /// Wait (at most `limit`) until it says it is ready.
    /// A warm launcher sends its listener and its mount namespace (each
    /// as one descriptor) when it is ready.
    fn wait_ready(&mut self, limit: Duration) -> bool {
        if self.ready.is_some() {
            return true;
        }
        if self.chan.set_read_timeout(Some(limit)).is_err() {
            return false;
        }
        let (Ok(listener), Ok(ns)) = (
            crate::pump::recv_fd(&self.chan),
            crate::pump::recv_fd(&self.chan),
        ) else {
            return false;
        };
        self.ready = Some((std::net::TcpListener::from(listener), ns));
        true
    }

    fn discard(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The launchers waiting, and those being started (a command that finds
/// one being started waits for it: less than starting cold).
#[derive(Default)]
struct Pool {
    warm: Vec<(PathBuf, Warm)>,
    pending: Vec<PathBuf>,
}

fn pool() -> &'static (Mutex<Pool>, Condvar) {
    static POOL: OnceLock<(Mutex<Pool>, Condvar)> = OnceLock::new();
    POOL.get_or_init(Default::default)
}

fn lock() -> std::sync::MutexGuard<'static, Pool> {
    pool().0.lock().unwrap_or_else(|p| p.into_inner())
}

/// Start one warm launcher of `launcher`.
fn start(launcher: &Path) -> std::io::Result<Warm> {
    let (ours, theirs) = UnixStream::pair()?;
    let child = Command::new(launcher)
        .arg(LAUNCH_ARG)
        .arg(WARM_ARG)
        .stdin(Stdio::from(OwnedFd::from(theirs)))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        // As a cold launcher is started by the shell tool: a group of its
        // own, so killing the group ends the command's whole tree.
        .process_group(0)
        .spawn()?;
    Ok(Warm {
        child,
        chan: ours,
        ready: None,
    })
}

/// Start a warm launcher of `launcher` in the background unless one is
/// waiting or being started already.
pub(crate) fn refill(launcher: PathBuf) {
    if claim(&launcher) {
        std::thread::spawn(move || fill(launcher));
    }
}

/// Note that a launcher of `launcher` is about to be started (by [`fill`]);
/// `false` when one is waiting or being started already.
pub(crate) fn claim(launcher: &Path) -> bool {
    let mut pool = lock();
    if pool.warm.iter().any(|(l, _)| l == launcher) || pool.pending.iter().any(|l| l == launcher) {
        return false;
    }
    pool.pending.push(launcher.to_path_buf());
    true
}

/// Start the launcher [`claim`]ed, put it in the pool, wake who waits.
pub(crate) fn fill(launcher: PathBuf) {
    let started = start(&launcher);
    let mut pool = lock();
    pool.pending.retain(|l| *l != launcher);
    if let Ok(warm) = started {
        pool.warm.push((launcher, warm));
    }
    drop(pool);
    pool_changed();
}

fn pool_changed() {
    pool().1.notify_all();
}

/// Take the launcher of `launcher` that is waiting, or the one being
/// started, once ready; give up after `limit`.
fn take_within(launcher: &Path, limit: Duration) -> Option<Warm> {
    let until = std::time::Instant::now() + limit;
    let mut pool = lock();
    let mut warm = loop {
        if let Some(at) = pool.warm.iter().position(|(l, _)| l == launcher) {
            break pool.warm.swap_remove(at).1;
        }
        let left = until.checked_duration_since(std::time::Instant::now())?;
        if !pool.pending.iter().any(|l| l == launcher) {
            return None;
        }
        pool = self::pool()
            .1
            .wait_timeout(pool, left)
            .unwrap_or_else(|p| p.into_inner())
            .0;
    };
    drop(pool);
    let left = until
        .checked_duration_since(std::time::Instant::now())
        .unwrap_or_default()
        .max(Duration::from_millis(50));
    if warm.wait_ready(left) {
        Some(warm)
    } else {
        warm.discard();
        None
    }
}

/// Make sure a warm launcher of `launcher` is waiting, and wait until it
/// is ready (at most `limit`). Returns whether one is.
pub(crate) fn warm_up(launcher: &Path, limit: Duration) -> bool {
    refill(launcher.to_path_buf());
    let Some(warm) = take_within(launcher, limit) else {
        return false;
    };
    lock().warm.push((launcher.to_path_buf(), warm));
    pool_changed();
    true
}

/// Take the warm launcher of `launcher` if one is ready, waiting a little
/// for one that is being started or almost ready (still less than a cold
/// start, which would compete with it for the processor).
pub(crate) fn take(launcher: &Path) -> Option<Warm> {
    take_within(launcher, Duration::from_millis(250))
}

/// Hand `request` and the streams to `warm`; returns its process, now the
/// command's launcher.
pub(crate) fn hand(
    warm: Warm,
    request: &Request,
    streams: &[OwnedFd; 3],
) -> std::io::Result<Child> {
    let body = serde_json::to_vec(request).map_err(std::io::Error::other)?;
    let len = u32::try_from(body.len())
        .ok()
        .filter(|&n| (n as usize) <= REQUEST_MAX)
        .ok_or_else(|| std::io::Error::other("the command is too long for the sandbox"))?;
    let sent = (|| {
        (&warm.chan).write_all(&len.to_le_bytes())?;
        (&warm.chan).write_all(&body)?;
        for fd in streams {
            crate::pump::send_fd(&warm.chan, fd.as_raw_fd())?;
        }
        Ok::<(), std::io::Error>(())
    })();
    match sent {
        Ok(()) => Ok(warm.child),
        Err(e) => {
            warm.discard();
            Err(e)
        }
    }
}

/// How [`Confined::spawn`] sets up one of the command's standard streams.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Io {
    /// `/dev/null`.
    Null,
    /// A pipe; aicoder's end is in the returned [`std::process::Child`].
    Piped,
    /// aicoder's own stream.
    Inherit,
}

impl crate::Confined {
    /// Start the command in a process group of its own, on a launcher
    /// started ahead of time when one is ready (its namespaces are made
    /// already: see warm.rs), otherwise as `command.spawn()`. Its
    /// environment is aicoder's with what was set on `command` (an
    /// `env_clear` on it is not carried to a warm launcher). Either way a
    /// warm launcher is then started for the next command.
    pub fn spawn(&mut self, stdin: Io, stdout: Io, stderr: Io) -> std::io::Result<Child> {
        let launcher = PathBuf::from(self.command.get_program());
        let child = match take(&launcher) {
            Some(w) => self.spawn_warm(w, [stdin, stdout, stderr], &launcher).ok(),
            None => None,
        };
        let child = match child {
            Some(c) => c,
            None => {
                use std::os::unix::process::CommandExt;
                self.command
                    .stdin(stdio(stdin))
                    .stdout(stdio(stdout))
                    .stderr(stdio(stderr))
                    .process_group(0)
                    .spawn()?
            }
        };
        if self.guard.warm.is_none() {
            // Cold: start one for the next command now (a warm start
            // starts the next one when its guard is dropped).
            refill(launcher);
        }
        Ok(child)
    }

    fn spawn_warm(&mut self, w: Warm, io: [Io; 3], launcher: &Path) -> std::io::Result<Child> {
        use std::os::fd::OwnedFd;
        let mut args = self
            .command
            .get_args()
            .map(std::ffi::OsStr::to_os_string)
            .skip(1);
        let spec = args
            .next()
            .and_then(|s| s.into_string().ok())
            .ok_or_else(|| std::io::Error::other("no launch specification"))?;
        let program = args
            .next()
            .ok_or_else(|| std::io::Error::other("no program"))?;
        let mut env: std::collections::BTreeMap<OsString, OsString> = std::env::vars_os().collect();
        for (k, v) in self.command.get_envs() {
            match v {
                Some(v) => env.insert(k.to_os_string(), v.to_os_string()),
                None => env.remove(k),
            };
        }
        let request = Request {
            handed: true,
            spec,
            program,
            args: args.collect(),
            env: env.into_iter().collect(),
        };
        // The command's ends, and ours of the pipes.
        let mut theirs: Vec<OwnedFd> = Vec::new();
        let mut ours: Vec<Option<OwnedFd>> = Vec::new();
        for (i, io) in io.iter().enumerate() {
            let (their, our) = match io {
                Io::Null => (
                    OwnedFd::from(
                        std::fs::OpenOptions::new()
                            .read(true)
                            .write(true)
                            .open("/dev/null")?,
                    ),
                    None,
                ),
                Io::Inherit => {
                    use std::os::fd::AsFd;
                    let fd = match i {
                        0 => std::io::stdin().as_fd().try_clone_to_owned()?,
                        1 => std::io::stdout().as_fd().try_clone_to_owned()?,
                        _ => std::io::stderr().as_fd().try_clone_to_owned()?,
                    };
                    (fd, None)
                }
                Io::Piped => {
                    let (r, w) = std::io::pipe()?;
                    if i == 0 {
                        (OwnedFd::from(r), Some(OwnedFd::from(w)))
                    } else {
                        (OwnedFd::from(w), Some(OwnedFd::from(r)))
                    }
                }
            };
            theirs.push(their);
            ours.push(our);
        }
        let streams: [OwnedFd; 3] = theirs
            .try_into()
            .map_err(|_| std::io::Error::other("three streams"))?;
        let Some((listener, ns)) = w
            .ready
            .as_ref()
            .map(|(l, n)| (l.try_clone(), n.try_clone()))
        else {
            return Err(std::io::Error::other("the warm launcher is not ready"));
        };
        let (listener, ns) = (listener?, ns?);
        self.guard.adopt(listener)?;
        let mut child = hand(w, &request, &streams)?;
        self.guard.warm = Some((ns, launcher.to_path_buf()));
        drop(streams);
        let mut ours = ours.into_iter();
        child.stdin = ours.next().flatten().map(std::process::ChildStdin::from);
        child.stdout = ours.next().flatten().map(std::process::ChildStdout::from);
        child.stderr = ours.next().flatten().map(std::process::ChildStderr::from);
        Ok(child)
    }
}

fn stdio(io: Io) -> std::process::Stdio {
    match io {
        Io::Null => std::process::Stdio::null(),
        Io::Piped => std::process::Stdio::piped(),
        Io::Inherit => std::process::Stdio::inherit(),
    }
}
