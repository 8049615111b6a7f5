//! Session files: the conversation and counters.
//!
//! - A session file (.aicoder/session.json, SESSION_JSON_FILE, /save FILE) is
//!   one JSON document, saved atomically and durably. A file that cannot be
//!   read is reported and never overwritten.
//! - The autosave (.aicoder/sessions/<start>-<pid>.jsonl) is a journal: a
//!   first line that is a whole session (the snapshot), then one line per
//!   message appended since, so that saving after each message costs the
//!   message, not the conversation ([`Autosave`]). It is rewritten as a single
//!   snapshot (atomically) when the conversation changed other than by
//!   appends, when the appended lines outgrow the snapshot, and on /save. A
//!   torn last line (aicoder killed mid-append) is ignored with a warning;
//!   everything before it loads.

use crate::state::{Message, Stats};
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::{Path, PathBuf};

/// What a session file holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedSession {
    pub version: u32,
    pub messages: Vec<Message>,
    #[serde(default)]
    pub stats: Stats,
    /// The working directory when saved (informational).
    #[serde(default)]
    pub cwd: Option<String>,
}

/// [`SavedSession`] by reference, to write a snapshot without copying the
/// conversation.
#[derive(Serialize)]
struct SnapshotRef<'a> {
    version: u32,
    messages: &'a [Message],
    stats: &'a Stats,
    cwd: Option<&'a str>,
}

/// One line after the snapshot in an autosave journal: an appended message
/// (absent when only the counters changed) and the counters after it.
#[derive(Deserialize)]
struct JournalLine {
    #[serde(default)]
    message: Option<Message>,
    stats: Stats,
}

/// [`JournalLine`] by reference, for writing.
#[derive(Serialize)]
struct JournalLineRef<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<&'a Message>,
    stats: &'a Stats,
}

/// A session file problem, naming the file.
#[derive(Debug, thiserror::Error)]
pub enum SessionFileError {
    #[error("cannot read the session file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the session file {path} is damaged ({source}); it was left untouched. Save elsewhere with /save FILE, or move it aside")]
    Corrupt {
        path: PathBuf,
        source: serde_json::Error,
    },
    #[error("the session file {path} is damaged at line {line} ({source}); it was left untouched. Save elsewhere with /save FILE, or move it aside")]
    CorruptLine {
        path: PathBuf,
        line: usize,
        source: serde_json::Error,
    },
    #[error("cannot save the session to {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl SessionFileError {
    /// The file is there but damaged (and must not be overwritten).
    pub fn is_damaged(&self) -> bool {
        matches!(
            self,
            SessionFileError::Corrupt { .. } | SessionFileError::CorruptLine { .. }
        )
    }
}

/// A loaded session file, and what was left out of it.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    pub session: SavedSession,
    /// A journal whose last line was cut off (a crash mid-append): the line
    /// was ignored; this says so, for the user.
    pub warning: Option<String>,
}

/// A new autosave file for this process: `<project>/.aicoder/sessions/`
/// named by start time and process id, so two aicoder processes in one
/// folder never write the same file.
pub fn autosave_path(project_dir: &Path) -> PathBuf {
    let started = humantime::format_rfc3339_seconds(std::time::SystemTime::now())
        .to_string()
        .replace(':', "-");
    project_dir
        .join("sessions")
        .join(format!("{started}-{}.jsonl", std::process::id()))
}

/// The most recently written autosave of this project, if any (journals,
/// and the whole-file autosaves of earlier versions).
pub fn newest_autosave(project_dir: &Path) -> Option<PathBuf> {
    std::fs::read_dir(project_dir.join("sessions"))
        .ok()?
        .filter_map(Result::ok)
        .filter(|e| {
            e.path()
                .extension()
                .is_some_and(|x| x == "jsonl" || x == "json")
        })
        .filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, e.path())))
        .max()
        .map(|(_, path)| path)
}

