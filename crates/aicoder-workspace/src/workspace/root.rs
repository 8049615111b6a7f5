//! [`WorkspaceRoot`]: the root folder as a directory handle and every
//! operation beneath it (see the module doc of `workspace` for the rules).

use rustix::fs::{self as rfs, AtFlags, FileType, Mode, OFlags};
use std::ffi::{OsStr, OsString};
use std::fs::File;
use std::io::{self, Write};
use std::os::fd::{AsFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use super::protected::{Protected, ProtectedNow};

/// How many symlinks a last path component may go through (Linux's limit).
const MAX_SYMLINKS: usize = 40;
/// How many folders the walk from a folder up to the root may climb.
const MAX_DEPTH: usize = 4096;
/// Folders that are never a workspace root, even after canonicalisation.
const NEVER_ROOTS: [&str; 3] = ["/proc", "/sys", "/dev"];

/// A file's identity: device and inode numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FileId {
    pub dev: u64,
    pub ino: u64,
}

impl FileId {
    fn of(fd: impl AsFd) -> io::Result<FileId> {
        let st = rfs::fstat(fd)?;
        Ok(FileId::from_stat(&st))
    }

    // The field types differ between architectures.
    #[allow(clippy::unnecessary_cast)]
    fn from_stat(st: &rfs::Stat) -> FileId {
        FileId {
            dev: st.st_dev as u64,
            ino: st.st_ino as u64,
        }
    }

    pub(super) fn of_path(path: &Path) -> Option<FileId> {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(path).ok().map(|m| FileId {
            dev: m.dev(),
            ino: m.ino(),
        })
    }
}

/// What kind of thing a directory entry is (symlinks are not followed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    File,
    Dir,
    Symlink,
    /// A device, FIFO or socket.
    Other,
}

/// One entry of [`WorkspaceRoot::list_dir`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirEntry {
    pub name: String,
    pub kind: EntryKind,
    /// Size in bytes for files, 0 for anything else.
    pub size: u64,
}

/// Refuse `/proc`, `/sys` and `/dev` (and anything beneath them) as a root;
/// `canonical` must already be canonicalised.
pub fn check_root_allowed(canonical: &Path) -> Result<(), WorkspaceError> {
    for never in NEVER_ROOTS {
        if canonical.starts_with(never) {
            return Err(WorkspaceError::BadRoot {
                root: canonical.display().to_string(),
                reason: "/proc, /sys and /dev are never workspace roots".into(),
            });
        }
    }
    Ok(())
}

/// The folders aicoder owns, refused to every operation: `<root>/.aicoder`,
/// the user config and cache folders (`$XDG_CONFIG_HOME/aicoder`,
/// `$XDG_CACHE_HOME/aicoder`) and their `~/.config/aicoder`,
/// `~/.cache/aicoder` forms.
pub fn default_protected(root: &Path) -> Vec<PathBuf> {
    let paths = crate::config::Paths::for_project(root);
    let mut protected = vec![paths.project_dir, paths.user_config_dir, paths.cache_dir];
    if let Some(home) = std::env::var_os("HOME").filter(|h| !h.is_empty()) {
        let home = PathBuf::from(home);
        protected.push(home.join(".config/aicoder"));
        protected.push(home.join(".cache/aicoder"));
    }
    protected
}

/// The workspace root, opened once as a directory handle.
#[derive(Debug)]
pub struct WorkspaceRoot {
    /// The canonical path of the root (for messages and absolute paths).
    path: PathBuf,
    /// The path as given to [`WorkspaceRoot::open`] (the session's cwd may be
    /// spelled this way).
    given: PathBuf,
    dir: File,
    id: FileId,
    protected: Protected,
}

/// Distinguishes temporary files of one process.
static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

impl WorkspaceRoot {
    /// Open `path` as the root; `protected` folders are refused beneath it
    /// (`<root>/.aicoder` always is).
    pub fn open(path: &Path, protected: Vec<PathBuf>) -> Result<WorkspaceRoot, WorkspaceError> {
        let bad = |reason: String| WorkspaceError::BadRoot {
            root: path.display().to_string(),
            reason,
        };
        let canonical = path.canonicalize().map_err(|e| bad(e.to_string()))?;
        check_root_allowed(&canonical)?;
        let fd = rfs::open(
            &canonical,
            OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
            Mode::empty(),
        )
        .map_err(|e| bad(io::Error::from(e).to_string()))?;
        let dir = File::from(fd);
        let id = FileId::of(&dir).map_err(|e| bad(e.to_string()))?;
        Ok(WorkspaceRoot {
            protected: Protected::new(&protected, &canonical, id),
            path: canonical,
            given: path.to_path_buf(),
            dir,
            id,
        })
    }

