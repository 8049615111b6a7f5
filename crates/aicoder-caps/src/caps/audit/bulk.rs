//! The fast path of `audit verify`: an intact log written with checkpoints
//! ([`chain::Block`]) shown intact at about the speed of reading it.
//!
//! The file is read in windows, by a thread of its own one window ahead of
//! the checking (reading and hashing overlap); each line is only found (`memchr`) and
//! looked at for a checkpoint (a fixed place in its prefix), and the bytes
//! go through one blake3 in bulk. At each checkpoint the block before it is
//! accepted whole when the checkpoint covers exactly the lines since the
//! last one and its hash is the hash of their bytes; only the checkpoint
//! line's own link (to the line before it) is checked one by one. Lines
//! not covered that way (before the first checkpoint of an older log, after
//! the last one, a block a checkpoint does not match) are walked line by
//! line, as `verify.rs` does. Any doubt (a link, a checkpoint, a blob, a
//! line cut short) returns `None`, and the line-by-line walk over the whole
//! file names the first broken line.
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
use std::os::unix::fs::FileExt;
use std::path::Path;

/// The segment being read: from the last checkpoint line (or the first line
/// of the file) on.
struct Segment {
    /// Lines in it so far.
    lines: u64,
    /// Where its second line starts (the first is checked already).
    after_first: u64,
    hasher: blake3::Hasher,
}

/// A checkpoint line found in a window.
struct Checkpoint {
    /// Where the line starts and ends (its newline) in the window.
    start: usize,
    end: usize,
    /// The line before it, when in the same window.
    prev: Option<(usize, usize)>,
    /// The lines of the segment it ends.
    lines: u64,
}

/// Verify the log at `path` (open as `file`) in bulk, reading `window`
/// bytes at a time: `Some` when every line is shown intact, `None` when the
/// line-by-line walk must decide.
pub(super) fn verify(
    path: &Path,
    file: &File,
    window: usize,
) -> std::io::Result<Option<Verification>> {
    // A thread of its own reads the next window while this one is checked,
    // so reading the file and hashing it overlap (`Reads`).
    let head = (window / 8).clamp(16, HEAD);
    std::thread::scope(|scope| {
        let (want, todo) = std::sync::mpsc::channel::<Vec<u8>>();
        let (done, filled) = std::sync::mpsc::channel();
        scope.spawn(move || {
            let mut at = 0u64;
            for mut buf in todo {
                let got = read_more(file, &mut buf[head..], at).map(|n| {
                    at += n as u64;
                    (buf, n)
                });
                if done.send(got).is_err() {
                    break;
                }
            }
        });
        for _ in 0..2 {
            // Two windows in flight: one read while the other is checked.
            let _ = want.send(vec![0; head + window]);
        }
        checked(path, file, window, &Reads { head, want, filled })
    })
}

/// Room kept before each window (at most) for the part of a line the
/// window before it ended in, so the two join without copying the window.
const HEAD: usize = 64 << 10;

/// The windows of the file, in order, from the reading thread.
struct Reads {
    /// The room before each window.
    head: usize,
    /// Buffers handed back to be filled with the next window.
    want: std::sync::mpsc::Sender<Vec<u8>>,
    /// Filled buffers: the window is at `head..head + n`.
    filled: std::sync::mpsc::Receiver<std::io::Result<(Vec<u8>, usize)>>,
}

impl Reads {
    fn next(&self) -> std::io::Result<(Vec<u8>, usize)> {
        self.filled
            .recv()
            .map_err(|_| std::io::Error::other("the thread reading the log stopped"))?
    }
}

