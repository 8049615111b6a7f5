//! [`WorkspaceError`]: why an operation beneath the root was refused or
//! failed, naming the path as the user knows it.

use super::*;

/// Why an operation beneath the workspace root was refused or failed. Each
/// message names the path (relative to the root) and what to do.
#[derive(Debug, thiserror::Error)]
pub enum WorkspaceError {
    #[error("{path}: no such file or folder")]
    NotFound { path: String },
    #[error("{path}: resolves outside the workspace root {root}; files outside it are out of reach (moving the root is the user's decision)")]
    Outside { path: String, root: String },
    #[error("the working directory {cwd} is outside the workspace root {root}")]
    CwdOutside { cwd: String, root: String },
    #[error("{path}: {protected} is aicoder's own folder (audit log, sessions, grants, plugins, cache); plugins and tools cannot read or change it")]
    Protected { path: String, protected: String },
    #[error("{path}: is a {kind}, not a regular file; only regular files are read or written")]
    NotRegular { path: String, kind: &'static str },
    #[error("{path}: {size} bytes is over the {max}-byte limit")]
    TooLarge { path: String, size: u64, max: u64 },
    #[error("{path}: is a folder, not a file")]
    IsDir { path: String },
    #[error("{path}: {reason}")]
    Invalid { path: String, reason: String },
    #[error("{root} cannot be the workspace root: {reason}")]
    BadRoot { root: String, reason: String },
    #[error("there is no workspace root: {reason}")]
    NoRoot { reason: String },
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: io::Error,
    },
}

impl WorkspaceError {
    /// An I/O failure on `path`, with "not found" and "escape" made plain.
    pub(super) fn io(path: &Path, root: &Path, source: io::Error) -> WorkspaceError {
        let path = shown(path);
        match source.kind() {
            io::ErrorKind::NotFound => WorkspaceError::NotFound { path },
            // cap-primitives reports an escape as a custom PermissionDenied
            // error (no OS error code).
            io::ErrorKind::PermissionDenied if source.raw_os_error().is_none() => {
                WorkspaceError::Outside {
                    path,
                    root: root.display().to_string(),
                }
            }
            _ => WorkspaceError::Io { path, source },
        }
    }
}

/// A root-relative path as messages show it (`.` for the root itself).
pub(super) fn shown(path: &Path) -> String {
    if path.as_os_str().is_empty() {
        ".".into()
    } else {
        path.display().to_string()
    }
}
