//! The workspace root: the one folder plugins and the built-in tools may
//! touch, and race-free access beneath it.
//!
//! # Public API (stable: the built-in tools and `caps::fs` build on it)
//!
//! - [`WorkspaceRoot::open`] opens the root folder once as a directory handle
//!   (refusing `/proc`, `/sys` and `/dev`, see [`check_root_allowed`]), and
//!   [`WorkspaceRoot::open_default`] adds the folders aicoder owns as
//!   protected ([`default_protected`]).
//! - [`WorkspaceRoot::relative`] turns a path a plugin or the model gave
//!   (relative to the working directory, or absolute inside the root) into a
//!   path relative to the root. It only checks the shape; the operations below
//!   are what keep a path inside.
//! - Operations, each taking a path relative to the root:
//!   [`WorkspaceRoot::open_read`] (a regular file, opened for reading),
//!   [`WorkspaceRoot::read_bounded`] (the one hardened read: regular files
//!   only, at most `max` bytes; devices, FIFOs and sockets are refused without
//!   blocking), [`WorkspaceRoot::write_atomic`] (a temp file in the same
//!   folder, then a rename; an existing file keeps its mode, a new one
//!   honours the umask; missing parent folders are created),
//!   [`WorkspaceRoot::list_dir`], [`WorkspaceRoot::metadata`],
//!   [`WorkspaceRoot::check_dir`] (a folder beneath the root, not protected),
//!   [`WorkspaceRoot::contains`] (does a canonical path lie in the root),
//!   [`WorkspaceRoot::real_relative`] (where a path really leads, for scope
//!   checks) and
//!   [`WorkspaceRoot::moved_to`] (a new root keeping the protected folders).
//! - Every failure is a [`WorkspaceError`] whose message names the path and
//!   what to do.
//!
//! # How paths stay inside
//!
//! Nothing is checked by path and then reopened. The folder part of a path is
//! resolved beneath the root handle by `cap-primitives` (openat2
//! `RESOLVE_BENEATH` where the kernel has it, a component-by-component
//! `openat` walk otherwise): a `..` or a symlink that would leave the root
//! fails, whatever another process swaps in meanwhile. The last component is
//! opened with `openat(O_NOFOLLOW)` relative to that folder handle; a symlink
//! there is followed by hand, again beneath the root, a bounded number of times.
//!
//! # aicoder's own files
//!
//! `.aicoder/` in the root and the protected folders given at open (by default
//! the project's `.aicoder/`, `~/.config/aicoder` and `~/.cache/aicoder`, also
//! their `XDG_*` forms) are refused whatever the path says: the opened folder's
//! identity (device + inode) and those of its real ancestors up to the root are
//! compared with the protected folders' identities, so a symlink, a
//! `./.aicoder/../.aicoder` or a hard-linked folder name gets the same answer.
//! Creating a protected folder that does not exist yet is refused by name in
//! its real parent folder. Known limit: a hard link to a single file made by
//! someone outside aicoder is the same file as its target; nothing inside
//! aicoder can make one.

mod protected;
mod read;
mod real;
mod root;

pub use read::{read_text, ReadError};
pub use root::{
    check_root_allowed, default_protected, DirEntry, EntryKind, FileId, WorkspaceError,
    WorkspaceRoot,
};
