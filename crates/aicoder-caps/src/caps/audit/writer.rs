//! Writing the chained log without hashing on the host-call path.
//!
//! A host call only serialises its line into the open batch (no system call,
//! no hash). Full batches (16 KiB) go to a chaining thread, started on the
//! first full batch, which puts the chain fields in front of each line and
//! hashes it while the plugin goes on calling: speculatively, continuing the
//! chain where this process last left the file. When the plugin call ends
//! the host calls [`Writer::flush`]: it chains what is left (a few lines),
//! takes the file's `flock`, checks that the file still ends where the
//! speculation assumed (same device, inode and length; otherwise another
//! process wrote meanwhile and the lines are chained again from the real
//! end) and appends everything with one O_APPEND `write`. So the lines of a
//! call are on disk when the call returns: a line is acknowledged (the call
//! that made it returned to the session) only once written, and a kill at
//! any moment loses no acknowledged line. Lines of a call still running can
//! be lost, as before; a kill in the middle of a `write` can cut the last
//! line short, which the next writer and `audit verify` report.
//!
//! The chaining thread also writes once 64 KiB are chained, and the
//! appending thread chains by itself when the thread falls behind by more
//! than 256 KiB (a loaded machine), so memory stays bounded either way.

use super::chain;
use super::cursor::{read_tail, Cursor};
use std::collections::VecDeque;
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};

/// Open batch size handed to the chaining thread.
const BATCH: usize = 16 << 10;
/// Chained bytes that trigger a write without waiting for the call's end.
const WRITE_AT: usize = 64 << 10;
/// Unchained bytes that make the appending thread chain by itself.
const BEHIND: usize = 256 << 10;

/// The end of the chain as this process last wrote it.
#[derive(Debug, Clone)]
struct Tail {
    dev: u64,
    ino: u64,
    /// File length after the write.
    end: u64,
    /// Where the chain goes on after it.
    next: Cursor,
}

/// Lines appended and not yet chained.
#[derive(Debug, Default)]
struct Queue {
    /// Whole lines (JSON objects, no chain fields), newline-terminated.
    open: Vec<u8>,
    /// Full batches, oldest first.
    full: VecDeque<Vec<u8>>,
    /// Bytes in `full`.
    full_bytes: usize,
    stop: bool,
}

/// The chain and the file, held while lines are chained or written.
#[derive(Debug, Default)]
struct Chain {
    file: Option<File>,
    /// Where the file ended after this process's last write (or last look).
    tail: Option<Tail>,
    /// Lines chained onto `tail`, not written yet.
    ready: Vec<u8>,
    /// Where the chain goes on after `ready`.
    ready_end: Option<Cursor>,
    /// Bodies the chaining thread is chaining without holding this lock;
    /// they follow `ready`.
    in_flight: Option<InFlight>,
    /// Bumped when another thread chains the bodies in flight itself: the
    /// chaining thread's result for them is then dropped.
    generation: u64,
    /// Bodies taken from the queue, not chained yet; they follow `ready`
    /// and the bodies in flight.
    raw: Vec<u8>,
}

/// What the chaining thread is chaining, kept so that a flush need not
/// wait for a thread the scheduler has put aside: it chains them itself.
#[derive(Debug)]
struct InFlight {
    raw: Arc<Vec<u8>>,
    /// Where the chain was when the bodies were taken.
    start: Cursor,
}

impl Chain {
    /// Chain the bodies in flight here (the chaining thread's result for
    /// them will be dropped).
    fn settle_in_flight(&mut self) {
        if let Some(f) = self.in_flight.take() {
            self.generation += 1;
            let mut cursor = f.start;
            cursor.chain_bodies(&mut self.ready, bodies(&f.raw));
            self.ready_end = Some(cursor);
        }
    }
}

#[derive(Debug)]
struct Shared {
    path: PathBuf,
    queue: Mutex<Queue>,
    work: Condvar,
    chain: Mutex<Chain>,
}

