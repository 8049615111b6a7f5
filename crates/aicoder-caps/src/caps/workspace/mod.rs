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

/// The undo of its writes (`caps::undo` drives it).
mod revert;
pub(crate) use revert::{revert, Revert, RevertError};

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

#[cfg(test)]
mod tests;
