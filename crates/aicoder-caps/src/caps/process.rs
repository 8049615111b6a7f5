//! Interface `process`, capabilities `process.spawn` and `process.read`:
//! background jobs that outlive a plugin call but never the session.
//!
//! Each job is `sh -c COMMAND` in the workspace root, in its own process
//! group, stdin closed, stdout and stderr into one pipe whose newest
//! [`RING_BYTES`] are kept in memory (the host writes no file for a job).
//! `stop` and the end of the session ([`Jobs`]' `Drop`, and
//! [`Jobs::stop_all`] from the session) kill the whole group. A plugin sees
//! and stops only the jobs it started.

use super::{Access, CapCtx, HostFn};
use crate::bindings::aicoder::plugin::process::{Host, JobInfo};
use crate::bindings::aicoder::plugin::types::HostError;
use serde_json::json;
use std::collections::VecDeque;
use std::io::Read;
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, MutexGuard};


/// Jobs running at once, per session.
pub const MAX_RUNNING: usize = 8;
/// Jobs remembered (running or ended) per session; the oldest ended ones
/// are forgotten first.
pub const MAX_KEPT: usize = 32;
/// Output kept per job: the newest bytes.
pub const RING_BYTES: usize = 256 * 1024;
/// The longest command line accepted.
pub const COMMAND_MAX: usize = 8192;

/// The newest bytes of a job's output and how many it produced in all.
#[derive(Default)]
struct Ring {
    kept: VecDeque<u8>,
    total: u64,
}

impl Ring {
    fn push(&mut self, bytes: &[u8]) {
        self.total += bytes.len() as u64;
        let bytes = &bytes[bytes.len().saturating_sub(RING_BYTES)..];
        let overflow = (self.kept.len() + bytes.len()).saturating_sub(RING_BYTES);
        self.kept.drain(..overflow.min(self.kept.len()));
        self.kept.extend(bytes);
    }

    fn tail(&self, max: usize) -> Vec<u8> {
        let skip = self.kept.len().saturating_sub(max);
        self.kept.iter().skip(skip).copied().collect()
    }
}

struct Job {
    id: u32,
    /// Name of the plugin that started it.
    owner: String,
    command: String,
    child: Child,
    pid: u32,
    output: Arc<Mutex<Ring>>,
    exit: Option<i32>,
    /// The job's sandbox proxy and private folder, kept while it lives.
    _sandbox: Option<aicoder_sandbox::Guard>,
}

impl Job {
    /// Notice whether the shell ended.
    fn refresh(&mut self) {
        if self.exit.is_none() {
            if let Ok(Some(status)) = self.child.try_wait() {
                self.exit = Some(status.code().unwrap_or(-1));
            }
        }
    }

    fn info(&self) -> JobInfo {
        JobInfo {
            id: self.id,
            command: self.command.clone(),
            pid: self.pid,
            running: self.exit.is_none(),
            exit_code: self.exit,
            output_bytes: lock(&self.output).total,
        }
    }

    /// Kill the whole process group (what the shell left behind too), then
    /// reap the shell.
    fn kill(&mut self) {
        kill_group(self.pid);
        if self.exit.is_none() {
            let _ = self.child.kill();
            self.exit = Some(self.child.wait().ok().and_then(|s| s.code()).unwrap_or(-1));
        }
    }
}