/// The log's writer: see the module documentation.
#[derive(Debug)]
pub struct Writer {
    shared: Arc<Shared>,
    thread: Mutex<Option<std::thread::JoinHandle<()>>>,
    /// Off: lines are chained by the thread that appends or flushes them
    /// (as before the chaining thread; for the bench's comparison).
    background: std::sync::atomic::AtomicBool,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Writer {
    /// A writer appending to `path`.
    pub fn new(path: PathBuf) -> Self {
        Writer {
            shared: Arc::new(Shared {
                path,
                queue: Mutex::new(Queue::default()),
                work: Condvar::new(),
                chain: Mutex::new(Chain::default()),
            }),
            thread: Mutex::new(None),
            background: std::sync::atomic::AtomicBool::new(true),
        }
    }

    /// Chain lines on a thread of their own (the default) or inline.
    pub fn set_background(&self, on: bool) {
        self.background
            .store(on, std::sync::atomic::Ordering::Relaxed);
    }

    /// Append one whole line (a JSON object and its newline), serialised by
    /// `write` into the open batch; written at the next flush at the latest.
    pub fn append(
        &self,
        write: impl FnOnce(&mut Vec<u8>) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        let behind = {
            let mut q = lock(&self.shared.queue);
            let before = q.open.len();
            if let Err(e) = write(&mut q.open) {
                q.open.truncate(before);
                return Err(e);
            }
            q.open.push(b'\n');
            if q.open.len() < BATCH {
                return Ok(());
            }
            let batch = std::mem::take(&mut q.open);
            q.full_bytes += batch.len();
            q.full.push_back(batch);
            q.full_bytes >= BEHIND
        };
        let background = self.background.load(std::sync::atomic::Ordering::Relaxed);
        if behind || !background || !self.ensure_thread() {
            // Chain (and write, past 64 KiB) here rather than let the queue grow.
            let mut chain = lock(&self.shared.chain);
            chain.settle_in_flight();
            self.shared.take_queue(&mut chain, false);
            self.shared.chain_raw(&mut chain);
            if chain.ready.len() >= WRITE_AT {
                self.shared.write_out(&mut chain)?;
            }
        } else {
            self.shared.work.notify_one();
        }
        Ok(())
    }

    /// Whether the chaining thread runs (started now if not yet).
    fn ensure_thread(&self) -> bool {
        let mut thread = lock(&self.thread);
        if thread.is_none() {
            let shared = self.shared.clone();
            *thread = std::thread::Builder::new()
                .name("aicoder-audit".into())
                .spawn(move || shared.run())
                .ok();
        }
        thread.is_some()
    }

    /// Chain what is left and write every waiting line; when this returns
    /// Ok, they are in the file.
    pub fn flush(&self) -> std::io::Result<()> {
        let mut chain = lock(&self.shared.chain);
        chain.settle_in_flight();
        self.shared.take_queue(&mut chain, true);
        self.shared.write_out(&mut chain)
    }
}

impl Drop for Writer {
    /// Stop the chaining thread, then write what is left (the log's own
    /// `Drop` has flushed already and reported any failure).
    fn drop(&mut self) {
        lock(&self.shared.queue).stop = true;
        self.shared.work.notify_one();
        if let Some(thread) = lock(&self.thread).take() {
            let _ = thread.join();
        }
        let _ = self.flush();
    }
}

impl Shared {
    /// The chaining thread: chain full batches as they come, holding the
    /// chain's lock only to take them and to hand the result back.
    fn run(&self) {
        loop {
            {
                let mut q = lock(&self.queue);
                while q.full.is_empty() && !q.stop {
                    q = self.work.wait(q).unwrap_or_else(|p| p.into_inner());
                }
                if q.stop {
                    return;
                }
            }
            let job = {
                let mut chain = lock(&self.chain);
                chain.settle_in_flight();
                self.take_queue(&mut chain, false);
                if chain.tail.is_none() && chain.ready.is_empty() {
                    // Learn where the file ends, to chain onto it; checked
                    // again under the file's lock when written. On failure
                    // the lines wait for the flush, which reports it.
                    if self.look_at_end(&mut chain).is_err() {
                        chain.tail = None;
                    }
                }
                let start = match (&chain.ready_end, &chain.tail) {
                    (Some(end), _) => Some(end.clone()),
                    (None, Some(t)) => Some(t.next.clone()),
                    (None, None) => None,
                };
                match start {
                    Some(start) if !chain.raw.is_empty() => {
                        let raw = Arc::new(std::mem::take(&mut chain.raw));
                        chain.in_flight = Some(InFlight {
                            raw: raw.clone(),
                            start: start.clone(),
                        });
                        Some((raw, start, chain.generation))
                    }
                    _ => None,
                }
            };
            let Some((raw, mut cursor, generation)) = job else {
                continue;
            };
            let mut out = Vec::with_capacity(raw.len() * 5 / 4);
            cursor.chain_bodies(&mut out, bodies(&raw));
            let mut chain = lock(&self.chain);
            if chain.generation != generation || chain.in_flight.is_none() {
                continue; // a flush chained them meanwhile
            }
            chain.in_flight = None;
            if chain.ready.is_empty() {
                chain.ready = out;
            } else {
                chain.ready.extend_from_slice(&out);
            }
            chain.ready_end = Some(cursor);
            if chain.ready.len() >= WRITE_AT {
                if let Err(e) = self.write_out(&mut chain) {
                    report(&self.path, &e);
                }
            }
        }
    }

