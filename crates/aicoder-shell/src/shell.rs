//! The shell runner: a command run with `sh -c` in a folder, bounded in
//! time (its whole process group is killed at the timeout, and so is what it
//! left in the background holding its output pipes) and in output. Used by
//! the `shell.exec` capability (`caps/shell.rs`, which adds the grant, the
//! audit line and the plugin call's deadline) and by the built-in
//! `run_shell_command` tool (optionally confined by `tools/shell_sandbox.rs`).

use std::io::Read;
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

/// Why a command could not be run (a command that ran and failed is a
/// [`ShellOutput`] with its exit code, not an error).
#[derive(Debug, thiserror::Error)]
pub enum ShellError {
    #[error("could not start sh: {0}")]
    Start(#[source] std::io::Error),
    #[error("waiting for the command: {0}")]
    Wait(#[source] std::io::Error),
    /// The sandbox could not be set up, so the command did not start.
    #[error("{0}")]
    Refused(String),
    /// The user stopped it (Ctrl-C): its whole process group was killed.
    /// The text starts with [`STOPPED`] and carries what it printed so far.
    #[error("{0}")]
    Stopped(String),
}

/// What [`run_stoppable`] says when `stop` ended the command.
pub const STOPPED: &str = "stopped by the user (Ctrl-C)";

/// What a command printed and how it ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShellOutput {
    pub stdout: String,
    pub stderr: String,
    /// The exit code; -1 when it was killed or ended by a signal.
    pub exit_code: i32,
    /// Killed at the timeout.
    pub timed_out: bool,
    /// Some output was cut at the cap (or left unread in a pipe still open).
    pub truncated: bool,
}

/// A pipe being read to the end on its own thread, keeping at most `cap`
/// bytes. Its end is waited for with a bound: a process the command left in
/// the background can hold the pipe open for ever.
struct Drain {
    kept: Arc<Mutex<(Vec<u8>, bool)>>,
    closed: mpsc::Receiver<()>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

fn drain(pipe: Option<impl Read + Send + 'static>, cap: usize) -> Drain {
    let kept = Arc::new(Mutex::new((Vec::new(), false)));
    let (tx, closed) = mpsc::channel();
    let shared = kept.clone();
    std::thread::spawn(move || {
        if let Some(mut pipe) = pipe {
            let mut buf = [0u8; 8192];
            loop {
                match pipe.read(&mut buf) {
                    Ok(0) => break,
                    Ok(n) => {
                        let mut kept = lock(&shared);
                        let room = cap.saturating_sub(kept.0.len());
                        kept.1 |= n > room;
                        kept.0.extend_from_slice(&buf[..n.min(room)]);
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    Err(_) => break,
                }
            }
        }
        let _ = tx.send(());
    });
    Drain { kept, closed }
}

impl Drain {
    /// Whether the pipe closed by `until`.
    fn wait(&self, until: Instant) -> bool {
        let left = until.saturating_duration_since(Instant::now());
        match self.closed.recv_timeout(left) {
            Ok(()) | Err(mpsc::RecvTimeoutError::Disconnected) => true,
            Err(mpsc::RecvTimeoutError::Timeout) => false,
        }
    }

    /// What was read so far, and whether some was cut at the cap.
    fn take(self) -> (Vec<u8>, bool) {
        std::mem::take(&mut *lock(&self.kept))
    }
}

/// How long the pipes may stay open once the command's group was killed (a
/// process that left the group with setsid can keep them open for ever).
const PIPE_GRACE: Duration = Duration::from_millis(200);

fn kill_group(pid: u32) {
    if let Ok(pid) = i32::try_from(pid) {
        // SAFETY: kill(2) with a negative pid signals the process group we
        // created; the group id is not reused while any member lives.
        unsafe {
            libc::kill(-pid, libc::SIGKILL);
        }
    }
}

/// Run `command` with `sh -c` in `cwd`; kill its process group at `timeout`
/// (the command, or what it left running in the background with our pipes
/// open); keep at most `cap` bytes of each stream. Returns at most a short
/// grace after `timeout`.
pub fn run(
    command: &str,
    cwd: &std::path::Path,
    timeout: Duration,
    cap: usize,
) -> Result<ShellOutput, ShellError> {
    run_stoppable(command, cwd, timeout, cap, &AtomicBool::new(false))
}

/// [`run`], also ended early when `stop` is raised (Ctrl-C; see
/// `crate::interrupt`): the command's whole process group is killed and the
/// result is [`ShellError::Stopped`] with what the command printed so far.
pub fn run_stoppable(
    command: &str,
    cwd: &std::path::Path,
    timeout: Duration,
    cap: usize,
    stop: &AtomicBool,
) -> Result<ShellOutput, ShellError> {
    let mut sh = Command::new("sh");
    sh.arg("-c").arg(command).current_dir(cwd);
    run_command(sh, timeout, cap, stop)
}

/// [`run_stoppable`] confined by the process sandbox (`aicoder-sandbox`)
/// with `policy`; also returns what its proxy refused.
pub fn run_confined(
    command: &str,
    cwd: &std::path::Path,
    timeout: Duration,
    cap: usize,
    policy: &aicoder_sandbox::Policy,
    stop: &AtomicBool,
) -> Result<(ShellOutput, Vec<aicoder_sandbox::Refusal>), ShellError> {
    let args = ["-c".into(), command.into()];
    let mut confined = aicoder_sandbox::confine(policy, std::ffi::OsStr::new("sh"), &args, cwd)
        .map_err(|e| ShellError::Refused(e.to_string()))?;
    // On a launcher started ahead of time when one is ready (B14).
    use aicoder_sandbox::Io;
    let spawn = || confined.spawn(Io::Null, Io::Piped, Io::Piped);
    let out = run_spawned(spawn, timeout, cap, stop)?;
    Ok((out, confined.guard.refusals()))
}

/// Run the prepared `sh` (its pipes, process group and the waiting are
/// done here).
fn run_command(
    mut sh: Command,
    timeout: Duration,
    cap: usize,
    stop: &AtomicBool,
) -> Result<ShellOutput, ShellError> {
    let spawn = move || {
        sh.stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            // Its own process group, so the timeout kills the whole pipeline.
            .process_group(0)
            .spawn()
    };
    run_spawned(spawn, timeout, cap, stop)
}

/// How often the wait looks at the Ctrl-C flag while the command runs.
const STOP_CHECK: Duration = Duration::from_millis(20);

/// Wakes the wait for a child as soon as it exits (a pidfd polled), rather
/// than polling `try_wait` every few milliseconds (up to 5 ms lost per
/// command before). Without pidfds (Linux < 5.3) it sleeps 5 ms.
struct ExitWatch(Option<std::os::fd::OwnedFd>);

impl ExitWatch {
    fn new(pid: u32) -> ExitWatch {
        use std::os::fd::FromRawFd;
        // SAFETY: pidfd_open takes a pid and flags; a non-negative result
        // is a new descriptor that we own from here on.
        let fd = unsafe { libc::syscall(libc::SYS_pidfd_open, pid as libc::pid_t, 0) };
        ExitWatch(
            i32::try_from(fd)
                .ok()
                .filter(|fd| *fd >= 0)
                // SAFETY: as above.
                .map(|fd| unsafe { std::os::fd::OwnedFd::from_raw_fd(fd) }),
        )
    }

    /// Return when the child exited, `most` passed, or [`STOP_CHECK`]
    /// passed (whichever is first).
    fn wait(&self, most: Duration) {
        let most = most.min(STOP_CHECK);
        let Some(fd) = &self.0 else {
            std::thread::sleep(most.min(Duration::from_millis(5)));
            return;
        };
        use std::os::fd::AsRawFd;
        let mut poll = libc::pollfd {
            fd: fd.as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        };
        // Rounded up: a zero timeout would spin until the deadline.
        let ms = most.as_micros().div_ceil(1000).clamp(1, 1000) as libc::c_int;
        // SAFETY: one pollfd that lives across the call.
        unsafe { libc::poll(&mut poll, 1, ms) };
    }
}

/// Wait for what `spawn` started (stdin null, stdout and stderr piped, a
/// process group of its own), within `timeout`, keeping `cap` bytes.
fn run_spawned(
    spawn: impl FnOnce() -> std::io::Result<std::process::Child>,
    timeout: Duration,
    cap: usize,
    stop: &AtomicBool,
) -> Result<ShellOutput, ShellError> {
    let started = Instant::now();
    let mut child = spawn().map_err(ShellError::Start)?;
    let pid = child.id();
    let stdout = drain(child.stdout.take(), cap);
    let stderr = drain(child.stderr.take(), cap);
    let until = Instant::now()
        .checked_add(timeout)
        .unwrap_or_else(|| Instant::now() + Duration::from_secs(86_400 * 365));
    let mut timed_out = false;
    let mut stopped = false;
    let exit = ExitWatch::new(pid);
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if stop.load(Ordering::SeqCst) => {
                stopped = true;
                kill_group(pid);
                let _ = child.kill();
                break child.wait().ok();
            }
            Ok(None) if Instant::now() >= until => {
                timed_out = true;
                kill_group(pid);
                let _ = child.kill();
                break child.wait().ok();
            }
            Ok(None) => exit.wait(until.saturating_duration_since(Instant::now())),
            Err(e) => {
                kill_group(pid);
                let _ = child.kill();
                let _ = child.wait();
                return Err(ShellError::Wait(e));
            }
        }
    };
    // The shell is gone; its pipes close when the last process holding them
    // does. Background processes still holding them get the rest of the
    // timeout, then their group is killed too.
    let until = if stopped {
        Instant::now() + PIPE_GRACE
    } else {
        until
    };
    let mut closed = stdout.wait(until) && stderr.wait(until);
    if !closed && stop.load(Ordering::SeqCst) {
        // Ctrl-C while a background process holds the pipes open.
        stopped = true;
    }
    if !closed {
        timed_out = true;
        kill_group(pid);
        let grace = Instant::now() + PIPE_GRACE;
        closed = stdout.wait(grace) && stderr.wait(grace);
    }
    let (out, out_cut) = stdout.take();
    let (err, err_cut) = stderr.take();
    if stopped {
        let mut text = format!(
            "{STOPPED} after {:.1} s; its process group was killed",
            started.elapsed().as_secs_f64()
        );
        for (name, bytes) in [("stdout", &out), ("stderr", &err)] {
            if !bytes.is_empty() {
                text.push_str(&format!(
                    "\n{name} so far:\n{}",
                    String::from_utf8_lossy(bytes)
                ));
            }
        }
        return Err(ShellError::Stopped(text));
    }
    Ok(ShellOutput {
        stdout: String::from_utf8_lossy(&out).into_owned(),
        stderr: String::from_utf8_lossy(&err).into_owned(),
        exit_code: match status {
            Some(s) if !timed_out || closed => s.code().unwrap_or(-1),
            _ => -1,
        },
        timed_out,
        truncated: out_cut || err_cut || !closed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timeout_and_cap_apply() {
        let dir = tempfile::tempdir().expect("tempdir");
        let out = run("sleep 5", dir.path(), Duration::from_millis(100), 1024).expect("ran");
        assert!(out.timed_out);
        assert_eq!(out.exit_code, -1);
        let out = run(
            "yes | head -c 100000",
            dir.path(),
            Duration::from_secs(5),
            1000,
        )
        .expect("ran");
        assert!(out.truncated);
        assert_eq!(out.stdout.len(), 1000);
    }

    #[test]
    fn a_background_process_holding_the_pipes_is_ended_at_the_timeout() {
        let dir = tempfile::tempdir().expect("tempdir");
        // The shell exits at once; the `sleep` it leaves keeps stdout open.
        let out = run(
            "sleep 1000 & echo started",
            dir.path(),
            Duration::from_millis(300),
            1024,
        )
        .expect("ran");
        assert_eq!(out.stdout.trim(), "started");
        assert!(out.timed_out);
    }

    #[test]
    fn a_raised_stop_flag_kills_the_whole_group_at_once() {
        let dir = tempfile::tempdir().expect("tempdir");
        let stop = Arc::new(AtomicBool::new(false));
        let raise = stop.clone();
        let pid_file = dir.path().join("sleep.pid");
        let watched = pid_file.clone();
        std::thread::spawn(move || {
            while !watched.exists() {
                std::thread::sleep(Duration::from_millis(10));
            }
            raise.store(true, Ordering::SeqCst);
        });
        let err = run_stoppable(
            "sleep 1000 & echo $! > sleep.pid; echo begun; wait",
            dir.path(),
            Duration::from_secs(3600),
            1024,
            &stop,
        )
        .expect_err("stopped");
        let ShellError::Stopped(text) = err else {
            panic!("not a failure: {err:?}")
        };
        assert!(text.starts_with(STOPPED), "{text}");
        assert!(text.contains("begun"), "output so far is kept: {text}");
        let pid = std::fs::read_to_string(&pid_file).expect("pid");
        // SIGKILL lands asynchronously: give the kernel a moment to finish it.
        let dead = (0..500).any(|_| {
            let stat = std::fs::read_to_string(format!("/proc/{}/stat", pid.trim()));
            let dead = stat.map_or(true, |s| s.contains(") Z "));
            if !dead {
                std::thread::sleep(Duration::from_millis(10));
            }
            dead
        });
        assert!(dead, "the background sleep of the group is dead");
    }
}
