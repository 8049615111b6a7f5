//! MCP servers in the process sandbox: whether a stdio server is confined
//! (`MCP_SANDBOX`, else `SHELL_SANDBOX`, as for shell commands), and the
//! policy it runs under. A server is treated like a plugin: its identity is
//! its entry (`mcp:NAME` + entry hash), the hosts its proxy lets through are
//! decided by that identity's `net.fetch` grants (each decision an audit
//! line), and the paths the user granted it beyond the sandbox's defaults
//! (reading a hidden place, writing outside the workspace root) widen the
//! policy it is started with.

use crate::caps::grants::{PluginId, Scope};
use crate::caps::process_sandbox::{self, Mode};
use aicoder_sandbox::Policy;
use std::path::{Path, PathBuf};

/// The capability text of a path grant of a server's sandbox (kept in
/// grants.json beside the entry's other grants; never a plugin capability).
pub const READ: &str = "sandbox.read";
/// As [`READ`], for writes.
pub const WRITE: &str = "sandbox.write";

/// How MCP servers are confined: `MCP_SANDBOX` when set, else the shell's
/// `SHELL_SANDBOX` (one switch for every process aicoder starts).
pub fn mode() -> Mode {
    match std::env::var("MCP_SANDBOX").ok().as_deref().map(str::trim) {
        Some("0") | Some("off") | Some("false") => Mode::Off,
        Some("required") | Some("2") => Mode::Required,
        Some(_) => Mode::Auto,
        None => process_sandbox::mode(),
    }
}

/// Whether stdio servers start confined: `Ok(true)` confined, `Ok(false)`
/// unconfined (off, or unsupported: said once), `Err` refused (required
/// but unsupported).
pub fn decide() -> Result<bool, String> {
    let mode = mode();
    if mode == Mode::Off {
        return Ok(false);
    }
    match process_sandbox::support().missing() {
        None => Ok(true),
        Some(missing) if mode == Mode::Required => Err(format!(
            "the sandbox is required (MCP_SANDBOX/SHELL_SANDBOX=required) but not available here: {missing} is missing"
        )),
        Some(missing) => {
            eprintln!(
                "aicoder: the process sandbox is not available here ({missing} missing); \
                 MCP servers run unconfined as plain processes (MCP_SANDBOX=required refuses them instead)"
            );
            Ok(false)
        }
    }
}

/// Paths a server may reach beyond the defaults, granted by the user.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reach {
    /// Hidden places it may read (removed from the hidden list).
    pub read: Vec<PathBuf>,
    /// Folders outside the root it may write beneath.
    pub write: Vec<PathBuf>,
}

impl Reach {
    /// The persisted path grants of `id` (`always`; `deny` answers are
    /// kept as [`Reach`] of their own by the caller).
    pub fn stored(grants: &crate::caps::grants::GrantStore, id: &PluginId) -> (Reach, Reach) {
        let (mut allowed, mut denied) = (Reach::default(), Reach::default());
        for view in grants.list() {
            if view.plugin != id.name || view.hash != id.hash {
                continue;
            }
            let Some((cap, path)) = view.capability.split_once(':') else {
                continue;
            };
            let into = if view.scope == Scope::Deny {
                &mut denied
            } else {
                &mut allowed
            };
            match cap {
                READ => into.read.push(PathBuf::from(path)),
                WRITE => into.write.push(PathBuf::from(path)),
                _ => {}
            }
        }
        (allowed, denied)
    }

    /// Add `other` (no duplicates).
    pub fn extend(&mut self, other: &Reach) {
        for p in &other.read {
            if !self.read.contains(p) {
                self.read.push(p.clone());
            }
        }
        for p in &other.write {
            if !self.write.contains(p) {
                self.write.push(p.clone());
            }
        }
    }
}

/// The policy of the server `id` (entry `target` for the audit lines):
/// the shell's policy for the workspace `root`, hosts decided by `id`'s
/// `net.fetch` grants, widened by `reach`.
pub fn policy(
    root: &Path,
    id: PluginId,
    services: std::sync::Arc<crate::caps::Services>,
    target: &str,
    reach: &Reach,
) -> Policy {
    let mut policy = process_sandbox::plugin_policy(root, id, services, target);
    policy
        .deny_read
        .retain(|hidden| !reach.read.iter().any(|granted| granted == hidden));
    policy.writable.extend(reach.write.iter().cloned());
    policy
}

/// The hidden place of `policy` that `path` lies beneath (or is), if any.
pub fn hidden_by<'a>(policy: &'a Policy, path: &Path) -> Option<&'a Path> {
    policy
        .deny_read
        .iter()
        .map(PathBuf::as_path)
        .find(|hidden| path.starts_with(hidden))
}

/// Whether `policy` lets a process write at `path`.
pub fn writable(policy: &Policy, path: &Path) -> bool {
    let root = policy.root.canonicalize().unwrap_or(policy.root.clone());
    let under = |dir: &Path| path.starts_with(dir);
    (under(&root) && hidden_by(policy, path).is_none())
        || policy.writable.iter().any(|d| under(d))
        || path == Path::new("/dev/null")
}

/// The absolute paths named by string arguments of a call (top-level
/// values and the items of top-level arrays): absolute, `~/`, or relative
/// to `cwd`. Strings with a `://` or a newline are not paths.
pub fn paths_in(
    arguments: &serde_json::Map<String, serde_json::Value>,
    cwd: &Path,
) -> Vec<PathBuf> {
    let home = std::env::var_os("HOME").map(PathBuf::from);
    let mut out: Vec<PathBuf> = Vec::new();
    let mut take = |s: &str| {
        if s.is_empty() || s.len() > 4096 || s.contains("://") || s.contains('\n') {
            return;
        }
        let path = if let Some(rest) = s.strip_prefix("~/") {
            match &home {
                Some(h) => h.join(rest),
                None => return,
            }
        } else if s.starts_with('/') {
            PathBuf::from(s)
        } else if s.contains('/') || s.contains('.') {
            cwd.join(s)
        } else {
            return;
        };
        let path = normalize(&path);
        if !out.contains(&path) {
            out.push(path);
        }
    };
    for value in arguments.values() {
        match value {
            serde_json::Value::String(s) => take(s),
            serde_json::Value::Array(items) => {
                items.iter().filter_map(|v| v.as_str()).for_each(&mut take)
            }
            _ => {}
        }
    }
    out
}

/// `path` without `.` and `..` (lexically; a symlink is judged by the
/// kernel when the server opens it).
fn normalize(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn paths_are_read_from_string_arguments() {
        let args =
            json!({"path": "/a/../b/c", "n": 3, "paths": ["x/y", "plain"], "url": "http://h/x"});
        let found = paths_in(args.as_object().expect("object"), Path::new("/w"));
        assert_eq!(found, vec![PathBuf::from("/b/c"), PathBuf::from("/w/x/y")]);
        let policy = Policy {
            root: "/w".into(),
            deny_read: vec!["/h/.ssh".into()],
            ..Policy::default()
        };
        assert_eq!(
            hidden_by(&policy, Path::new("/h/.ssh/id")),
            Some(Path::new("/h/.ssh"))
        );
        assert!(hidden_by(&policy, Path::new("/h/.sshx")).is_none());
        assert!(!writable(&policy, Path::new("/tmp/x")));
    }
}
