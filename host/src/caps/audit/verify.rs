//! `aicoder audit verify`: the whole chain checked at about the speed of
//! reading the file. The file is read in windows of whole lines; within a
//! window every line is hashed and its chain fields parsed on all cores
//! (each line's hash depends on that line alone), then one pass in order
//! checks each link against the line before, exactly as a line-by-line walk
//! would, so the first broken line is named the same way. Only lines that
//! name a blob are parsed as JSON.

use super::chain::{self, Link};
use super::{blobs, AuditEntry};
use std::collections::HashSet;
use std::fs::File;
use std::io::Read;
use std::path::Path;

/// Bytes read per window (whole lines are processed, the rest carried over).
const WINDOW: usize = 8 << 20;

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
struct Facts {
    hash: [u8; 32],
    link: Option<Link>,
    names_blob: bool,
}

impl Facts {
    const EMPTY: Facts = Facts {
        hash: [0; 32],
        link: None,
        names_blob: false,
    };

    fn of(line: &[u8], blob_finder: &memchr::memmem::Finder<'_>) -> Facts {
        Facts {
            hash: chain::line_hash(line),
            link: chain::parse_link(line),
            names_blob: blob_finder.find(line).is_some(),
        }
    }
}

/// The in-order state of the walk.
struct Walk {
    v: Verification,
    before: Option<([u8; 32], Option<Link>)>,
    in_chain: bool,
    blob_dir: std::path::PathBuf,
    checked_blobs: HashSet<String>,
}

impl Walk {
    /// Check one line (its number is `self.v.lines + 1`); `false` once broken.
    fn step(&mut self, line: &[u8], facts: &Facts) -> bool {
        self.v.lines += 1;
        let line_no = self.v.lines;
        if facts.link.is_none() && !self.in_chain {
            self.v.unchained_before += 1;
            self.before = Some((facts.hash, None));
            return true;
        }
        let prior = self.before.as_ref().map(|(h, l)| (h, *l));
        if let Some(why) = chain::check_link(line_no, facts.link, prior) {
            self.v.broken = Some(why);
            return false;
        }
        self.in_chain = true;
        self.v.last_seq = facts.link.map(|l| l.seq);
        if facts.names_blob {
            if let Err(why) = check_blobs(line, &self.blob_dir, &mut self.checked_blobs) {
                self.v.broken = Some(format!("line {line_no}: {why}"));
                return false;
            }
        }
        self.before = Some((facts.hash, facts.link));
        true
    }

    /// Check the whole lines of `data` (each ends with a newline); `false`
    /// once broken.
    fn window(&mut self, data: &[u8], threads: usize, facts: &mut Vec<Facts>) -> bool {
        let mut lines: Vec<&[u8]> = Vec::with_capacity(data.len() / 256 + 1);
        let mut start = 0;
        for end in memchr::memchr_iter(b'\n', data) {
            lines.push(&data[start..end]);
            start = end + 1;
        }
        facts.clear();
        facts.resize(lines.len(), Facts::EMPTY);
        let per = lines.len().div_ceil(threads.max(1)).max(1);
        std::thread::scope(|s| {
            for (part, out) in lines.chunks(per).zip(facts.chunks_mut(per)) {
                s.spawn(move || {
                    let finder = memchr::memmem::Finder::new(b"_blob\":{");
                    for (line, f) in part.iter().zip(out.iter_mut()) {
                        *f = Facts::of(line, &finder);
                    }
                });
            }
        });
        lines.iter().zip(facts.iter()).all(|(l, f)| self.step(l, f))
    }
}

/// Check the whole chain of the log at `path` and the blobs its lines name,
/// reading the file once from the start. A missing log verifies (empty).
pub fn verify(path: &Path) -> std::io::Result<Verification> {
    verify_in_windows(path, WINDOW)
}

