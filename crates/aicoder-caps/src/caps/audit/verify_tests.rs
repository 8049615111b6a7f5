//! Tests of `audit verify`: the bulk pass and the line-by-line walk agree,
//! and every kind of tamper names the first broken line.

use super::super::{AuditLine, AuditLog, LineTime, Outcome};
use super::*;
use serde_json::json;

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

type Summary = (u64, u64, Option<u64>, u64, Option<String>);

fn summary(v: Verification) -> Summary {
    (v.lines, v.unchained_before, v.last_seq, v.blobs, v.broken)
}

/// `verify` (bulk, then line by line) agrees with the line-by-line
/// walk at any window size; returns what it found.
fn same(path: &Path) -> Summary {
    let file = File::open(path).unwrap();
    let want = summary(line_by_line(path, &file, WINDOW).unwrap());
    for window in [64, 1000, 4096, 1 << 20] {
        assert_eq!(
            summary(line_by_line(path, &file, window).unwrap()),
            want,
            "line by line, window {window}"
        );
        for threads in [1, 2, 3, 7] {
            let got = match super::super::bulk::verify(path, &file, window, threads).unwrap() {
                Some(v) => {
                    assert_eq!(want.4, None, "bulk passed a broken log");
                    summary(v)
                }
                None => summary(line_by_line(path, &file, window).unwrap()),
            };
            assert_eq!(got, want, "window {window}, {threads} threads");
        }
    }
    assert_eq!(summary(verify(path).unwrap()), want);
    want
}

fn bulk_passes(path: &Path) -> bool {
    let file = File::open(path).unwrap();
    [1, 2, 3, 7].iter().all(|threads| {
        super::super::bulk::verify(path, &file, WINDOW, *threads)
            .unwrap()
            .is_some()
    })
}

fn broken(path: &Path) -> String {
    same(path).4.unwrap()
}

#[test]
fn every_tamper_kind_names_the_first_broken_line() {
    super::super::cursor::set_block_bytes(8 << 10);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("audit.jsonl");
    std::fs::write(&path, "{\"legacy\":1}\n{\"legacy\":2}\n").unwrap();
    write_log(&path, 3000);
    let intact = std::fs::read(&path).unwrap();
    let lines: Vec<&[u8]> = intact.split_inclusive(|b| *b == b'\n').collect();
    let checkpoints: Vec<usize> = (0..lines.len())
        .filter(|i| chain::parse_block(lines[*i]).is_some())
        .collect();
    assert!(checkpoints.len() > 20, "{}", checkpoints.len());
    let (n, unchained, last_seq, blobs, none) = same(&path);
    assert_eq!((n, unchained, last_seq, none), (3002, 2, Some(3000), None));
    assert!(blobs > 0);
    assert!(bulk_passes(&path), "an intact log passes in bulk");

    let rewrite = |f: &dyn Fn(&mut Vec<Vec<u8>>)| {
        let mut ls: Vec<Vec<u8>> = lines.iter().map(|l| l.to_vec()).collect();
        f(&mut ls);
        std::fs::write(&path, ls.concat()).unwrap();
    };
    let edit = |l: &[u8], from: &str, to: &str| -> Vec<u8> {
        String::from_utf8(l.to_vec())
            .unwrap()
            .replacen(from, to, 1)
            .into_bytes()
    };
    // A value changed in the middle: the line after it does not follow.
    rewrite(&|ls| ls[1500] = edit(&ls[1500], "set-cwd", "get-cwd"));
    assert!(broken(&path).starts_with("line 1502 "));
    // A line removed, two swapped, the end cut short.
    rewrite(&|ls| {
        ls.remove(700);
    });
    assert!(broken(&path).contains("line 701 (seq 700) follows seq 698"));
    rewrite(&|ls| ls.swap(10, 11));
    assert!(broken(&path).starts_with("line 11 "));
    rewrite(&|ls| {
        let last = ls.last_mut().unwrap();
        last.truncate(last.len() / 2);
    });
    assert!(broken(&path).contains("cut short"));
    // The line before a checkpoint changed: the checkpoint line's own
    // link shows it.
    let c = checkpoints[checkpoints.len() / 2];
    rewrite(&|ls| ls[c - 1] = edit(&ls[c - 1], "set-cwd", "get-cwd"));
    assert!(broken(&path).starts_with(&format!("line {} ", c + 1)));
    // A checkpoint forged (its hash changed): named itself.
    let forge = |l: &[u8]| -> Vec<u8> {
        let text = String::from_utf8(l.to_vec()).unwrap();
        let at = text.find("\"hash\":\"").unwrap() + 8;
        let flipped = if &text[at..=at] == "0" { "1" } else { "0" };
        format!("{}{flipped}{}", &text[..at], &text[at + 1..]).into_bytes()
    };
    rewrite(&|ls| ls[c] = forge(&ls[c]));
    let why = broken(&path);
    assert!(
        why.starts_with(&format!("line {}: its checkpoint", c + 1)),
        "{why}"
    );
    // A checkpoint recomputed to hide an edit in its block: the line
    // after the edit is named, as without checkpoints.
    rewrite(&|ls| {
        ls[c - 5] = edit(&ls[c - 5], "set-cwd", "get-cwd");
        let block = chain::parse_block(&ls[c]).unwrap();
        let covered = ls[c - block.lines as usize..c].concat();
        let old = blake3::Hash::from_bytes(block.hash).to_hex().to_string();
        let new = blake3::hash(&covered).to_hex().to_string();
        ls[c] = edit(&ls[c], &old, &new);
    });
    assert!(broken(&path).starts_with(&format!("line {} ", c - 3)));
    // A checkpoint removed: a line is missing there.
    rewrite(&|ls| {
        ls.remove(c);
    });
    let why = broken(&path);
    assert!(why.starts_with(&format!("line {} ", c + 1)), "{why}");
    assert!(why.contains("1 line(s) missing"), "{why}");
    // A checkpoint added where there was none: its claim is checked.
    rewrite(&|ls| {
        let l = String::from_utf8(ls[c + 3].clone()).unwrap();
        let at = l.find("\",").unwrap() + 2;
        let fake = format!(
            "{}\"block\":{{\"lines\":2,\"hash\":\"{}\"}},{}",
            &l[..at],
            "ab".repeat(32),
            &l[at..]
        );
        ls[c + 3] = fake.into_bytes();
    });
    let why = broken(&path);
    assert!(
        why.starts_with(&format!("line {}: its checkpoint", c + 4)),
        "{why}"
    );
    // A blob damaged.
    std::fs::write(&path, &intact).unwrap();
    let blob = std::fs::read_dir(blobs::dir_for(&path))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    std::fs::write(blob, "{}").unwrap();
    assert!(broken(&path).contains("blob"));
}

