//! Starting a stdio server's process: the one place a server's process is
//! made. With a sandbox policy, the server runs confined by
//! `aicoder-sandbox` (its reads of the secret places hidden, its writes
//! only beneath the workspace root and a private temporary folder, its
//! network only through the host-side proxy, nothing it starts outliving
//! it); the host decides whether there is a policy.

use super::{McpError, Transport};
use aicoder_sandbox::{Guard, Policy};
use process_wrap::tokio::{CommandWrap, KillOnDrop, ProcessGroup};
use rmcp::transport::TokioChildProcess;
use std::ffi::OsString;
use std::process::Stdio;
use tokio::process::ChildStderr;

/// Environment variables aicoder itself reads for the model server: a
/// server never inherits them (its entry may set them explicitly).
const WITHHELD: [&str; 4] = [
    "API_KEY",
    "OPENAI_API_KEY",
    "ANTHROPIC_API_KEY",
    "API_BASE_URL",
];

/// A started stdio server: the transport, its stderr (for the log) and,
/// when confined, the sandbox's guard (its proxy and private folder), to
/// keep while the process runs.
pub struct Spawned {
    pub process: TokioChildProcess,
    pub stderr: Option<ChildStderr>,
    pub guard: Option<Guard>,
}

/// Start a stdio server: its own process group (so a server that forks
/// dies whole), killed when dropped, stdin/stdout piped to the transport and
/// stderr returned for the log. aicoder's API keys are not passed on. With
/// `sandbox`, the process is started confined by that policy.
pub fn spawn_stdio(transport: &Transport, sandbox: Option<&Policy>) -> Result<Spawned, McpError> {
    let Transport::Stdio {
        command,
        args,
        env,
        cwd,
    } = transport
    else {
        return Err(McpError::Spawn {
            command: String::new(),
            reason: "not a stdio server".into(),
        });
    };
    let (mut cmd, guard) = match sandbox {
        Some(policy) => {
            let dir = match cwd {
                Some(dir) => dir.clone(),
                None => std::env::current_dir().map_err(|e| McpError::Spawn {
                    command: command.clone(),
                    reason: e.to_string(),
                })?,
            };
            // The launcher execs the command with PATH lookup inside the
            // sandbox; resolve it here so "not found" is said plainly.
            let program =
                resolve(command).ok_or_else(|| McpError::CommandNotFound(command.clone()))?;
            let args: Vec<OsString> = args.iter().map(OsString::from).collect();
            let confined = aicoder_sandbox::confine(policy, program.as_os_str(), &args, &dir)
                .map_err(|e| McpError::Spawn {
                    command: command.clone(),
                    reason: e.to_string(),
                })?;
            (
                tokio::process::Command::from(confined.command),
                Some(confined.guard),
            )
        }
        None => {
            let mut cmd = tokio::process::Command::new(command);
            cmd.args(args);
            if let Some(dir) = cwd {
                cmd.current_dir(dir);
            }
            (cmd, None)
        }
    };
    for name in WITHHELD {
        if !env.contains_key(name) {
            cmd.env_remove(name);
        }
    }
    cmd.envs(env);
    let mut wrapped = CommandWrap::from(cmd);
    wrapped.wrap(ProcessGroup::leader()).wrap(KillOnDrop);
    let (process, stderr) = TokioChildProcess::builder(wrapped)
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                McpError::CommandNotFound(command.clone())
            } else {
                McpError::Spawn {
                    command: command.clone(),
                    reason: e.to_string(),
                }
            }
        })?;
    Ok(Spawned {
        process,
        stderr,
        guard,
    })
}

/// `command` as a path: itself when it names a path, else the first match
/// on `PATH` that is an executable file.
fn resolve(command: &str) -> Option<std::path::PathBuf> {
    use std::os::unix::fs::PermissionsExt;
    if command.contains('/') {
        let path = std::path::PathBuf::from(command);
        return path.is_file().then_some(path);
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(command))
        .find(|p| {
            std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        })
}
