//! Where the built-in file tools may go: beneath the workspace root, as in
//! AI Coder v3 (`check_sandbox`), but resolved by the kernel instead of by
//! string comparison. Every path is opened with openat2(RESOLVE_BENEATH)
//! from a handle on the root, so `..`, absolute symlinks and a directory
//! swapped for a symlink mid-call all stop at the root: there is no window
//! between checking a path and using it.
//!
//! A path outside the root is refused with a message for the model, unless
//! the user approved that exact path for this one call at the prompt
//! ([`Fence::approve`]), or the sandbox is off (MINI_SANDBOX=0).
//! aicoder's own files (`.aicoder/` beneath the root) are never written.

use super::ToolError;
use std::fs::File;
use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::path::{Component, Path, PathBuf};

/// The folder beneath the root that holds aicoder's own files.
const OWN_FILES: &str = ".aicoder";

/// Where the built-in file tools of one call may reach.
#[derive(Debug, Clone)]
pub struct Fence {
    root: PathBuf,
    cwd: PathBuf,
    confined: bool,
    /// One outside path the user approved for this call.
    approved: Option<PathBuf>,
}

/// A path as a tool call named it, located.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Where {
    /// Relative to the root (may still contain `..` or symlinks: the kernel
    /// refuses any that lead out when it is opened).
    Beneath(PathBuf),
    /// An absolute path opened as it is (sandbox off, or approved).
    Anywhere(PathBuf),
}

/// openat2's `struct open_how` (libc marks its own copy non-exhaustive).
#[repr(C)]
struct OpenHow {
    flags: u64,
    mode: u64,
    resolve: u64,
}

/// openat2 with RESOLVE_BENEATH: `path` may not leave `dir`, through `..`,
/// an absolute path or any symlink; /proc magic links are refused too.
fn open_beneath(dir: &File, path: &Path, flags: i32) -> io::Result<OwnedFd> {
    let path = if path.as_os_str().is_empty() {
        Path::new(".")
    } else {
        path
    };
    let c_path = std::ffi::CString::new(path.as_os_str().as_bytes())
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "a NUL byte in the path"))?;
    // openat2 refuses any flag O_PATH does not take (O_NOCTTY among them).
    let extra = if flags & libc::O_PATH != 0 {
        libc::O_CLOEXEC
    } else {
        libc::O_CLOEXEC | libc::O_NOCTTY
    };
    let how = OpenHow {
        flags: (flags | extra) as u64,
        mode: 0,
        resolve: libc::RESOLVE_BENEATH | libc::RESOLVE_NO_MAGICLINKS,
    };
    loop {
        // SAFETY: the path is NUL-terminated and `how` is a valid open_how
        // of the size passed; the kernel only reads both.
        let fd = unsafe {
            libc::syscall(
                libc::SYS_openat2,
                dir.as_raw_fd(),
                c_path.as_ptr(),
                &how as *const OpenHow,
                std::mem::size_of::<OpenHow>(),
            )
        };
        if fd >= 0 {
            let fd = i32::try_from(fd).map_err(|_| io::Error::other("fd out of range"))?;
            // SAFETY: the kernel just returned this descriptor to us.
            return Ok(unsafe { OwnedFd::from_raw_fd(fd) });
        }
        let err = io::Error::last_os_error();
        // EAGAIN: a rename elsewhere raced the lookup; the kernel asks to retry.
        if !matches!(err.raw_os_error(), Some(libc::EINTR) | Some(libc::EAGAIN)) {
            return Err(err);
        }
    }
}

fn open_dir(path: &Path) -> io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_DIRECTORY | libc::O_CLOEXEC)
        .open(path)
}

