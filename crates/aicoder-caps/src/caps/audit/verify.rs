//! `aicoder audit verify`. An intact log written with checkpoints is
//! checked in bulk (`bulk.rs`): each block of about 1 MiB is hashed whole
//! and compared with the checkpoint after it, and only the links at block
//! edges and the lines after the last checkpoint are checked one by one.
//! When anything there does not hold, or the log has no checkpoints (written
//! by an older aicoder), this line-by-line walk runs over the whole file: it
//! names the first broken line. It reads the file in windows of whole lines;
//! within a window every line is hashed and its chain fields parsed on all
//! cores (each line's hash depends on that line alone), then one pass in
//! order checks each link against the line before, and each checkpoint
//! against the lines it covers. Only lines that name a blob are parsed as
//! JSON.

use super::chain::{self, Block, Link};
use super::{blobs, AuditEntry};
use std::collections::HashSet;
use std::fs::File;
use std::os::unix::fs::FileExt;
use std::path::Path;

/// Bytes read per window (whole lines are processed, the rest carried over).
pub(super) const WINDOW: usize = 8 << 20;

/// What `audit verify` found.
#[derive(Debug, Default)]
pub struct Verification {
    /// Lines read (up to the first break).
    pub lines: u64,
    /// Lines at the start written before the log was chained.
    pub unchained_before: u64,
    /// The last sequence number verified.
    pub last_seq: Option<u64>,
    /// Distinct blobs read back and checked against their hash.
    pub blobs: u64,
    /// The first broken line: its number and what is wrong.
    pub broken: Option<String>,
}

/// What the in-order pass needs of one line, computed in parallel.
#[derive(Clone, Copy)]
pub(super) struct Facts {
    pub hash: [u8; 32],
    pub link: Option<Link>,
    names_blob: bool,
    pub block: Option<Block>,
}

/// Finds the lines that name a blob (`old_blob` / `new_blob`).
pub(super) fn blob_finder() -> memchr::memmem::Finder<'static> {
    memchr::memmem::Finder::new(b"_blob\":{")
}

impl Facts {
    const EMPTY: Facts = Facts {
        hash: [0; 32],
        link: None,
        names_blob: false,
        block: None,
    };

    pub fn of(line: &[u8], blob_finder: &memchr::memmem::Finder<'_>) -> Facts {
        Facts {
            hash: chain::line_hash(line),
            link: chain::parse_link(line),
            names_blob: blob_finder.find(line).is_some(),
            block: chain::parse_block(line),
        }
    }
}

/// The in-order state of the walk.
pub(super) struct Walk<'f> {
    pub v: Verification,
    /// The hash and chain fields of the last line checked.
    pub before: Option<([u8; 32], Option<Link>)>,
    pub in_chain: bool,
    blob_dir: std::path::PathBuf,
    checked_blobs: HashSet<String>,
    /// The log, to read back the lines a checkpoint covers.
    file: &'f File,
    /// Where each line since the last checkpoint starts (that line
    /// included); empty when not tracked (the bulk pass's blocks).
    pub since_block: Vec<u64>,
}

impl<'f> Walk<'f> {
    pub fn new(path: &Path, file: &'f File) -> Self {
        Walk {
            v: Verification::default(),
            before: None,
            in_chain: false,
            blob_dir: blobs::dir_for(path),
            checked_blobs: HashSet::new(),
            file,
            since_block: Vec::new(),
        }
    }

    /// Check one line starting at byte `offset` (its number is
    /// `self.v.lines + 1`); `false` once broken.
    pub fn step(&mut self, line: &[u8], facts: &Facts, offset: u64) -> bool {
        self.v.lines += 1;
        let line_no = self.v.lines;
        if facts.link.is_none() && !self.in_chain {
            self.v.unchained_before += 1;
            self.before = Some((facts.hash, None));
            self.since_block.push(offset);
            return true;
        }
        let prior = self.before.as_ref().map(|(h, l)| (h, *l));
        if let Some(why) = chain::check_link(line_no, facts.link, prior) {
            self.v.broken = Some(why);
            return false;
        }
        self.in_chain = true;
        self.v.last_seq = facts.link.map(|l| l.seq);
        if let Some(block) = facts.block {
            if let Err(why) = self.check_block(&block, offset) {
                self.v.broken = Some(format!("line {line_no}: {why}"));
                return false;
            }
            self.since_block.clear();
        }
        self.since_block.push(offset);
        if facts.names_blob && !self.blobs_of(line) {
            return false;
        }
        self.before = Some((facts.hash, facts.link));
        true
    }