/// Load a session file: a whole JSON document, or an autosave journal.
pub fn load(path: &Path) -> Result<Loaded, SessionFileError> {
    let bytes = std::fs::read(path).map_err(|source| SessionFileError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    // A journal (or any one-line file): the snapshot on the first line, then
    // appended lines. Otherwise one (pretty-printed) JSON document.
    let mut lines = bytes.split(|&b| b == b'\n').enumerate();
    let first = lines.next().map_or(&[][..], |(_, l)| l);
    let mut session = match serde_json::from_slice::<SavedSession>(first) {
        Ok(session) => session,
        Err(_) => {
            return serde_json::from_slice::<SavedSession>(&bytes)
                .map(|session| Loaded {
                    session,
                    warning: None,
                })
                .map_err(|source| SessionFileError::Corrupt {
                    path: path.to_path_buf(),
                    source,
                })
        }
    };
    let mut warning = None;
    while let Some((index, line)) = lines.next() {
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        match serde_json::from_slice::<JournalLine>(line) {
            Ok(entry) => {
                session.messages.extend(entry.message);
                session.stats = entry.stats;
            }
            Err(source) => {
                let last = lines
                    .clone()
                    .all(|(_, rest)| rest.iter().all(u8::is_ascii_whitespace));
                if !last {
                    return Err(SessionFileError::CorruptLine {
                        path: path.to_path_buf(),
                        line: index + 1,
                        source,
                    });
                }
                warning = Some(format!(
                    "the last line of {} was cut off (aicoder stopped while saving it) and is ignored; the {} messages before it are loaded",
                    path.display(),
                    session.messages.len()
                ));
            }
        }
    }
    Ok(Loaded { session, warning })
}

/// Save atomically (and durably: fsync before the rename).
pub fn save(path: &Path, session: &SavedSession) -> Result<(), SessionFileError> {
    write(path, session, true)
}

/// Save atomically without waiting for the disk, the whole conversation at
/// once: how the autosave worked before [`Autosave`] (kept for comparison in
/// `make bench`).
pub fn autosave(path: &Path, session: &SavedSession) -> Result<(), SessionFileError> {
    write(path, session, false)
}

fn write(path: &Path, session: &SavedSession, durable: bool) -> Result<(), SessionFileError> {
    let mut bytes = serde_json::to_vec_pretty(session).unwrap_or_default();
    bytes.push(b'\n');
    crate::util::replace_file(path, &bytes, durable).map_err(|source| SessionFileError::Write {
        path: path.to_path_buf(),
        source,
    })
}

/// The appended lines are folded into a new snapshot once they are larger
/// than the snapshot and than this, so the file stays within about twice
/// the conversation and an append costs its message (amortised).
const COMPACT_AFTER_BYTES: u64 = 1 << 20;

/// What the autosave file holds, as of the last successful write.
#[derive(Debug)]
struct Synced {
    /// The [`crate::state::History::revision`] written.
    revision: u64,
    /// Messages in the file.
    messages: usize,
    stats: Stats,
    snapshot_bytes: u64,
    journal_bytes: u64,
    /// Open for appending.
    file: std::fs::File,
}

/// This process's autosave journal (see the module documentation).
#[derive(Debug)]
pub struct Autosave {
    path: PathBuf,
    /// `None` before the first write and after a failed one: the next write
    /// is a whole snapshot (which also drops a partly written line).
    synced: Option<Synced>,
}

impl Autosave {
    /// A journal at `path`; nothing is written until [`Autosave::record`].
    pub fn new(path: PathBuf) -> Self {
        Autosave { path, synced: None }
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Bring the file up to date with the conversation. When only messages
    /// were appended since the last call (same `revision`, more messages),
    /// they are appended as lines; otherwise the file is rewritten as one
    /// snapshot.
    pub fn record(
        &mut self,
        revision: u64,
        messages: &[Message],
        stats: &Stats,
        cwd: &str,
    ) -> Result<(), SessionFileError> {
        let Some(synced) = &mut self.synced else {
            return self.snapshot(revision, messages, stats, cwd);
        };
        if synced.revision != revision || synced.messages > messages.len() {
            return self.snapshot(revision, messages, stats, cwd);
        }
        if synced.journal_bytes > synced.snapshot_bytes.max(COMPACT_AFTER_BYTES) {
            return self.snapshot(revision, messages, stats, cwd);
        }
        let new = &messages[synced.messages..];
        if new.is_empty() && synced.stats == *stats {
            return Ok(());
        }
        let mut lines = Vec::new();
        let mut line = |message: Option<&Message>| {
            let entry = JournalLineRef { message, stats };
            // Messages and counters are plain data: serialising cannot fail.
            let _ = serde_json::to_writer(&mut lines, &entry);
            lines.push(b'\n');
        };
        if new.is_empty() {
            line(None);
        }
        for message in new {
            line(Some(message));
        }
        // One write of whole lines to a file opened for appending: a crash
        // leaves at most the last line torn, which loading ignores.
        if let Err(source) = synced.file.write_all(&lines) {
            self.synced = None;
            return Err(SessionFileError::Write {
                path: self.path.clone(),
                source,
            });
        }
        synced.messages = messages.len();
        synced.stats = stats.clone();
        synced.journal_bytes += lines.len() as u64;
        Ok(())
    }

    /// Rewrite the file as one snapshot of the conversation (atomically).
    pub fn snapshot(
        &mut self,
        revision: u64,
        messages: &[Message],
        stats: &Stats,
        cwd: &str,
    ) -> Result<(), SessionFileError> {
        self.synced = None;
        let fail = |source| SessionFileError::Write {
            path: self.path.clone(),
            source,
        };
        let snapshot = SnapshotRef {
            version: 1,
            messages,
            stats,
            cwd: Some(cwd),
        };
        let mut bytes = serde_json::to_vec(&snapshot).unwrap_or_default();
        bytes.push(b'\n');
        crate::util::replace_file(&self.path, &bytes, false).map_err(fail)?;
        let file = std::fs::OpenOptions::new()
            .append(true)
            .open(&self.path)
            .map_err(fail)?;
        self.synced = Some(Synced {
            revision,
            messages: messages.len(),
            stats: stats.clone(),
            snapshot_bytes: bytes.len() as u64,
            journal_bytes: 0,
            file,
        });
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_corrupt_file_kept() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("s.json");
        let s = SavedSession {
            version: 1,
            messages: vec![Message::new("user", "hi")],
            stats: Stats::default(),
            cwd: None,
        };
        save(&path, &s).expect("save");
        assert_eq!(load(&path).expect("load").session, s);
        std::fs::write(&path, "{bad").expect("damage");
        let err = load(&path).expect_err("corrupt");
        assert!(
            err.to_string().contains("s.json") && err.to_string().contains("left untouched"),
            "{err}"
        );
    }

    fn record(journal: &mut Autosave, history: &crate::state::History, stats: &Stats) {
        journal
            .record(history.revision(), history, stats, "/work")
            .expect("record");
    }

    fn line_count(path: &Path) -> usize {
        std::fs::read_to_string(path).expect("read").lines().count()
    }

    #[test]
    fn the_journal_appends_and_rewrites_what_changed_otherwise() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("s.jsonl");
        let mut journal = Autosave::new(path.clone());
        let mut history = crate::state::History::from(vec![Message::new("system", "sys")]);
        let mut stats = Stats::default();
        record(&mut journal, &history, &stats);
        assert_eq!(line_count(&path), 1, "a snapshot first");
        for i in 0..5 {
            history.push(Message::new("user", format!("m{i}")));
            stats.messages_sent += 1;
            record(&mut journal, &history, &stats);
        }
        assert_eq!(line_count(&path), 6, "one line per appended message");
        stats.api_errors += 1;
        record(&mut journal, &history, &stats);
        assert_eq!(line_count(&path), 7, "a counters-only line");
        record(&mut journal, &history, &stats);
        assert_eq!(line_count(&path), 7, "nothing new, nothing written");
        let loaded = load(&path).expect("load");
        assert_eq!(loaded.session.messages, history.to_vec());
        assert_eq!(loaded.session.stats, stats);
        assert_eq!(loaded.warning, None);

        // An edit that is not an append: one snapshot again.
        history[2].content = "edited".into();
        record(&mut journal, &history, &stats);
        assert_eq!(line_count(&path), 1);
        history.truncate(3);
        history.push(Message::new("assistant", "after"));
        record(&mut journal, &history, &stats);
        assert_eq!(line_count(&path), 1);
        assert_eq!(
            load(&path).expect("load").session.messages,
            history.to_vec()
        );
    }

    #[test]
    fn the_journal_is_folded_into_a_snapshot_when_it_outgrows_it() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("s.jsonl");
        let mut journal = Autosave::new(path.clone());
        let mut history = crate::state::History::from(vec![Message::new("system", "sys")]);
        let stats = Stats::default();
        record(&mut journal, &history, &stats);
        let mut most_lines = 0;
        for i in 0..1200 {
            history.push(Message::new("tool", format!("{i} {}", "x".repeat(2048))));
            record(&mut journal, &history, &stats);
            most_lines = most_lines.max(line_count(&path));
        }
        assert!(line_count(&path) < 1201, "compacted at least once");
        assert!(most_lines > 400, "appended in between ({most_lines} lines)");
        assert_eq!(
            load(&path).expect("load").session.messages,
            history.to_vec()
        );
    }

    #[test]
    fn a_torn_last_line_is_ignored_and_a_damaged_middle_line_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("s.jsonl");
        let mut journal = Autosave::new(path.clone());
        let mut history = crate::state::History::from(vec![Message::new("system", "sys")]);
        let stats = Stats::default();
        record(&mut journal, &history, &stats);
        for i in 0..3 {
            history.push(Message::new("user", format!("m{i}")));
            record(&mut journal, &history, &stats);
        }
        let whole = std::fs::read(&path).expect("read");
        // Cut inside the last line: the three lines before it load.
        std::fs::write(&path, &whole[..whole.len() - 10]).expect("tear");
        let loaded = load(&path).expect("a torn tail loads");
        assert_eq!(loaded.session.messages, history[..3].to_vec());
        let warning = loaded.warning.expect("a warning");
        assert!(
            warning.contains("cut off") && warning.contains("s.jsonl"),
            "{warning}"
        );

        // The same damage in the middle: refused, naming the line.
        let mut damaged = whole.clone();
        let second_newline = whole
            .iter()
            .enumerate()
            .filter(|(_, b)| **b == b'\n')
            .nth(1)
            .map(|(i, _)| i)
            .expect("lines");
        damaged[second_newline - 3] = b'#';
        std::fs::write(&path, &damaged).expect("damage");
        let err = load(&path).expect_err("damaged");
        assert!(
            err.is_damaged() && err.to_string().contains("line 2"),
            "{err}"
        );
    }

    mod fuzz {
        use super::super::*;
        use crate::model::ToolCall;
        use proptest::prelude::*;

        fn message() -> impl Strategy<Value = Message> {
            let call = (".{0,8}", ".{0,8}", ".{0,30}").prop_map(|(id, name, arguments)| ToolCall {
                id,
                name,
                arguments,
            });
            (
                prop::sample::select(vec!["system", "user", "assistant", "tool"]),
                "(?s).{0,60}",
                prop::option::of(".{0,8}"),
                prop::option::of(".{0,8}"),
                prop::collection::vec(call, 0..3),
            )
                .prop_map(|(role, content, tool_call_id, name, tool_calls)| Message {
                    tool_call_id,
                    name,
                    tool_calls,
                    ..Message::new(role, content)
                })
        }

        proptest! {
            /// Any conversation saves and loads back unchanged.
            #[test]
            fn fuzz_sessions_round_trip(
                messages in prop::collection::vec(message(), 0..8),
                tokens in any::<u64>(),
                cwd in prop::option::of(".{0,20}"),
            ) {
                let dir = tempfile::tempdir().expect("tempdir");
                let path = dir.path().join("s.json");
                let session = SavedSession {
                    version: 1,
                    messages,
                    stats: Stats { prompt_tokens: tokens, ..Stats::default() },
                    cwd,
                };
                save(&path, &session).expect("save");
                prop_assert_eq!(load(&path).expect("load").session, session);
            }

            /// Any bytes in a session file: loaded or refused as damaged
            /// (naming the file), never a panic.
            #[test]
            fn fuzz_session_files_any_bytes(
                bytes in prop_oneof![
                    prop::collection::vec(any::<u8>(), 0..300),
                    aicoder_testing::json_value().prop_map(|v| v.to_string().into_bytes()),
                    prop::collection::vec(message(), 0..3).prop_map(|m| {
                        let mut bytes =
                            serde_json::json!({"version": 1, "messages": m}).to_string().into_bytes();
                        bytes.truncate(bytes.len() / 2);
                        bytes
                    }),
                ],
            ) {
                let dir = tempfile::tempdir().expect("tempdir");
                let path = dir.path().join("s.json");
                std::fs::write(&path, &bytes).expect("write");
                match load(&path) {
                    Ok(_) => {}
                    Err(SessionFileError::Corrupt { path: named, .. }
                        | SessionFileError::CorruptLine { path: named, .. }) => prop_assert_eq!(named, path),
                    Err(other) => prop_assert!(false, "unexpected {}", other),
                }
            }
        }
    }
}