    /// [`WorkspaceRoot::open`] with [`default_protected`].
    pub fn open_default(path: &Path) -> Result<WorkspaceRoot, WorkspaceError> {
        WorkspaceRoot::open(path, default_protected(path))
    }

    /// A new root at `path`, for a root move the user allowed: it keeps
    /// every folder this root protects (this root's `.aicoder/` included,
    /// where the audit log stays) and adds the defaults of the new root.
    pub fn moved_to(&self, path: &Path) -> Result<WorkspaceRoot, WorkspaceError> {
        let mut protected = self.protected.paths().to_vec();
        protected.extend(default_protected(path));
        WorkspaceRoot::open(path, protected)
    }

    /// The canonical path of the root.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether `path` (absolute, canonical) is the root or beneath it, by
    /// its spelling: for deciding whether a cwd change is a root move.
    pub fn contains(&self, path: &Path) -> bool {
        path.starts_with(&self.path) || path.starts_with(&self.given)
    }

    /// The path `path` names, relative to the root: `path` is relative to
    /// `cwd` (which must be inside the root), or absolute inside the root.
    /// Only the shape is checked here (NUL bytes, cwd inside); `..` and
    /// symlinks are resolved, beneath the root, by each operation.
    pub fn relative(&self, cwd: &Path, path: &str) -> Result<PathBuf, WorkspaceError> {
        if path.contains('\0') {
            return Err(WorkspaceError::Invalid {
                path: path.replace('\0', "\\0"),
                reason: "a path cannot contain a NUL byte".into(),
            });
        }
        let p = Path::new(path);
        let rel = if p.is_absolute() {
            p.strip_prefix(&self.path)
                .or_else(|_| p.strip_prefix(&self.given))
                .map(Path::to_path_buf)
                .map_err(|_| WorkspaceError::Outside {
                    path: path.to_string(),
                    root: self.path.display().to_string(),
                })?
        } else {
            let cwd_rel = cwd
                .strip_prefix(&self.path)
                .or_else(|_| cwd.strip_prefix(&self.given))
                .map_err(|_| WorkspaceError::CwdOutside {
                    cwd: cwd.display().to_string(),
                    root: self.path.display().to_string(),
                })?;
            cwd_rel.join(p)
        };
        // A `..` that climbs above the root is refused here already, with a
        // plain message (the resolution would refuse it too).
        let mut depth = 0usize;
        for component in rel.components() {
            match component {
                Component::ParentDir if depth == 0 => {
                    return Err(WorkspaceError::Outside {
                        path: path.to_string(),
                        root: self.path.display().to_string(),
                    })
                }
                Component::ParentDir => depth -= 1,
                Component::Normal(_) => depth += 1,
                _ => {}
            }
        }
        Ok(rel)
    }

    /// Open the folder `rel` beneath the root (symlinks followed, never out).
    fn open_dir_beneath(&self, rel: &Path) -> Result<File, WorkspaceError> {
        let target = if rel.as_os_str().is_empty() {
            Path::new(".")
        } else {
            rel
        };
        cap_primitives::fs::open_dir(&self.dir, target)
            .map_err(|e| WorkspaceError::io(rel, &self.path, e))
    }

    /// The protected folders' identities (looked up again only when they
    /// can have changed: `super::protected`).
    fn protected_now(&self) -> Arc<ProtectedNow> {
        self.protected.now()
    }

    /// Reuse the protected folders' identities between operations (on by
    /// default); off looks them up on every operation, as before the cache
    /// (for the bench's comparison).
    pub fn set_protected_cache(&mut self, on: bool) {
        self.protected.set_caching(on);
    }

