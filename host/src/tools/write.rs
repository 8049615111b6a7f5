//! Replacing a user's file so that it keeps what it was: a temporary file
//! beside it, written and flushed to disk, given the old file's mode and
//! owner (or, for a new file, the mode the umask gives), renamed over the
//! target, then the folder flushed so the rename itself survives a power
//! cut. A crash leaves the old file or the new one, never a torn one.

use std::fs::File;
use std::io::{self, Write};
use std::os::fd::{AsRawFd, FromRawFd};
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

fn c_name(name: &Path) -> io::Result<std::ffi::CString> {
    std::ffi::CString::new(name.as_os_str().as_bytes())
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "a NUL byte in the name"))
}

/// The existing file `name` in `dir`, not following a symlink.
fn stat_at(dir: &File, name: &std::ffi::CStr) -> io::Result<Option<libc::stat>> {
    // SAFETY: zeroed is a valid `stat`; the kernel fills it.
    let mut st: libc::stat = unsafe { std::mem::zeroed() };
    // SAFETY: valid descriptor, NUL-terminated name, a `stat` to write to.
    let r = unsafe {
        libc::fstatat(
            dir.as_raw_fd(),
            name.as_ptr(),
            &mut st,
            libc::AT_SYMLINK_NOFOLLOW,
        )
    };
    if r == 0 {
        return Ok(Some(st));
    }
    let err = io::Error::last_os_error();
    if err.kind() == io::ErrorKind::NotFound {
        Ok(None)
    } else {
        Err(err)
    }
}

/// Replace (or create) the file `name` in the open folder `dir` with `bytes`.
pub fn replace(dir: &File, name: &Path, bytes: &[u8]) -> io::Result<()> {
    let target = c_name(name)?;
    let existing = stat_at(dir, &target)?;
    if let Some(st) = &existing {
        if st.st_mode & libc::S_IFMT != libc::S_IFREG {
            return Err(io::Error::other(
                "not a regular file; only files are written",
            ));
        }
    }
    // A name of our own beside the target, made with O_EXCL: never an
    // existing file or a symlink planted under that name.
    let mut attempt = 0u32;
    let (tmp_name, tmp) = loop {
        let candidate = format!(
            ".{}.aicoder-{}-{attempt}.tmp",
            name.display(),
            std::process::id()
        );
        let c_tmp = c_name(Path::new(&candidate))?;
        // New files: 0666 and the kernel applies the umask, as any editor.
        // Existing files: private until their own mode is set below.
        let mode: libc::c_uint = if existing.is_some() { 0o600 } else { 0o666 };
        // SAFETY: valid descriptor and NUL-terminated name.
        let fd = unsafe {
            libc::openat(
                dir.as_raw_fd(),
                c_tmp.as_ptr(),
                libc::O_WRONLY | libc::O_CREAT | libc::O_EXCL | libc::O_NOFOLLOW | libc::O_CLOEXEC,
                mode,
            )
        };
        if fd >= 0 {
            // SAFETY: the kernel just returned this descriptor.
            break (c_tmp, unsafe { File::from_raw_fd(fd) });
        }
        let err = io::Error::last_os_error();
        if err.kind() != io::ErrorKind::AlreadyExists || attempt > 100 {
            return Err(err);
        }
        attempt += 1;
    };
    let written = (|| -> io::Result<()> {
        let mut tmp = &tmp;
        tmp.write_all(bytes)?;
        if let Some(st) = &existing {
            // The owner first (only root or the owner may change it; a
            // refusal leaves the file ours), then the mode, which fchown
            // may have cleared the set-id bits of.
            // SAFETY: a valid descriptor.
            let _ = unsafe { libc::fchown(tmp.as_raw_fd(), st.st_uid, st.st_gid) };
            // SAFETY: a valid descriptor.
            if unsafe { libc::fchmod(tmp.as_raw_fd(), st.st_mode & 0o7777) } != 0 {
                return Err(io::Error::last_os_error());
            }
        }
        tmp.sync_all()?;
        // SAFETY: valid descriptors and NUL-terminated names.
        if unsafe {
            libc::renameat(
                dir.as_raw_fd(),
                tmp_name.as_ptr(),
                dir.as_raw_fd(),
                target.as_ptr(),
            )
        } != 0
        {
            return Err(io::Error::last_os_error());
        }
        Ok(())
    })();
    if let Err(err) = written {
        // SAFETY: valid descriptor and NUL-terminated name.
        unsafe { libc::unlinkat(dir.as_raw_fd(), tmp_name.as_ptr(), 0) };
        return Err(err);
    }
    // The rename is in the folder: flush it too.
    dir.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).expect("meta").permissions().mode() & 0o7777
    }

    #[test]
    fn keeps_the_mode_and_refuses_what_is_not_a_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let handle = File::open(dir.path()).expect("open dir");
        let script = dir.path().join("run.sh");
        std::fs::write(&script, "old").expect("write");
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o751)).expect("chmod");
        replace(&handle, Path::new("run.sh"), b"new").expect("replace");
        assert_eq!(std::fs::read_to_string(&script).expect("read"), "new");
        assert_eq!(mode(&script), 0o751);
        std::fs::create_dir(dir.path().join("d")).expect("mkdir");
        assert!(replace(&handle, Path::new("d"), b"x").is_err());
        let names: Vec<_> = std::fs::read_dir(dir.path()).expect("ls").collect();
        assert_eq!(names.len(), 2, "no temporary file left");
    }
}