#[test]
fn a_log_without_checkpoints_still_verifies_and_names_breaks() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("audit.jsonl");
    // As an older aicoder wrote it: the per-line chain only.
    let mut out = Vec::new();
    let mut prev = chain::GENESIS_PREV;
    for seq in 1..=500u64 {
        let start = out.len();
        chain::write_prefix(&mut out, seq, &prev, None);
        out.extend_from_slice(format!("\"time\":\"t\",\"i\":{seq}}}").as_bytes());
        prev = chain::line_hash(&out[start..]);
        out.push(b'\n');
    }
    std::fs::write(&path, &out).unwrap();
    assert_eq!(same(&path), (500, 0, Some(500), 0, None));
    // Appended to by this aicoder: its checkpoints start after them.
    super::super::cursor::set_block_bytes(8 << 10);
    write_log(&path, 400);
    assert_eq!(same(&path).4, None);
    assert!(bulk_passes(&path));
    let text = String::from_utf8(out)
        .unwrap()
        .replace("\"i\":250}", "\"i\":251}");
    std::fs::write(&path, text).unwrap();
    assert!(broken(&path).starts_with("line 251 "));
}

#[test]
fn a_new_checkpoint_never_vouches_for_lines_edited_before_it() {
    super::super::cursor::set_block_bytes(8 << 10);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("audit.jsonl");
    // Intact, written by two writers: the second continues the block.
    write_log(&path, 120);
    write_log(&path, 120);
    assert_eq!(same(&path).4, None);
    assert!(bulk_passes(&path), "an intact continued log passes in bulk");
    let intact = std::fs::read(&path).unwrap();
    let lines: Vec<&[u8]> = intact.split_inclusive(|b| *b == b'\n').collect();
    let last_cp = (0..lines.len())
        .rfind(|i| chain::parse_block(lines[*i]).is_some())
        .unwrap();
    assert!(
        lines.len() - last_cp >= 4,
        "{} after",
        lines.len() - last_cp
    );
    // After the last checkpoint: a line edited, or one removed. The
    // next aicoder run appends until it writes a checkpoint.
    let edited = String::from_utf8(lines[last_cp + 2].to_vec())
        .unwrap()
        .replacen("set-cwd", "get-cwd", 1);
    let mut tampered: Vec<Vec<u8>> = lines.iter().map(|l| l.to_vec()).collect();
    tampered[last_cp + 2] = edited.into_bytes();
    let mut removed: Vec<Vec<u8>> = lines.iter().map(|l| l.to_vec()).collect();
    removed.remove(last_cp + 2);
    for (log, want) in [
        (tampered, format!("line {} ", last_cp + 4)),
        (removed, format!("line {} ", last_cp + 3)),
    ] {
        std::fs::write(&path, log.concat()).unwrap();
        write_log(&path, 100);
        let after = std::fs::read(&path).unwrap();
        let new_cps = after[log.concat().len()..]
            .split(|b| *b == b'\n')
            .filter(|l| chain::parse_block(l).is_some())
            .count();
        assert!(new_cps > 0, "the next run wrote a checkpoint");
        let why = verify(&path).unwrap().broken;
        assert!(
            why.as_ref().is_some_and(|w| w.starts_with(&want)),
            "{why:?}"
        );
        assert!(broken(&path).starts_with(&want));
    }
    // A log from before checkpoints, edited, then appended to: the
    // first checkpoint does not cover the edit.
    let mut out = Vec::new();
    let mut prev = chain::GENESIS_PREV;
    for seq in 1..=100u64 {
        let start = out.len();
        chain::write_prefix(&mut out, seq, &prev, None);
        out.extend_from_slice(format!("\"time\":\"t\",\"i\":{seq}}}").as_bytes());
        prev = chain::line_hash(&out[start..]);
        out.push(b'\n');
    }
    let text = String::from_utf8(out)
        .unwrap()
        .replace("\"i\":50}", "\"i\":51}");
    std::fs::write(&path, text).unwrap();
    write_log(&path, 100);
    let why = verify(&path).unwrap().broken;
    assert!(
        why.as_ref().is_some_and(|w| w.starts_with("line 51 ")),
        "{why:?}"
    );
    assert!(broken(&path).starts_with("line 51 "));
}

