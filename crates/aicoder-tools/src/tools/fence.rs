//! Where the built-in file tools may go: beneath the workspace root, as in
//! AI Coder v3 (`check_sandbox`), through the same race-free resolver as the
//! `fs` capability ([`crate::workspace::WorkspaceRoot`]): `..`, absolute
//! paths and symlinks that lead out are refused by the resolution itself,
//! with no window between a check and a use, and aicoder's own folders are
//! refused whatever the path says.
//!
//! This module adds what is the built-in tools' own: a path outside the root
//! is refused with a message for the model, unless the user approved that
//! exact path for this one call at the prompt ([`Fence::approve`]) or the
//! sandbox is off (MINI_SANDBOX=0, as in v3). Such a path is canonicalised
//! and opened through a one-off resolver on its own folder, so the same
//! hardened read and atomic write serve it.

use super::ToolError;
use crate::workspace::{read_text, EntryKind, ReadError, WorkspaceError, WorkspaceRoot};
use std::fs::File;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

/// Where the built-in file tools of one call may reach.
#[derive(Debug, Clone)]
pub struct Fence {
    /// The session's workspace root, or why there is none.
    root: Result<Arc<WorkspaceRoot>, String>,
    cwd: PathBuf,
    confined: bool,
    /// One outside path the user approved for this call.
    approved: Option<PathBuf>,
}

/// A path as a tool call named it, located.
enum Where {
    /// Relative to the root; the resolver keeps it inside.
    Beneath(Arc<WorkspaceRoot>, PathBuf),
    /// Anywhere (sandbox off, or approved): the path as named from the cwd.
    Anywhere(PathBuf),
}

/// `path` with `.` and `..` folded without touching the disk: what the user
/// is shown and approves.
pub fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// A path outside the root, as a one-off resolver on its real folder and the
/// file's name in it (`.` for the folder itself).
fn outside_parts(abs: &Path, want_dir: bool) -> Result<(WorkspaceRoot, PathBuf), WorkspaceError> {
    let real = match abs.canonicalize() {
        Ok(real) => real,
        // A file that does not exist yet: its folder must.
        Err(_) => {
            let parent = abs.parent().unwrap_or(Path::new("/"));
            let name = abs.file_name().map(PathBuf::from).unwrap_or_default();
            std::fs::create_dir_all(parent).map_err(|source| WorkspaceError::Io {
                path: parent.display().to_string(),
                source,
            })?;
            let parent = parent.canonicalize().map_err(|source| WorkspaceError::Io {
                path: parent.display().to_string(),
                source,
            })?;
            parent.join(name)
        }
    };
    if want_dir && real.is_dir() {
        return Ok((WorkspaceRoot::open(&real, Vec::new())?, PathBuf::new()));
    }
    let parent = real.parent().unwrap_or(Path::new("/"));
    let name = real.file_name().map(PathBuf::from).unwrap_or_default();
    Ok((WorkspaceRoot::open(parent, Vec::new())?, name))
}

impl Fence {
    /// Tools beneath `root` (when `confined`), relative paths from `cwd`.
    pub fn new(
        root: Result<Arc<WorkspaceRoot>, WorkspaceError>,
        cwd: &Path,
        confined: bool,
    ) -> Self {
        Fence {
            root: root.map_err(|e| e.to_string()),
            cwd: cwd.to_path_buf(),
            confined,
            approved: None,
        }
    }

    /// A fence whose root is the folder `root`, nothing else protected in
    /// it but `.aicoder/` (for tests and tools run outside a session).
    pub fn for_dir(root: &Path, cwd: &Path, confined: bool) -> Self {
        let root = WorkspaceRoot::open(root, Vec::new()).map(Arc::new);
        Fence::new(root, cwd, confined)
    }

    /// The working directory relative paths start from.
    pub fn cwd(&self) -> &Path {
        &self.cwd
    }

    /// The workspace root as messages show it.
    pub fn root(&self) -> PathBuf {
        match &self.root {
            Ok(root) => root.path().to_path_buf(),
            Err(_) => self.cwd.clone(),
        }
    }

    /// Whether the tools are kept beneath the root.
    pub fn confined(&self) -> bool {
        self.confined
    }

    /// Let this call reach `path` (as [`Fence::outside`] gave it).
    pub fn approve(&mut self, path: PathBuf) {
        self.approved = Some(path);
    }

    /// The absolute form of a path a call named, `.` and `..` folded.
    pub fn absolute(&self, path: &str) -> PathBuf {
        lexical(&self.cwd.join(path))
    }

