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

/// The undo of an `fs.write` `write-file` (see `caps::undo`).
#[derive(Debug, Clone)]
pub(crate) struct Revert {
    file: PathBuf,
    now: String,
    /// `None`: the file did not exist.
    back: Option<String>,
}

/// The revert of an `fs.write` the audit log recorded.
pub(crate) fn revert(
    function: HostFn,
    old: &serde_json::Value,
    new: &serde_json::Value,
) -> Result<Revert, super::undo::NoRevert> {
    use super::undo::NoRevert;
    use serde_json::Value;
    if function != HostFn::FsWriteFile {
        return Err(NoRevert::NoUndo);
    }
    // fs.write logs the old content as text, lossily: written back, a file
    // that was not UTF-8 would be damaged.
    let lossy = old
        .get("content")
        .and_then(Value::as_str)
        .is_some_and(|c| c.contains('\u{FFFD}'));
    if lossy {
        return Err(NoRevert::LossyText);
    }
    let Some(file) = new.get("file").and_then(Value::as_str) else {
        return Err(NoRevert::NoFilePath);
    };
    (|| {
        Some(Revert {
            file: PathBuf::from(file),
            now: new.get("content")?.as_str()?.to_string(),
            back: match old.get("content")? {
                Value::Null => None,
                v => Some(v.as_str()?.to_string()),
            },
        })
    })()
    .ok_or(NoRevert::Malformed)
}

/// Why a `write-file` was not reverted.
#[derive(Debug, thiserror::Error)]
pub enum RevertError {
    /// The file's content is no longer what the write left.
    #[error("{} changed since", .file.display())]
    Changed { file: PathBuf },
    /// The file cannot be read (removed, say) to check it.
    #[error("{} changed since: {source}", .file.display())]
    Unreadable {
        file: PathBuf,
        source: std::io::Error,
    },
    /// Writing the old content back failed.
    #[error("cannot write {}: {source}", .file.display())]
    Write {
        file: PathBuf,
        source: std::io::Error,
    },
    /// Removing the file the write created failed.
    #[error("cannot remove {}: {source}", .file.display())]
    Remove {
        file: PathBuf,
        source: std::io::Error,
    },
}

impl Revert {
    /// What undoing it changes.
    pub(crate) fn describe(&self) -> String {
        match &self.back {
            Some(back) => format!(
                "file {} back to its old content ({} bytes, now {} bytes)",
                self.file.display(),
                back.len(),
                self.now.len()
            ),
            None => format!("remove file {} (it did not exist)", self.file.display()),
        }
    }

    /// Write the old content back (or remove a file the write created),
    /// unless the file changed since.
    pub(crate) fn apply(&self) -> Result<(), RevertError> {
        let Revert { file, now, back } = self;
        let file = file.clone();
        match std::fs::read(&file) {
            Ok(bytes) if bytes == now.as_bytes() => {}
            Ok(_) => return Err(RevertError::Changed { file }),
            Err(source) => return Err(RevertError::Unreadable { file, source }),
        }
        match back {
            Some(old) => crate::util::atomic_write(&file, old.as_bytes())
                .map_err(|source| RevertError::Write { file, source }),
            None => std::fs::remove_file(&file).map_err(|source| RevertError::Remove { file, source }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::caps::Capability;
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