/// Where an open descriptor really is (its path now).
fn real_path(file: &File) -> io::Result<PathBuf> {
    std::fs::read_link(format!("/proc/self/fd/{}", file.as_raw_fd()))
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

impl Fence {
    /// Tools beneath `root` (when `confined`), relative paths from `cwd`.
    pub fn new(root: &Path, cwd: &Path, confined: bool) -> Self {
        let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        let cwd = cwd.canonicalize().unwrap_or_else(|_| cwd.to_path_buf());
        Fence {
            root,
            cwd,
            confined,
            approved: None,
        }
    }

    /// The working directory relative paths start from.
    pub fn cwd(&self) -> &Path {
        &self.cwd
    }

    /// The workspace root.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Whether the tools are kept beneath the root.
    pub fn confined(&self) -> bool {
        self.confined
    }

    /// Let this call reach `path` (absolute, as [`Fence::outside`] gave it).
    pub fn approve(&mut self, path: PathBuf) {
        self.approved = Some(path);
    }

    /// The absolute form of a path a call named, `.` and `..` folded.
    pub fn absolute(&self, path: &str) -> PathBuf {
        lexical(&self.cwd.join(path))
    }

    fn locate(&self, path: &str) -> Where {
        let absolute = self.absolute(path);
        if !self.confined || self.approved.as_ref() == Some(&absolute) {
            return Where::Anywhere(self.cwd.join(path));
        }
        let named = Path::new(path);
        if named.is_absolute() {
            return match named.strip_prefix(&self.root) {
                Ok(rel) => Where::Beneath(rel.to_path_buf()),
                // Outside: the kernel refuses an absolute path beneath.
                Err(_) => Where::Beneath(named.to_path_buf()),
            };
        }
        let cwd = self.cwd.strip_prefix(&self.root).unwrap_or(Path::new(""));
        Where::Beneath(cwd.join(named))
    }

    fn root_handle(&self) -> Result<File, ToolError> {
        open_dir(&self.root).map_err(|e| {
            ToolError::Failed(format!(
                "cannot open the workspace root {}: {e}",
                self.root.display()
            ))
        })
    }

    /// The refusal the model gets for `path`.
    pub fn outside_error(&self, path: &str) -> ToolError {
        ToolError::Failed(format!(
            "{path} is outside the workspace root {}: the built-in file tools stay beneath it. \
             Use a path inside it; the user can approve one outside path at the prompt, \
             or turn the sandbox off with MINI_SANDBOX=0",
            self.root.display()
        ))
    }

    fn fail(&self, path: &str, what: &str, err: io::Error) -> ToolError {
        if err.raw_os_error() == Some(libc::EXDEV) {
            self.outside_error(path)
        } else {
            ToolError::Failed(format!("cannot {what} {path}: {err}"))
        }
    }

    /// The outside path a call naming `path` would reach, if it would leave
    /// the root (directly, by `..` or through a symlink) and is not approved.
    pub fn outside(&self, path: &str) -> Option<PathBuf> {
        let Where::Beneath(rel) = self.locate(path) else {
            return None;
        };
        let root = self.root_handle().ok()?;
        // The deepest part of the path that exists decides: a new file in a
        // symlinked folder leaves as surely as an existing one.
        let mut probe = rel.as_path();
        loop {
            match open_beneath(&root, probe, libc::O_PATH) {
                Err(e) if e.raw_os_error() == Some(libc::EXDEV) => {
                    return Some(self.absolute(path))
                }
                Err(e) if e.kind() == io::ErrorKind::NotFound => match probe.parent() {
                    Some(parent) => probe = parent,
                    None => return None,
                },
                _ => return None,
            }
        }
    }

    /// Open `path` to read. Devices, FIFOs and sockets are refused before a
    /// byte is read (opened non-blocking, so a FIFO cannot hold the call).
    pub fn open_file(&self, path: &str) -> Result<File, ToolError> {
        let flags = libc::O_RDONLY | libc::O_NONBLOCK;
        let file = match self.locate(path) {
            Where::Beneath(rel) => File::from(
                open_beneath(&self.root_handle()?, &rel, flags)
                    .map_err(|e| self.fail(path, "read", e))?,
            ),
            Where::Anywhere(abs) => {
                use std::os::unix::fs::OpenOptionsExt;
                std::fs::OpenOptions::new()
                    .read(true)
                    .custom_flags(flags | libc::O_NOCTTY)
                    .open(&abs)
                    .map_err(|e| self.fail(path, "read", e))?
            }
        };
        let meta = file.metadata().map_err(|e| self.fail(path, "read", e))?;
        if !meta.is_file() {
            return Err(ToolError::Failed(format!("{path} is not a regular file")));
        }
        Ok(file)
    }

    /// Open the directory `path`.
    pub fn open_dir(&self, path: &str) -> Result<File, ToolError> {
        let flags = libc::O_RDONLY | libc::O_DIRECTORY;
        match self.locate(path) {
            Where::Beneath(rel) => Ok(File::from(
                open_beneath(&self.root_handle()?, &rel, flags)
                    .map_err(|e| self.fail(path, "open", e))?,
            )),
            Where::Anywhere(abs) => open_dir(&abs).map_err(|e| self.fail(path, "open", e)),
        }
    }

    /// The entries of directory `path`: (name, is a directory), sorted.
    /// Read through the open handle, so what is listed is what was checked.
    pub fn list(&self, path: &str) -> Result<Vec<(String, bool)>, ToolError> {
        let dir = self.open_dir(path)?;
        let through = PathBuf::from(format!("/proc/self/fd/{}", dir.as_raw_fd()));
        let entries = std::fs::read_dir(&through).map_err(|e| self.fail(path, "list", e))?;
        let mut names: Vec<(String, bool)> = entries
            .filter_map(Result::ok)
            .map(|e| {
                let is_dir = std::fs::metadata(e.path()).is_ok_and(|m| m.is_dir());
                (e.file_name().to_string_lossy().into_owned(), is_dir)
            })
            .collect();
        names.sort();
        Ok(names)
    }

    /// Where a search of `path` starts, as a real path (for the walker) and
    /// the working directory the results are shown relative to.
    pub fn search_start(&self, path: &str) -> Result<(PathBuf, PathBuf), ToolError> {
        let flags = libc::O_PATH;
        let start = match self.locate(path) {
            Where::Beneath(rel) => File::from(
                open_beneath(&self.root_handle()?, &rel, flags)
                    .map_err(|e| self.fail(path, "search", e))?,
            ),
            Where::Anywhere(abs) => {
                use std::os::unix::fs::OpenOptionsExt;
                std::fs::OpenOptions::new()
                    .read(true)
                    .custom_flags(flags)
                    .open(&abs)
                    .map_err(|e| self.fail(path, "search", e))?
            }
        };
        let real = real_path(&start).map_err(|e| self.fail(path, "search", e))?;
        let cwd = self.cwd.canonicalize().unwrap_or_else(|_| self.cwd.clone());
        Ok((real, cwd))
    }

    /// Write `bytes` to the file `path` names: atomically, keeping an
    /// existing file's mode and owner, through a symlink to its target
    /// (which must be beneath the root too), new files as the umask says.
    /// Refused for aicoder's own files.
    pub fn write(&self, path: &str, bytes: &[u8]) -> Result<(), ToolError> {
        let own_files = || {
            ToolError::Failed(format!(
                "{path} is among aicoder's own files ({OWN_FILES}/): the built-in tools never write there"
            ))
        };
        let not_a_file = || ToolError::Failed(format!("{path} is not a file path"));
        let (dir, name, confined) = match self.locate(path) {
            Where::Beneath(rel) => {
                let name = rel.file_name().map(PathBuf::from).ok_or_else(not_a_file)?;
                // Refused before any folder is made for it.
                if lexical(&self.root.join(&rel)).starts_with(self.root.join(OWN_FILES)) {
                    return Err(own_files());
                }
                let parent = rel.parent().unwrap_or(Path::new(""));
                let root = self.root_handle()?;
                make_dirs_beneath(&root, parent).map_err(|e| self.fail(path, "write", e))?;
                let dir = File::from(
                    open_beneath(&root, parent, libc::O_RDONLY | libc::O_DIRECTORY)
                        .map_err(|e| self.fail(path, "write", e))?,
                );
                (dir, name, true)
            }
            Where::Anywhere(abs) => {
                let name = abs.file_name().map(PathBuf::from).ok_or_else(not_a_file)?;
                let parent = abs.parent().unwrap_or(Path::new("/"));
                std::fs::create_dir_all(parent).map_err(|e| self.fail(path, "write", e))?;
                (
                    open_dir(parent).map_err(|e| self.fail(path, "write", e))?,
                    name,
                    false,
                )
            }
        };
        let (dir, name) = self.follow_symlink(dir, &name, path, confined)?;
        if confined {
            // Where the folder really is, links followed: `.aicoder` reached
            // through a symlinked folder is still aicoder's.
            let real = real_path(&dir).map_err(|e| self.fail(path, "write", e))?;
            let own = self.root.join(OWN_FILES);
            if real.starts_with(&own) || real.join(&name) == own {
                return Err(own_files());
            }
        }
        super::write::replace(&dir, &name, bytes)
            .map_err(|e| ToolError::Failed(format!("cannot write {path}: {e}")))
    }

    /// If `name` in `dir` is a symlink, the directory and name of the file
    /// it leads to (beneath the root when `confined`); else the same.
    fn follow_symlink(
        &self,
        dir: File,
        name: &Path,
        path: &str,
        confined: bool,
    ) -> Result<(File, PathBuf), ToolError> {
        let mut dir = dir;
        let mut name = name.to_path_buf();
        // A chain of symlinks is followed a bounded number of hops.
        for _ in 0..40 {
            let through = PathBuf::from(format!("/proc/self/fd/{}", dir.as_raw_fd())).join(&name);
            let meta = match std::fs::symlink_metadata(&through) {
                Ok(m) => m,
                Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok((dir, name)),
                Err(e) => return Err(self.fail(path, "write", e)),
            };
            if !meta.file_type().is_symlink() {
                return Ok((dir, name));
            }
            let target = std::fs::read_link(&through).map_err(|e| self.fail(path, "write", e))?;
            let Some(target_name) = target.file_name().map(PathBuf::from) else {
                return Err(ToolError::Failed(format!(
                    "{path} is a symlink to {}, which is not a file",
                    target.display()
                )));
            };
            let target_dir = target.parent().unwrap_or(Path::new(""));
            dir = if confined {
                // Resolve the link's folder from the link's own folder,
                // beneath the root: a link leading out is refused.
                let here = real_path(&dir).map_err(|e| self.fail(path, "write", e))?;
                let from_root = if target_dir.is_absolute() {
                    target_dir.to_path_buf()
                } else {
                    here.join(target_dir)
                };
                let rel = match from_root.strip_prefix(&self.root) {
                    Ok(rel) => rel.to_path_buf(),
                    Err(_) => return Err(self.outside_error(path)),
                };
                File::from(
                    open_beneath(
                        &self.root_handle()?,
                        &rel,
                        libc::O_RDONLY | libc::O_DIRECTORY,
                    )
                    .map_err(|e| self.fail(path, "write", e))?,
                )
            } else {
                let base = PathBuf::from(format!("/proc/self/fd/{}", dir.as_raw_fd()));
                open_dir(&base.join(target_dir)).map_err(|e| self.fail(path, "write", e))?
            };
            name = target_name;
        }
        Err(ToolError::Failed(format!(
            "{path}: too many levels of symlinks"
        )))
    }
}

/// Create the folders of `rel` beneath `root`, one level at a time, each
/// checked beneath the root before the next is made in it.
fn make_dirs_beneath(root: &File, rel: &Path) -> io::Result<()> {
    match open_beneath(root, rel, libc::O_PATH | libc::O_DIRECTORY) {
        Ok(_) => return Ok(()),
        Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
        Err(_) => {}
    }
    let parent = rel.parent().unwrap_or(Path::new(""));
    let Some(name) = rel.file_name() else {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "not a folder path",
        ));
    };
    if !parent.as_os_str().is_empty() {
        make_dirs_beneath(root, parent)?;
    }
    let dir = File::from(open_beneath(
        root,
        parent,
        libc::O_RDONLY | libc::O_DIRECTORY,
    )?);
    let c_name = std::ffi::CString::new(name.as_bytes())
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "a NUL byte in the path"))?;
    // SAFETY: a valid directory descriptor and a NUL-terminated name.
    let made = unsafe { libc::mkdirat(dir.as_raw_fd(), c_name.as_ptr(), 0o777) };
    if made != 0 {
        let err = io::Error::last_os_error();
        if err.kind() != io::ErrorKind::AlreadyExists {
            return Err(err);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_are_refused_by_the_kernel() {
        let top = tempfile::tempdir().expect("tempdir");
        let root = top.path().join("root");
        std::fs::create_dir_all(root.join("sub")).expect("mkdir");
        std::fs::write(top.path().join("secret"), "s").expect("write");
        std::os::unix::fs::symlink(top.path().join("secret"), root.join("abs-link"))
            .expect("symlink");
        std::os::unix::fs::symlink("../secret", root.join("rel-link")).expect("symlink");
        std::os::unix::fs::symlink("../../", root.join("sub/up")).expect("symlink");
        let fence = Fence::new(&root, &root.join("sub"), true);
        for path in [
            "/etc/passwd",
            "../../secret",
            "../abs-link",
            "../rel-link",
            "up/secret",
            "/proc/self/root/etc/passwd",
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

        let open = Fence::new(&root, &root, false);
        assert!(open.open_file("../secret").is_ok());
    }

    #[test]
    fn writes_stay_out_of_aicoder_files_and_follow_links_inside() {
        let top = tempfile::tempdir().expect("tempdir");
        let root = top.path().join("root");
        std::fs::create_dir_all(root.join(".aicoder/plugins")).expect("mkdir");
        std::fs::write(root.join("real.txt"), "old").expect("write");
        std::os::unix::fs::symlink("real.txt", root.join("link.txt")).expect("symlink");
        let fence = Fence::new(&root, &root, true);
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
