//! The hash chain of the audit log. Every line aicoder writes starts with
//! `{"seq":N,"prev":"<hex blake3 of the line before>",`; the first chained
//! line of a file has seq 1 and, as `prev`, the hash of the line before it
//! (an unchained line written by an older aicoder) or 64 zeros. A line is
//! hashed as stored, without its newline.
//!
//! What the chain shows: a line changed, removed or inserted by anything
//! that did not recompute every later link. It cannot show a change to the
//! newest line (nothing links to it yet) nor a rewrite of the whole tail by a
//! writer that recomputes the hashes: that is kept out by `.aicoder/` being
//! out of every plugin's reach.

use std::fs::File;
use std::io::Read;
use std::os::unix::fs::FileExt;
use std::path::Path;

/// `prev` of a chain's first line when nothing is before it.
pub const GENESIS_PREV: [u8; 32] = [0; 32];

/// The chain fields at the start of a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Link {
    pub seq: u64,
    pub prev: [u8; 32],
}

/// The hash a line is known by.
pub fn line_hash(line: &[u8]) -> [u8; 32] {
    *blake3::hash(line).as_bytes()
}

/// Write the chain prefix of a line: `{"seq":N,"prev":"HEX",`, then the
/// checkpoint of the lines before it when it carries one:
/// `"block":{"lines":K,"hash":"HEX"},`.
pub fn write_prefix(out: &mut Vec<u8>, seq: u64, prev: &[u8; 32], block: Option<&Block>) {
    out.extend_from_slice(b"{\"seq\":");
    out.extend_from_slice(seq.to_string().as_bytes());
    out.extend_from_slice(b",\"prev\":\"");
    out.extend_from_slice(blake3::Hash::from_bytes(*prev).to_hex().as_bytes());
    out.extend_from_slice(b"\",");
    if let Some(block) = block {
        out.extend_from_slice(BLOCK_KEY);
        out.extend_from_slice(block.lines.to_string().as_bytes());
        out.extend_from_slice(b",\"hash\":\"");
        out.extend_from_slice(blake3::Hash::from_bytes(block.hash).to_hex().as_bytes());
        out.extend_from_slice(b"\"},");
    }
}

/// A checkpoint: the blake3 of the `lines` whole lines (their bytes as
/// stored, newlines included) just before the line that carries it. It
/// lets `audit verify` hash the log in bulk instead of line by line (see
/// `verify.rs`); the per-line chain stays, to name a broken line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Block {
    pub lines: u64,
    pub hash: [u8; 32],
}

/// How a checkpoint starts, right after the chain prefix.
pub(super) const BLOCK_KEY: &[u8] = b"\"block\":{\"lines\":";

/// The length of the chain prefix `{"seq":N,"prev":"HEX",` at the start of
/// `line` (the same checks as [`parse_link`] but the hex digits').
fn prefix_len(line: &[u8]) -> Option<usize> {
    let rest = line.strip_prefix(b"{\"seq\":")?;
    let digits = rest
        .iter()
        .take(21)
        .take_while(|b| b.is_ascii_digit())
        .count();
    let end = 7 + digits + 9 + 64 + 2;
    (digits > 0
        && digits <= 20
        && line.get(7 + digits..7 + digits + 9) == Some(b",\"prev\":\"")
        && line.get(end - 2..end) == Some(b"\","))
    .then_some(end)
}

/// Whether `line` looks like it carries a checkpoint: cheap, for the bulk
/// pass over every line; [`parse_block`] decides.
pub fn has_block(line: &[u8]) -> bool {
    prefix_len(line).is_some_and(|at| line[at..].starts_with(BLOCK_KEY))
}

