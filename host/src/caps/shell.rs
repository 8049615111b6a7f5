//! Interface `shell`, capability `shell.exec`: run a command with `sh -c` in
//! the working directory, with a timeout and an output cap.

use super::{Access, CapCtx, Capability};
use crate::plugins::bindings::aicoder::plugin::shell::{Host, ShellOutput};
use crate::plugins::bindings::aicoder::plugin::types::HostError;
use serde_json::json;
use std::io::Read;
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

pub(crate) const INTERFACE: &str = "shell";
pub(crate) const CAPABILITIES: &[Capability] = &[Capability::ShellExec];

/// Read a pipe to the end on a thread, keeping at most `cap` bytes.
fn drain(
    pipe: Option<impl Read + Send + 'static>,
    cap: usize,
) -> std::thread::JoinHandle<(Vec<u8>, bool)> {
    std::thread::spawn(move || {
        let mut kept = Vec::new();
        let mut truncated = false;
        if let Some(mut pipe) = pipe {
            let mut buf = [0u8; 8192];
            while let Ok(n) = pipe.read(&mut buf) {
                if n == 0 {
                    break;
                }
                let room = cap.saturating_sub(kept.len());
                truncated |= n > room;
                kept.extend_from_slice(&buf[..n.min(room)]);
            }
        }
        (kept, truncated)
    })
}

fn kill_group(child: &mut std::process::Child) {
    if let Ok(pid) = i32::try_from(child.id()) {
        // SAFETY: kill(2) with a negative pid signals the process group we created.
        unsafe {
            libc::kill(-pid, libc::SIGKILL);
        }
    }
    let _ = child.kill();
}

/// Run `command` with `sh -c` in `cwd`; kill its process group at `timeout`;
/// keep at most `cap` bytes of each stream. Shared with the internal tool.
pub fn run(
    command: &str,
    cwd: &std::path::Path,
    timeout: Duration,
    cap: usize,
) -> Result<ShellOutput, HostError> {
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(command)
        .current_dir(cwd)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        // Its own process group, so the timeout kills the whole pipeline.
        .process_group(0)
        .spawn()
        .map_err(|e| HostError::Failed(format!("could not start sh: {e}")))?;
    let stdout = drain(child.stdout.take(), cap);
    let stderr = drain(child.stderr.take(), cap);
    let started = Instant::now();
    let mut timed_out = false;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if started.elapsed() >= timeout => {
                timed_out = true;
                kill_group(&mut child);
                break child.wait().ok();
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(e) => return Err(HostError::Failed(format!("waiting for the command: {e}"))),
        }
    };
    let (out, out_cut) = stdout.join().unwrap_or_default();
    let (err, err_cut) = stderr.join().unwrap_or_default();
    Ok(ShellOutput {
        stdout: String::from_utf8_lossy(&out).into_owned(),
        stderr: String::from_utf8_lossy(&err).into_owned(),
        exit_code: if timed_out {
            -1
        } else {
            status.and_then(|s| s.code()).unwrap_or(-1)
        },
        timed_out,
        truncated: out_cut || err_cut,
    })
}

impl Host for CapCtx {
    fn exec(&mut self, command: String, timeout_ms: Option<u32>) -> Result<ShellOutput, HostError> {
        let args = json!({ "command": command, "timeout_ms": timeout_ms });
        self.gate(Capability::ShellExec, "exec", args, || {
            let cwd = self.services.state().cwd.clone();
            let limits = self.services.limits;
            let timeout = timeout_ms
                .map(|ms| Duration::from_millis(ms.into()).min(limits.shell_timeout))
                .unwrap_or(limits.shell_timeout);
            Ok(Access::read(run(
                &command,
                &cwd,
                timeout,
                limits.output_bytes,
            )?))
        })
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
}
