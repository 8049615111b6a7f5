//! The one hardened read shared by the built-in tools and the `fs`
//! capability: a regular file beneath the root, at most `max` bytes.

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
