//! Undo of state writes made through capabilities, from the old values the
//! audit log keeps. A write whose target changed since is reported, never
//! overwritten; every undo is itself audited (plugin `aicoder`).

use super::audit::{read_recent, AuditEntry, AuditLog, Outcome};
use crate::state::{AppState, Message};
use serde_json::{json, Value};
use std::collections::HashSet;
use std::path::PathBuf;

/// Who the audit log names for an undo: the user, through aicoder.
pub const UNDO_ACTOR: &str = "aicoder";

/// One write to revert.
#[derive(Debug, Clone)]
pub struct UndoStep {
    /// The audited write.
    pub entry: AuditEntry,
    action: Action,
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
}

fn message(v: &Value) -> Option<Message> {
    serde_json::from_value(v.get("message")?.clone()).ok()
}

fn action(e: &AuditEntry) -> Option<Action> {
    let (old, new) = (e.old.as_ref()?, e.new.as_ref()?);
    Some(match e.operation.as_str() {
        "set-cwd" => Action::SetCwd {
            now: new.as_str()?.to_string(),
            back: old.as_str()?.to_string(),
        },
        "set-message" => Action::SetMessage {
            index: usize::try_from(new.get("index")?.as_u64()?).ok()?,
            now: message(new)?,
            back: message(old)?,
        },
        "append" => Action::RemoveAppended {
            index: usize::try_from(new.get("index")?.as_u64()?).ok()?,
            now: message(new)?,
        },
        "set" if e.capability == "config.write" => Action::SetConfig {
            key: new.get("key")?.as_str()?.to_string(),
            now: new.get("value")?.as_str()?.to_string(),
            back: old.get("value")?.as_str()?.to_string(),
        },
        "set-auto-approved" => Action::SetAutoApproved {
            name: new.get("name")?.as_str()?.to_string(),
            now: new.get("auto_approved")?.as_bool()?,
            back: old.get("auto_approved")?.as_bool()?,
        },
        _ => return None,
    })
}

/// The last `n` revertible writes in `log`, newest first, skipping writes
/// already undone. Lines this process still holds are written first.
pub fn plan(log: &AuditLog, n: usize) -> std::io::Result<Vec<UndoStep>> {
    log.flush();
    let entries = read_recent(log.path(), usize::MAX, None)?.entries;
    let undone: HashSet<String> = entries
        .iter()
        .filter(|e| e.plugin == UNDO_ACTOR)
        .filter_map(|e| {
            e.args
                .get("undoes")
                .and_then(Value::as_str)
                .map(String::from)
        })
        .collect();
    Ok(entries
        .into_iter()
        .rev()
        .filter(|e| {
            e.outcome == Outcome::Allowed && e.plugin != UNDO_ACTOR && !undone.contains(&key(e))
        })
        .filter_map(|entry| action(&entry).map(|action| UndoStep { entry, action }))
        .take(n)
        .collect())
}

fn key(e: &AuditEntry) -> String {
    format!("{} {} {} {}", e.time, e.plugin, e.capability, e.operation)
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
            Action::SetConfig { key, now, back } => format!("setting {key} {now} -> {back}"),
            Action::SetAutoApproved { name, now, back } => {
                format!("tool {name} auto-approved {now} -> {back}")
            }
        };
        format!("{} by {}: {what}", self.entry.time, self.entry.plugin)
    }

    /// Revert in `state`, unless the target changed since the write.
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
        }
        Ok(())
    }

    /// The audit entry recording this undo.
    pub fn audit_entry(&self) -> AuditEntry {
        let mut e = self.entry.clone();
        e.time = crate::util::now_rfc3339();
        e.plugin = UNDO_ACTOR.to_string();
        e.hash = String::new();
        e.operation = format!("undo {}", self.entry.operation);
        e.args = json!({ "undoes": key(&self.entry) });
        std::mem::swap(&mut e.old, &mut e.new);
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
