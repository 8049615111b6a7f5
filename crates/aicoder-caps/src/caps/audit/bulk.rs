//! The fast path of `audit verify`: an intact log written with checkpoints
//! ([`chain::Block`]) shown intact at about the speed of reading it.
//!
//! The file is cut into one part per core and each part is scanned by a
//! thread of its own, in small reads, so that the bytes are still in that
//! core's cache when they are searched and hashed (8 MiB windows handed
//! from a reading thread spent a third of the time copying into memory
//! that was out of cache, and the checking ran on one core). A thread only
//! looks for checkpoint lines (a search for the checkpoint's key, confirmed
//! at a fixed place in the line's prefix), for lines that name a blob, and
//! counts lines; the bytes go through one blake3 per block. A thread owns
//! the blocks that start in its part: it goes on past the part's end to the
//! checkpoint that closes its last block, and skips the lines before its
//! first checkpoint (the thread before it hashes those), so every byte
//! before the last checkpoint is hashed exactly once.
//!
//! Then, in order, on one thread: a block is accepted whole when the
//! checkpoint after it covers exactly its lines and its hash is the hash of
//! their bytes; only the checkpoint line's own link (to the line before it)
//! is checked one by one. Lines not covered that way (before the first
//! checkpoint of an older log, after the last one, a block a checkpoint
//! does not match) are walked line by line, as `verify.rs` does. Any doubt
//! (a link, a checkpoint, a blob, a line cut short) returns `None`, and the
//! line-by-line walk over the whole file names the first broken line.
//!
//! What accepting a block whole gives up: the links inside a block whose
//! checkpoint matches are not looked at one by one. To hide a change there,
//! a forger must recompute that checkpoint, and then the link of the line
//! after it, and every later checkpoint and the line after each, to the end
//! of the log: as with the per-line chain, a change shows unless everything
//! after it is rewritten (docs/security.md). This holds because a writer
//! only continues a block over lines whose links it checked (`cursor.rs`,
//! `read_tail`): lines edited before a checkpoint was written are never
//! covered by it, so they are walked one by one here.

use super::chain;
use super::verify::{blob_finder, Facts, Verification, Walk};
use std::fs::File;
use std::io;
use std::os::unix::fs::FileExt;
use std::path::Path;

/// Bytes each thread reads at a time: small enough to stay in the core's
/// cache between the read and the hash.
pub(super) const PIECE: usize = 256 << 10;

/// A checkpoint line and the block it closes, found by a scanning thread.
struct Closed {
    /// Where the checkpoint line starts and ends (its newline) in the file.
    start: u64,
    end: u64,
    line: Vec<u8>,
    facts: Facts,
    /// The line just before it.
    before: Facts,
    /// The lines from the block's start up to the checkpoint line, and the
    /// blake3 of their bytes.
    lines: u64,
    hash: [u8; 32],
}

/// What one thread found in its part of the file.
#[derive(Default)]
struct Part {
    /// The file's first line (the first part only).
    first: Option<Vec<u8>>,
    /// The blocks it hashed, in order.
    closed: Vec<Closed>,
    /// The lines in those blocks that name a blob.
    blob_lines: Vec<Vec<u8>>,
}

/// A block being hashed.
struct Open {
    lines: u64,
    hasher: blake3::Hasher,
}

impl Open {
    fn new() -> Self {
        Open {
            lines: 0,
            hasher: blake3::Hasher::new(),
        }
    }

    /// Take in `bytes` (whole lines), noting those that name a blob.
    fn take(&mut self, bytes: &[u8], finder: &memchr::memmem::Finder<'_>, part: &mut Part) {
        self.hasher.update(bytes);
        self.lines += memchr::memchr_iter(b'\n', bytes).count() as u64;
        let mut from = 0;
        while let Some(hit) = finder.find(&bytes[from..]).map(|i| i + from) {
            let start = memchr::memrchr(b'\n', &bytes[..hit]).map_or(0, |i| i + 1);
            let end = memchr::memchr(b'\n', &bytes[hit..]).map_or(bytes.len(), |i| i + hit);
            part.blob_lines.push(bytes[start..end].to_vec());
            from = end;
        }
    }
}

/// Verify the log at `path` (open as `file`) in bulk, on `threads` threads
/// each reading `piece` bytes at a time: `Some` when every line is shown
/// intact, `None` when the line-by-line walk must decide.
pub(super) fn verify(
    path: &Path,
    file: &File,
    piece: usize,
    threads: usize,
) -> io::Result<Option<Verification>> {
    let len = file.metadata()?.len();
    let share = len.div_ceil(threads.max(1) as u64).max(1);
    let scanned: Vec<io::Result<Part>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads.max(1) as u64)
            .map(|i| {
                let (from, to) = ((i * share).min(len), ((i + 1) * share).min(len));
                scope.spawn(move || scan(file, len, from, to, piece.max(1)))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(io::Error::other("a thread verifying the log stopped")))
            })
            .collect()
    });
    let mut parts = Vec::with_capacity(scanned.len());
    for part in scanned {
        parts.push(part?);
    }
    let mut walk = Walk::new(path, file);
    let Some(first) = parts.first_mut().and_then(|p| p.first.take()) else {
        // Empty, or the first line is cut short: the walk says which.
        return Ok((len == 0).then(|| walk.finish()));
    };
    if !walk.step(&first, &Facts::of(&first, &blob_finder()), 0) {
        return Ok(None);
    }
    // Where the line after the last one checked starts.
    let mut after = first.len() as u64 + 1;
    for part in &parts {
        for line in &part.blob_lines {
            if !walk.blobs_of(line) {
                return Ok(None);
            }
        }
        for c in &part.closed {
            let whole = c
                .facts
                .block
                .is_some_and(|b| b.lines == c.lines && b.hash == c.hash);
            if whole && walk.in_chain {
                // The block is as written: its lines hold (the first of
                // them, the last checkpoint or the file's first line, was
                // checked already).
                walk.v.lines += c.lines.saturating_sub(1);
                walk.before = Some((c.before.hash, c.before.link));
                walk.v.last_seq = c.before.link.map(|l| l.seq);
                walk.since_block.clear();
                let mut facts = c.facts;
                facts.block = None; // just checked
                if !walk.step(&c.line, &facts, c.start) {
                    return Ok(None);
                }
            } else if !walk.region(after, Some(c.end + 1), piece)? {
                return Ok(None);
            }
            after = c.end + 1;
        }
    }
    // The lines after the last checkpoint, one by one.
    if after < len && !walk.region(after, Some(len), piece)? {
        return Ok(None);
    }
    Ok(Some(walk.finish()))
}

