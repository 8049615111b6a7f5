//! `SHELL_SANDBOX=1`: the built-in `run_shell_command` confined with Linux
//! Landlock, as Codex CLI does: the command (and all it starts) may read and
//! run anything the user can, write only beneath the workspace root (and
//! `/dev/null`), and open no TCP connection. Off by default; where the kernel
//! cannot enforce all of it (Landlock ABI 4, Linux 6.7+), the command is
//! refused rather than run unconfined.

use landlock::{
    Access, AccessFs, AccessNet, CompatLevel, Compatible, PathBeneath, PathFd, Ruleset,
    RulesetAttr, RulesetCreated, RulesetCreatedAttr, RulesetStatus, ABI,
};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::Command;
use std::sync::Mutex;

/// The Landlock version whose rights are asked for (4 adds TCP).
const ABI_NEEDED: ABI = ABI::V4;

/// Whether the user asked for confined shell commands (`SHELL_SANDBOX=1`).
pub fn requested() -> bool {
    std::env::var("SHELL_SANDBOX").is_ok_and(|v| v == "1")
}

/// The rules: read everywhere, write beneath `root` and to `/dev/null`,
/// no TCP bind or connect.
fn ruleset(root: &Path) -> Result<RulesetCreated, String> {
    let fail = |what: &str, e: &dyn std::fmt::Display| {
        format!(
            "SHELL_SANDBOX=1: {what}: {e}; the command was not run (Landlock ABI 4, \
             Linux 6.7 or newer, is needed; unset SHELL_SANDBOX to run commands unconfined)"
        )
    };
    let path_fd = |p: &Path| PathFd::new(p).map_err(|e| fail(&p.display().to_string(), &e));
    let (everything, workspace, null) = (
        path_fd(Path::new("/"))?,
        path_fd(root)?,
        path_fd(Path::new("/dev/null"))?,
    );
    Ruleset::default()
        .set_compatibility(CompatLevel::HardRequirement)
        .handle_access(AccessFs::from_all(ABI_NEEDED))
        .and_then(|r| r.handle_access(AccessNet::from_all(ABI_NEEDED)))
        .and_then(|r| r.create())
        .and_then(|r| {
            r.add_rule(PathBeneath::new(
                everything,
                AccessFs::from_read(ABI_NEEDED),
            ))
        })
        .and_then(|r| r.add_rule(PathBeneath::new(workspace, AccessFs::from_all(ABI_NEEDED))))
        .and_then(|r| r.add_rule(PathBeneath::new(null, AccessFs::from_file(ABI_NEEDED))))
        .map_err(|e| fail("setting up Landlock", &e))
}

/// Confine `cmd` to `root` when it starts: the ruleset is made here, and
/// only applied in the child between fork and exec (no allocation there).
pub fn confine(cmd: &mut Command, root: &Path) -> Result<(), String> {
    let slot = Mutex::new(Some(ruleset(root)?));
    // SAFETY: the closure runs in the forked child before exec; it takes the
    // ruleset made above and makes two system calls (no_new_privs and
    // landlock_restrict_self), touching no lock another thread could hold.
    unsafe {
        cmd.pre_exec(move || {
            let ruleset = slot
                .try_lock()
                .ok()
                .and_then(|mut s| s.take())
                .ok_or_else(|| std::io::Error::other("Landlock ruleset already used"))?;
            match ruleset.restrict_self() {
                Ok(status) if status.ruleset == RulesetStatus::FullyEnforced => Ok(()),
                Ok(_) => Err(std::io::Error::other(
                    "SHELL_SANDBOX=1: Landlock is not fully enforced here",
                )),
                Err(e) => Err(std::io::Error::other(e.to_string())),
            }
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shell::ShellOutput;
    use std::time::Duration;

    fn run_confined(root: &Path, command: &str) -> ShellOutput {
        crate::shell::run_with(command, root, Duration::from_secs(20), 64 * 1024, |c| {
            confine(c, root)
        })
        .expect("the shell ran")
    }

    #[test]
    fn writes_stay_beneath_the_root_and_no_tcp_connection_opens() {
        let root = tempfile::tempdir().expect("root");
        let outside = tempfile::tempdir().expect("outside");
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("listen");
        let port = listener.local_addr().expect("addr").port();
        let inside = run_confined(root.path(), "echo in > inside.txt && cat inside.txt");
        assert_eq!(inside.exit_code, 0, "{}", inside.stderr);
        assert_eq!(inside.stdout.trim(), "in");
        let escape = run_confined(
            root.path(),
            &format!("echo out > {}/stolen.txt", outside.path().display()),
        );
        assert_ne!(escape.exit_code, 0);
        assert!(!outside.path().join("stolen.txt").exists());
        let read = run_confined(
            root.path(),
            "cat /etc/hostname /dev/null > /dev/null; echo read",
        );
        assert_eq!(read.stdout.trim(), "read");
        let net = run_confined(
            root.path(),
            &format!(
                "python3 -c \"import socket; socket.create_connection(('127.0.0.1', {port}), 2)\""
            ),
        );
        assert_ne!(
            net.exit_code, 0,
            "the connection must be refused: {}",
            net.stderr
        );
        // Unconfined, the same connection works (so the test can fail).
        let free = crate::shell::run(
            &format!(
                "python3 -c \"import socket; socket.create_connection(('127.0.0.1', {port}), 2)\""
            ),
            root.path(),
            Duration::from_secs(20),
            1024,
        )
        .expect("ran");
        assert_eq!(free.exit_code, 0);
    }
}
