//! Interface `shell`, capability `shell.exec`: run a command with `sh -c` in
//! the working directory, with a timeout and an output cap. The running is
//! `crate::shell`'s; this module adapts it to the WIT interface.

use super::{Access, CapCtx, HostFn};
use crate::bindings::aicoder::plugin::shell::{Host, ShellOutput};
use crate::bindings::aicoder::plugin::types::HostError;
use serde_json::json;
use std::time::Duration;


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
        let result = self.gate_fn_scoped(HostFn::ShellExec, target, args, || {
            let (cwd, root) = {
                let state = self.services.state();
                (state.cwd.clone(), state.root().ok().map(|r| r.path().to_path_buf()))
            };
            // Confined like run_shell_command, with this plugin's own
            // net.fetch grants deciding hosts (caps/process_sandbox.rs).
            let confine = crate::caps::process_sandbox::decide()
                .map_err(|e| HostError::Failed(e.to_string()))?;
            let out = match (confine, root) {
                (true, Some(root)) => {
                    let policy = crate::caps::process_sandbox::plugin_policy(
                        &root,
                        self.plugin.clone(),
                        self.services.clone(),
                        &command,
                    );
                    let (out, refused) = crate::shell::run_confined(
                        &command,
                        &cwd,
                        timeout,
                        limits.output_bytes,
                        &policy,
                        crate::interrupt::flag(),
                    )
                    .map_err(|e| HostError::Failed(e.to_string()))?;
                    crate::caps::process_sandbox::audit_refusals(
                        &self.services,
                        &self.plugin,
                        &command,
                        &refused,
                    );
                    out
                }
                _ => crate::shell::run_stoppable(
                    &command,
                    &cwd,
                    timeout,
                    limits.output_bytes,
                    crate::interrupt::flag(),
                )
                .map_err(|e| HostError::Failed(e.to_string()))?,
            };
            Ok(Access::read(ShellOutput {
                stdout: out.stdout,
                stderr: out.stderr,
                exit_code: out.exit_code,
                timed_out: out.timed_out,
                truncated: out.truncated,
            }))
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
    use crate::caps::Capability;
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
