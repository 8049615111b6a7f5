//! Sandbox folders left behind by a session that was killed (a crash, a
//! `kill -9`, a closed terminal): each sandbox's folder beneath
//! `$TMPDIR/aicoder-sandbox-UID/` names its owner (pid and start time) in
//! `owner`; the first sandbox a process makes removes the folders whose
//! owner is gone. Only real folders are looked at (a symlink is never
//! followed, and `remove_dir_all` does not follow the ones inside), and the
//! parent folder was checked to be this user's alone (`sandboxes_folder`),
//! so nothing of another user can be named here.

use std::path::Path;
use std::time::{Duration, SystemTime};

/// The file in each sandbox's folder that names its owner.
const OWNER: &str = "owner";
/// A folder without an `owner` file (made by an older aicoder) is removed
/// only when it has not changed for this long.
const UNOWNED_AGE: Duration = Duration::from_secs(7 * 24 * 3600);

/// `pid start-time` of this process (start time in clock ticks since boot,
/// field 22 of `/proc/self/stat`): a pid reused by another process does
/// not pass for the owner.
fn identity(pid: u32) -> Option<String> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name (field 2) is in parentheses and may hold spaces.
    let after = &stat[stat.rfind(')')? + 1..];
    let start = after.split_whitespace().nth(19)?;
    Some(format!("{pid} {start}"))
}

/// Write `owner` into a new sandbox folder.
pub(crate) fn mark(folder: &Path) -> std::io::Result<()> {
    let me = identity(std::process::id()).unwrap_or_else(|| std::process::id().to_string());
    std::fs::write(folder.join(OWNER), me)
}

/// Whether the owner named in `folder/owner` is still running; `None`
/// when there is no readable owner file.
fn owner_alive(folder: &Path) -> Option<bool> {
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW)
        .open(folder.join(OWNER))
        .ok()?;
    let mut text = String::new();
    std::io::Read::read_to_string(&mut std::io::Read::take(&mut file, 64), &mut text).ok()?;
    let pid: u32 = text.split_whitespace().next()?.parse().ok()?;
    Some(identity(pid).is_some_and(|now| now == text.trim()))
}

/// Remove the sandbox folders in `sandboxes` whose owner is gone. Returns
/// how many were removed. Errors are ignored: a folder that cannot be
/// removed now is tried again by the next session.
pub(crate) fn sweep(sandboxes: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(sandboxes) else {
        return 0;
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        if !entry.file_name().to_string_lossy().starts_with("sb-") {
            continue;
        }
        // file_type() does not follow symlinks.
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if !kind.is_dir() {
            continue;
        }
        let path = entry.path();
        let stale = match owner_alive(&path) {
            Some(alive) => !alive,
            None => std::fs::symlink_metadata(&path)
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| SystemTime::now().duration_since(t).ok())
                .is_some_and(|age| age > UNOWNED_AGE),
        };
        if stale && std::fs::remove_dir_all(&path).is_ok() {
            removed += 1;
        }
    }
    removed
}

/// [`sweep`] once per process.
pub(crate) fn sweep_once(sandboxes: &Path) {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        sweep(sandboxes);
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A killed session's folder goes; a running one's, a folder of an
    /// unknown format made just now, and whatever a symlink points to stay.
    #[test]
    fn only_folders_whose_owner_is_gone_are_removed() {
        let dir = tempfile::tempdir().expect("tempdir");
        let outside = tempfile::tempdir().expect("outside");
        std::fs::write(outside.path().join("keep"), "x").expect("keep");
        let mut gone = std::process::Command::new("true").spawn().expect("true");
        let gone_pid = gone.id();
        gone.wait().expect("wait");
        let folder = |name: &str, owner: Option<String>| {
            let p = dir.path().join(name);
            std::fs::create_dir(&p).expect("mkdir");
            std::fs::create_dir(p.join("tmp")).expect("mkdir tmp");
            std::fs::write(p.join("tmp/file"), "x").expect("file");
            if let Some(o) = owner {
                std::fs::write(p.join(OWNER), o).expect("owner");
            }
            p
        };
        let dead = folder("sb-dead", Some(format!("{gone_pid} 1")));
        let mine = dir.path().join("sb-mine");
        std::fs::create_dir(&mine).expect("mkdir");
        mark(&mine).expect("mark");
        // Our pid with another start time: a reused pid is not the owner.
        let reused = folder("sb-reused", Some(format!("{} 1", std::process::id())));
        let unowned = folder("sb-old-format", None);
        let other = folder("not-a-sandbox", Some(format!("{gone_pid} 1")));
        // A link to a folder that looks like a dead sandbox's is not one.
        std::fs::write(outside.path().join(OWNER), format!("{gone_pid} 1")).expect("owner");
        std::os::unix::fs::symlink(outside.path(), dir.path().join("sb-link")).expect("link");
        // A symlink inside a dead folder is removed, not followed.
        std::os::unix::fs::symlink(outside.path(), dead.join("tmp/escape")).expect("link");
        assert_eq!(sweep(dir.path()), 2);
        assert!(!dead.exists() && !reused.exists());
        assert!(mine.exists() && unowned.exists() && other.exists());
        assert!(dir.path().join("sb-link").exists());
        assert!(outside.path().join("keep").exists());
    }
}