fn kill_group(pid: u32) {
    if let Ok(pid) = i32::try_from(pid) {
        // SAFETY: kill(2) with a negative pid signals the process group the
        // job was started in (its group id is the shell's pid, which stays
        // reserved until we reap the shell).
        unsafe {
            libc::kill(-pid, libc::SIGKILL);
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

#[derive(Default)]
struct Table {
    next_id: u32,
    jobs: Vec<Job>,
}

/// The session's background jobs. Dropping it kills every one.
#[derive(Default)]
pub struct Jobs {
    table: Mutex<Table>,
}

impl Jobs {
    /// Kill every job's process group (the session is ending).
    pub fn stop_all(&self) {
        let mut table = lock(&self.table);
        for job in &mut table.jobs {
            job.kill();
        }
    }

    /// Jobs currently running, over all plugins.
    pub fn running(&self) -> usize {
        let mut table = lock(&self.table);
        for job in &mut table.jobs {
            job.refresh();
        }
        table.jobs.iter().filter(|j| j.exit.is_none()).count()
    }

    fn start(
        &self,
        owner: &str,
        command: &str,
        cwd: &std::path::Path,
        policy: Option<&aicoder_sandbox::Policy>,
        on_refusal: Option<aicoder_sandbox::OnRefusal>,
    ) -> Result<JobInfo, HostError> {
        let mut table = lock(&self.table);
        for job in &mut table.jobs {
            job.refresh();
        }
        if table.jobs.iter().filter(|j| j.exit.is_none()).count() >= MAX_RUNNING {
            return Err(HostError::Failed(format!(
                "{MAX_RUNNING} background jobs are already running; stop one first"
            )));
        }
        while table.jobs.len() >= MAX_KEPT {
            match table.jobs.iter().position(|j| j.exit.is_some()) {
                Some(i) => {
                    table.jobs.remove(i);
                }
                None => break,
            }
        }
        let (reader, writer) = std::io::pipe()
            .map_err(|e| HostError::Failed(format!("could not make a pipe: {e}")))?;
        let err_writer = writer
            .try_clone()
            .map_err(|e| HostError::Failed(format!("could not make a pipe: {e}")))?;
        // Confined (caps/process_sandbox.rs): its processes live in the
        // job's PID namespace and die with the job's shell.
        let (mut sh, guard) = match policy {
            Some(policy) => {
                let args = ["-c".into(), command.into()];
                let confined =
                    aicoder_sandbox::confine(policy, std::ffi::OsStr::new("sh"), &args, cwd)
                        .map_err(|e| HostError::Failed(e.to_string()))?;
                // The job lives on: its refusals are audited as they happen.
                if let Some(hook) = on_refusal {
                    confined.guard.on_refusal(hook);
                }
                (confined.command, Some(confined.guard))
            }
            None => {
                let mut sh = Command::new("sh");
                sh.arg("-c").arg(command).current_dir(cwd);
                (sh, None)
            }
        };
        sh.stdin(Stdio::null())
            .stdout(writer)
            .stderr(err_writer)
            // Its own group, so stop kills what it starts too.
            .process_group(0);
        // SAFETY: prctl is async-signal-safe; it only sets a flag of the
        // child: if aicoder dies without running its cleanup (SIGKILL), the
        // kernel kills the shell (best effort: not what the shell forked).
        unsafe {
            sh.pre_exec(|| {
                libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
                Ok(())
            });
        }
        let child = sh
            .spawn()
            .map_err(|e| HostError::Failed(format!("could not start sh: {e}")))?;
        // `sh` holds the write ends now; ours are closed by the Command drop.
        drop(sh);
        let output = Arc::new(Mutex::new(Ring::default()));
        let shared = output.clone();
        std::thread::spawn(move || {
            let mut reader = reader;
            let mut buf = [0u8; 8192];
            loop {
                match reader.read(&mut buf) {
                    Ok(0) => break,
                    Ok(n) => lock(&shared).push(&buf[..n]),
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    Err(_) => break,
                }
            }
        });
        table.next_id += 1;
        let job = Job {
            id: table.next_id,
            owner: owner.to_string(),
            command: command.to_string(),
            pid: child.id(),
            child,
            output,
            exit: None,
            _sandbox: guard,
        };
        let info = job.info();
        table.jobs.push(job);
        Ok(info)
    }

    fn with_job<T>(
        &self,
        owner: &str,
        id: u32,
        f: impl FnOnce(&mut Job) -> T,
    ) -> Result<T, HostError> {
        let mut table = lock(&self.table);
        let job = table
            .jobs
            .iter_mut()
            .find(|j| j.id == id && j.owner == owner)
            .ok_or_else(|| HostError::NotFound(format!("no background job {id}")))?;
        job.refresh();
        Ok(f(job))
    }

    fn list(&self, owner: &str) -> Vec<JobInfo> {
        let mut table = lock(&self.table);
        table
            .jobs
            .iter_mut()
            .filter(|j| j.owner == owner)
            .map(|j| {
                j.refresh();
                j.info()
            })
            .collect()
    }
}

impl Drop for Jobs {
    fn drop(&mut self) {
        self.stop_all();
    }
}

impl Host for CapCtx {
    fn start(&mut self, command: String) -> Result<JobInfo, HostError> {
        let args = json!({ "command": command });
        self.gate_fn(HostFn::ProcessStart, args, || {
            if command.trim().is_empty() || command.len() > COMMAND_MAX || command.contains('\0') {
                return Err(HostError::InvalidArgument(format!(
                    "the command must be 1 to {COMMAND_MAX} bytes, without NUL"
                )));
            }
            let cwd = self
                .services
                .state()
                .root()
                .map_err(|e| HostError::Failed(format!("no workspace root to run in: {e}")))?
                .path()
                .to_path_buf();
            // Confined like run_shell_command, with this plugin's grants
            // deciding hosts; SHELL_SANDBOX_LISTEN publishes its servers.
            let policy = crate::caps::process_sandbox::decide()
                .map_err(|e| HostError::Failed(e.to_string()))?
                .then(|| {
                    let mut policy = crate::caps::process_sandbox::plugin_policy(
                        &cwd,
                        self.plugin.clone(),
                        self.services.clone(),
                        &command,
                    );
                    policy.listen = crate::caps::process_sandbox::listen_ports();
                    policy
                });
            // The proxy audits the hosts the plugin's grants refuse when it
            // asks (plugin_policy); a granted name that resolves to an
            // internal address is refused later, and audited here.
            let on_refusal: aicoder_sandbox::OnRefusal = {
                let (services, plugin, command) =
                    (self.services.clone(), self.plugin.clone(), command.clone());
                std::sync::Arc::new(move |r: &aicoder_sandbox::Refusal| {
                    crate::caps::process_sandbox::audit_refusals(
                        &services,
                        &plugin,
                        &command,
                        std::slice::from_ref(r),
                    )
                })
            };
            let info = self.services.jobs.start(
                &self.plugin.name,
                &command,
                &cwd,
                policy.as_ref(),
                Some(on_refusal),
            )?;
            Ok(Access::write(
                info.clone(),
                json!(null),
                json!({ "id": info.id, "pid": info.pid, "command": command }),
            ))
        })
    }

    fn list_jobs(&mut self) -> Result<Vec<JobInfo>, HostError> {
        self.gate_fn(HostFn::ProcessListJobs, json!({}), || {
            Ok(Access::read(self.services.jobs.list(&self.plugin.name)))
        })
    }

    fn tail(&mut self, id: u32, max_bytes: u32) -> Result<String, HostError> {
        let args = json!({ "id": id, "max_bytes": max_bytes });
        self.gate_fn(HostFn::ProcessTail, args, || {
            let max = usize::try_from(max_bytes)
                .unwrap_or(RING_BYTES)
                .min(RING_BYTES);
            let bytes = self
                .services
                .jobs
                .with_job(&self.plugin.name, id, |j| lock(&j.output).tail(max))?;
            Ok(Access::read(String::from_utf8_lossy(&bytes).into_owned()))
        })
    }

    fn stop(&mut self, id: u32) -> Result<JobInfo, HostError> {
        self.gate_fn(
            HostFn::ProcessStop,
            json!({ "id": id }),
            || {
                let info = self.services.jobs.with_job(&self.plugin.name, id, |j| {
                    j.kill();
                    j.info()
                })?;
                Ok(Access::write(
                    info.clone(),
                    json!({ "id": id, "running": true }),
                    json!({ "id": id, "running": false, "exit_code": info.exit_code }),
                ))
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::caps::Capability;
    use crate::caps::testing::{assert_denied, TestEnv};
    use std::time::{Duration, Instant};

    /// Whether process `pid` runs (a zombie waiting to be reaped does not).
    fn alive(pid: i32) -> bool {
        std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
            stat.rsplit_once(')')
                .is_some_and(|(_, rest)| !rest.trim_start().starts_with(['Z', 'X']))
        })
    }

    fn wait_for(mut done: impl FnMut() -> bool) -> bool {
        let until = Instant::now() + Duration::from_secs(20);
        while Instant::now() < until {
            if done() {
                return true;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        false
    }

    /// The pid the job wrote to `file` (a grandchild of aicoder).
    fn pid_in(file: &std::path::Path) -> i32 {
        assert!(wait_for(
            || std::fs::read_to_string(file).is_ok_and(|s| s.trim().parse::<i32>().is_ok())
        ));
        std::fs::read_to_string(file)
            .expect("pid file")
            .trim()
            .parse()
            .expect("pid")
    }

    #[test]
    fn start_needs_its_grant_and_reading_needs_its_own() {
        let mut env = TestEnv::new();
        assert_denied(env.ctx.start("touch made".into()), Capability::ProcessSpawn);
        std::thread::sleep(Duration::from_millis(100));
        assert!(
            !env.root().join("made").exists(),
            "a denied start runs nothing"
        );
        env.grant(Capability::ProcessSpawn);
        let job = env
            .ctx
            .start("echo hello; echo oops >&2".into())
            .expect("granted");
        assert_denied(env.ctx.list_jobs(), Capability::ProcessRead);
        assert_denied(env.ctx.tail(job.id, 100), Capability::ProcessRead);
        env.grant(Capability::ProcessRead);
        assert!(wait_for(|| env
            .ctx
            .tail(job.id, 100)
            .is_ok_and(|t| t.contains("oops"))));
        let out = env.ctx.tail(job.id, 100).expect("tail");
        assert!(out.contains("hello\n") && out.contains("oops\n"), "{out:?}");
        assert!(wait_for(
            || env.ctx.list_jobs().expect("list")[0].exit_code == Some(0)
        ));
        let ops: Vec<_> = env.audit().iter().map(|e| e.operation.clone()).collect();
        assert!(ops.contains(&"start".to_string()) && ops.contains(&"tail".to_string()));
    }

    #[test]
    fn output_is_kept_to_the_newest_ring_bytes() {
        let mut env = TestEnv::new();
        env.grant(Capability::ProcessSpawn);
        env.grant(Capability::ProcessRead);
        let job = env
            .ctx
            .start("head -c 600000 /dev/zero | tr '\\0' a; echo END".into())
            .expect("start");
        assert!(wait_for(|| env.ctx.list_jobs().expect("list")[0]
            .output_bytes
            == 600_004));
        let all = env.ctx.tail(job.id, u32::MAX).expect("tail");
        assert_eq!(all.len(), RING_BYTES);
        assert!(all.ends_with("aEND\n"));
        assert_eq!(env.ctx.tail(job.id, 4).expect("tail"), "END\n");
    }

    #[test]
    fn stop_kills_the_whole_group_and_only_the_owner_sees_a_job() {
        let mut env = TestEnv::new();
        env.grant(Capability::ProcessSpawn);
        env.grant(Capability::ProcessRead);
        let pid_file = env.root().join("child.pid");
        let job = env
            .ctx
            .start(format!(
                "sleep 1000 & echo $! > {}; wait",
                pid_file.display()
            ))
            .expect("start");
        let grandchild = pid_in(&pid_file);
        assert!(alive(grandchild));
        let mut other = CapCtx::new(
            crate::caps::grants::PluginId {
                name: "intruder".into(),
                ..env.ctx.plugin.clone()
            },
            env.ctx.services.clone(),
        );
        env.ctx
            .services
            .grants()
            .grant(
                &other.plugin,
                Capability::ProcessSpawn,
                crate::caps::grants::Scope::Session,
            )
            .expect("grant");
        assert!(matches!(other.stop(job.id), Err(HostError::NotFound(_))));
        assert!(alive(grandchild), "another plugin cannot stop it");
        let ended = env.ctx.stop(job.id).expect("stop");
        assert!(!ended.running);
        assert!(
            wait_for(|| !alive(grandchild)),
            "the sleep the shell left is killed too"
        );
    }

    #[test]
    fn every_job_dies_with_the_session() {
        let env = TestEnv::new();
        let pid_file = env.root().join("child.pid");
        let jobs = Jobs::default();
        jobs.start(
            "t",
            &format!("sleep 1000 & echo $! > {}; wait", pid_file.display()),
            &env.root(),
            None,
            None,
        )
        .expect("start");
        let grandchild = pid_in(&pid_file);
        drop(jobs);
        assert!(
            wait_for(|| !alive(grandchild)),
            "a job outlived its session"
        );
    }

    #[test]
    fn at_most_max_running_jobs() {
        let dir = tempfile::tempdir().expect("tempdir");
        let jobs = Jobs::default();
        for _ in 0..MAX_RUNNING {
            jobs.start("t", "sleep 1000", dir.path(), None, None).expect("start");
        }
        assert!(matches!(
            jobs.start("t", "sleep 1000", dir.path(), None, None),
            Err(HostError::Failed(m)) if m.contains("stop one first")
        ));
        assert_eq!(jobs.running(), MAX_RUNNING);
    }
}