    /// Move queued batches (and with `open`, the open batch) into `raw`.
    fn take_queue(&self, chain: &mut Chain, open: bool) {
        let mut q = lock(&self.queue);
        while let Some(batch) = q.full.pop_front() {
            q.full_bytes -= batch.len();
            if chain.raw.is_empty() {
                chain.raw = batch;
            } else {
                chain.raw.extend_from_slice(&batch);
            }
        }
        if open && !q.open.is_empty() {
            chain.raw.extend_from_slice(&q.open);
            q.open.clear();
        }
    }

    /// Chain `raw` onto `ready` if where it continues is known.
    fn chain_raw(&self, chain: &mut Chain) {
        chain.settle_in_flight();
        if chain.raw.is_empty() {
            return;
        }
        let mut cursor = match (chain.ready_end.take(), &chain.tail) {
            (Some(end), _) => end,
            (None, Some(t)) => t.next.clone(),
            (None, None) => return,
        };
        let raw = std::mem::take(&mut chain.raw);
        cursor.chain_bodies(&mut chain.ready, bodies(&raw));
        chain.ready_end = Some(cursor);
        chain.raw = raw;
        chain.raw.clear();
    }

    fn open(&self) -> std::io::Result<File> {
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        OpenOptions::new()
            .create(true)
            .read(true)
            .append(true)
            .open(&self.path)
    }

    /// Where the file ends now (for the chaining thread to continue it).
    fn look_at_end(&self, chain: &mut Chain) -> std::io::Result<()> {
        let file = match chain.file.take() {
            Some(f) => f,
            None => self.open()?,
        };
        file.lock()?;
        let meta = file.metadata();
        let result = meta.and_then(|meta| {
            let (next, cut_short) = read_tail(&file, meta.len())?;
            if !cut_short {
                chain.tail = Some(Tail {
                    dev: meta.dev(),
                    ino: meta.ino(),
                    end: meta.len(),
                    next,
                });
            }
            Ok(())
        });
        let unlocked = file.unlock();
        chain.file = Some(file);
        result.and(unlocked)
    }

