//! read_file's pages, as in AI Coder v3: `offset` lines skipped (from 0),
//! `limit` lines shown (150 by default), lines over 2,000 characters cut,
//! and a page never larger than [`PAGE_MAX_BYTES`] whatever the limit. The
//! file is streamed, so a page of a huge log costs the page, not the file.

use super::ToolError;
use std::io::{BufRead, BufReader, Read};

/// Lines a read shows when the call sets no limit (v3's DEFAULT_READ_LIMIT).
pub const DEFAULT_READ_LIMIT: usize = 150;
/// Characters kept of one line (v3's MAX_LINE_LENGTH).
pub const MAX_LINE_CHARS: usize = 2000;
/// The most one page sends to the model.
pub const PAGE_MAX_BYTES: usize = 100 << 10;
/// Lines after the page are counted only this far into the file.
const COUNT_MAX_BYTES: u64 = 64 << 20;

/// One line of the file: what is kept of it and how long it was.
struct Line {
    kept: Vec<u8>,
    chars: usize,
    newline: bool,
}

/// The next line, keeping at most [`MAX_LINE_CHARS`] characters of it when
/// `keep`; a line of any length costs only a buffer.
fn next_line<R: BufRead>(reader: &mut R, keep: bool) -> std::io::Result<Option<Line>> {
    let mut line = Line {
        kept: Vec::new(),
        chars: 0,
        newline: false,
    };
    let mut any = false;
    loop {
        let buf = reader.fill_buf()?;
        if buf.is_empty() {
            break;
        }
        any = true;
        let (chunk, ends) = match buf.iter().position(|&b| b == b'\n') {
            Some(i) => (&buf[..i], true),
            None => (buf, false),
        };
        for &b in chunk {
            // A UTF-8 continuation byte does not start a character.
            if b & 0xC0 != 0x80 {
                line.chars += 1;
            }
            if keep && line.chars <= MAX_LINE_CHARS {
                line.kept.push(b);
            }
        }
        let used = chunk.len() + usize::from(ends);
        reader.consume(used);
        if ends {
            line.newline = true;
            break;
        }
    }
    Ok(any.then_some(line))
}

/// A page of `file` for the model. The whole of a small file comes back as
/// it is; otherwise the page ends with a line saying which lines it holds
/// and, when more remain, how to read on.
pub fn page(
    file: std::fs::File,
    shown: &str,
    offset: usize,
    limit: usize,
) -> Result<String, ToolError> {
    let failed = |e: std::io::Error| ToolError::Failed(format!("cannot read {shown}: {e}"));
    let mut reader = BufReader::with_capacity(64 << 10, file.take(u64::MAX));
    for skipped in 0..offset {
        if next_line(&mut reader, false).map_err(failed)?.is_none() {
            return Err(ToolError::Failed(format!(
                "offset {offset} is beyond the end of {shown} ({skipped} lines); offsets count lines from 0"
            )));
        }
    }
    let mut out = String::new();
    let mut taken = 0;
    let mut cut_lines = false;
    let mut bound_hit = false;
    let mut pending: Option<Line> = None;
    while taken < limit {
        let Some(line) = next_line(&mut reader, true).map_err(failed)? else {
            break;
        };
        let mut text = String::from_utf8_lossy(&line.kept).into_owned();
        if line.chars > MAX_LINE_CHARS {
            cut_lines = true;
            text.push_str(&format!("... ({} chars total)", line.chars));
        }
        if line.newline {
            text.push('\n');
        }
        if taken > 0 && out.len() + text.len() > PAGE_MAX_BYTES {
            bound_hit = true;
            pending = Some(line);
            break;
        }
        out.push_str(&text);
        taken += 1;
    }
    if offset > 0 && taken == 0 {
        return Err(ToolError::Failed(format!(
            "offset {offset} is beyond the end of {shown} ({offset} lines); offsets count lines from 0"
        )));
    }
    // Count what remains, as far as is cheap.
    let mut rest = usize::from(pending.is_some());
    let mut more = pending.is_some();
    let counted_all = loop {
        match next_line(&mut reader, false).map_err(failed)? {
            Some(_) => {
                rest += 1;
                more = true;
            }
            None => break true,
        }
        if reader.get_ref().limit() < u64::MAX - COUNT_MAX_BYTES {
            break false;
        }
    };
    if offset == 0 && !more && !cut_lines {
        return Ok(if out.is_empty() {
            format!("({shown} is empty)")
        } else {
            out
        });
    }
    let first = offset + 1;
    let last = offset + taken;
    let total = if counted_all {
        format!("{}", last + rest)
    } else {
        format!("more than {}", last + rest)
    };
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
    out.push_str(&format!("[{shown}: lines {first}-{last} of {total}"));
    if bound_hit {
        out.push_str(&format!(
            "; the page stopped at {} KiB",
            PAGE_MAX_BYTES >> 10
        ));
    }
    if more {
        out.push_str(&format!(
            "; more remains: call read_file with offset {last} to read on"
        ));
    }
    out.push(']');
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page_of(text: &str, offset: usize, limit: usize) -> Result<String, ToolError> {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("f.txt");
        std::fs::write(&path, text).expect("write");
        page(
            std::fs::File::open(&path).expect("open"),
            "f.txt",
            offset,
            limit,
        )
    }

    #[test]
    fn small_files_whole_large_ones_in_pages() {
        assert_eq!(page_of("a\nb\n", 0, 150).expect("page"), "a\nb\n");
        assert_eq!(page_of("a\nb", 0, 150).expect("page"), "a\nb");
        let p = page_of("a\nb\nc\n", 1, 1).expect("page");
        assert_eq!(
            p,
            "b\n[f.txt: lines 2-2 of 3; more remains: call read_file with offset 2 to read on]"
        );
        let p = page_of("a\nb\nc", 2, 5).expect("page");
        assert_eq!(p, "c\n[f.txt: lines 3-3 of 3]");
        let err = page_of("a\nb\n", 2, 5).expect_err("beyond");
        assert!(err.to_string().contains("beyond the end"), "{err}");
        let wide = format!("{}\n", "é".repeat(3000));
        let p = page_of(&wide, 0, 5).expect("page");
        assert!(p.starts_with(&"é".repeat(2000)) && !p.starts_with(&"é".repeat(2001)));
        assert!(p.contains("(3000 chars total)"), "{p}");
    }
}
