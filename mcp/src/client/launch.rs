//! Starting a stdio server's process: the one place a server's process is
//! made, so that confining it (the process sandbox) is a change here only.

use super::{McpError, Transport};
use process_wrap::tokio::{CommandWrap, KillOnDrop, ProcessGroup};
use rmcp::transport::TokioChildProcess;
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

/// Start a stdio server: its own process group (so a server that forks
/// dies whole), killed when dropped, stdin/stdout piped to the transport and
/// stderr returned for the log. aicoder's API keys are not passed on.
pub fn spawn_stdio(
    transport: &Transport,
) -> Result<(TokioChildProcess, Option<ChildStderr>), McpError> {
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
    let mut cmd = tokio::process::Command::new(command);
    cmd.args(args);
    for name in WITHHELD {
        if !env.contains_key(name) {
            cmd.env_remove(name);
        }
    }
    cmd.envs(env);
    if let Some(dir) = cwd {
        cmd.current_dir(dir);
    }
    let mut wrapped = CommandWrap::from(cmd);
    wrapped.wrap(ProcessGroup::leader()).wrap(KillOnDrop);
    TokioChildProcess::builder(wrapped)
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
        })
}
