//! The one hardened read shared by the built-in tools (`tools/fence.rs`)
//! and the `fs` capability (`caps/fs.rs`): a regular file beneath the root,
//! at most `max` bytes, as bytes ([`read_bounded`]) or as text
//! ([`read_text`]). `read_file`'s pages open the file with the same hardened
//! open ([`WorkspaceRoot::open_read`]).

use super::root::{WorkspaceError, WorkspaceRoot};
use std::io::Read;
use std::path::Path;

/// Read the regular file `rel` (relative to the root), refusing devices,
/// FIFOs and sockets (checked on the opened handle, opened non-blocking, so
/// nothing can make the read block) and files over `max` bytes, before and
/// while reading (a file that grows meanwhile is refused, not cut).
pub(super) fn read_bounded(
    root: &WorkspaceRoot,
    rel: &Path,
    max: u64,
) -> Result<Vec<u8>, WorkspaceError> {
    let file = root.open_read(rel)?;
    let shown = || rel.display().to_string();
    let size = file
        .metadata()
        .map_err(|source| WorkspaceError::Io {
            path: shown(),
            source,
        })?
        .len();
    if size > max {
        return Err(WorkspaceError::TooLarge {
            path: shown(),
            size,
            max,
        });
    }
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(max.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|source| WorkspaceError::Io {
            path: shown(),
            source,
        })?;
    if bytes.len() as u64 > max {
        return Err(WorkspaceError::TooLarge {
            path: shown(),
            size: bytes.len() as u64,
            max,
        });
    }
    Ok(bytes)
}

/// Why the hardened text read gave no text.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// Not reachable beneath the root, not a regular file, too large, or
    /// unreadable (the message names the path and what to do).
    #[error(transparent)]
    Workspace(#[from] WorkspaceError),
    /// The file is not UTF-8 text.
    #[error("{path}: not UTF-8 text")]
    NotText { path: String },
}

/// The whole text of the regular file `rel` (relative to `root`), at most
/// `max` bytes: [`read_bounded`], then a UTF-8 check.
pub fn read_text(root: &WorkspaceRoot, rel: &Path, max: u64) -> Result<String, ReadError> {
    let bytes = read_bounded(root, rel, max)?;
    String::from_utf8(bytes).map_err(|_| ReadError::NotText {
        path: rel.display().to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_read_whole_and_other_bytes_are_refused_by_name() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("a.txt"), "héllo").expect("write");
        std::fs::write(dir.path().join("b.bin"), [0xff, 0xfe]).expect("write");
        let root = WorkspaceRoot::open(dir.path(), Vec::new()).expect("root");
        assert_eq!(
            read_text(&root, Path::new("a.txt"), 100).expect("text"),
            "héllo"
        );
        assert!(matches!(
            read_text(&root, Path::new("b.bin"), 100),
            Err(ReadError::NotText { path }) if path == "b.bin"
        ));
        assert!(matches!(
            read_text(&root, Path::new("a.txt"), 2),
            Err(ReadError::Workspace(WorkspaceError::TooLarge { .. }))
        ));
    }
}
