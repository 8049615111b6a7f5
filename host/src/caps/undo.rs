//! Undo of state writes made through capabilities, from the old values the
//! audit log keeps (inline, or in a blob checked against its hash). A write
//! is named by its sequence number. Planning reads the log from its end and
//! checks each line's link to the line before: a line whose chain does not
//! verify is listed as not trusted, a write aicoder has no undo for is listed
//! as such, and neither is skipped silently. A write whose target changed
//! since is reported, never overwritten; every undo is itself audited
//! (plugin `aicoder`).

use super::audit::{blobs, AuditEntry, AuditLog, CheckedLines, Outcome, Trust};
use crate::state::{AppState, Message};
use serde_json::{json, Value};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// Who the audit log names for an undo: the user, through aicoder.
pub const UNDO_ACTOR: &str = "aicoder";

/// Which writes to undo.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Select {
    /// The last N writes not yet undone, newest first.
    Last(usize),
    /// The write with this sequence number.
    Seq(u64),
}

/// One write to revert.
#[derive(Debug, Clone)]
pub struct UndoStep {
    /// The audited write, its old/new values read back from blobs.
    pub entry: AuditEntry,
    /// Its sequence number.
    pub seq: u64,
    action: Action,
}

/// A write planning met, newest first: revertible, or why not.
#[derive(Debug, Clone)]
pub enum Planned {
    Step(Box<UndoStep>),
    /// One line saying which write and why it is not reverted.
    Refused(String),
}

/// What undo will do.
#[derive(Debug, Default)]
pub struct UndoPlan {
    pub items: Vec<Planned>,
}

impl UndoPlan {
    /// The writes that will be reverted, newest first.
    pub fn steps(&self) -> Vec<UndoStep> {
        self.items
            .iter()
            .filter_map(|i| match i {
                Planned::Step(s) => Some((**s).clone()),
                Planned::Refused(_) => None,
            })
            .collect()
    }

    /// The writes that will not be, each with the reason.
    pub fn refused(&self) -> Vec<&str> {
        self.items
            .iter()
            .filter_map(|i| match i {
                Planned::Refused(r) => Some(r.as_str()),
                Planned::Step(_) => None,
            })
            .collect()
    }

    /// The plan as printed before asking: what will be reverted, then what
    /// cannot be.
    pub fn describe(&self) -> Vec<String> {
        let mut out = Vec::new();
        let steps = self.steps();
        if !steps.is_empty() {
            out.push("Undo will revert:".to_string());
            out.extend(steps.iter().map(|s| format!("  {}", s.describe())));
        }
        let refused = self.refused();
        if !refused.is_empty() {
            out.push("Undo will not revert:".to_string());
            out.extend(refused.iter().map(|r| format!("  {r}")));
        }
        if out.is_empty() {
            out.push("nothing to undo".to_string());
        }
        out
    }
}

#[derive(Debug, Clone)]
enum Action {
    SetCwd {
        now: String,
        back: String,
    },
    SetMessage {
        index: usize,
        now: Message,
        back: Message,
    },
    RemoveAppended {
        index: usize,
        now: Message,
    },
    RestoreMessages {
        now: Vec<Message>,
        back: Vec<Message>,
    },
    SetConfig {
        key: String,
        now: String,
        back: String,
    },
    SetAutoApproved {
        name: String,
        now: bool,
        back: bool,
    },
    WriteFile {
        file: PathBuf,
        now: String,
        /// `None`: the file did not exist.
        back: Option<String>,
    },
}

fn message(v: &Value) -> Option<Message> {
    serde_json::from_value(v.get("message")?.clone()).ok()
}

fn messages(v: &Value) -> Option<Vec<Message>> {
    serde_json::from_value(v.clone()).ok()
}

