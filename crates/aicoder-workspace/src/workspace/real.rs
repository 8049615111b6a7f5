//! The real path of an open folder handle, for [`super::WorkspaceRoot::real_relative`].

use std::fs::File;
use std::os::fd::AsRawFd;
use std::path::PathBuf;

/// The path the kernel has for the open folder `dir` (`/proc/self/fd`):
/// where it is now, whatever path opened it.
pub(super) fn fd_path(dir: &File) -> std::io::Result<PathBuf> {
    std::fs::read_link(format!("/proc/self/fd/{}", dir.as_raw_fd()))
}
