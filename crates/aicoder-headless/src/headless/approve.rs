//! `--approve never|all|ask-fd N`: who answers the questions of a run that
//! has no person at a terminal. With `ask-fd`, each question is an event
//! (`approval_asked`, `capability_asked`) and its answer one JSON line read
//! from descriptor N: `{"id":"a1","approve":true}` or
//! `{"id":"c2","grant":"once"|"session"|"always"|"deny"}`.

use crate::caps::grants::Scope;
use serde::Deserialize;
use std::fs::File;
use std::io::{BufRead, BufReader};

/// The most of one answer line read (a longer line is refused).
const MAX_ANSWER_BYTES: u64 = 64 << 10;

/// Who answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Policy {
    /// Every question is answered no (the default of `aicoder exec`).
    Never,
    /// Every tool call is approved (as YOLO_MODE=1: capabilities are still
    /// only what `--grant` gives, and a path outside the root is refused).
    All,
    /// Questions are events; answers are JSON lines on this descriptor.
    AskFd(i32),
}

/// `--approve` was given something else than a policy.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("--approve takes never, all or ask-fd N (a file descriptor number); got {got:?}")]
pub struct PolicyError {
    /// What was given.
    pub got: String,
}

/// Why an answer on the `ask-fd` descriptor counts as no.
#[derive(Debug, thiserror::Error)]
pub enum AnswerError {
    /// The policy is not `ask-fd`, or the descriptor was closed before.
    #[error("no answers descriptor")]
    NoDescriptor,
    /// Reading the descriptor failed.
    #[error("cannot read the answer to {id}: {source}")]
    Read { id: String, source: std::io::Error },
    /// The descriptor closed before question `id` was answered.
    #[error("the answers descriptor was closed before {id} was answered")]
    Closed { id: String },
    /// The line is not an answer.
    #[error("the answer to {id} is not {{\"id\":\"{id}\",\"approve\":true|false}} or {{\"id\":\"{id}\",\"grant\":\"once|session|always|deny\"}}: {source}")]
    Malformed {
        id: String,
        source: serde_json::Error,
    },
    /// An answer to another question came.
    #[error("an answer to {got:?} came while {id} was asked; answers come in order")]
    OutOfOrder { id: String, got: String },
    /// An approval's answer without `approve`.
    #[error("the answer to {id} has no \"approve\": true|false")]
    NoApprove { id: String },
    /// A capability question's answer without a valid `grant`.
    #[error("the answer to {id} has no \"grant\": \"once\"|\"session\"|\"always\"|\"deny\"")]
    NoGrant { id: String },
    /// The answer was `deny`.
    #[error("denied by the answer")]
    Denied,
}

impl Policy {
    /// `never`, `all`, `ask-fd N` (also `ask-fd:N`, `ask-fd=N`), from the
    /// one or two values given to `--approve`.
    pub fn parse(values: &[String]) -> Result<Self, PolicyError> {
        let joined = values.join(" ");
        let text = joined.trim();
        let bad = || PolicyError {
            got: text.to_string(),
        };
        match text {
            "never" => return Ok(Policy::Never),
            "all" => return Ok(Policy::All),
            _ => {}
        }
        let Some(rest) = text.strip_prefix("ask-fd") else {
            return Err(bad());
        };
        let number = rest.trim_start_matches([' ', ':', '=']).trim();
        let fd: i32 = number.parse().map_err(|_| bad())?;
        if fd < 0 {
            return Err(bad());
        }
        Ok(Policy::AskFd(fd))
    }

    /// As `session_started` names it.
    pub fn name(&self) -> &'static str {
        match self {
            Policy::Never => "never",
            Policy::All => "all",
            Policy::AskFd(_) => "ask-fd",
        }
    }
}

/// The answers descriptor of `ask-fd` (nothing for the other policies).
pub struct Answers {
    reader: Option<BufReader<File>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Answer {
    id: String,
    #[serde(default)]
    approve: Option<bool>,
    #[serde(default)]
    grant: Option<String>,
}

impl Answers {
    /// Open descriptor N of `ask-fd` (it must be open and readable, and not
    /// stdout or stderr, where the events go).
    pub fn open(policy: &Policy) -> std::io::Result<Self> {
        let Policy::AskFd(fd) = policy else {
            return Ok(Answers { reader: None });
        };
        let fd = *fd;
        if fd == 1 || fd == 2 {
            return Err(std::io::Error::other(format!(
                "--approve ask-fd {fd}: descriptor {fd} is where output goes; pass one opened for reading (e.g. 3<answers)"
            )));
        }
        // SAFETY: F_GETFL only reads the descriptor's flags.
        let flags = unsafe { libc::fcntl(fd, libc::F_GETFL) };
        if flags < 0 {
            return Err(std::io::Error::other(format!(
                "--approve ask-fd {fd}: descriptor {fd} is not open; start aicoder with it open for reading (e.g. 3<answers)"
            )));
        }
        if flags & libc::O_ACCMODE == libc::O_WRONLY {
            return Err(std::io::Error::other(format!(
                "--approve ask-fd {fd}: descriptor {fd} is open for writing only"
            )));
        }
        // SAFETY: the descriptor is open (checked above) and this run owns it
        // from now on: it was handed over for this purpose, and nothing else
        // in aicoder reads it.
        let file = unsafe { <File as std::os::fd::FromRawFd>::from_raw_fd(fd) };
        // Not inherited by tools or subagents started later.
        // SAFETY: sets a flag on a descriptor we own.
        unsafe { libc::fcntl(fd, libc::F_SETFD, libc::FD_CLOEXEC) };
        Ok(Answers {
            reader: Some(BufReader::new(file)),
        })
    }