/// The undo of a write, or why there is none.
fn action(e: &AuditEntry) -> Result<Action, String> {
    let no_undo = || format!("aicoder has no undo for {} {}", e.capability, e.operation);
    let malformed = || format!("the line's old/new values are not those of {}", e.operation);
    let (Some(old), Some(new)) = (e.old.as_ref(), e.new.as_ref()) else {
        return Err(no_undo());
    };
    let action = match (e.capability.as_str(), e.operation.as_str()) {
        ("workspace.write", "set-cwd") => (|| {
            Some(Action::SetCwd {
                now: new.as_str()?.to_string(),
                back: old.as_str()?.to_string(),
            })
        })(),
        ("history.write", "set-message") => (|| {
            Some(Action::SetMessage {
                index: usize::try_from(new.get("index")?.as_u64()?).ok()?,
                now: message(new)?,
                back: message(old)?,
            })
        })(),
        ("history.write", "append") => (|| {
            Some(Action::RemoveAppended {
                index: usize::try_from(new.get("index")?.as_u64()?).ok()?,
                now: message(new)?,
            })
        })(),
        ("history.write", "clear") => (|| {
            Some(Action::RestoreMessages {
                now: messages(new)?,
                back: messages(old)?,
            })
        })(),
        ("config.write", "set") => (|| {
            Some(Action::SetConfig {
                key: new.get("key")?.as_str()?.to_string(),
                now: new.get("value")?.as_str()?.to_string(),
                back: old.get("value")?.as_str()?.to_string(),
            })
        })(),
        ("tools.manage", "set-auto-approved") => (|| {
            Some(Action::SetAutoApproved {
                name: new.get("name")?.as_str()?.to_string(),
                now: new.get("auto_approved")?.as_bool()?,
                back: old.get("auto_approved")?.as_bool()?,
            })
        })(),
        ("fs.write", "write-file") => {
            // fs.write logs the old content as text, lossily: written back,
            // a file that was not UTF-8 would be damaged.
            let lossy = old
                .get("content")
                .and_then(Value::as_str)
                .is_some_and(|c| c.contains('\u{FFFD}'));
            if lossy {
                return Err(
                    "the file's old content was not UTF-8 text and the log holds a \
                            lossy copy"
                        .to_string(),
                );
            }
            let Some(file) = new.get("file").and_then(Value::as_str) else {
                return Err(
                    "the line does not record the file's absolute path (written by an \
                            older aicoder)"
                        .to_string(),
                );
            };
            (|| {
                Some(Action::WriteFile {
                    file: PathBuf::from(file),
                    now: new.get("content")?.as_str()?.to_string(),
                    back: match old.get("content")? {
                        Value::Null => None,
                        v => Some(v.as_str()?.to_string()),
                    },
                })
            })()
        }
        _ => return Err(no_undo()),
    };
    action.ok_or_else(malformed)
}

/// `e` with its old/new values read back from their blobs.
fn resolve_blobs(mut e: AuditEntry, dir: &Path) -> Result<AuditEntry, blobs::BlobError> {
    if let Some(blob) = e.old_blob.take() {
        e.old = Some(blobs::load(dir, &blob)?);
    }
    if let Some(blob) = e.new_blob.take() {
        e.new = Some(blobs::load(dir, &blob)?);
    }
    Ok(e)
}

fn who(e: &AuditEntry) -> String {
    let seq = e.seq.map_or("no seq".to_string(), |s| format!("seq {s}"));
    format!(
        "{seq}, {} by {}: {} {}",
        e.time, e.plugin, e.capability, e.operation
    )
}

