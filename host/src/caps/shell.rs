//! Interface `shell`, capability `shell.exec`: run a command with `sh -c` in
//! the working directory, with a timeout and an output cap.

use super::{Access, CapCtx, Capability};
use crate::plugins::bindings::aicoder::plugin::shell::{Host, ShellOutput};
use crate::plugins::bindings::aicoder::plugin::types::HostError;
use serde_json::json;
use std::io::Read;
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

pub(crate) const INTERFACE: &str = "shell";
pub(crate) const CAPABILITIES: &[Capability] = &[Capability::ShellExec];

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
/// grace after `timeout`. Shared with the internal tool.
pub fn run(
    command: &str,
    cwd: &std::path::Path,
    timeout: Duration,
    cap: usize,
) -> Result<ShellOutput, HostError> {
    run_with(command, cwd, timeout, cap, |_| Ok(()))
}

/// [`run`], with `prepare` given the command before it starts (the internal
/// tool's opt-in confinement sets it up there).
pub fn run_with(
    command: &str,
    cwd: &std::path::Path,
    timeout: Duration,
    cap: usize,
    prepare: impl FnOnce(&mut Command) -> Result<(), HostError>,
) -> Result<ShellOutput, HostError> {
    let mut sh = Command::new("sh");
    sh.arg("-c")
        .arg(command)
        .current_dir(cwd)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        // Its own process group, so the timeout kills the whole pipeline.
        .process_group(0);
    prepare(&mut sh)?;
    let mut child = sh
        .spawn()
        .map_err(|e| HostError::Failed(format!("could not start sh: {e}")))?;
    let pid = child.id();
    let stdout = drain(child.stdout.take(), cap);
    let stderr = drain(child.stderr.take(), cap);
    let until = Instant::now()
        .checked_add(timeout)
        .unwrap_or_else(|| Instant::now() + Duration::from_secs(86_400 * 365));
    let mut timed_out = false;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if Instant::now() >= until => {
                timed_out = true;
                kill_group(pid);
                let _ = child.kill();
                break child.wait().ok();
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(e) => {
                kill_group(pid);
                let _ = child.kill();
                let _ = child.wait();
                return Err(HostError::Failed(format!("waiting for the command: {e}")));
            }
        }
    };
    // The shell is gone; its pipes close when the last process holding them
    // does. Background processes still holding them get the rest of the
    // timeout, then their group is killed too.
    let mut closed = stdout.wait(until) && stderr.wait(until);
    if !closed {
        timed_out = true;
        kill_group(pid);
        let grace = Instant::now() + PIPE_GRACE;
        closed = stdout.wait(grace) && stderr.wait(grace);
    }
    let (out, out_cut) = stdout.take();
    let (err, err_cut) = stderr.take();
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

impl Host for CapCtx {
    fn exec(&mut self, command: String, timeout_ms: Option<u32>) -> Result<ShellOutput, HostError> {
        let args = json!({ "command": command, "timeout_ms": timeout_ms });
        let limits = self.services.limits;
        let asked = timeout_ms
            .map(|ms| Duration::from_millis(ms.into()).min(limits.shell_timeout))
            .unwrap_or(limits.shell_timeout);
        // The command never outlives the plugin call that started it.
        let (timeout, by_deadline) = self.deadline.bound(asked);
        let target = super::scope::Target::Command(&command);
        let result = self.gate_scoped(Capability::ShellExec, target, "exec", args, || {
            let cwd = self.services.state().cwd.clone();
            Ok(Access::read(run(
                &command,
                &cwd,
                timeout,
                limits.output_bytes,
            )?))
        });
        if by_deadline && result.as_ref().is_ok_and(|out| out.timed_out) {
            self.deadline.mark_hit();
        }
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::caps::testing::{assert_denied, TestEnv};

    #[test]
    fn runs_in_cwd_with_grant() {
        let mut env = TestEnv::new();
        assert_denied(
            env.ctx.exec("touch made".into(), None),
            Capability::ShellExec,
        );
        assert!(
            !env.root().join("made").exists(),
            "denied command must not run"
        );
        env.grant(Capability::ShellExec);
        let out = env
            .ctx
            .exec("pwd; echo err >&2; exit 3".into(), None)
            .expect("granted");
        assert_eq!(out.stdout.trim(), env.root().display().to_string());
        assert_eq!(out.stderr.trim(), "err");
        assert_eq!(out.exit_code, 3);
    }

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
    fn the_plugin_call_deadline_bounds_the_command() {
        let mut env = TestEnv::new();
        env.grant(Capability::ShellExec);
        env.ctx.deadline.start(Duration::from_secs(3600));
        let out = env.ctx.exec("true".into(), None).expect("granted");
        assert!(!out.timed_out && !env.ctx.deadline.hit());
        env.ctx.deadline.start(Duration::from_millis(200));
        let out = env.ctx.exec("sleep 1000".into(), None).expect("granted");
        assert!(out.timed_out);
        assert!(
            env.ctx.deadline.hit(),
            "the call is marked, so the host stops it as a deadline stop"
        );
    }
}