/// [`verify`] reading `window` bytes at a time.
fn verify_in_windows(path: &Path, window: usize) -> std::io::Result<Verification> {
    let mut file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Verification::default()),
        Err(e) => return Err(e),
    };
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(16));
    let mut walk = Walk {
        v: Verification::default(),
        before: None,
        in_chain: false,
        blob_dir: blobs::dir_for(path),
        checked_blobs: HashSet::new(),
    };
    // `buf[..len]` holds unread bytes: the start of a line carried over,
    // then what was read. Allocated (and zeroed) once.
    let mut buf: Vec<u8> = vec![0; window * 2];
    let mut len = 0;
    let mut facts = Vec::new();
    loop {
        if buf.len() < len + window {
            buf.resize(len + window, 0); // a line longer than a window
        }
        let carried = len;
        while len < carried + window {
            match file.read(&mut buf[len..carried + window]) {
                Ok(0) => break,
                Ok(n) => len += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        if len == carried {
            // End of file: what is left is a line without its newline.
            if len > 0 {
                walk.v.lines += 1;
                walk.v.broken = Some(format!(
                    "line {} is cut short (no end of line): a write was interrupted",
                    walk.v.lines
                ));
            }
            break;
        }
        let Some(last_newline) = memchr::memrchr(b'\n', &buf[..len]) else {
            continue; // no whole line yet: read on
        };
        if !walk.window(&buf[..=last_newline], threads, &mut facts) {
            break;
        }
        buf.copy_within(last_newline + 1..len, 0);
        len -= last_newline + 1;
    }
    walk.v.blobs = walk.checked_blobs.len() as u64;
    Ok(walk.v)
}

/// Read back each blob a line names (once per blob) and check its hash.
fn check_blobs(line: &[u8], dir: &Path, checked: &mut HashSet<String>) -> Result<(), String> {
    let entry: AuditEntry =
        serde_json::from_slice(line).map_err(|e| format!("not a valid entry: {e}"))?;
    for blob in [&entry.old_blob, &entry.new_blob].into_iter().flatten() {
        if checked.contains(&blob.hash) {
            continue;
        }
        blobs::read_checked(dir, blob).map_err(|e| e.to_string())?;
        checked.insert(blob.hash.clone());
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::super::{AuditLine, AuditLog, LineTime, Outcome};
    use super::*;
    use serde_json::json;

    /// The line-by-line walk `verify` replaced: the reference it must agree with.
    fn one_by_one(path: &Path) -> Verification {
        let text = std::fs::read(path).unwrap();
        let mut walk = Walk {
            v: Verification::default(),
            before: None,
            in_chain: false,
            blob_dir: blobs::dir_for(path),
            checked_blobs: HashSet::new(),
        };
        let finder = memchr::memmem::Finder::new(b"_blob\":{");
        let mut rest = &text[..];
        while !rest.is_empty() {
            let Some(end) = memchr::memchr(b'\n', rest) else {
                walk.v.lines += 1;
                walk.v.broken = Some(format!(
                    "line {} is cut short (no end of line): a write was interrupted",
                    walk.v.lines
                ));
                break;
            };
            let line = &rest[..end];
            if !walk.step(line, &Facts::of(line, &finder)) {
                break;
            }
            rest = &rest[end + 1..];
        }
        walk.v.blobs = walk.checked_blobs.len() as u64;
        walk.v
    }

    fn write_log(path: &Path, lines: usize) {
        let log = AuditLog::new(path.to_path_buf());
        let args = json!({});
        for i in 0..lines {
            let big = json!("x".repeat(if i % 97 == 5 { 5000 } else { i % 300 }));
            log.record_line(&AuditLine {
                time: LineTime::Given("2026-12-06T00:00:00.000Z"),
                plugin: "p",
                hash: "h",
                capability: "workspace.write",
                operation: "set-cwd",
                args: &args,
                old: Some(&big),
                new: None,
                outcome: Outcome::Allowed,
                scope: None,
                within: None,
                detail: None,
            });
        }
    }

    fn same(path: &Path) {
        let want = one_by_one(path);
        for window in [64, 1000, 4096, 1 << 20] {
            let got = verify_in_windows(path, window).unwrap();
            assert_eq!(
                (
                    got.lines,
                    got.unchained_before,
                    got.last_seq,
                    got.blobs,
                    &got.broken
                ),
                (
                    want.lines,
                    want.unchained_before,
                    want.last_seq,
                    want.blobs,
                    &want.broken
                ),
                "window {window}"
            );
        }
    }

    #[test]
    fn windows_on_all_cores_agree_with_the_line_by_line_walk() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("audit.jsonl");
        std::fs::write(&path, "{\"legacy\":1}\n{\"legacy\":2}\n").unwrap();
        write_log(&path, 2000);
        let intact = std::fs::read(&path).unwrap();
        same(&path);
        let v = verify(&path).unwrap();
        assert_eq!((v.broken, v.lines, v.unchained_before), (None, 2002, 2));
        assert!(v.blobs > 0);

        let lines: Vec<&[u8]> = intact.split_inclusive(|b| *b == b'\n').collect();
        let rewrite = |f: &dyn Fn(&mut Vec<Vec<u8>>)| {
            let mut ls: Vec<Vec<u8>> = lines.iter().map(|l| l.to_vec()).collect();
            f(&mut ls);
            std::fs::write(&path, ls.concat()).unwrap();
        };
        // A value changed in the middle, a line removed, two swapped, the
        // end cut short, a blob damaged: each named at the same line.
        rewrite(&|ls| {
            let l = String::from_utf8(ls[1500].clone()).unwrap();
            ls[1500] = l.replace("set-cwd", "get-cwd").into_bytes();
        });
        same(&path);
        let broken = verify(&path).unwrap().broken.unwrap();
        assert!(broken.contains("line 1502"), "{broken}");
        rewrite(&|ls| {
            ls.remove(700);
        });
        same(&path);
        rewrite(&|ls| ls.swap(10, 11));
        same(&path);
        rewrite(&|ls| {
            let last = ls.last_mut().unwrap();
            last.truncate(last.len() / 2);
        });
        same(&path);
        assert!(verify(&path).unwrap().broken.unwrap().contains("cut short"));
        std::fs::write(&path, &intact).unwrap();
        let blob = std::fs::read_dir(blobs::dir_for(&path))
            .unwrap()
            .next()
            .unwrap()
            .unwrap()
            .path();
        std::fs::write(blob, "{}").unwrap();
        same(&path);
        assert!(verify(&path).unwrap().broken.is_some());
    }
}
