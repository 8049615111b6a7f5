//! Interface `data`, capabilities `data.read` / `data.write`: the calling
//! plugin's own data folders, named after it, inside aicoder's folders that
//! are otherwise refused to plugins: `<project>/.aicoder/<plugin>/` (read and
//! write; memory keeps `.aicoder/memory/` as AI Coder v3 did) and
//! `<user config>/<plugin>/` (read only; `~/.config/aicoder/skills/`).
//!
//! Each folder is opened as its own [`WorkspaceRoot`] for the call, so paths
//! resolve race-free beneath it exactly as `fs` paths do beneath the project
//! (`..` never past it, symlinks followed only inside, regular files only,
//! atomic writes). The folder itself must be a real folder at the expected
//! place: a symlink planted as `.aicoder/<plugin>` is refused. Names of
//! aicoder's own entries (`plugins`, `sessions`, ...) are never a data folder.

use super::{Access, CapCtx, HostFn};
use crate::bindings::aicoder::plugin::data::{Area, DataEntry, Host};
use crate::bindings::aicoder::plugin::types::HostError;
use crate::workspace::{EntryKind, WorkspaceError, WorkspaceRoot};
use serde_json::json;
use std::path::{Path, PathBuf};


/// Names inside `.aicoder/` and the user config folder that are aicoder's
/// own: a plugin with such a name gets no data folder.
const RESERVED: &[&str] = &[
    "plugins",
    "sessions",
    "session",
    "history",
    "audit",
    "blobs",
    "cache",
    "grants",
    "trust",
    "config",
    "undo",
    "tmp",
    "plugin_data",
    "data",
];

/// The largest file a data read returns.
pub(super) const READ_MAX: u64 = 4 << 20;

/// The area's name in audit lines (`Area` is the bindings crate's type).
trait AreaName {
    fn name(self) -> &'static str;
}

impl AreaName for Area {
    fn name(self) -> &'static str {
        match self {
            Area::Project => "project",
            Area::User => "user",
        }
    }
}

pub(super) fn host_error(e: WorkspaceError) -> HostError {
    match e {
        WorkspaceError::NotFound { path } => HostError::NotFound(path),
        e @ (WorkspaceError::Outside { .. }
        | WorkspaceError::Protected { .. }
        | WorkspaceError::Invalid { .. }
        | WorkspaceError::IsDir { .. }
        | WorkspaceError::TooLarge { .. }
        | WorkspaceError::NotRegular { .. }) => HostError::InvalidArgument(e.to_string()),
        e => HostError::Failed(e.to_string()),
    }
}

/// The plugin's folder in `base`, refused for names aicoder uses itself.
fn folder_for(base: &Path, plugin: &str) -> Result<PathBuf, HostError> {
    let valid = !plugin.is_empty()
        && plugin.starts_with(|c: char| c.is_ascii_lowercase())
        && plugin
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !valid || RESERVED.contains(&plugin) {
        return Err(HostError::AccessDenied(
            crate::bindings::aicoder::plugin::types::Denial {
                capability: "data.read".into(),
                hint: format!(
                    "plugin name `{plugin}` names one of aicoder's own folders; it has no data folder"
                ),
            },
        ));
    }
    Ok(base.join(plugin))
}

/// Open `folder` as a root, after checking that it and its parent are real
/// folders (not symlinks) and that it opened where it was expected.
/// `Ok(None)` when it does not exist (and `create` is false).
fn open_folder(folder: &Path, create: bool) -> Result<Option<WorkspaceRoot>, HostError> {
    let failed = |e: std::io::Error| HostError::Failed(format!("{}: {e}", folder.display()));
    let parent = folder
        .parent()
        .ok_or_else(|| HostError::Failed(format!("{}: no parent folder", folder.display())))?;
    for path in [parent, folder] {
        match std::fs::symlink_metadata(path) {
            Ok(meta) if meta.is_dir() => {}
            Ok(_) => {
                return Err(HostError::InvalidArgument(format!(
                "{} is not a real folder (a symlink or a file); it is not used as a data folder",
                path.display()
            )))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                if !create {
                    return Ok(None);
                }
                match std::fs::create_dir(path) {
                    Ok(()) => {}
                    Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
                    Err(e) => return Err(failed(e)),
                }
                // Created by us just now; checked again below on open.
                if std::fs::symlink_metadata(path)
                    .map_err(failed)?
                    .file_type()
                    .is_symlink()
                {
                    return Err(HostError::InvalidArgument(format!(
                        "{} became a symlink; it is not used as a data folder",
                        path.display()
                    )));
                }
            }
            Err(e) => return Err(failed(e)),
        }
    }
    let expected = parent.canonicalize().map_err(failed)?.join(
        folder
            .file_name()
            .ok_or_else(|| HostError::Failed(format!("{}: no name", folder.display())))?,
    );
    let root = WorkspaceRoot::open(folder, Vec::new()).map_err(host_error)?;
    if root.path() != expected {
        return Err(HostError::InvalidArgument(format!(
            "{} resolves to {}; it is not used as a data folder",
            folder.display(),
            root.path().display()
        )));
    }
    Ok(Some(root))
}

