//! The protected folders' identities, looked up once and kept while nothing
//! that could change them has changed.
//!
//! The identities (device + inode) of the protected folders, and of the
//! folders they sit in, change only when an entry is created, removed or
//! renamed in one of those parent folders, or when a parent's own path comes
//! to name another folder. Both show in a `stat` of each parent's path: its
//! device and inode (the path now names another folder, or none), its mtime
//! (an entry created, removed or renamed in it) and ctime. So an operation
//! costs one `stat` per distinct parent folder (typically three: the root,
//! `~/.config`, `~/.cache`) instead of two per protected path, and the full
//! look-up runs again when any of those differ.
//!
//! Timestamps tick coarsely (a few milliseconds on some file systems): a
//! change within the same tick as the look-up could leave a parent's stamp
//! as it was. As git does with its index ("racy git"), a look-up is only
//! reused once every parent's mtime and ctime are at least [`SETTLE`] older
//! than the look-up itself; until then each operation looks again.

use super::root::FileId;
use std::ffi::OsString;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// How much older than a look-up its parents' timestamps must be for the
/// look-up to be reused (far above any file system's timestamp tick).
const SETTLE: Duration = Duration::from_secs(1);

/// The protected folders as they are on disk right now.
#[derive(Debug)]
pub(super) struct ProtectedNow {
    /// Identities of the protected folders that exist.
    pub folders: Vec<(FileId, PathBuf)>,
    /// (identity of the real parent folder, name) of each protected folder,
    /// so that creating one that does not exist yet is refused too.
    pub slots: Vec<(FileId, OsString, PathBuf)>,
}

/// What a parent folder's `stat` showed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    id: FileId,
    mtime_ns: i128,
    ctime_ns: i128,
}

impl Stamp {
    fn of(path: &Path) -> Option<Stamp> {
        let m = std::fs::metadata(path).ok()?;
        Some(Stamp {
            id: FileId {
                dev: m.dev(),
                ino: m.ino(),
            },
            mtime_ns: i128::from(m.mtime()) * 1_000_000_000 + i128::from(m.mtime_nsec()),
            ctime_ns: i128::from(m.ctime()) * 1_000_000_000 + i128::from(m.ctime_nsec()),
        })
    }
}

#[derive(Debug)]
struct Cached {
    now: Arc<ProtectedNow>,
    stamps: Vec<Option<Stamp>>,
    /// Whether every stamp was [`SETTLE`] older than the look-up.
    settled: bool,
}

/// The protected folders of a root and the last look-up of their identities.
#[derive(Debug)]
pub(super) struct Protected {
    /// Distinct protected paths, `<root>/.aicoder` included.
    paths: Vec<PathBuf>,
    /// Distinct parent folders of `paths`.
    parents: Vec<PathBuf>,
    root_id: FileId,
    root_path: PathBuf,
    cache: Mutex<Option<Cached>>,
    /// Off: look up on every operation (the bench's "before").
    caching: bool,
}

fn parent_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

impl Protected {
    /// The protected folders `given` of the root at `root_path` (identity
    /// `root_id`); `<root>/.aicoder` is always one.
    pub fn new(given: &[PathBuf], root_path: &Path, root_id: FileId) -> Protected {
        let mut paths: Vec<PathBuf> = Vec::new();
        for p in given.iter().cloned().chain([root_path.join(".aicoder")]) {
            if !paths.contains(&p) {
                paths.push(p);
            }
        }
        let mut parents: Vec<PathBuf> = Vec::new();
        for p in &paths {
            let parent = parent_of(p).to_path_buf();
            if !parents.contains(&parent) {
                parents.push(parent);
            }
        }
        Protected {
            paths,
            parents,
            root_id,
            root_path: root_path.to_path_buf(),
            cache: Mutex::new(None),
            caching: true,
        }
    }

    /// Turn the reuse of look-ups on or off (off: every operation looks up
    /// the folders again, as before the cache; for the bench).
    pub fn set_caching(&mut self, on: bool) {
        self.caching = on;
        self.forget();
    }