    /// Check the blobs `line` (the last line stepped) names; `false` and
    /// the reason set when one is damaged.
    pub fn blobs_of(&mut self, line: &[u8]) -> bool {
        match check_blobs(line, &self.blob_dir, &mut self.checked_blobs) {
            Ok(()) => true,
            Err(why) => {
                self.v.broken = Some(format!("line {}: {why}", self.v.lines));
                false
            }
        }
    }

    /// Whether `block`, carried by the line at `end`, is the hash of the
    /// lines before it.
    fn check_block(&self, block: &Block, end: u64) -> Result<(), Break> {
        let since = self.since_block.len() as u64;
        let start = match usize::try_from(since.wrapping_sub(block.lines)) {
            Ok(i) if block.lines <= since => self.since_block.get(i).copied().unwrap_or(end),
            _ => {
                return Err(Break::CheckpointTooLong {
                    lines: block.lines,
                    since,
                })
            }
        };
        let hash = hash_range(self.file, start, end)?;
        if hash == block.hash {
            Ok(())
        } else {
            Err(Break::CheckpointMismatch { lines: block.lines })
        }
    }

    /// Check the whole lines of `data` (each ends with a newline), which
    /// starts at byte `base` of the file; `false` once broken.
    fn window(&mut self, data: &[u8], base: u64, threads: usize, facts: &mut Vec<Facts>) -> bool {
        let mut lines: Vec<(u64, &[u8])> = Vec::with_capacity(data.len() / 256 + 1);
        let mut start = 0;
        for end in memchr::memchr_iter(b'\n', data) {
            lines.push((base + start as u64, &data[start..end]));
            start = end + 1;
        }
        facts.clear();
        facts.resize(lines.len(), Facts::EMPTY);
        let per = lines.len().div_ceil(threads.max(1)).max(1);
        std::thread::scope(|s| {
            for (part, out) in lines.chunks(per).zip(facts.chunks_mut(per)) {
                s.spawn(move || {
                    let finder = blob_finder();
                    for ((_, line), f) in part.iter().zip(out.iter_mut()) {
                        *f = Facts::of(line, &finder);
                    }
                });
            }
        });
        lines
            .iter()
            .zip(facts.iter())
            .all(|((at, l), f)| self.step(l, f, *at))
    }

    /// Walk the lines of the file from byte `from` to its end or to byte
    /// `to` (a line start), `window` bytes at a time; `false` once broken
    /// (a line cut short at the end of the file included).
    pub fn region(&mut self, from: u64, to: Option<u64>, window: usize) -> std::io::Result<bool> {
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(16));
        // `buf[..len]` holds unread bytes: the start of a line carried
        // over, then what was read; it starts at byte `base`.
        let mut buf: Vec<u8> = Vec::new();
        let (mut len, mut base, mut at) = (0usize, from, from);
        let mut facts = Vec::new();
        loop {
            let want = match to {
                Some(to) => window.min(usize::try_from(to.saturating_sub(at)).unwrap_or(window)),
                None => window,
            };
            if buf.len() < len + want {
                buf.resize(len + want, 0);
            }
            let n = read_at(self.file, &mut buf[len..len + want], at)?;
            at += n as u64;
            len += n;
            if n == 0 {
                // The end: what is left is a line without its newline.
                if len > 0 {
                    self.v.lines += 1;
                    self.v.broken = Some(format!(
                        "line {} is cut short (no end of line): a write was interrupted",
                        self.v.lines
                    ));
                    return Ok(false);
                }
                return Ok(true);
            }
            let Some(last_newline) = memchr::memrchr(b'\n', &buf[..len]) else {
                continue; // no whole line yet: read on
            };
            if !self.window(&buf[..=last_newline], base, threads, &mut facts) {
                return Ok(false);
            }
            buf.copy_within(last_newline + 1..len, 0);
            len -= last_newline + 1;
            base += last_newline as u64 + 1;
        }
    }

    /// The result, once the walk is over.
    pub fn finish(mut self) -> Verification {
        self.v.blobs = self.checked_blobs.len() as u64;
        self.v
    }
}

