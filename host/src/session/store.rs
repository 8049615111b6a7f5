//! The session file (.aicoder/session.json or SESSION_JSON_FILE): the
//! conversation and counters, saved atomically. A file that cannot be read is
//! reported and never overwritten.

use crate::state::{Message, Stats};
use serde::{Deserialize, Serialize};
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
    #[error("cannot save the session to {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
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
        .join(format!("{started}-{}.json", std::process::id()))
}

/// The most recently written autosave of this project, if any.
pub fn newest_autosave(project_dir: &Path) -> Option<PathBuf> {
    std::fs::read_dir(project_dir.join("sessions"))
        .ok()?
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
        .filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, e.path())))
        .max()
        .map(|(_, path)| path)
}

/// Load a session file.
pub fn load(path: &Path) -> Result<SavedSession, SessionFileError> {
    let bytes = std::fs::read(path).map_err(|source| SessionFileError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let saved: SavedSession =
        serde_json::from_slice(&bytes).map_err(|source| SessionFileError::Corrupt {
            path: path.to_path_buf(),
            source,
        })?;
    Ok(saved)
}

/// Save atomically (and durably: fsync before the rename).
pub fn save(path: &Path, session: &SavedSession) -> Result<(), SessionFileError> {
    write(path, session, true)
}

/// Save atomically without waiting for the disk: for the autosave, rewritten
/// after every message (see [`crate::util::replace_file`]).
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
        assert_eq!(load(&path).expect("load"), s);
        std::fs::write(&path, "{bad").expect("damage");
        let err = load(&path).expect_err("corrupt");
        assert!(
            err.to_string().contains("s.json") && err.to_string().contains("left untouched"),
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
                prop_assert_eq!(load(&path).expect("load"), session);
            }

            /// Any bytes in a session file: loaded or refused as damaged
            /// (naming the file), never a panic.
            #[test]
            fn fuzz_session_files_any_bytes(
                bytes in prop_oneof![
                    prop::collection::vec(any::<u8>(), 0..300),
                    crate::util::strategies::json_value().prop_map(|v| v.to_string().into_bytes()),
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
                    Err(SessionFileError::Corrupt { path: named, .. }) => prop_assert_eq!(named, path),
                    Err(other) => prop_assert!(false, "unexpected {}", other),
                }
            }
        }
    }
}