/// Scan the part of the file from byte `from` to `to` (of `len`): the
/// blocks that start in it, hashed.
fn scan(file: &File, len: u64, from: u64, to: u64, piece: usize) -> io::Result<Part> {
    let mut part = Part::default();
    if from >= to {
        return Ok(part); // a file shorter than one byte per thread
    }
    let finder = blob_finder();
    let key = memchr::memmem::Finder::new(chain::BLOCK_KEY);
    // `buf[..keep]` holds the start of a line carried from the last read;
    // `buf[0]` is byte `base` of the file.
    let mut buf = vec![0u8; piece];
    let (mut keep, mut base) = (0usize, from.saturating_sub(1));
    let mut at = base;
    // The line byte `from - 1` falls in is the part before's.
    let mut skip = from > 0;
    let mut first = from == 0;
    let mut open = first.then(Open::new);
    // The last line of the last read, for a checkpoint opening the next.
    let mut last_line: Vec<u8> = Vec::new();
    loop {
        if buf.len() < keep + piece {
            buf.resize(keep + piece, 0); // a line longer than a piece
        }
        let want = usize::try_from(len - at).map_or(piece, |left| left.min(piece));
        let n = read_at(file, &mut buf[keep..keep + want], at)?;
        if n == 0 {
            break; // a line cut short at the end is left to the walk
        }
        at += n as u64;
        let filled = keep + n;
        let Some(last_nl) = memchr::memrchr(b'\n', &buf[keep..filled]).map(|i| i + keep) else {
            keep = filled;
            continue;
        };
        let data = &buf[..=last_nl];
        let mut pos = 0;
        if skip {
            pos = memchr::memchr(b'\n', data).map_or(0, |i| i + 1);
            skip = false;
        }
        if first {
            pos = memchr::memchr(b'\n', data).map_or(0, |i| i + 1);
            part.first = Some(data[..pos - 1].to_vec());
            if let Some(o) = open.as_mut() {
                o.hasher.update(&data[..pos]);
                o.lines = 1;
            }
            first = false;
        }
        // `data[seg..]` is not hashed yet (when a block is open).
        let (mut seg, mut search, mut done) = (pos, pos, false);
        while let Some(hit) = key.find(&data[search..]).map(|i| i + search) {
            let start = memchr::memrchr(b'\n', &data[..hit]).map_or(0, |i| i + 1);
            let end = memchr::memchr(b'\n', &data[hit..]).map_or(last_nl, |i| i + hit);
            search = end + 1;
            let line = &data[start..end];
            if !chain::has_block(line) {
                continue;
            }
            let at_file = base + start as u64;
            if let Some(mut o) = open.take() {
                o.take(&data[seg..start], &finder, &mut part);
                let before = if start == 0 {
                    &last_line[..]
                } else {
                    let s = memchr::memrchr(b'\n', &data[..start - 1]).map_or(0, |i| i + 1);
                    &data[s..start - 1]
                };
                part.closed.push(Closed {
                    start: at_file,
                    end: base + end as u64,
                    line: line.to_vec(),
                    facts: Facts::of(line, &finder),
                    before: Facts::of(before, &finder),
                    lines: o.lines,
                    hash: *o.hasher.finalize().as_bytes(),
                });
            }
            if at_file >= to {
                done = true; // the next part's first checkpoint
                break;
            }
            open = Some(Open::new());
            seg = start;
        }
        if done {
            break;
        }
        let next_line = base + last_nl as u64 + 1;
        match open.as_mut() {
            Some(o) => {
                o.take(&data[seg..], &finder, &mut part);
                let s = memchr::memrchr(b'\n', &data[..last_nl]).map_or(0, |i| i + 1);
                last_line.clear();
                last_line.extend_from_slice(&data[s..last_nl]);
            }
            // No checkpoint in this part: its lines are the part before's.
            None if next_line >= to => break,
            None => {}
        }
        buf.copy_within(last_nl + 1..filled, 0);
        keep = filled - (last_nl + 1);
        base = next_line;
    }
    Ok(part)
}

/// Read into `buf` from byte `at` until it is full or the file ends.
fn read_at(file: &File, buf: &mut [u8], at: u64) -> io::Result<usize> {
    let mut got = 0;
    while got < buf.len() {
        match file.read_at(&mut buf[got..], at + got as u64) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(got)
}
