//! Interface `fs`, capabilities `fs.read` / `fs.write`: files under the
//! working directory only. Absolute paths and `..` are refused outright, and
//! every path is resolved through symlinks and checked to stay inside.

use super::{Access, CapCtx, Capability};
use crate::plugins::bindings::aicoder::plugin::fs::{DirEntry, Host};
use crate::plugins::bindings::aicoder::plugin::types::HostError;
use serde_json::json;
use std::path::{Component, Path, PathBuf};

pub(crate) const INTERFACE: &str = "fs";
pub(crate) const CAPABILITIES: &[Capability] = &[Capability::FsRead, Capability::FsWrite];

/// Check the shape of a plugin-supplied path before touching the disk.
fn relative(path: &str) -> Result<&Path, HostError> {
    let p = Path::new(path);
    if p.is_absolute() {
        return Err(HostError::InvalidArgument(format!(
            "{path}: absolute paths are refused; use a path relative to the working directory"
        )));
    }
    if p.components()
        .any(|c| matches!(c, Component::ParentDir | Component::Prefix(_)))
    {
        return Err(HostError::InvalidArgument(format!(
            "{path}: `..` is refused; plugins stay inside the working directory"
        )));
    }
    Ok(p)
}

fn inside(root: &Path, resolved: &Path, shown: &str) -> Result<(), HostError> {
    if resolved.starts_with(root) {
        Ok(())
    } else {
        Err(HostError::InvalidArgument(format!(
            "{shown}: resolves outside the working directory (through a symlink)"
        )))
    }
}

fn io_error(path: &str, e: std::io::Error) -> HostError {
    if e.kind() == std::io::ErrorKind::NotFound {
        HostError::NotFound(path.to_string())
    } else {
        HostError::Failed(format!("{path}: {e}"))
    }
}

/// Resolve an existing path under `cwd`, following symlinks.
fn resolve_existing(cwd: &Path, path: &str) -> Result<PathBuf, HostError> {
    let root = cwd
        .canonicalize()
        .map_err(|e| io_error(&cwd.display().to_string(), e))?;
    let resolved = root
        .join(relative(path)?)
        .canonicalize()
        .map_err(|e| io_error(path, e))?;
    inside(&root, &resolved, path)?;
    Ok(resolved)
}

/// Resolve a path to write under `cwd`: its deepest existing ancestor and, if
/// it exists, the file itself must resolve inside.
fn resolve_for_write(cwd: &Path, path: &str) -> Result<PathBuf, HostError> {
    let root = cwd
        .canonicalize()
        .map_err(|e| io_error(&cwd.display().to_string(), e))?;
    let target = root.join(relative(path)?);
    if target.file_name().is_none() || target == root {
        return Err(HostError::InvalidArgument(format!(
            "{path}: not a file path"
        )));
    }
    let mut ancestor = target.as_path();
    while !ancestor.exists() {
        ancestor = ancestor.parent().unwrap_or(&root);
    }
    inside(
        &root,
        &ancestor.canonicalize().map_err(|e| io_error(path, e))?,
        path,
    )?;
    if target.is_symlink() || target.exists() {
        inside(
            &root,
            &target.canonicalize().map_err(|e| io_error(path, e))?,
            path,
        )?;
    }
    Ok(target)
}

impl Host for CapCtx {
    fn read_file(&mut self, path: String) -> Result<String, HostError> {
        self.gate(
            Capability::FsRead,
            "read-file",
            json!({ "path": path }),
            || {
                let cwd = self.services.state().cwd.clone();
                let resolved = resolve_existing(&cwd, &path)?;
                let size = std::fs::metadata(&resolved)
                    .map_err(|e| io_error(&path, e))?
                    .len();
                let cap = self.services.limits.output_bytes as u64;
                if size > cap {
                    return Err(HostError::Failed(format!(
                        "{path}: {size} bytes is over the {cap}-byte cap"
                    )));
                }
                let bytes = std::fs::read(&resolved).map_err(|e| io_error(&path, e))?;
                let text = String::from_utf8(bytes)
                    .map_err(|_| HostError::Failed(format!("{path}: not UTF-8 text")))?;
                Ok(Access::read(text))
            },
        )
    }

    fn list_dir(&mut self, path: String) -> Result<Vec<DirEntry>, HostError> {
        self.gate(
            Capability::FsRead,
            "list-dir",
            json!({ "path": path }),
            || {
                let cwd = self.services.state().cwd.clone();
                let dir = resolve_existing(&cwd, if path.is_empty() { "." } else { &path })?;
                let mut entries = Vec::new();
                for entry in std::fs::read_dir(&dir).map_err(|e| io_error(&path, e))? {
                    let entry = entry.map_err(|e| io_error(&path, e))?;
                    let meta = entry.metadata().map_err(|e| io_error(&path, e))?;
                    entries.push(DirEntry {
                        name: entry.file_name().to_string_lossy().into_owned(),
                        is_dir: meta.is_dir(),
                        size: if meta.is_dir() { 0 } else { meta.len() },
                    });
                }
                entries.sort_by(|a, b| a.name.cmp(&b.name));
                Ok(Access::read(entries))
            },
        )
    }

    fn write_file(&mut self, path: String, content: String) -> Result<(), HostError> {
        let args = json!({ "path": path, "bytes": content.len() });
        self.gate(Capability::FsWrite, "write-file", args, || {
            let cwd = self.services.state().cwd.clone();
            let target = resolve_for_write(&cwd, &path)?;
            let old = std::fs::read(&target)
                .ok()
                .map(|b| String::from_utf8_lossy(&b).into_owned());
            crate::util::atomic_write(&target, content.as_bytes())
                .map_err(|e| io_error(&path, e))?;
            Ok(Access::write(
                (),
                // The absolute file too: undo must not depend on the cwd.
                json!({ "path": path, "file": target, "content": old }),
                json!({ "path": path, "file": target, "content": content }),
            ))
        })
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
        for bad in ["../x", "/etc/passwd", "link/secret", "a/../../x"] {
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
    }
}
