//! The launcher's mounts (in its new mount namespace): the denied paths
//! made empty, and every other sandbox's folder covered.

use crate::setup_error::SetupError;
use crate::LaunchSpec;
use std::ffi::CString;
use std::path::Path;

fn cstr(p: &Path) -> Result<CString, SetupError> {
    use std::os::unix::ffi::OsStrExt;
    CString::new(p.as_os_str().as_bytes()).map_err(|_| SetupError::NulInPath(p.to_path_buf()))
}

/// mount(2), the error naming the target.
pub(crate) fn mount(
    source: Option<&str>,
    target: &Path,
    fstype: Option<&str>,
    flags: libc::c_ulong,
    data: Option<&str>,
) -> Result<(), SetupError> {
    let c = |s: Option<&str>| s.and_then(|s| CString::new(s).ok());
    let (source_c, fstype_c, data_c) = (c(source), c(fstype), c(data));
    let target_c = cstr(target)?;
    let ptr = |s: &Option<CString>| s.as_ref().map_or(std::ptr::null(), |s| s.as_ptr());
    // SAFETY: every pointer is a NUL-terminated string alive for the call,
    // or null where mount(2) allows it.
    let r = unsafe {
        libc::mount(
            ptr(&source_c),
            target_c.as_ptr(),
            ptr(&fstype_c),
            flags,
            ptr(&data_c).cast(),
        )
    };
    if r == 0 {
        Ok(())
    } else {
        Err(SetupError::errno(format!("mount on {}", target.display())))
    }
}

/// Make each path read as empty: an empty read-only tmpfs over a folder,
/// `/dev/null` bound read-only over anything else. Missing paths are
/// skipped; a path that cannot be hidden stops the launch (fail closed).
pub(crate) fn hide(paths: &[std::path::PathBuf]) -> Result<(), SetupError> {
    let ro = libc::MS_RDONLY | libc::MS_NOSUID | libc::MS_NODEV | libc::MS_NOEXEC;
    for path in paths {
        let Ok(meta) = std::fs::metadata(path) else {
            continue;
        };
        if meta.is_dir() {
            mount(
                Some("tmpfs"),
                path,
                Some("tmpfs"),
                ro,
                Some("size=4k,nr_inodes=2,mode=555"),
            )?;
        } else {
            mount(Some("/dev/null"), path, None, libc::MS_BIND, None)?;
            mount(
                None,
                path,
                None,
                libc::MS_BIND | libc::MS_REMOUNT | ro,
                None,
            )?;
        }
    }
    Ok(())
}

/// Cover the folder of every sandbox's folder with an empty tmpfs and bind
/// this sandbox's own folder back at its place: the command (and anything
/// it starts) sees its own proxy socket and `TMPDIR`, never another
/// sandbox's socket, whose proxy would serve that sandbox's host grants.
pub(crate) fn cover_other_sandboxes(spec: &LaunchSpec) -> Result<(), SetupError> {
    use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
    let own = spec
        .proxy_socket
        .parent()
        .ok_or(SetupError::NoOwnFolder("the proxy socket has no folder"))?;
    let name = own
        .file_name()
        .ok_or(SetupError::NoOwnFolder("the sandbox folder has no name"))?;
    // Held open across the mount that hides its path.
    let path = cstr(own)?;
    // SAFETY: open with a NUL-terminated path and flags; the descriptor is
    // owned below.
    let fd = unsafe {
        libc::open(
            path.as_ptr(),
            libc::O_PATH | libc::O_DIRECTORY | libc::O_CLOEXEC,
        )
    };
    if fd < 0 {
        return Err(SetupError::errno(format!("opening {}", own.display())));
    }
    // SAFETY: fd was just opened and is owned by nothing else.
    let fd = unsafe { OwnedFd::from_raw_fd(fd) };
    mount(
        Some("tmpfs"),
        &spec.sandboxes,
        Some("tmpfs"),
        libc::MS_NOSUID | libc::MS_NODEV | libc::MS_NOEXEC,
        Some("size=16k,nr_inodes=8,mode=700"),
    )?;
    let place = spec.sandboxes.join(name);
    std::fs::create_dir(&place).map_err(|e| SetupError::os(place.display().to_string(), e))?;
    let source = format!("/proc/self/fd/{}", fd.as_raw_fd());
    mount(Some(&source), &place, None, libc::MS_BIND, None)
}
