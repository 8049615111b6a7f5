//! Interface `fs`, capabilities `fs.read` / `fs.write`: files beneath the
//! workspace root only, resolved race-free by `crate::workspace` (never
//! checked by path and reopened). Paths are relative to the working
//! directory (or absolute inside the root); `..` may climb to the root, never
//! past it; aicoder's own folders (`.aicoder/`, `~/.config/aicoder`,
//! `~/.cache/aicoder`) are refused whatever the path; only regular files are
//! read or written.

use super::scope::Target;
use super::{Access, CapCtx, Capability};
use crate::plugins::bindings::aicoder::plugin::fs::{DirEntry, Host};
use crate::plugins::bindings::aicoder::plugin::types::HostError;
use crate::workspace::{WorkspaceError, WorkspaceRoot};
use serde_json::json;
use std::path::PathBuf;
use std::sync::Arc;

pub(crate) const INTERFACE: &str = "fs";
pub(crate) const CAPABILITIES: &[Capability] = &[Capability::FsRead, Capability::FsWrite];

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

impl CapCtx {
    /// The root and `path` relative to it (the state lock is not held after).
    fn beneath_root(&self, path: &str) -> Result<(Arc<WorkspaceRoot>, PathBuf), HostError> {
        let state = self.services.state();
        let root = state.root().map_err(host_error)?;
        let rel = root.relative(&state.cwd, path).map_err(host_error)?;
        Ok((root, rel))
    }
}

/// The path a call on `resolved` touches relative to the root, for a scoped
/// grant (an unresolvable path is covered by no scope).
fn rel_text(resolved: &Result<(Arc<WorkspaceRoot>, PathBuf), HostError>) -> Option<String> {
    resolved
        .as_ref()
        .ok()
        .and_then(|(_, rel)| rel.to_str().map(str::to_string))
}

fn target_of(rel: &Option<String>) -> Target<'_> {
    rel.as_deref().map_or(Target::Whole, Target::Path)
}

impl Host for CapCtx {
    fn read_file(&mut self, path: String) -> Result<String, HostError> {
        let resolved = self.beneath_root(&path);
        let rel = rel_text(&resolved);
        self.gate_scoped(
            Capability::FsRead,
            target_of(&rel),
            "read-file",
            json!({ "path": path }),
            || {
                let (root, rel) = resolved?;
                let cap = self.services.limits.output_bytes as u64;
                let bytes = root.read_bounded(&rel, cap).map_err(host_error)?;
                let text = String::from_utf8(bytes)
                    .map_err(|_| HostError::Failed(format!("{path}: not UTF-8 text")))?;
                Ok(Access::read(text))
            },
        )
    }

    fn list_dir(&mut self, path: String) -> Result<Vec<DirEntry>, HostError> {
        let resolved = self.beneath_root(if path.is_empty() { "." } else { &path });
        let rel = rel_text(&resolved);
        self.gate_scoped(
            Capability::FsRead,
            target_of(&rel),
            "list-dir",
            json!({ "path": path }),
            || {
                let (root, rel) = resolved?;
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
        let args = json!({ "path": path, "bytes": content.len() });
        let resolved = self.beneath_root(&path);
        let rel = rel_text(&resolved);
        self.gate_scoped(
            Capability::FsWrite,
            target_of(&rel),
            "write-file",
            args,
            || {
                let (root, rel) = resolved?;
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
mod tests {
    use super::*;
    use crate::caps::testing::{assert_denied, TestEnv};

    #[test]
    fn reads_and_writes_inside_with_grants() {
        let mut env = TestEnv::new();
        assert_denied(
            env.ctx.write_file("a/b.txt".into(), "hi".into()),
            Capability::FsWrite,
        );
        assert!(!env.root().join("a").exists());
        env.grant(Capability::FsWrite);
        env.grant(Capability::FsRead);
        env.ctx
            .write_file("a/b.txt".into(), "hi".into())
            .expect("write");
        assert_eq!(env.ctx.read_file("a/b.txt".into()).expect("read"), "hi");
        assert_eq!(env.ctx.list_dir("a".into()).expect("ls")[0].name, "b.txt");
    }

    #[test]
    fn escapes_are_refused() {
        let mut env = TestEnv::new();
        env.grant(Capability::FsWrite);
        env.grant(Capability::FsRead);
        let outside = tempfile::tempdir().expect("outside");
        std::fs::write(outside.path().join("secret"), "s").expect("secret");
        std::os::unix::fs::symlink(outside.path(), env.root().join("link")).expect("symlink");
        std::fs::create_dir_all(env.root().join(".aicoder")).expect("own folder");
        std::os::unix::fs::symlink(".aicoder", env.root().join("own")).expect("symlink");
        for bad in [
            "../x",
            "/etc/passwd",
            "link/secret",
            "a/../../x",
            ".aicoder/audit.jsonl",
            "own/audit.jsonl",
            "./.aicoder/../.aicoder/x",
        ] {
            assert!(
                matches!(
                    env.ctx.read_file(bad.into()),
                    Err(HostError::InvalidArgument(_))
                ),
                "{bad}"
            );
        }
        assert!(matches!(
            env.ctx.write_file("link/new".into(), "x".into()),
            Err(HostError::InvalidArgument(_))
        ));
        assert!(!outside.path().join("new").exists());
        for bad in [".aicoder/audit.jsonl", "own/audit.jsonl", "link/new"] {
            assert!(
                matches!(
                    env.ctx.write_file(bad.into(), "x".into()),
                    Err(HostError::InvalidArgument(_))
                ),
                "{bad}"
            );
        }
        assert!(!env.root().join(".aicoder/audit.jsonl").exists());
    }
}