    /// Read the answer to question `id`.
    fn read(&mut self, id: &str) -> Result<Answer, AnswerError> {
        let Some(reader) = &mut self.reader else {
            return Err(AnswerError::NoDescriptor);
        };
        let mut line = String::new();
        let read = std::io::Read::take(&mut *reader, MAX_ANSWER_BYTES)
            .read_line(&mut line)
            .map_err(|source| AnswerError::Read {
                id: id.to_string(),
                source,
            })?;
        if read == 0 {
            // Closed: nothing more will be answered.
            self.reader = None;
            return Err(AnswerError::Closed { id: id.to_string() });
        }
        let answer: Answer =
            serde_json::from_str(line.trim()).map_err(|source| AnswerError::Malformed {
                id: id.to_string(),
                source,
            })?;
        if answer.id != id {
            return Err(AnswerError::OutOfOrder {
                id: id.to_string(),
                got: answer.id,
            });
        }
        Ok(answer)
    }

    /// The answer to approval `id`: yes or no; `Err` says why it counts as no.
    pub fn approval(&mut self, id: &str) -> Result<bool, AnswerError> {
        let answer = self.read(id)?;
        answer
            .approve
            .ok_or_else(|| AnswerError::NoApprove { id: id.to_string() })
    }

    /// The answer to capability question `id`: the scope, or `None` for deny.
    pub fn grant(&mut self, id: &str) -> Result<Option<Scope>, AnswerError> {
        let answer = self.read(id)?;
        match answer.grant.as_deref() {
            Some("once") => Ok(Some(Scope::Once)),
            Some("session") => Ok(Some(Scope::Session)),
            Some("always") => Ok(Some(Scope::Always)),
            Some("deny") => Err(AnswerError::Denied),
            _ => Err(AnswerError::NoGrant { id: id.to_string() }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policies_parse_and_bad_ones_are_named() {
        let p = |s: &[&str]| Policy::parse(&s.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(p(&["never"]), Ok(Policy::Never));
        assert_eq!(p(&["all"]), Ok(Policy::All));
        assert_eq!(p(&["ask-fd", "3"]), Ok(Policy::AskFd(3)));
        assert_eq!(p(&["ask-fd:4"]), Ok(Policy::AskFd(4)));
        assert!(p(&["sometimes"]).is_err_and(|e| e.to_string().contains("never, all or ask-fd N")));
        assert!(p(&["ask-fd", "x"]).is_err());
    }

    #[test]
    fn answers_are_read_in_order_and_a_bad_one_is_a_no() {
        let (reader, mut writer) = std::io::pipe().expect("pipe");
        use std::io::Write;
        writeln!(writer, r#"{{"id":"a1","approve":true}}"#).expect("w");
        writeln!(writer, r#"{{"id":"zz","approve":true}}"#).expect("w");
        writeln!(writer, r#"{{"id":"c3","grant":"session"}}"#).expect("w");
        writeln!(writer, "yes please").expect("w");
        drop(writer);
        let fd = std::os::fd::IntoRawFd::into_raw_fd(std::os::fd::OwnedFd::from(reader));
        let mut answers = Answers::open(&Policy::AskFd(fd)).expect("open");
        assert!(answers.approval("a1").is_ok_and(|yes| yes));
        assert!(answers
            .approval("a2")
            .is_err_and(|e| e.to_string().contains("in order")));
        assert!(answers.grant("c3").is_ok_and(|s| s == Some(Scope::Session)));
        assert!(answers.approval("a4").is_err_and(
            |e| matches!(e, AnswerError::Malformed { .. }) && e.to_string().contains("is not")
        ));
        assert!(answers
            .approval("a5")
            .is_err_and(|e| matches!(e, AnswerError::Closed { .. })));
        assert!(Answers::open(&Policy::AskFd(1)).is_err());
        assert!(Answers::open(&Policy::AskFd(987)).is_err());
    }
}
