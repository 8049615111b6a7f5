//! Why the launcher could not confine and start a command. Printed as
//! `aicoder sandbox: {error}; the command was not run` (or, inside the
//! namespace, `aicoder sandbox: {error}`), so the words stay what they were
//! when these were strings; the type decides the exit code.

use std::path::PathBuf;

/// A failure while setting up the sandbox or starting the command in it.
#[derive(Debug, thiserror::Error)]
pub(crate) enum SetupError {
    /// A system call or file operation failed: what was being done, and
    /// the system's error.
    #[error("{what}: {source}")]
    Os {
        what: String,
        source: std::io::Error,
    },
    /// What aicoder sent the launcher could not be read.
    #[error("{what}: {detail}")]
    Request { what: &'static str, detail: String },
    /// The launcher was started without the specification and command.
    #[error("launcher: missing arguments")]
    MissingArguments,
    /// A path holds a NUL byte: no system call can name it.
    #[error("{}: NUL in path", .0.display())]
    NulInPath(PathBuf),
    /// The sandbox's own folder cannot be told from the proxy socket.
    #[error("{0}")]
    NoOwnFolder(&'static str),
    /// Landlock could not be set up.
    #[error("Landlock: {0}")]
    Landlock(String),
    /// The kernel accepted the rules but does not enforce them.
    #[error("Landlock is not enforced by this kernel")]
    LandlockNotEnforced,
    /// The seccomp program does not fit the kernel's length field.
    #[error("seccomp: filter too long")]
    FilterTooLong,
    /// The command itself could not be executed (exit code 127, as a
    /// shell's for a command not found).
    #[error("exec {program}: {source}")]
    Exec {
        program: String,
        source: std::io::Error,
    },
}

impl SetupError {
    /// [`SetupError::Os`] with the error of the last system call.
    pub(crate) fn errno(what: impl Into<String>) -> Self {
        SetupError::Os {
            what: what.into(),
            source: std::io::Error::last_os_error(),
        }
    }

    /// [`SetupError::Os`] with `source`.
    pub(crate) fn os(what: impl Into<String>, source: std::io::Error) -> Self {
        SetupError::Os {
            what: what.into(),
            source,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_words_are_what_the_strings_were() {
        let e = SetupError::os("fork", std::io::Error::from_raw_os_error(libc::EAGAIN));
        assert!(
            e.to_string()
                .starts_with("fork: Resource temporarily unavailable"),
            "{e}"
        );
        assert_eq!(
            SetupError::NulInPath("/a".into()).to_string(),
            "/a: NUL in path"
        );
        assert_eq!(
            SetupError::Request {
                what: "warm launcher",
                detail: "request too long".into()
            }
            .to_string(),
            "warm launcher: request too long"
        );
    }
}
