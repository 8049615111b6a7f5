//! Interface `workspace`, capabilities `workspace.read` / `workspace.write`:
//! the working directory the session and its tools use.
//!
//! `set-cwd` moves the working directory freely inside the workspace root.
//! A target outside the root is a root move: the user's own decision, never
//! covered by a grant. It happens only when the user named that exact folder
//! for this run (`--allow-root PATH`, used up by the move) or approved it at
//! the question the session asks after the call; otherwise the call is
//! refused and the target is left in `AppState::root_move_request`.
//! `/proc`, `/sys` and `/dev` are never roots.

use super::{Access, CapCtx, HostFn};
use crate::bindings::aicoder::plugin::types::{Denial, HostError};
use crate::bindings::aicoder::plugin::workspace::Host;
use crate::state::AppState;
use serde_json::json;
use std::path::Path;
use std::sync::Arc;

/// The longest path `set-cwd` accepts (Linux's PATH_MAX).
pub const MAX_PATH_BYTES: usize = 4096;


/// Move the workspace root of `state` to `target` (canonical, a folder):
/// the root and the working directory become `target`. The caller has the
/// user's approval. Returns the old root.
pub fn move_root(
    state: &mut AppState,
    target: &Path,
) -> Result<String, crate::workspace::WorkspaceError> {
    crate::workspace::check_root_allowed(target)?;
    let old = state.root()?;
    let new = old.moved_to(target)?;
    state.cwd = new.path().to_path_buf();
    state.workspace = Ok(Arc::new(new));
    if state.root_move_request.as_deref() == Some(target) {
        state.root_move_request = None;
    }
    Ok(old.path().display().to_string())
}

impl Host for CapCtx {
    fn get_cwd(&mut self) -> Result<String, HostError> {
        self.gate_fn(HostFn::WorkspaceGetCwd, json!({}), || {
            Ok(Access::read(
                self.services.state().cwd.display().to_string(),
            ))
        })
    }

    fn set_cwd(&mut self, path: String) -> Result<String, HostError> {
        self.gate_fn(HostFn::WorkspaceSetCwd,
            json!({ "path": path }),
            || {
                if path.len() > MAX_PATH_BYTES {
                    return Err(HostError::InvalidArgument(format!(
                        "the path is {} bytes; the longest allowed is {MAX_PATH_BYTES}",
                        path.len()
                    )));
                }
                let mut state = self.services.state();
                let root = state.root().map_err(|e| HostError::Failed(e.to_string()))?;
                let target = state.cwd.join(&path);
                let canonical = target
                    .canonicalize()
                    .map_err(|e| HostError::NotFound(format!("{}: {e}", target.display())))?;
                if !canonical.is_dir() {
                    return Err(HostError::InvalidArgument(format!(
                        "{} is not a directory",
                        canonical.display()
                    )));
                }
                let old = state.cwd.display().to_string();
                let new = canonical.display().to_string();
                if root.contains(&canonical) {
                    // Inside the root: checked beneath the root handle too
                    // (not one of aicoder's own folders).
                    let rel = canonical.strip_prefix(root.path()).unwrap_or(Path::new(""));
                    root.check_dir(rel)
                        .map_err(|e| HostError::InvalidArgument(e.to_string()))?;
                    state.cwd = canonical;
                    return Ok(Access::write(new.clone(), json!(old), json!(new)));
                }
                crate::workspace::check_root_allowed(&canonical)
                    .map_err(|e| HostError::InvalidArgument(e.to_string()))?;
                let Some(i) = state.allowed_roots.iter().position(|a| *a == canonical) else {
                    state.root_move_request = Some(canonical.clone());
                    return Err(HostError::AccessDenied(Denial {
                        capability: format!("moving the workspace root to {new}"),
                        hint: format!(
                            "{new} is outside the workspace root {}; moving the root is the \
                             user's own decision, asked each time (never covered by a grant): \
                             approve it when aicoder asks, or run with --allow-root {new}",
                            root.path().display()
                        ),
                    }));
                };
                state.allowed_roots.remove(i);
                let old_root =
                    move_root(&mut state, &canonical)
                        .map_err(|e| HostError::InvalidArgument(e.to_string()))?;
                eprintln!(
                    "aicoder: the workspace root moved from {old_root} to {new} (--allow-root)"
                );
                Ok(Access::write(new.clone(), json!(old), json!(new)))
            },
        )
    }
}

/// The undo of a `set-cwd` (see `caps::undo`).
#[derive(Debug, Clone)]
pub(crate) struct Revert {
    now: String,
    back: String,
}