/// Read into `buf` from byte `at`, as much as there is (0 at the end).
fn read_at(file: &File, buf: &mut [u8], at: u64) -> std::io::Result<usize> {
    let mut got = 0;
    while got < buf.len() {
        match file.read_at(&mut buf[got..], at + got as u64) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(got)
}

/// The blake3 of the file's bytes from `start` to `end`.
pub(super) fn hash_range(file: &File, start: u64, end: u64) -> std::io::Result<[u8; 32]> {
    let mut hasher = blake3::Hasher::new();
    let mut buf = vec![0; (1 << 20).min(end.saturating_sub(start) as usize)];
    let mut at = start;
    while at < end {
        let want = buf.len().min((end - at) as usize);
        let n = read_at(file, &mut buf[..want], at)?;
        if n == 0 {
            return Err(std::io::Error::new(
                std::io::ErrorKind::UnexpectedEof,
                "the log got shorter while it was read",
            ));
        }
        hasher.update(&buf[..n]);
        at += n as u64;
    }
    Ok(*hasher.finalize().as_bytes())
}

/// Check the whole chain of the log at `path` and the blobs its lines name.
/// A missing log verifies (empty).
pub fn verify(path: &Path) -> std::io::Result<Verification> {
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Verification::default()),
        Err(e) => return Err(e),
    };
    // One thread per core, but not for a log that takes no time to read.
    let len = file.metadata()?.len();
    let threads = if len < 4 << 20 {
        1
    } else {
        std::thread::available_parallelism().map_or(1, |n| n.get().min(8))
    };
    if let Some(v) = super::bulk::verify(path, &file, super::bulk::PIECE, threads)? {
        return Ok(v);
    }
    line_by_line(path, &file, WINDOW)
}

/// Why a line breaks the log (after `line N: ` in the verdict).
#[derive(Debug, thiserror::Error)]
enum Break {
    /// The line's checkpoint claims more lines than follow the last one.
    #[error(
        "its checkpoint covers {lines} lines but only {since} come after the last \
         checkpoint: the checkpoint was forged or lines were removed"
    )]
    CheckpointTooLong { lines: u64, since: u64 },
    /// The line's checkpoint is not the hash of the lines it covers.
    #[error(
        "its checkpoint does not match the {lines} lines before it: one of them was \
         changed, or the checkpoint was forged"
    )]
    CheckpointMismatch { lines: u64 },
    /// The lines could not be read back to hash them.
    #[error(transparent)]
    Read(#[from] std::io::Error),
    /// A line naming a blob is not an audit entry.
    #[error("not a valid entry: {0}")]
    NotAnEntry(serde_json::Error),
    /// A blob it names is missing or changed.
    #[error(transparent)]
    Blob(#[from] blobs::BlobError),
}

/// The walk over every line, reading `window` bytes at a time.
fn line_by_line(path: &Path, file: &File, window: usize) -> std::io::Result<Verification> {
    let mut walk = Walk::new(path, file);
    walk.region(0, None, window)?;
    Ok(walk.finish())
}

/// Read back each blob a line names (once per blob) and check its hash.
fn check_blobs(line: &[u8], dir: &Path, checked: &mut HashSet<String>) -> Result<(), Break> {
    let entry: AuditEntry = serde_json::from_slice(line).map_err(Break::NotAnEntry)?;
    for blob in [&entry.old_blob, &entry.new_blob].into_iter().flatten() {
        if checked.contains(&blob.hash) {
            continue;
        }
        blobs::read_checked(dir, blob)?;
        checked.insert(blob.hash.clone());
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
#[path = "verify_tests.rs"]
mod tests;