/// Plan the undo of the writes `select` names, reading `log` from its end
/// (lines this process still holds are written first).
pub fn plan(log: &AuditLog, select: Select) -> std::io::Result<UndoPlan> {
    log.flush();
    let file = match std::fs::File::open(log.path()) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(UndoPlan::default()),
        Err(e) => return Err(e),
    };
    let mut lines = CheckedLines::new(log.path(), &file)?;
    let mut undone: HashSet<u64> = HashSet::new();
    let mut plan = UndoPlan::default();
    let wanted = match select {
        Select::Last(n) => n,
        Select::Seq(_) => 1,
    };
    while plan.items.len() < wanted {
        let Some(line) = lines.next_line()? else {
            break;
        };
        let Ok(entry) = serde_json::from_slice::<AuditEntry>(&line.text) else {
            continue;
        };
        // The chain fields are the line's own, whatever the JSON says.
        let seq = line.link.map(|l| l.seq);
        if entry.plugin == UNDO_ACTOR {
            if line.trust == Trust::Trusted {
                if let Some(s) = entry.args.get("undoes").and_then(Value::as_u64) {
                    undone.insert(s);
                }
            }
            continue;
        }
        if entry.outcome != Outcome::Allowed || !entry.is_write() {
            continue;
        }
        if let Select::Seq(s) = select {
            if seq != Some(s) {
                // Below the wanted number in a trusted chain: it is not there.
                if line.trust == Trust::Trusted && seq.is_some_and(|q| q < s) {
                    break;
                }
                continue;
            }
        }
        if seq.is_some_and(|s| undone.contains(&s)) {
            if let Select::Seq(s) = select {
                plan.items
                    .push(Planned::Refused(format!("seq {s} was already undone")));
            }
            continue;
        }
        let item = match line.trust {
            Trust::Untrusted(why) => Planned::Refused(format!(
                "not trusted: {}: {why}; `aicoder audit verify` checks the whole log",
                who(&entry)
            )),
            Trust::Trusted => match resolve_blobs(entry.clone(), log.blobs_dir()) {
                Err(why) => Planned::Refused(format!("not undone: {}: {why}", who(&entry))),
                Ok(resolved) => match (seq, action(&resolved)) {
                    (Some(seq), Ok(action)) => Planned::Step(Box::new(UndoStep {
                        entry: resolved,
                        seq,
                        action,
                    })),
                    (None, _) => Planned::Refused(format!(
                        "not trusted: {}: the line has no sequence number",
                        who(&entry)
                    )),
                    (Some(_), Err(why)) => {
                        Planned::Refused(format!("cannot be undone: {} ({why})", who(&entry)))
                    }
                },
            },
        };
        plan.items.push(item);
    }
    if let (Select::Seq(s), true) = (select, plan.items.is_empty()) {
        plan.items.push(Planned::Refused(format!(
            "no write with seq {s} in {}",
            log.path().display()
        )));
    }
    Ok(plan)
}

impl UndoStep {
    /// What undoing it changes, in one line.
    pub fn describe(&self) -> String {
        let what = match &self.action {
            Action::SetCwd { now, back } => format!("working directory {now} -> {back}"),
            Action::SetMessage { index, now, back } => {
                format!(
                    "message {index} ({}) {:?} -> {:?}",
                    back.role,
                    short(&now.content),
                    short(&back.content)
                )
            }
            Action::RemoveAppended { index, now } => format!(
                "remove message {index} ({}) {:?}",
                now.role,
                short(&now.content)
            ),
            Action::RestoreMessages { now, back } => format!(
                "restore the {} message(s) a clear removed ({} now)",
                back.len(),
                now.len()
            ),
            Action::SetConfig { key, now, back } => format!("setting {key} {now} -> {back}"),
            Action::SetAutoApproved { name, now, back } => {
                format!("tool {name} auto-approved {now} -> {back}")
            }
            Action::WriteFile { file, now, back } => match back {
                Some(back) => format!(
                    "file {} back to its old content ({} bytes, now {} bytes)",
                    file.display(),
                    back.len(),
                    now.len()
                ),
                None => format!("remove file {} (it did not exist)", file.display()),
            },
        };
        format!(
            "seq {}, {} by {}: {what}",
            self.seq, self.entry.time, self.entry.plugin
        )
    }

