//! Interface `fs`, capabilities `fs.read` / `fs.write`: files beneath the
//! workspace root only, resolved race-free by `crate::workspace` (never
//! checked by path and reopened). Paths are relative to the working
//! directory (or absolute inside the root); `..` may climb to the root, never
//! past it; aicoder's own folders (`.aicoder/`, `~/.config/aicoder`,
//! `~/.cache/aicoder`) are refused whatever the path; only regular files are
//! read or written.

use super::scope::Target;
use super::{Access, CapCtx, HostFn};
use crate::bindings::aicoder::plugin::fs::{DirEntry, Host};
use crate::bindings::aicoder::plugin::types::HostError;
use crate::workspace::{ReadError, WorkspaceError, WorkspaceRoot};
use serde_json::json;
use std::path::PathBuf;
use std::sync::Arc;

/// The undo of its writes (`caps::undo` drives it).
mod revert;
pub(crate) use revert::{revert, Revert, RevertError};


/// The largest existing file whose old content a write keeps for the audit
/// log (and undo); a bigger one is replaced with `old` left empty.
const OLD_CONTENT_MAX: u64 = 64 << 20;

/// A workspace refusal as the plugin sees it.
fn host_error(e: WorkspaceError) -> HostError {
    match e {
        WorkspaceError::NotFound { path } => HostError::NotFound(path),
        e @ (WorkspaceError::Outside { .. }
        | WorkspaceError::CwdOutside { .. }
        | WorkspaceError::Protected { .. }
        | WorkspaceError::Invalid { .. }
        | WorkspaceError::NotRegular { .. }) => HostError::InvalidArgument(e.to_string()),
        e => HostError::Failed(e.to_string()),
    }
}

/// A path resolved for a call: the root, where the path really leads
/// relative to it (symlinks followed beneath the root), and whether that
/// differs from the path as written.
type Resolved = Result<(Arc<WorkspaceRoot>, PathBuf, bool), HostError>;

impl CapCtx {
    /// Resolve `path` (the state lock is not held after): the scope is
    /// decided on where it really leads and the call operates there.
    fn beneath_root(&self, path: &str) -> Resolved {
        let state = self.services.state();
        let root = state.root().map_err(host_error)?;
        let rel = root.relative(&state.cwd, path).map_err(host_error)?;
        drop(state);
        let real = root.real_relative(&rel).map_err(host_error)?;
        let clean: PathBuf = rel
            .components()
            .filter(|c| !matches!(c, std::path::Component::CurDir))
            .collect();
        let moved = clean != real;
        Ok((root, real, moved))
    }
}

/// The call's audit arguments: the path as given, and where it really
/// leads when that differs (a symlink followed).
fn path_args(path: &str, resolved: &Resolved) -> serde_json::Value {
    match resolved {
        Ok((_, real, true)) => json!({ "path": path, "resolved": real.display().to_string() }),
        _ => json!({ "path": path }),
    }
}

/// The path a call on `resolved` touches relative to the root, for a scoped
/// grant (an unresolvable path is covered by no scope).
fn rel_text(resolved: &Resolved) -> Option<String> {
    resolved
        .as_ref()
        .ok()
        .and_then(|(_, rel, _)| rel.to_str().map(str::to_string))
}

fn target_of(rel: &Option<String>) -> Target<'_> {
    rel.as_deref().map_or(Target::Whole, Target::Path)
}

impl Host for CapCtx {
    fn read_file(&mut self, path: String) -> Result<String, HostError> {
        let resolved = self.beneath_root(&path);
        let rel = rel_text(&resolved);
        self.gate_fn_scoped(
            HostFn::FsReadFile,
            target_of(&rel),
            path_args(&path, &resolved),
            || {
                let (root, rel, _) = resolved?;
                let cap = self.services.limits.output_bytes as u64;
                let text = crate::workspace::read_text(&root, &rel, cap).map_err(|e| match e {
                    ReadError::Workspace(e) => host_error(e),
                    ReadError::NotText { .. } => {
                        HostError::Failed(format!("{path}: not UTF-8 text"))
                    }
                })?;
                Ok(Access::read(text))
            },
        )
    }

    fn list_dir(&mut self, path: String) -> Result<Vec<DirEntry>, HostError> {
        let resolved = self.beneath_root(if path.is_empty() { "." } else { &path });
        let rel = rel_text(&resolved);
        self.gate_fn_scoped(
            HostFn::FsListDir,
            target_of(&rel),
            path_args(&path, &resolved),
            || {
                let (root, rel, _) = resolved?;
                let entries = root
                    .list_dir(&rel)
                    .map_err(host_error)?
                    .into_iter()
                    .map(|e| DirEntry {
                        is_dir: e.kind == crate::workspace::EntryKind::Dir,
                        name: e.name,
                        size: e.size,
                    })
                    .collect();
                Ok(Access::read(entries))
            },
        )
    }

    fn write_file(&mut self, path: String, content: String) -> Result<(), HostError> {
        let resolved = self.beneath_root(&path);
        let mut args = path_args(&path, &resolved);
        args["bytes"] = json!(content.len());
        let rel = rel_text(&resolved);
        self.gate_fn_scoped(
            HostFn::FsWriteFile,
            target_of(&rel),
            args,
            || {
                let (root, rel, _) = resolved?;
                let old = root
                    .read_bounded(&rel, OLD_CONTENT_MAX)
                    .ok()
                    .map(|b| String::from_utf8_lossy(&b).into_owned());
                root.write_atomic(&rel, content.as_bytes())
                    .map_err(host_error)?;
                let target = root.path().join(&rel).display().to_string();
                Ok(Access::write(
                    (),
                    // The absolute file too: undo must not depend on the cwd.
                    json!({ "path": path, "file": target, "content": old }),
                    json!({ "path": path, "file": target, "content": content }),
                ))
            },
        )
    }
}

#[cfg(test)]
mod tests;