/// The checkpoint `line` carries, and where the line's own fields start.
fn split_block(line: &[u8]) -> Option<(Block, usize)> {
    let at = prefix_len(line)?;
    let rest = line[at..].strip_prefix(BLOCK_KEY)?;
    let digits = rest
        .iter()
        .take(21)
        .take_while(|b| b.is_ascii_digit())
        .count();
    if digits == 0 || digits > 20 || (digits > 1 && rest[0] == b'0') {
        return None;
    }
    let mut lines: u64 = 0;
    for d in &rest[..digits] {
        lines = lines.checked_mul(10)?.checked_add(u64::from(d - b'0'))?;
    }
    let rest = rest[digits..].strip_prefix(b",\"hash\":\"")?;
    let hash = decode_hex(rest.get(..64)?)?;
    if rest.get(64..67) != Some(b"\"},") {
        return None;
    }
    let used = line.len() - rest.len() + 67;
    Some((Block { lines, hash }, used))
}

/// The checkpoint `line` carries, if any.
pub fn parse_block(line: &[u8]) -> Option<Block> {
    split_block(line).map(|(b, _)| b)
}

/// The chain fields of `line`, if it starts the way aicoder writes them.
/// By hand, with a table for the hex: `blake3::Hash::from_hex` was a
/// quarter of `audit verify`, and a digit-by-digit `Option` decode still a
/// quarter of what was left.
pub fn parse_link(line: &[u8]) -> Option<Link> {
    let rest = line.strip_prefix(b"{\"seq\":")?;
    let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
    if digits == 0 || digits > 20 || (digits > 1 && rest[0] == b'0') {
        return None;
    }
    let mut seq: u64 = 0;
    for d in &rest[..digits] {
        seq = seq.checked_mul(10)?.checked_add(u64::from(d - b'0'))?;
    }
    let rest = rest[digits..].strip_prefix(b",\"prev\":\"")?;
    let hex = rest.get(..64)?;
    if !matches!(rest.get(64..66), Some(b"\",")) {
        return None;
    }
    let prev = decode_hex(hex)?;
    Some(Link { seq, prev })
}

/// 64 lowercase hex digits as 32 bytes.
fn decode_hex(hex: &[u8]) -> Option<[u8; 32]> {
    let mut out = [0u8; 32];
    let mut bad = 0u8;
    for (byte, pair) in out.iter_mut().zip(hex.chunks_exact(2)) {
        let (hi, lo) = (HEX[usize::from(pair[0])], HEX[usize::from(pair[1])]);
        bad |= hi | lo;
        *byte = (hi << 4) | (lo & 0x0f);
    }
    (hex.len() == 64 && bad & 0xf0 == 0).then_some(out)
}

/// The value of each lowercase hex digit; 0xff for any other byte.
const HEX: [u8; 256] = {
    let mut table = [0xffu8; 256];
    let mut i = 0;
    while i < 10 {
        table[b'0' as usize + i] = i as u8;
        i += 1;
    }
    let mut i = 0;
    while i < 6 {
        table[b'a' as usize + i] = 10 + i as u8;
        i += 1;
    }
    table
};

/// What follows the chain prefix of `line` (the line's own fields, after
/// the `,` that ends the prefix), if it has one.
/// A checkpoint the line carries is part of the prefix.
pub fn after_prefix(line: &[u8]) -> Option<&[u8]> {
    parse_link(line)?;
    if let Some((_, used)) = split_block(line) {
        return line.get(used..);
    }
    line.get(prefix_len(line)?..)
}

/// Short hex of a hash, for messages.
pub fn short_hex(hash: &[u8; 32]) -> String {
    blake3::Hash::from_bytes(*hash).to_hex()[..12].to_string()
}