    /// Drop the last look-up (after this process created or removed
    /// something, the next operation looks again at once).
    pub fn forget(&self) {
        *self.cache.lock().unwrap_or_else(|p| p.into_inner()) = None;
    }

    /// The protected folders' identities now: the last look-up when no
    /// parent folder changed since and it had settled, else a new look-up.
    pub fn now(&self) -> Arc<ProtectedNow> {
        if !self.caching {
            return Arc::new(self.look_up());
        }
        // The stamps first: a change after them shows in the next ones.
        let stamps: Vec<Option<Stamp>> = self.parents.iter().map(|p| Stamp::of(p)).collect();
        let mut cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(c) = &*cache {
            if c.settled && c.stamps == stamps {
                return c.now.clone();
            }
        }
        let now = Arc::new(self.look_up());
        let taken = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as i128);
        let settle = SETTLE.as_nanos() as i128;
        let settled = stamps
            .iter()
            .flatten()
            .all(|s| s.mtime_ns.max(s.ctime_ns) + settle < taken);
        *cache = Some(Cached {
            now: now.clone(),
            stamps,
            settled,
        });
        now
    }

    fn look_up(&self) -> ProtectedNow {
        let mut now = ProtectedNow {
            folders: Vec::new(),
            slots: vec![(
                self.root_id,
                OsString::from(".aicoder"),
                self.root_path.join(".aicoder"),
            )],
        };
        for path in &self.paths {
            if let Some(id) = FileId::of_path(path) {
                now.folders.push((id, path.clone()));
            }
            if let Some(name) = path.file_name() {
                if let Some(id) = FileId::of_path(parent_of(path)) {
                    now.slots.push((id, name.to_os_string(), path.clone()));
                }
            }
        }
        now
    }

    /// The protected paths as given (for a root move, which keeps them).
    pub fn paths(&self) -> &[PathBuf] {
        &self.paths
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::super::{WorkspaceError, WorkspaceRoot};
    use std::path::Path;

    fn settle() {
        std::thread::sleep(super::SETTLE + std::time::Duration::from_millis(200));
    }

    fn refused(root: &WorkspaceRoot, rel: &str) -> bool {
        matches!(
            root.read_bounded(Path::new(rel), 1 << 20),
            Err(WorkspaceError::Protected { .. })
        )
    }

    /// The attack on a cache that trusts its first look-up: the protected
    /// folder appears (or its parent is swapped) after the look-up, and a
    /// read through the new folder would not meet any identity it holds.
    #[test]
    fn a_protected_folder_made_or_swapped_after_the_look_up_is_still_refused() {
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path();
        std::fs::create_dir_all(base.join("home/.config")).unwrap();
        std::fs::write(base.join("file.txt"), "ok").unwrap();
        let protected = base.join("home/.config/aicoder");
        let root = WorkspaceRoot::open(base, vec![protected.clone()]).unwrap();
        settle();
        assert!(root.read_bounded(Path::new("file.txt"), 100).is_ok());
        assert!(root.read_bounded(Path::new("file.txt"), 100).is_ok());

        // Made after the look-up (by aicoder itself, say).
        std::fs::create_dir(&protected).unwrap();
        std::fs::write(protected.join("grants.json"), "{}").unwrap();
        assert!(refused(&root, "home/.config/aicoder/grants.json"));

        // Settled again, then the parent is swapped for another folder.
        settle();
        assert!(refused(&root, "home/.config/aicoder/grants.json"));
        std::fs::rename(base.join("home/.config"), base.join("home/old")).unwrap();
        std::fs::create_dir_all(&protected).unwrap();
        std::fs::write(protected.join("grants.json"), "{}").unwrap();
        assert!(refused(&root, "home/.config/aicoder/grants.json"));

        // Settled, then the protected folder itself is replaced.
        settle();
        assert!(refused(&root, "home/.config/aicoder/grants.json"));
        std::fs::rename(&protected, base.join("home/moved")).unwrap();
        std::fs::create_dir(&protected).unwrap();
        std::fs::write(protected.join("grants.json"), "{}").unwrap();
        assert!(refused(&root, "home/.config/aicoder/grants.json"));
    }
}