    /// Refuse when `dir` or one of its real ancestors up to the root is a
    /// protected folder, or when the walk up never meets the root (the
    /// folder was moved out meanwhile).
    fn check_chain(
        &self,
        dir: &File,
        rel: &Path,
        protected: &ProtectedNow,
    ) -> Result<(), WorkspaceError> {
        let io_err = |e: io::Error| WorkspaceError::io(rel, &self.path, e);
        let mut current = FileId::of(dir).map_err(io_err)?;
        let mut owned: Option<OwnedFd> = None;
        for _ in 0..MAX_DEPTH {
            if let Some((_, path)) = protected.folders.iter().find(|(id, _)| *id == current) {
                return Err(WorkspaceError::Protected {
                    path: shown(rel),
                    protected: path.display().to_string(),
                });
            }
            if current == self.id {
                return Ok(());
            }
            let parent = match &owned {
                Some(fd) => rfs::openat(
                    fd,
                    "..",
                    OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC,
                    Mode::empty(),
                ),
                None => rfs::openat(
                    dir,
                    "..",
                    OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC,
                    Mode::empty(),
                ),
            }
            .map_err(|e| io_err(e.into()))?;
            let parent_id = FileId::of(&parent).map_err(io_err)?;
            if parent_id == current {
                break; // reached `/` without meeting the root
            }
            current = parent_id;
            owned = Some(parent);
        }
        Err(WorkspaceError::Outside {
            path: shown(rel),
            root: self.path.display().to_string(),
        })
    }

    /// Refuse `name` in folder `parent` when it is (the place of) a protected folder.
    fn check_slot(
        &self,
        parent: &File,
        name: &OsStr,
        rel: &Path,
        protected: &ProtectedNow,
    ) -> Result<(), WorkspaceError> {
        let parent_id = FileId::of(parent).map_err(|e| WorkspaceError::io(rel, &self.path, e))?;
        match protected
            .slots
            .iter()
            .find(|(id, slot, _)| *id == parent_id && slot.as_os_str() == name)
        {
            Some((_, _, path)) => Err(WorkspaceError::Protected {
                path: shown(rel),
                protected: path.display().to_string(),
            }),
            None => Ok(()),
        }
    }

    /// Open the folder `rel` beneath the root and check it is not protected.
    fn open_dir_checked(&self, rel: &Path) -> Result<File, WorkspaceError> {
        let dir = self.open_dir_beneath(rel)?;
        self.check_chain(&dir, rel, &self.protected_now())?;
        Ok(dir)
    }

    /// Resolve `rel` to its real folder and last name, following symlinks in
    /// the last component by hand (beneath the root, at most
    /// [`MAX_SYMLINKS`] times). The folder is checked; the entry is not opened.
    fn resolve(&self, rel: &Path) -> Result<Resolved, WorkspaceError> {
        let protected = self.protected_now();
        let mut current = rel.to_path_buf();
        for _ in 0..MAX_SYMLINKS {
            let (folder_part, name) = split(&current);
            let folder = self.open_dir_beneath(&folder_part)?;
            self.check_chain(&folder, rel, &protected)?;
            let Some(name) = name else {
                return Ok(Resolved {
                    folder,
                    name: None,
                    stat: None,
                });
            };
            self.check_slot(&folder, &name, rel, &protected)?;
            let stat = match rfs::statat(&folder, name.as_os_str(), AtFlags::SYMLINK_NOFOLLOW) {
                Ok(st) => st,
                Err(rustix::io::Errno::NOENT) => {
                    return Ok(Resolved {
                        folder,
                        name: Some(name),
                        stat: None,
                    })
                }
                Err(e) => return Err(WorkspaceError::io(rel, &self.path, e.into())),
            };
            if FileType::from_raw_mode(stat.st_mode) != FileType::Symlink {
                return Ok(Resolved {
                    folder,
                    name: Some(name),
                    stat: Some(stat),
                });
            }
            let target = rfs::readlinkat(&folder, name.as_os_str(), Vec::new())
                .map_err(|e| WorkspaceError::io(rel, &self.path, e.into()))?;
            let target = PathBuf::from(OsStr::from_bytes(target.as_bytes()));
            current = if target.is_absolute() {
                match target
                    .strip_prefix(&self.path)
                    .or_else(|_| target.strip_prefix(&self.given))
                {
                    Ok(inside) => inside.to_path_buf(),
                    Err(_) => {
                        return Err(WorkspaceError::Outside {
                            path: shown(rel),
                            root: self.path.display().to_string(),
                        })
                    }
                }
            } else {
                folder_part.join(target)
            };
        }
        Err(WorkspaceError::Invalid {
            path: shown(rel),
            reason: format!("more than {MAX_SYMLINKS} symlinks in a row"),
        })
    }