impl CapCtx {
    /// The base folder of `area`: `<root>/.aicoder` or the user config folder.
    fn data_base(&self, area: Area) -> Result<PathBuf, HostError> {
        let root = self.services.state().root().map_err(host_error)?;
        let paths = crate::config::Paths::for_project(root.path());
        Ok(match area {
            Area::Project => paths.project_dir,
            Area::User => paths.user_config_dir,
        })
    }

    /// The plugin's data folder in `area`, opened; `None` if it is missing.
    pub(super) fn data_root(&self, area: Area, create: bool) -> Result<Option<WorkspaceRoot>, HostError> {
        let folder = folder_for(&self.data_base(area)?, &self.plugin.name)?;
        open_folder(&folder, create)
    }
}

/// `path` relative to the data folder `root`.
pub(super) fn relative(root: &WorkspaceRoot, path: &str) -> Result<PathBuf, HostError> {
    let path = if path.is_empty() { "." } else { path };
    root.relative(root.path(), path).map_err(host_error)
}

impl Host for CapCtx {
    fn read_file(&mut self, area: Area, path: String) -> Result<String, HostError> {
        let args = json!({ "area": area.name(), "path": path });
        self.gate_fn(HostFn::DataReadFile, args, || {
            let root = self
                .data_root(area, false)?
                .ok_or_else(|| HostError::NotFound(path.clone()))?;
            let rel = relative(&root, &path)?;
            let bytes = root.read_bounded(&rel, READ_MAX).map_err(host_error)?;
            let text = String::from_utf8(bytes)
                .map_err(|_| HostError::Failed(format!("{path}: not UTF-8 text")))?;
            Ok(Access::read(text))
        })
    }

    fn list_dir(&mut self, area: Area, path: String) -> Result<Vec<DataEntry>, HostError> {
        let args = json!({ "area": area.name(), "path": path });
        self.gate_fn(HostFn::DataListDir, args, || {
            let Some(root) = self.data_root(area, false)? else {
                return if path.is_empty() || path == "." {
                    Ok(Access::read(Vec::new()))
                } else {
                    Err(HostError::NotFound(path.clone()))
                };
            };
            let rel = relative(&root, &path)?;
            let entries = root
                .list_dir(&rel)
                .map_err(host_error)?
                .into_iter()
                .map(|e| DataEntry {
                    is_dir: e.kind == EntryKind::Dir,
                    name: e.name,
                    size: e.size,
                })
                .collect();
            Ok(Access::read(entries))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::caps::Capability;
    use crate::caps::testing::{assert_denied, TestEnv};
    use crate::bindings::aicoder::plugin::data_write::Host as _;

    #[test]
    fn the_project_folder_is_the_plugins_own_and_nothing_else() {
        let mut env = TestEnv::new();
        assert_denied(
            env.ctx.write_file("a.md".into(), "hi".into()),
            Capability::DataWrite,
        );
        env.grant(Capability::DataWrite);
        env.grant(Capability::DataRead);
        assert!(env
            .ctx
            .list_dir(Area::Project, "".into())
            .expect("empty")
            .is_empty());
        env.ctx
            .write_file("notes/a.md".into(), "hi".into())
            .expect("write");
        let on_disk = env.root().join(".aicoder/tester/notes/a.md");
        assert_eq!(std::fs::read_to_string(on_disk).expect("written"), "hi");
        assert_eq!(
            env.ctx
                .read_file(Area::Project, "notes/a.md".into())
                .expect("read"),
            "hi"
        );
        // aicoder's own files beside the folder stay out of reach.
        std::fs::write(env.root().join(".aicoder/grants.json"), "{}").expect("seed");
        for bad in ["../grants.json", "/etc/passwd", "../../x"] {
            assert!(
                env.ctx.read_file(Area::Project, bad.into()).is_err(),
                "{bad} must be refused"
            );
            assert!(env.ctx.write_file(bad.into(), "x".into()).is_err());
        }
        env.ctx.delete_file("notes/a.md".into()).expect("delete");
        assert!(matches!(
            env.ctx.read_file(Area::Project, "notes/a.md".into()),
            Err(HostError::NotFound(_))
        ));
    }

    #[test]
    fn a_symlinked_data_folder_is_refused() {
        let mut env = TestEnv::new();
        env.grant(Capability::DataWrite);
        let outside = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir_all(env.root().join(".aicoder")).expect("mkdir");
        std::os::unix::fs::symlink(outside.path(), env.root().join(".aicoder/tester"))
            .expect("symlink");
        assert!(matches!(
            env.ctx.write_file("a.md".into(), "x".into()),
            Err(HostError::InvalidArgument(_))
        ));
        assert!(!outside.path().join("a.md").exists());
    }

    #[test]
    fn reserved_names_have_no_folder() {
        assert!(folder_for(Path::new("/x"), "plugins").is_err());
        assert!(folder_for(Path::new("/x"), "../x").is_err());
        assert_eq!(
            folder_for(Path::new("/x"), "memory").expect("ok"),
            Path::new("/x/memory")
        );
    }
}