fn checked(
    path: &Path,
    file: &File,
    window: usize,
    reads: &Reads,
) -> std::io::Result<Option<Verification>> {
    let mut walk = Walk::new(path, file);
    let finder = blob_finder();
    let mut seg = Segment {
        lines: 0,
        after_first: 0,
        hasher: blake3::Hasher::new(),
    };
    // The facts of the last line of the previous window, for a checkpoint
    // that opens the next one.
    let mut carry_facts: Option<Facts> = None;
    // The start of a line the last window ended in, and where `carry` (or
    // the first window) starts in the file.
    let mut carry: Vec<u8> = Vec::new();
    let mut base = 0u64;
    loop {
        let (mut chunk, n) = reads.next()?;
        if n == 0 {
            if !carry.is_empty() {
                return Ok(None); // the last line is cut short
            }
            break;
        }
        let joined: Vec<u8>;
        let head = reads.head;
        let view: &[u8] = if carry.len() <= head {
            chunk[head - carry.len()..head].copy_from_slice(&carry);
            &chunk[head - carry.len()..head + n]
        } else {
            // A line longer than the room before a window.
            joined = [&carry[..], &chunk[head..head + n]].concat();
            &joined
        };
        let Some(last_newline) = memchr::memrchr(b'\n', view) else {
            carry = view.to_vec();
            let _ = reads.want.send(chunk);
            continue;
        };
        let data = &view[..=last_newline];
        // Lines that name a blob: read back and checked now.
        let mut last_blob_line = None;
        for hit in finder.find_iter(data) {
            let start = memchr::memrchr(b'\n', &data[..hit]).map_or(0, |i| i + 1);
            if last_blob_line == Some(start) {
                continue;
            }
            last_blob_line = Some(start);
            let end = start + memchr::memchr(b'\n', &data[start..]).unwrap_or(data.len() - start);
            if !walk.blobs_of(&data[start..end]) {
                return Ok(None);
            }
        }
        // Find the lines and the checkpoints; lines are only counted.
        let mut cps: Vec<Checkpoint> = Vec::new();
        let mut start = 0;
        let mut prev: Option<(usize, usize)> = None;
        for end in memchr::memchr_iter(b'\n', data) {
            let line = &data[start..end];
            if base + start as u64 == 0 {
                if !walk.step(line, &Facts::of(line, &finder), 0) {
                    return Ok(None);
                }
                seg.lines = 1;
                seg.after_first = end as u64 + 1;
            } else if chain::has_block(line) {
                cps.push(Checkpoint {
                    start,
                    end,
                    prev,
                    lines: seg.lines,
                });
                seg.lines = 1;
            } else {
                seg.lines += 1;
            }
            prev = Some((start, end));
            start = end + 1;
        }
        // Hash the blocks: the one going on into this window and the one
        // going on past it (its hash state kept) on this thread, whole
        // blocks split with a second one.
        let mut edges: Vec<usize> = cps.iter().map(|c| c.start).collect();
        edges.push(data.len());
        let mut hashes = vec![[0u8; 32]; cps.len()];
        if let Some(first) = edges.first() {
            seg.hasher.update(&data[..*first]);
        }
        let whole_blocks: Vec<(usize, usize)> = edges.windows(2).map(|w| (w[0], w[1])).collect();
        let (done, rest) = hashes
            .split_first_mut()
            .map_or((None, &mut [][..]), |(a, b)| (Some(a), b));
        if let Some(first) = done {
            *first = *seg.hasher.finalize().as_bytes();
            seg.hasher.reset();
        }
        let last = whole_blocks.last().copied();
        let full = &whole_blocks[..whole_blocks.len().saturating_sub(1)];
        std::thread::scope(|scope| {
            let half = full.len() / 2;
            let (mine, theirs) = full.split_at(half);
            let (my_out, their_out) = rest.split_at_mut(half);
            scope.spawn(move || {
                for ((a, b), out) in theirs.iter().zip(their_out.iter_mut()) {
                    *out = *blake3::hash(&data[*a..*b]).as_bytes();
                }
            });
            for ((a, b), out) in mine.iter().zip(my_out.iter_mut()) {
                *out = *blake3::hash(&data[*a..*b]).as_bytes();
            }
            if let Some((a, b)) = last {
                seg.hasher.update(&data[a..b]);
            }
        });
        for (cp, hash) in cps.iter().zip(&hashes) {
            let line = &data[cp.start..cp.end];
            let at = base + cp.start as u64;
            let mut facts = Facts::of(line, &finder);
            let before = match cp.prev {
                Some((a, b)) => Some(Facts::of(&data[a..b], &finder)),
                None => carry_facts,
            };
            let whole = facts
                .block
                .is_some_and(|b| b.lines == cp.lines && b.hash == *hash);
            match before {
                Some(before) if whole && walk.in_chain => {
                    // The block is as written: its lines hold.
                    walk.v.lines += cp.lines - 1;
                    walk.before = Some((before.hash, before.link));
                    walk.v.last_seq = before.link.map(|l| l.seq);
                    walk.since_block.clear();
                    facts.block = None; // just checked
                    if !walk.step(line, &facts, at) {
                        return Ok(None);
                    }
                }
                _ => {
                    let next = at + line.len() as u64 + 1;
                    if !walk.region(seg.after_first, Some(next), window)? {
                        return Ok(None);
                    }
                }
            }
            seg.after_first = at + line.len() as u64 + 1;
        }
        carry_facts = prev.map(|(a, b)| Facts::of(&data[a..b], &finder));
        carry = view[last_newline + 1..].to_vec();
        base += last_newline as u64 + 1;
        let _ = reads.want.send(chunk);
    }
    // The lines after the last checkpoint, one by one.
    if seg.lines > 1 && !walk.region(seg.after_first, Some(base), window)? {
        return Ok(None);
    }
    Ok(Some(walk.finish()))
}

/// Read into `buf` from byte `at` until it is full or the file ends.
fn read_more(file: &File, buf: &mut [u8], at: u64) -> std::io::Result<usize> {
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