    fn locate(&self, path: &str) -> Result<Where, ToolError> {
        if !self.confined || self.approved.as_ref() == Some(&self.absolute(path)) {
            return Ok(Where::Anywhere(self.cwd.join(path)));
        }
        let root = self
            .root
            .as_ref()
            .map_err(|e| ToolError::Failed(format!("{path}: {e}")))?;
        let rel = root
            .relative(&self.cwd, path)
            .map_err(|e| self.refusal(path, e))?;
        Ok(Where::Beneath(root.clone(), rel))
    }

    /// The refusal the model gets for a path outside the root.
    pub fn outside_error(&self, path: &str) -> ToolError {
        ToolError::Failed(format!(
            "{path} is outside the workspace root {}: the built-in file tools stay beneath it. \
             Use a path inside it; the user can approve one outside path at the prompt, \
             or turn the sandbox off with MINI_SANDBOX=0",
            self.root().display()
        ))
    }

    /// A resolver error as the model reads it.
    fn refusal(&self, path: &str, err: WorkspaceError) -> ToolError {
        match err {
            WorkspaceError::Outside { .. } => self.outside_error(path),
            WorkspaceError::Protected { .. } => ToolError::Failed(format!(
                "{path} is among aicoder's own files (its .aicoder/ folder, config or cache): \
                 the built-in tools never touch them ({err})"
            )),
            other => ToolError::Failed(other.to_string()),
        }
    }

    /// The outside path a call naming `path` would reach, if it would leave
    /// the root (directly, by `..` or through a symlink) and is not approved.
    pub fn outside(&self, path: &str) -> Option<PathBuf> {
        if !self.confined {
            return None;
        }
        let outside = match self.locate(path) {
            Ok(Where::Beneath(root, rel)) => {
                matches!(root.metadata(&rel), Err(WorkspaceError::Outside { .. }))
            }
            Ok(Where::Anywhere(_)) => false,
            Err(_) => self.root.as_ref().is_ok_and(|root| {
                matches!(
                    root.relative(&self.cwd, path),
                    Err(WorkspaceError::Outside { .. })
                )
            }),
        };
        outside.then(|| self.absolute(path))
    }

    /// Open the regular file `path` to read: the resolver's hardened open
    /// (devices, FIFOs and sockets refused without blocking).
    pub fn open_file(&self, path: &str) -> Result<File, ToolError> {
        match self.locate(path)? {
            Where::Beneath(root, rel) => root.open_read(&rel).map_err(|e| self.refusal(path, e)),
            Where::Anywhere(abs) => {
                let (root, name) = outside_parts(&abs, false).map_err(|e| self.refusal(path, e))?;
                root.open_read(&name).map_err(|e| self.refusal(path, e))
            }
        }
    }

    /// The whole text of the regular file `path`, at most `max` bytes.
    pub fn read_text(&self, path: &str, max: u64) -> Result<String, ToolError> {
        match self.locate(path)? {
            Where::Beneath(root, rel) => read_text(&root, &rel, max),
            Where::Anywhere(abs) => outside_parts(&abs, false)
                .map_err(ReadError::from)
                .and_then(|(root, name)| read_text(&root, &name, max)),
        }
        .map_err(|e| match e {
            ReadError::Workspace(WorkspaceError::TooLarge { size, max, .. }) => ToolError::Failed(format!(
                "{path} is {} MiB; files over {} MiB are not read whole. Use read_file with offset and limit, or grep",
                size >> 20,
                max >> 20
            )),
            ReadError::Workspace(e) => self.refusal(path, e),
            ReadError::NotText { .. } => ToolError::Failed(format!("{path} is not UTF-8 text")),
        })
    }

    /// The entries of folder `path`: (name, is a folder), sorted; symlinks
    /// are listed, not followed.
    pub fn list(&self, path: &str) -> Result<Vec<(String, bool)>, ToolError> {
        let entries = match self.locate(path)? {
            Where::Beneath(root, rel) => root.list_dir(&rel),
            Where::Anywhere(abs) => {
                outside_parts(&abs, true).and_then(|(root, rel)| root.list_dir(&rel))
            }
        }
        .map_err(|e| self.refusal(path, e))?;
        Ok(entries
            .into_iter()
            .map(|e| (e.name, e.kind == EntryKind::Dir))
            .collect())
    }