/// The revert of a `workspace.write` the audit log recorded.
pub(crate) fn revert(
    function: HostFn,
    old: &serde_json::Value,
    new: &serde_json::Value,
) -> Result<Revert, super::undo::NoRevert> {
    use super::undo::NoRevert;
    if function != HostFn::WorkspaceSetCwd {
        return Err(NoRevert::NoUndo);
    }
    Ok(Revert {
        now: new.as_str().ok_or(NoRevert::Malformed)?.to_string(),
        back: old.as_str().ok_or(NoRevert::Malformed)?.to_string(),
    })
}

/// Why a `set-cwd` was not reverted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RevertError {
    /// The working directory moved since the write.
    #[error("the working directory is now {current}, not {now}")]
    Moved { current: String, now: String },
    /// The directory to go back to is gone.
    #[error("{back} is no longer a directory")]
    Gone { back: String },
}

impl Revert {
    /// What undoing it changes.
    pub(crate) fn describe(&self) -> String {
        format!("working directory {} -> {}", self.now, self.back)
    }

    /// Put the old working directory back, unless it moved since.
    pub(crate) fn apply(&self, state: &mut AppState) -> Result<(), RevertError> {
        let (now, back) = (&self.now, &self.back);
        let current = state.cwd.display().to_string();
        if current != *now {
            return Err(RevertError::Moved {
                current,
                now: now.clone(),
            });
        }
        let back_path = std::path::PathBuf::from(back);
        if !back_path.is_dir() {
            return Err(RevertError::Gone { back: back.clone() });
        }
        state.cwd = back_path;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::caps::Capability;
    use crate::caps::testing::{assert_denied, TestEnv};

    #[test]
    fn set_cwd_needs_its_grant_and_logs_old_and_new() {
        let mut env = TestEnv::new();
        let root = env.root();
        std::fs::create_dir(root.join("sub")).expect("mkdir");
        assert_denied(env.ctx.set_cwd("sub".into()), Capability::WorkspaceWrite);
        assert_eq!(
            env.ctx.services.state().cwd,
            root,
            "a denied write changes nothing"
        );

        env.grant(Capability::WorkspaceWrite);
        let new = env.ctx.set_cwd("sub".into()).expect("granted");
        assert_eq!(std::path::PathBuf::from(&new), root.join("sub"));
        let entry = env.audit().pop().expect("entry");
        assert_eq!(entry.old, Some(json!(root.display().to_string())));
        assert_eq!(entry.new, Some(json!(new)));
    }

    #[test]
    fn missing_directory_and_file_are_refused() {
        let mut env = TestEnv::new();
        env.grant(Capability::WorkspaceWrite);
        std::fs::write(env.root().join("f"), "x").expect("file");
        assert!(matches!(
            env.ctx.set_cwd("nope".into()),
            Err(HostError::NotFound(_))
        ));
        assert!(matches!(
            env.ctx.set_cwd("f".into()),
            Err(HostError::InvalidArgument(_))
        ));
        assert_denied(env.ctx.get_cwd(), Capability::WorkspaceRead);
    }

    #[test]
    fn a_move_outside_the_root_needs_the_user_and_is_used_up() {
        let mut env = TestEnv::new();
        env.grant(Capability::WorkspaceWrite);
        let elsewhere = tempfile::tempdir().expect("elsewhere");
        let target = elsewhere.path().canonicalize().expect("canonical");
        let shown = target.display().to_string();
        let err = env.ctx.set_cwd(shown.clone()).expect_err("a root move");
        assert!(
            matches!(&err, HostError::AccessDenied(d) if d.hint.contains(&format!("--allow-root {shown}"))),
            "{err:?}"
        );
        assert_eq!(
            env.ctx.services.state().root_move_request,
            Some(target.clone())
        );
        assert!(matches!(
            env.ctx.set_cwd("/proc".into()),
            Err(HostError::InvalidArgument(m)) if m.contains("never workspace roots")
        ));

        env.ctx.services.state().allowed_roots = vec![target.clone()];
        let old_root = env.root();
        assert_eq!(env.ctx.set_cwd(shown.clone()).expect("allowed"), shown);
        let state = env.ctx.services.state();
        assert_eq!(state.root().expect("root").path(), target);
        assert!(state.allowed_roots.is_empty(), "used up by the move");
        drop(state);
        // Back out is another root move, and the old root's .aicoder stays protected.
        assert!(matches!(
            env.ctx.set_cwd(old_root.display().to_string()),
            Err(HostError::AccessDenied(_))
        ));
    }
}