/// Why a line does not follow the line before it, or `None` when it does.
/// `before` is the line before (its hash and chain fields), `None` at the
/// start of the file; `line_no` is the 1-based number of `line`.
pub fn check_link(
    line_no: u64,
    link: Option<Link>,
    before: Option<(&[u8; 32], Option<Link>)>,
) -> Option<String> {
    let Some(link) = link else {
        return Some(format!(
            "line {line_no} has no chain fields (seq, prev): it was not written by aicoder's \
             audit log (forged, edited or cut short)"
        ));
    };
    match before {
        None if link.seq == 1 && link.prev == GENESIS_PREV => None,
        None => Some(format!(
            "line {line_no} (seq {}) is the first line but does not start a chain: \
             the lines before it were removed",
            link.seq
        )),
        Some((_, Some(prior))) if link.seq == 1 => Some(format!(
            "line {line_no} restarts the chain (seq 1) after line {} (seq {}): \
             the log was damaged or lines were removed there",
            line_no - 1,
            prior.seq
        )),
        Some((hash, None)) if link.seq == 1 => (link.prev != *hash).then(|| {
            format!(
                "line {line_no} starts the chain but its prev is not the hash of line {}",
                line_no - 1
            )
        }),
        Some((_, None)) => Some(format!(
            "line {line_no} (seq {}) follows line {}, which has no chain fields: \
             line {} was changed or forged",
            link.seq,
            line_no - 1,
            line_no - 1
        )),
        Some((hash, Some(prior))) => {
            if link.seq != prior.seq.wrapping_add(1) {
                if link.seq > prior.seq {
                    let gap = link.seq - prior.seq - 1;
                    Some(format!(
                        "line {line_no} (seq {}) follows seq {}: {gap} line(s) missing before it",
                        link.seq, prior.seq
                    ))
                } else {
                    Some(format!(
                        "line {line_no} (seq {}) follows seq {}: out of order (a line was \
                         inserted or moved)",
                        link.seq, prior.seq
                    ))
                }
            } else if link.prev != *hash {
                Some(format!(
                    "line {line_no} (seq {}) does not follow line {} (seq {}): its prev {} is \
                     not the hash {} of line {}, so one of the two lines was changed",
                    link.seq,
                    line_no - 1,
                    prior.seq,
                    short_hex(&link.prev),
                    short_hex(hash),
                    line_no - 1
                ))
            } else {
                None
            }
        }
    }
}

/// The lines of a file from the last to the first, read in blocks from the
/// end: the cost is what is read, not the size of the file.
pub struct ReverseLines<'a> {
    file: &'a File,
    /// Unread bytes are `0..data_start` on disk, then `data` in memory.
    data_start: u64,
    data: Vec<u8>,
    done: bool,
}

const BLOCK: u64 = 64 << 10;

impl<'a> ReverseLines<'a> {
    /// The lines of `file`'s first `len` bytes. A final newline ends the
    /// last line; bytes after the last newline are a line cut short.
    pub fn new(file: &'a File, len: u64) -> std::io::Result<Self> {
        let mut lines = ReverseLines {
            file,
            data_start: len,
            data: Vec::new(),
            done: len == 0,
        };
        if len > 0 {
            lines.read_block()?;
            if lines.data.last() == Some(&b'\n') {
                lines.data.pop();
            }
        }
        Ok(lines)
    }

    fn read_block(&mut self) -> std::io::Result<()> {
        let size = BLOCK.min(self.data_start);
        let start = self.data_start - size;
        let mut block = vec![0; size as usize];
        self.file.read_exact_at(&mut block, start)?;
        block.extend_from_slice(&self.data);
        self.data = block;
        self.data_start = start;
        Ok(())
    }

    /// The previous line: its byte offset and text (without the newline).
    pub fn next_line(&mut self) -> std::io::Result<Option<(u64, Vec<u8>)>> {
        if self.done {
            return Ok(None);
        }
        loop {
            if let Some(at) = memchr::memrchr(b'\n', &self.data) {
                let line = self.data.split_off(at + 1);
                self.data.pop();
                return Ok(Some((self.data_start + at as u64 + 1, line)));
            }
            if self.data_start == 0 {
                self.done = true;
                return Ok(Some((0, std::mem::take(&mut self.data))));
            }
            self.read_block()?;
        }
    }
}