    /// Write `ready` and `raw` under the file's lock, chained again from the
    /// real end of the file if it is not where they were chained onto.
    fn write_out(&self, chain: &mut Chain) -> std::io::Result<()> {
        chain.settle_in_flight();
        if chain.ready.is_empty() && chain.raw.is_empty() {
            return Ok(());
        }
        // The path may name another file than the one held open (the log
        // was replaced or removed): follow the path.
        for _ in 0..3 {
            let file = match chain.file.take() {
                Some(f) => f,
                None => self.open()?,
            };
            file.lock()?;
            let meta = file.metadata()?;
            let current = std::fs::metadata(&self.path);
            if !current.is_ok_and(|m| m.dev() == meta.dev() && m.ino() == meta.ino()) {
                chain.tail = None;
                continue; // dropping `file` unlocks it
            }
            let result = self.append_locked(&file, &meta, chain);
            if result.is_err() {
                chain.tail = None;
            }
            // Closing would unlock too; the file is kept open for the next write.
            let unlocked = file.unlock();
            chain.file = Some(file);
            return result.and(unlocked);
        }
        let lost = std::mem::take(&mut chain.ready).len() + std::mem::take(&mut chain.raw).len();
        chain.ready_end = None;
        Err(std::io::Error::other(format!(
            "the log file kept being replaced while aicoder wrote to it ({lost} bytes of lines lost)"
        )))
    }

    /// Append the waiting lines to `file`, whose lock the caller holds.
    fn append_locked(
        &self,
        file: &File,
        meta: &std::fs::Metadata,
        chain: &mut Chain,
    ) -> std::io::Result<()> {
        let (dev, ino, len) = (meta.dev(), meta.ino(), meta.len());
        let ready = std::mem::take(&mut chain.ready);
        let raw = std::mem::take(&mut chain.raw);
        let ready_end = chain.ready_end.take();
        let (mut out, mut cursor) = match chain.tail.take() {
            Some(t) if t.dev == dev && t.ino == ino && t.end == len => match ready_end {
                Some(end) => (ready, end),
                None => (ready, t.next),
            },
            _ => {
                // Another writer moved the end: chain everything again
                // (checkpoints included: they are chosen again too).
                let (mut cursor, cut_short) = read_tail(file, len)?;
                let mut out = Vec::with_capacity(ready.len() + raw.len() * 5 / 4 + 1);
                if cut_short {
                    out.push(b'\n');
                }
                cursor.chain_bodies(
                    &mut out,
                    ready.split(|b| *b == b'\n').filter_map(chain::after_prefix),
                );
                (out, cursor)
            }
        };
        cursor.chain_bodies(&mut out, bodies(&raw));
        (&*file).write_all(&out)?;
        chain.tail = Some(Tail {
            dev,
            ino,
            end: len + out.len() as u64,
            next: cursor,
        });
        // Keep the allocation for the next batch.
        chain.ready = out;
        chain.ready.clear();
        Ok(())
    }
}

/// The lines of `raw` without their opening `{` (each is a JSON object).
fn bodies(raw: &[u8]) -> impl Iterator<Item = &[u8]> {
    raw.split(|b| *b == b'\n')
        .filter_map(|line| line.strip_prefix(b"{"))
}

/// The failure to log a call that already happened is reported loudly
/// rather than undone.
pub(super) fn report(path: &Path, err: &std::io::Error) {
    eprintln!(
        "aicoder: could not write the audit log {}: {err}",
        path.display()
    );
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::super::{verify, AuditLine, AuditLog, LineTime, Outcome};
    use serde_json::json;
    use std::io::BufRead;
    use std::path::Path;

    fn line(log: &AuditLog, i: u64, pad: usize) {
        let args = json!({ "i": i, "pad": "p".repeat(pad) });
        log.record_line(&AuditLine {
            time: LineTime::Now,
            plugin: "p",
            hash: "h",
            capability: "workspace.read",
            operation: "get-cwd",
            args: &args,
            old: None,
            new: None,
            outcome: Outcome::Allowed,
            scope: None,
            within: None,
            detail: None,
        });
    }

    /// The `i` of each whole line, in file order.
    fn numbers(path: &Path) -> Vec<u64> {
        let text = std::fs::read(path).unwrap();
        text.split_inclusive(|b| *b == b'\n')
            .filter(|l| l.ends_with(b"\n"))
            .map(|l| {
                let v: serde_json::Value = serde_json::from_slice(l).unwrap();
                v["args"]["i"].as_u64().unwrap()
            })
            .collect()
    }

    #[test]
    fn lines_chained_ahead_are_chained_again_when_another_process_wrote() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("audit.jsonl");
        let a = AuditLog::new(path.clone());
        let b = AuditLog::new(path.clone());
        let mut i = 0;
        for round in 0..6 {
            // Enough for the chaining thread to chain ahead onto the end it
            // saw, then the other log writes before this one flushes.
            for _ in 0..400 {
                line(if round % 2 == 0 { &a } else { &b }, i, 100);
                i += 1;
            }
            // Time for the chaining thread to chain ahead.
            std::thread::sleep(std::time::Duration::from_millis(30));
            line(if round % 2 == 0 { &b } else { &a }, i, 10);
            i += 1;
            b.flush();
            a.flush();
        }
        drop((a, b));
        let v = verify(&path).unwrap();
        assert_eq!(v.broken, None);
        assert_eq!(v.lines, i);
        let mut seen = numbers(&path);
        seen.sort_unstable();
        assert_eq!(seen, (0..i).collect::<Vec<_>>());
    }