    /// Where a search of `path` starts, as a real path (for the walker), and
    /// the working directory results are shown relative to. The start is
    /// checked beneath the root; the walk itself goes by path and follows no
    /// symlink (docs/security.md says what that leaves).
    pub fn search_start(&self, path: &str) -> Result<(PathBuf, PathBuf), ToolError> {
        let cwd = self.cwd.canonicalize().unwrap_or_else(|_| self.cwd.clone());
        let io = |e: std::io::Error| ToolError::Failed(format!("cannot search {path}: {e}"));
        match self.locate(path)? {
            Where::Beneath(root, rel) => {
                root.metadata(&rel).map_err(|e| self.refusal(path, e))?;
                let real = root.path().join(&rel).canonicalize().map_err(io)?;
                if !real.starts_with(root.path()) {
                    return Err(self.outside_error(path));
                }
                if real.starts_with(root.path().join(".aicoder")) {
                    return Err(self.refusal(
                        path,
                        WorkspaceError::Protected {
                            path: path.to_string(),
                            protected: root.path().join(".aicoder").display().to_string(),
                        },
                    ));
                }
                Ok((real, cwd))
            }
            Where::Anywhere(abs) => Ok((abs.canonicalize().map_err(io)?, cwd)),
        }
    }

    /// Write `bytes` to the file `path` names, through the resolver's atomic
    /// write: the file keeps its mode, a symlink is written through to its
    /// target beneath the root, a new file gets the mode the umask gives,
    /// and aicoder's own files are refused.
    pub fn write(&self, path: &str, bytes: &[u8]) -> Result<(), ToolError> {
        match self.locate(path)? {
            Where::Beneath(root, rel) => root.write_atomic(&rel, bytes),
            Where::Anywhere(abs) => {
                outside_parts(&abs, false).and_then(|(root, name)| root.write_atomic(&name, bytes))
            }
        }
        .map_err(|e| self.refusal(path, e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_are_refused_and_one_outside_path_can_be_approved() {
        let top = tempfile::tempdir().expect("tempdir");
        let root = top.path().join("root");
        std::fs::create_dir_all(root.join("sub")).expect("mkdir");
        std::fs::write(top.path().join("secret"), "s").expect("write");
        std::os::unix::fs::symlink(top.path().join("secret"), root.join("abs-link"))
            .expect("symlink");
        std::os::unix::fs::symlink("../secret", root.join("rel-link")).expect("symlink");
        std::os::unix::fs::symlink("../../", root.join("sub/up")).expect("symlink");
        let fence = Fence::for_dir(&root, &root.join("sub"), true);
        for path in [
            "/etc/passwd",
            "../../secret",
            "../abs-link",
            "../rel-link",
            "up/secret",
        ] {
            let err = fence.open_file(path).expect_err(path);
            assert!(
                err.to_string().contains("outside the workspace root"),
                "{path}: {err}"
            );
            assert!(fence.outside(path).is_some(), "{path}");
        }
        assert!(fence.outside("new/file.txt").is_none());
        assert!(fence.outside("up/new.txt").is_some());
        std::fs::write(root.join("inside.txt"), "in").expect("write");
        assert!(fence.open_file("../inside.txt").is_ok());
        let abs = root.join("inside.txt").display().to_string();
        assert!(fence.open_file(&abs).is_ok());

        let mut approved = fence.clone();
        approved.approve(top.path().join("secret"));
        assert!(approved.open_file("../../secret").is_ok());
        assert!(approved.open_file("/etc/passwd").is_err());

        let open = Fence::for_dir(&root, &root, false);
        assert!(open.open_file("../secret").is_ok());
        assert!(open.open_file("abs-link").is_ok());
    }

    #[test]
    fn writes_stay_out_of_aicoder_files_and_follow_links_inside() {
        let top = tempfile::tempdir().expect("tempdir");
        let root = top.path().join("root");
        std::fs::create_dir_all(root.join(".aicoder/plugins")).expect("mkdir");
        std::fs::write(root.join("real.txt"), "old").expect("write");
        std::os::unix::fs::symlink("real.txt", root.join("link.txt")).expect("symlink");
        let fence = Fence::for_dir(&root, &root, true);
        for path in [
            ".aicoder/x",
            ".aicoder/plugins/evil.wasm",
            "a/../.aicoder/y",
        ] {
            let err = fence.write(path, b"x").expect_err(path);
            assert!(
                err.to_string().contains("aicoder's own files"),
                "{path}: {err}"
            );
        }
        fence.write("link.txt", b"new").expect("write through");
        assert_eq!(
            std::fs::read_to_string(root.join("real.txt")).expect("read"),
            "new"
        );
        assert!(std::fs::symlink_metadata(root.join("link.txt"))
            .expect("meta")
            .file_type()
            .is_symlink());
        fence.write("deep/er/file.txt", b"x").expect("new folders");
        assert!(root.join("deep/er/file.txt").is_file());
    }
}