    /// Revert in `state` (or on disk, for a file), unless the target changed
    /// since the write.
    pub fn apply(&self, state: &mut AppState) -> Result<(), String> {
        match &self.action {
            Action::SetCwd { now, back } => {
                let current = state.cwd.display().to_string();
                if current != *now {
                    return Err(format!("the working directory is now {current}, not {now}"));
                }
                let back_path = PathBuf::from(back);
                if !back_path.is_dir() {
                    return Err(format!("{back} is no longer a directory"));
                }
                state.cwd = back_path;
            }
            Action::SetMessage { index, now, back } => {
                let slot = state
                    .messages
                    .get_mut(*index)
                    .ok_or_else(|| format!("message {index} no longer exists"))?;
                if slot.role != now.role || slot.content != now.content {
                    return Err(format!("message {index} changed since"));
                }
                slot.role.clone_from(&back.role);
                slot.content.clone_from(&back.content);
            }
            Action::RemoveAppended { index, now } => {
                match state.messages.get(*index) {
                    Some(m) if m.role == now.role && m.content == now.content => {}
                    _ => return Err(format!("message {index} changed since")),
                }
                state.messages.remove(*index);
            }
            Action::RestoreMessages { now, back } => {
                if *state.messages != *now {
                    return Err("the conversation changed since the clear".to_string());
                }
                // Through DerefMut: the journal sees a whole new conversation.
                *state.messages = back.clone();
            }
            Action::SetConfig { key, now, back } => {
                let current = crate::caps::config_value(&state.config, key)
                    .map_err(|e| crate::caps::describe(&e))?;
                if current != *now {
                    return Err(format!("{key} is now {current}, not {now}"));
                }
                crate::caps::set_config_value(&mut state.config, key, back)
                    .map_err(|e| crate::caps::describe(&e))?;
            }
            Action::SetAutoApproved { name, now, back } => {
                let tool = state
                    .tools
                    .get_mut(name)
                    .ok_or_else(|| format!("tool {name} no longer exists"))?;
                if tool.auto_approved != *now {
                    return Err(format!("tool {name} changed since"));
                }
                tool.auto_approved = *back;
            }
            Action::WriteFile { file, now, back } => {
                let shown = file.display();
                match std::fs::read(file) {
                    Ok(bytes) if bytes == now.as_bytes() => {}
                    Ok(_) => return Err(format!("{shown} changed since")),
                    Err(e) => return Err(format!("{shown} changed since: {e}")),
                }
                match back {
                    Some(old) => crate::util::atomic_write(file, old.as_bytes())
                        .map_err(|e| format!("cannot write {shown}: {e}"))?,
                    None => std::fs::remove_file(file)
                        .map_err(|e| format!("cannot remove {shown}: {e}"))?,
                }
            }
        }
        Ok(())
    }

    /// The audit entry recording this undo.
    pub fn audit_entry(&self) -> AuditEntry {
        let mut e = self.entry.clone();
        e.seq = None;
        e.prev = None;
        e.time = crate::util::now_rfc3339();
        e.plugin = UNDO_ACTOR.to_string();
        e.hash = String::new();
        e.operation = format!("undo {}", self.entry.operation);
        e.args = json!({ "undoes": self.seq });
        std::mem::swap(&mut e.old, &mut e.new);
        e.old_blob = None;
        e.new_blob = None;
        e.scope = None;
        e.detail = None;
        e
    }
}

fn short(text: &str) -> String {
    let mut s: String = text.chars().take(60).collect();
    if text.chars().count() > 60 {
        s.push('…');
    }
    s
}

/// Apply `steps` to `state` in order, auditing each one that applied.
/// Returns one line per step: what was done or why it was not.
pub fn apply_all(steps: &[UndoStep], state: &mut AppState, audit: &AuditLog) -> Vec<String> {
    steps
        .iter()
        .map(|step| match step.apply(state) {
            Ok(()) => {
                if let Err(e) = audit.append(&step.audit_entry()) {
                    eprintln!("aicoder: could not write the audit log: {e}");
                }
                format!("undone: {}", step.describe())
            }
            Err(why) => format!("not undone: {} ({why})", step.describe()),
        })
        .collect()
}