    const CHILD: &str = "AICODER_TEST_AUDIT_KILL_CHILD";

    /// The child of the kill test: writes plugin calls of many lines each,
    /// printing `acked N` after each call's flush returned (N lines so far).
    #[test]
    fn kill_child() {
        let Some(path) = std::env::var_os(CHILD) else {
            return; // only runs as the child of the test below
        };
        let log = AuditLog::new(path.into());
        let mut i = 0;
        for call in 0.. {
            for _ in 0..(call % 7) * 150 + 1 {
                line(&log, i, (i % 300) as usize);
                i += 1;
            }
            log.flush();
            println!("acked {i}");
        }
    }

    #[test]
    fn a_kill_during_a_batch_loses_no_acknowledged_line() {
        let dir = tempfile::tempdir().unwrap();
        for (n, wait_for) in [5, 17, 40, 63].into_iter().enumerate() {
            let path = dir.path().join(format!("audit{n}.jsonl"));
            let mut child = std::process::Command::new(std::env::current_exe().unwrap())
                .args(["--exact", "caps::audit::writer::tests::kill_child"])
                .args(["--nocapture", "--test-threads=1"])
                .env(CHILD, &path)
                .stdout(std::process::Stdio::piped())
                .spawn()
                .unwrap();
            let out = std::io::BufReader::new(child.stdout.take().unwrap());
            let mut acked = 0;
            let mut calls = 0;
            for l in out.lines() {
                if let Some(n) = l.unwrap().strip_prefix("acked ") {
                    acked = n.parse().unwrap();
                    calls += 1;
                    if calls == wait_for {
                        break;
                    }
                }
            }
            // SIGKILL while the child is in the middle of its next call.
            child.kill().unwrap();
            child.wait().unwrap();
            let whole = numbers(&path);
            assert!(whole.len() as u64 >= acked, "{} < {acked}", whole.len());
            assert_eq!(
                whole,
                (0..whole.len() as u64).collect::<Vec<_>>(),
                "lines in order, none missing"
            );
            // The chain holds over every whole line; at most the last one
            // was cut short by the kill.
            let v = verify(&path).unwrap();
            match v.broken {
                None => assert_eq!(v.lines, whole.len() as u64),
                Some(why) => {
                    assert!(why.contains("cut short"), "{why}");
                    assert_eq!(v.lines, whole.len() as u64 + 1);
                }
            }
        }
    }
}
