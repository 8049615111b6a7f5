//! Where the chain goes on: the next sequence number, the hash of the last
//! line, and the checkpoint block being filled ([`chain::Block`]). The
//! writer chains lines onto a cursor; a new writer (or one that finds that
//! another process wrote) rebuilds it from the end of the file.

use super::chain::{self, Block, ReverseLines};
use std::fs::File;
use std::os::unix::fs::FileExt;
use std::sync::atomic::{AtomicU64, Ordering};

/// A line starting once the block holds this many bytes carries its
/// checkpoint. About 4,000 lines: the bulk hash runs at full speed, and the
/// lines a new writer reads back to continue the block stay few.
static BLOCK_BYTES: AtomicU64 = AtomicU64::new(1 << 20);

/// How far back a new writer looks for the last checkpoint before it
/// starts a block of its own (the lines in between are then checked line
/// by line by `audit verify`).
const RESUME_LIMIT: u64 = 4 << 20;

/// Smaller blocks, for tests that want many checkpoints in a short log.
#[cfg(test)]
pub(super) fn set_block_bytes(bytes: u64) {
    BLOCK_BYTES.store(bytes, Ordering::Relaxed);
}

/// The end of the chain as far as it is chained.
#[derive(Debug, Clone)]
pub(super) struct Cursor {
    pub seq: u64,
    pub prev: [u8; 32],
    /// Lines and bytes of the block so far, and their hash state.
    block_lines: u64,
    block_bytes: u64,
    hasher: blake3::Hasher,
}

impl Cursor {
    /// A cursor continuing `seq` and `prev` with a new, empty block.
    pub fn fresh(seq: u64, prev: [u8; 32]) -> Self {
        Cursor {
            seq,
            prev,
            block_lines: 0,
            block_bytes: 0,
            hasher: blake3::Hasher::new(),
        }
    }

    /// Append each body (a line after its `{`) to `out` behind its chain
    /// prefix, hashing each line as written; a line that starts once the
    /// block is full carries the block's checkpoint and starts the next.
    /// The block hash is fed in bulk (one update per call), which is what
    /// makes it cheap next to the per-line hash.
    pub fn chain_bodies<'a>(&mut self, out: &mut Vec<u8>, bodies: impl Iterator<Item = &'a [u8]>) {
        let limit = BLOCK_BYTES.load(Ordering::Relaxed);
        let mut unhashed = out.len();
        for rest in bodies {
            let line_start = out.len();
            if self.block_bytes >= limit && self.block_lines > 0 {
                self.hasher.update(&out[unhashed..line_start]);
                unhashed = line_start;
                let block = Block {
                    lines: self.block_lines,
                    hash: *self.hasher.finalize().as_bytes(),
                };
                chain::write_prefix(out, self.seq, &self.prev, Some(&block));
                self.hasher.reset();
                self.block_lines = 0;
                self.block_bytes = 0;
            } else {
                chain::write_prefix(out, self.seq, &self.prev, None);
            }
            out.extend_from_slice(rest);
            self.prev = chain::line_hash(&out[line_start..]);
            out.push(b'\n');
            self.seq += 1;
            self.block_lines += 1;
            self.block_bytes += (out.len() - line_start) as u64;
        }
        self.hasher.update(&out[unhashed..]);
    }
}

/// How to continue the chain of a file of `len` bytes, and whether its last
/// line was cut short (no newline). After a line without chain fields, or
/// one cut short, a new chain starts at seq 1; `audit verify` reports such a
/// restart unless only unchained lines come before it. The block continues
/// from the last checkpoint when it is near the end (or from the start of a
/// short log) and every line since links to the one before it; otherwise a
/// new block starts here.
pub(super) fn read_tail(file: &File, len: u64) -> std::io::Result<(Cursor, bool)> {
    if len == 0 {
        return Ok((Cursor::fresh(1, chain::GENESIS_PREV), false));
    }
    let mut last_byte = [0u8];
    file.read_exact_at(&mut last_byte, len - 1)?;
    let cut_short = last_byte[0] != b'\n';
    let mut lines = ReverseLines::new(file, len)?;
    let (last_at, last) = lines.next_line()?.unwrap_or_default();
    let hash = chain::line_hash(&last);
    let link = match chain::parse_link(&last) {
        Some(link) if !cut_short => link,
        _ => return Ok((Cursor::fresh(1, hash), cut_short)),
    };
    let mut cursor = Cursor::fresh(link.seq + 1, hash);
    // Back to the line that started the block: the last checkpoint, or
    // the first line of a log that has none yet. Each line's link to the
    // line before it is checked on the way: the next checkpoint will cover
    // these bytes, and `audit verify` accepts a matching block without
    // looking at the links inside it. After a break (a line edited,
    // removed or added), the block is not continued: the next checkpoint
    // covers only new lines, and verify walks these one by one.
    let mut count = 1;
    let mut line = (last_at, last);
    let mut later = link;
    let start = loop {
        if chain::has_block(&line.1) {
            break Some(line.0);
        }
        if line.0 == 0 {
            let first = chain::parse_link(&line.1);
            break first
                .filter(|l| l.seq == 1 && l.prev == chain::GENESIS_PREV)
                .map(|_| 0);
        }
        if len - line.0 > RESUME_LIMIT {
            break None;
        }
        let Some(earlier) = lines.next_line()? else {
            break None;
        };
        match chain::parse_link(&earlier.1) {
            Some(link)
                if link.seq.checked_add(1) == Some(later.seq)
                    && later.prev == chain::line_hash(&earlier.1) =>
            {
                later = link;
            }
            _ => break None,
        }
        line = earlier;
        count += 1;
    };
    if let Some(start) = start {
        let mut buf = vec![0; (len - start) as usize];
        file.read_exact_at(&mut buf, start)?;
        cursor.hasher.update(&buf);
        cursor.block_lines = count;
        cursor.block_bytes = len - start;
    }
    Ok((cursor, false))
}