    /// Where `rel` really is, relative to the root: symlinks followed
    /// beneath the root as the operations follow them (so a scope is
    /// decided on what a call reaches, not on the path as written). A
    /// missing tail (a file or folders a write would create) is appended to
    /// the real location of the deepest existing folder. Refusals are the
    /// operations' own (outside, protected).
    pub fn real_relative(&self, rel: &Path) -> Result<PathBuf, WorkspaceError> {
        let mut existing = rel.to_path_buf();
        let mut tail: Vec<OsString> = Vec::new();
        loop {
            match self.resolve(&existing) {
                Ok(resolved) => {
                    let folder = super::real::fd_path(&resolved.folder)
                        .map_err(|e| WorkspaceError::io(rel, &self.path, e))?;
                    let mut real = folder
                        .strip_prefix(&self.path)
                        .map(Path::to_path_buf)
                        .map_err(|_| WorkspaceError::Outside {
                            path: shown(rel),
                            root: self.path.display().to_string(),
                        })?;
                    real.extend(resolved.name);
                    real.extend(tail.iter().rev());
                    return Ok(real);
                }
                Err(WorkspaceError::NotFound { .. }) => {
                    let (folder, name) = split(&existing);
                    match name {
                        // A missing `..` is not appended: it could climb.
                        // A dangling symlink leads elsewhere than its name.
                        Some(name)
                            if name != ".."
                                && !std::fs::symlink_metadata(self.path.join(&existing))
                                    .is_ok_and(|m| m.file_type().is_symlink()) =>
                        {
                            tail.push(name);
                            existing = folder;
                        }
                        _ => {
                            return Err(WorkspaceError::Invalid {
                                path: shown(rel),
                                reason: "its real location cannot be known".into(),
                            })
                        }
                    }
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// Open the regular file `rel` for reading. Devices, FIFOs and sockets
    /// are refused before they are opened, and again on the opened handle
    /// (opened non-blocking, so a FIFO swapped in meanwhile cannot block).
    pub fn open_read(&self, rel: &Path) -> Result<File, WorkspaceError> {
        let resolved = self.resolve(rel)?;
        let (Some(name), Some(stat)) = (&resolved.name, &resolved.stat) else {
            return Err(match resolved.name {
                None => WorkspaceError::IsDir { path: shown(rel) },
                Some(_) => WorkspaceError::NotFound { path: shown(rel) },
            });
        };
        regular(rel, stat)?;
        let fd = rfs::openat(
            &resolved.folder,
            name.as_os_str(),
            OFlags::RDONLY | OFlags::NONBLOCK | OFlags::NOFOLLOW | OFlags::NOCTTY | OFlags::CLOEXEC,
            Mode::empty(),
        )
        .map_err(|e| match e {
            rustix::io::Errno::LOOP => WorkspaceError::Invalid {
                path: shown(rel),
                reason: "became a symlink while it was opened; try again".into(),
            },
            e => WorkspaceError::io(rel, &self.path, e.into()),
        })?;
        let stat = rfs::fstat(&fd).map_err(|e| WorkspaceError::io(rel, &self.path, e.into()))?;
        regular(rel, &stat)?;
        // A regular file: blocking reads are what callers expect.
        let flags =
            rfs::fcntl_getfl(&fd).map_err(|e| WorkspaceError::io(rel, &self.path, e.into()))?;
        rfs::fcntl_setfl(&fd, flags - OFlags::NONBLOCK)
            .map_err(|e| WorkspaceError::io(rel, &self.path, e.into()))?;
        Ok(File::from(fd))
    }

    /// Check that `rel` is a folder beneath the root that is not protected
    /// (what a working-directory change inside the root needs).
    pub fn check_dir(&self, rel: &Path) -> Result<(), WorkspaceError> {
        self.open_dir_checked(rel).map(|_| ())
    }

    /// Metadata of `rel` (symlinks followed beneath the root).
    pub fn metadata(&self, rel: &Path) -> Result<std::fs::Metadata, WorkspaceError> {
        let resolved = self.resolve(rel)?;
        let io_err = |e: io::Error| WorkspaceError::io(rel, &self.path, e);
        match (&resolved.name, &resolved.stat) {
            (None, _) => resolved.folder.metadata().map_err(io_err),
            (Some(_), None) => Err(WorkspaceError::NotFound { path: shown(rel) }),
            (Some(name), Some(_)) => {
                let fd = rfs::openat(
                    &resolved.folder,
                    name.as_os_str(),
                    OFlags::PATH | OFlags::NOFOLLOW | OFlags::CLOEXEC,
                    Mode::empty(),
                )
                .map_err(|e| io_err(e.into()))?;
                File::from(fd).metadata().map_err(io_err)
            }
        }
    }

    /// The entries of folder `rel`, sorted by name (symlinks not followed).
    pub fn list_dir(&self, rel: &Path) -> Result<Vec<DirEntry>, WorkspaceError> {
        let dir = self.open_dir_checked(rel)?;
        let io_err = |e: io::Error| WorkspaceError::io(rel, &self.path, e);
        let readable = rfs::openat(
            &dir,
            ".",
            OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
            Mode::empty(),
        )
        .map_err(|e| io_err(e.into()))?;
        let mut entries = Vec::new();
        for entry in rfs::Dir::read_from(&readable).map_err(|e| io_err(e.into()))? {
            let entry = entry.map_err(|e| io_err(e.into()))?;
            let name = entry.file_name();
            if name.to_bytes() == b"." || name.to_bytes() == b".." {
                continue;
            }
            let (kind, size) = match rfs::statat(&readable, name, AtFlags::SYMLINK_NOFOLLOW) {
                Ok(st) => match FileType::from_raw_mode(st.st_mode) {
                    FileType::RegularFile => (EntryKind::File, st.st_size as u64),
                    FileType::Directory => (EntryKind::Dir, 0),
                    FileType::Symlink => (EntryKind::Symlink, 0),
                    _ => (EntryKind::Other, 0),
                },
                // Removed meanwhile: leave it out.
                Err(rustix::io::Errno::NOENT) => continue,
                Err(e) => return Err(io_err(e.into())),
            };
            entries.push(DirEntry {
                name: String::from_utf8_lossy(name.to_bytes()).into_owned(),
                kind,
                size,
            });
        }
        entries.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(entries)
    }

    /// The hardened bounded read: see [`super::read`].
    pub fn read_bounded(&self, rel: &Path, max: u64) -> Result<Vec<u8>, WorkspaceError> {
        super::read::read_bounded(self, rel, max)
    }
}

/// A path resolved to its real folder (open, checked) and last name.
struct Resolved {
    folder: File,
    /// `None` when the path names a folder (`.`, `..`, the root).
    name: Option<OsString>,
    /// The entry's own metadata (not a symlink), `None` if it does not exist.
    stat: Option<rfs::Stat>,
}

/// Split a root-relative path into its folder part and last name; a path
/// ending in `.` or `..` (or empty) is all folder.
fn split(rel: &Path) -> (PathBuf, Option<OsString>) {
    let components: Vec<Component> = rel
        .components()
        .filter(|c| !matches!(c, Component::CurDir))
        .collect();
    match components.split_last() {
        Some((Component::Normal(name), folder)) => (
            folder.iter().collect::<PathBuf>(),
            Some(name.to_os_string()),
        ),
        _ => (components.iter().collect::<PathBuf>(), None),
    }
}

/// Refuse anything but a regular file, naming what it is.
fn regular(rel: &Path, stat: &rfs::Stat) -> Result<(), WorkspaceError> {
    let kind = match FileType::from_raw_mode(stat.st_mode) {
        FileType::RegularFile => return Ok(()),
        FileType::Directory => return Err(WorkspaceError::IsDir { path: shown(rel) }),
        FileType::Fifo => "FIFO (named pipe)",
        FileType::CharacterDevice => "character device",
        FileType::BlockDevice => "block device",
        FileType::Socket => "socket",
        FileType::Symlink => "symlink",
        _ => "special file",
    };
    Err(WorkspaceError::NotRegular {
        path: shown(rel),
        kind,
    })
}

mod error;
mod write;
use error::shown;
pub use error::WorkspaceError;

#[cfg(test)]
mod tests;