#[test]
fn a_break_inside_any_threads_part_is_named_exactly() {
    super::super::cursor::set_block_bytes(8 << 10);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("audit.jsonl");
    write_log(&path, 2000);
    let intact = std::fs::read(&path).unwrap();
    let lines: Vec<&[u8]> = intact.split_inclusive(|b| *b == b'\n').collect();
    let starts: Vec<usize> = lines
        .iter()
        .scan(0, |at, l| {
            let s = *at;
            *at += l.len();
            Some(s)
        })
        .collect();
    // The line a byte falls in (0-based).
    let line_at = |byte: usize| starts.partition_point(|s| *s <= byte) - 1;
    let file_len = intact.len();
    for threads in [2usize, 3, 5] {
        let share = file_len.div_ceil(threads);
        for part in 0..threads {
            // The middle of the part, the line its first byte falls in,
            // and the line just before that.
            let mut picks = vec![line_at(part * share + share / 2)];
            if part > 0 {
                picks.push(line_at(part * share));
                picks.push(line_at(part * share) - 1);
            }
            for i in picks {
                if i + 1 >= lines.len() {
                    continue; // nothing links to the newest line
                }
                let mut ls: Vec<Vec<u8>> = lines.iter().map(|l| l.to_vec()).collect();
                ls[i] = String::from_utf8(ls[i].clone())
                    .unwrap()
                    .replacen("set-cwd", "get-cwd", 1)
                    .into_bytes();
                std::fs::write(&path, ls.concat()).unwrap();
                let file = File::open(&path).unwrap();
                for piece in [100, 4096, 1 << 20] {
                    let bulk = super::super::bulk::verify(&path, &file, piece, threads).unwrap();
                    assert!(
                        bulk.is_none(),
                        "{threads} threads passed an edit of line {}",
                        i + 1
                    );
                }
                // The edited line's own checkpoint may name it first;
                // otherwise the line after it does not follow.
                let why = verify(&path).unwrap().broken.unwrap();
                let next = format!("line {} ", i + 2);
                let named = why.starts_with(&next) || why.starts_with(&format!("line {}:", i + 2));
                assert!(named, "{threads} threads, line {} edited: {why}", i + 1);
                assert_eq!(broken(&path), why);
            }
        }
    }
}