/// The 1-based number of the line starting at byte `offset` (counts the
/// newlines before it: only for messages about a broken line).
pub fn line_number(path: &Path, offset: u64) -> std::io::Result<u64> {
    let mut file = File::open(path)?.take(offset);
    let mut buf = vec![0; 1 << 20];
    let mut newlines = 0u64;
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            return Ok(newlines + 1);
        }
        newlines += memchr::memchr_iter(b'\n', &buf[..n]).count() as u64;
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn prefix_round_trips_and_odd_prefixes_are_refused() {
        let mut out = Vec::new();
        let prev = line_hash(b"x");
        write_prefix(&mut out, 42, &prev, None);
        out.extend_from_slice(b"\"time\":\"t\"}");
        assert_eq!(parse_link(&out), Some(Link { seq: 42, prev }));
        assert_eq!(after_prefix(&out), Some(&b"\"time\":\"t\"}"[..]));
        assert!(!has_block(&out));
        let block = Block {
            lines: 4096,
            hash: line_hash(b"y"),
        };
        let mut with = Vec::new();
        write_prefix(&mut with, 7, &prev, Some(&block));
        with.extend_from_slice(b"\"time\":\"t\"}");
        assert!(has_block(&with));
        assert_eq!(parse_block(&with), Some(block));
        assert_eq!(parse_link(&with), Some(Link { seq: 7, prev }));
        assert_eq!(after_prefix(&with), Some(&b"\"time\":\"t\"}"[..]));
        let v: serde_json::Value = serde_json::from_slice(&with).unwrap();
        assert_eq!(v["block"]["lines"], 4096);
        assert_eq!(parse_link(b"{\"time\":\"t\"}"), None);
        assert_eq!(parse_link(b"{\"seq\":01,\"prev\":\"00\","), None);
        let upper = String::from_utf8(out.clone()).unwrap().to_uppercase();
        assert_eq!(parse_link(upper.as_bytes()), None);
    }

    #[test]
    fn reverse_lines_reads_lines_across_blocks_and_a_cut_last_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log");
        let long = "y".repeat(200_000);
        let mut f = File::create(&path).unwrap();
        write!(f, "a\n{long}\n\nb\ncut").unwrap();
        let file = File::open(&path).unwrap();
        let len = file.metadata().unwrap().len();
        let mut lines = ReverseLines::new(&file, len).unwrap();
        let mut seen = Vec::new();
        while let Some((offset, line)) = lines.next_line().unwrap() {
            seen.push((offset, String::from_utf8(line).unwrap()));
        }
        let l = long.len() as u64;
        assert_eq!(
            seen,
            [
                (l + 6, "cut".to_string()),
                (l + 4, "b".to_string()),
                (l + 3, String::new()),
                (2, long.clone()),
                (0, "a".to_string()),
            ]
        );
        assert_eq!(line_number(&path, l + 4).unwrap(), 4);
    }

    #[test]
    fn links_name_what_is_wrong() {
        let h = line_hash(b"line");
        let ok = Link { seq: 3, prev: h };
        let prior = Link { seq: 2, prev: h };
        assert_eq!(check_link(5, Some(ok), Some((&h, Some(prior)))), None);
        let gap = check_link(5, Some(Link { seq: 4, prev: h }), Some((&h, Some(prior))));
        assert!(gap.unwrap().contains("1 line(s) missing"));
        let changed = check_link(5, Some(ok), Some((&line_hash(b"other"), Some(prior))));
        assert!(changed.unwrap().contains("line 4"));
        assert!(check_link(
            1,
            Some(Link {
                seq: 1,
                prev: GENESIS_PREV
            }),
            None
        )
        .is_none());
        assert!(check_link(2, Some(Link { seq: 1, prev: h }), Some((&h, None))).is_none());
        assert!(check_link(2, None, Some((&h, Some(prior)))).is_some());
    }
}
