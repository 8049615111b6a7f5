//! Why v3's socket API could not start (session/socket.rs).

use std::path::PathBuf;

/// Why the socket API could not start.
#[derive(Debug, thiserror::Error)]
pub enum SocketError {
    /// A file operation on `path` failed.
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The private folder is not this user's alone.
    #[error(
        "{} is not a private folder of yours (a directory, mode 0700); remove it or set \
         AICODER_SOCKET_IPC_FILE",
        .0.display()
    )]
    NotPrivate(PathBuf),
    /// The thread that accepts connections could not start.
    #[error("cannot start the socket thread: {0}")]
    Thread(std::io::Error),
}

/// [`SocketError::Io`] on `path`.
pub(super) fn at(path: &std::path::Path) -> impl FnOnce(std::io::Error) -> SocketError + '_ {
    move |source| SocketError::Io {
        path: path.to_path_buf(),
        source,
    }
}
