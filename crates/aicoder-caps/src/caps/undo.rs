//! Undo of state writes made through capabilities, from the old values the
//! audit log keeps (inline, or in a blob checked against its hash). A write
//! is named by its sequence number. Planning reads the log from its end and
//! checks each line's link to the line before: a line whose chain does not
//! verify is listed as not trusted, a write aicoder has no undo for is listed
//! as such, and neither is skipped silently. A write whose target changed
//! since is reported, never overwritten; every undo is itself audited
//! (plugin `aicoder`). Each write capability owns its revert (`Revert`,
//! `revert()` and `RevertError` in caps/<module>/revert.rs for workspace,
//! history, config, tools and fs): this module reads the log, names the
//! host function each line records and drives them.

use super::audit::{blobs, AuditEntry, AuditLog, CheckedLines, Outcome, Trust};
use super::HostFn;
use crate::state::AppState;
use serde_json::{json, Value};
use std::collections::HashSet;
use std::path::Path;

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

/// Why a write has no revert: the module that made it says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum NoRevert {
    /// The operation changes nothing undo knows how to put back.
    NoUndo,
    /// The line's old/new values are not of the shape the operation logs.
    Malformed,
    /// `fs.write` logged the old content lossily (it was not UTF-8).
    LossyText,
    /// `fs.write` logged no absolute path (an older aicoder wrote the line).
    NoFilePath,
}

/// Why a logged write cannot be undone, with the line it names.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CannotUndo {
    /// Not a write aicoder knows how to revert.
    #[error("aicoder has no undo for {capability} {operation}")]
    NoUndo {
        capability: String,
        operation: String,
    },
    /// The line's old/new values are not of the shape the operation logs.
    #[error("the line's old/new values are not those of {operation}")]
    Malformed { operation: String },
    /// Written back, the file would be damaged.
    #[error("the file's old content was not UTF-8 text and the log holds a lossy copy")]
    LossyText,
    /// The line does not say which file.
    #[error("the line does not record the file's absolute path (written by an older aicoder)")]
    NoFilePath,
}

/// Why a planned revert was not applied: its target changed since, or
/// putting the old value back failed.
#[derive(Debug, thiserror::Error)]
pub enum UndoError {
    #[error(transparent)]
    Workspace(#[from] super::workspace::RevertError),
    #[error(transparent)]
    History(#[from] super::history::RevertError),
    #[error(transparent)]
    Config(#[from] super::config::RevertError),
    #[error(transparent)]
    Tools(#[from] super::tools::RevertError),
    #[error(transparent)]
    Fs(#[from] super::fs::RevertError),
}

/// A write's revert, owned by the capability module that made the write.
#[derive(Debug, Clone)]
enum Action {
    Workspace(super::workspace::Revert),
    History(super::history::Revert),
    Config(super::config::Revert),
    Tools(super::tools::Revert),
    Fs(super::fs::Revert),
}

/// Reads a logged write (the host function that made it, and its old/new
/// values) into its revert.
type Reverter = fn(HostFn, &Value, &Value) -> Result<Action, NoRevert>;

/// The host module that reverts a capability's writes: one for each
/// capability the table marks `undo` (a test holds the two together).
fn reverter(capability: super::Capability) -> Option<Reverter> {
    use super::Capability as C;
    let revert: Reverter = match capability {
        C::WorkspaceWrite => {
            |op, old, new| super::workspace::revert(op, old, new).map(Action::Workspace)
        }
        C::HistoryWrite => |op, old, new| super::history::revert(op, old, new).map(Action::History),
        C::ConfigWrite => |op, old, new| super::config::revert(op, old, new).map(Action::Config),
        C::ToolsManage => |op, old, new| super::tools::revert(op, old, new).map(Action::Tools),
        C::FsWrite => |op, old, new| super::fs::revert(op, old, new).map(Action::Fs),
        _ => return None,
    };
    Some(revert)
}

/// The undo of a write, or why there is none.
fn action(e: &AuditEntry) -> Result<Action, CannotUndo> {
    let no_undo = || CannotUndo::NoUndo {
        capability: e.capability.clone(),
        operation: e.operation.clone(),
    };
    let (Some(old), Some(new)) = (e.old.as_ref(), e.new.as_ref()) else {
        return Err(no_undo());
    };
    let op = e.operation.as_str();
    // The line names the function by the table's own columns; the function,
    // not the text, decides the revert.
    let function = HostFn::logged(&e.capability, op);
    let action = match function.and_then(|f| Some((f, reverter(f.capability())?))) {
        Some((function, revert)) => revert(function, old, new),
        None => Err(NoRevert::NoUndo),
    };
    action.map_err(|why| match why {
        NoRevert::NoUndo => no_undo(),
        NoRevert::Malformed => CannotUndo::Malformed {
            operation: op.to_string(),
        },
        NoRevert::LossyText => CannotUndo::LossyText,
        NoRevert::NoFilePath => CannotUndo::NoFilePath,
    })
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
            Action::Workspace(r) => r.describe(),
            Action::History(r) => r.describe(),
            Action::Config(r) => r.describe(),
            Action::Tools(r) => r.describe(),
            Action::Fs(r) => r.describe(),
        };
        format!(
            "seq {}, {} by {}: {what}",
            self.seq, self.entry.time, self.entry.plugin
        )
    }

    /// Revert in `state` (or on disk, for a file), unless the target changed
    /// since the write.
    pub fn apply(&self, state: &mut AppState) -> Result<(), UndoError> {
        match &self.action {
            Action::Workspace(r) => r.apply(state)?,
            Action::History(r) => r.apply(state)?,
            Action::Config(r) => r.apply(state)?,
            Action::Tools(r) => r.apply(state)?,
            Action::Fs(r) => r.apply()?,
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

#[cfg(test)]
mod tests {
    use super::*;

    /// An audit line is read back into the function that wrote it by the
    /// table's own columns: each guarded function's (capability, operation)
    /// names it and no other, and an operation of another capability names
    /// nothing (so `config.write` / `set-cwd` has no revert).
    #[test]
    fn a_logged_write_names_its_host_function() {
        for function in HostFn::ALL {
            let cap = function.capability().name();
            assert_eq!(HostFn::logged(cap, function.name()), Some(function));
        }
        assert_eq!(HostFn::logged("config.write", "set-cwd"), None);
        assert_eq!(HostFn::logged("fs.write", "read-file"), None);
        let entry: AuditEntry = serde_json::from_value(json!({
            "time": "t", "plugin": "p", "hash": "h", "capability": "config.write",
            "operation": "set-cwd", "args": null, "outcome": "allowed",
            "old": "/a", "new": "/b"
        }))
        .expect("entry");
        let why = action(&entry).map(|_| ()).expect_err("no undo");
        assert_eq!(
            why.to_string(),
            "aicoder has no undo for config.write set-cwd"
        );
    }

    /// The table's `undo` column and the reverts undo dispatches to agree:
    /// marking a capability `undo` without a revert here (or the reverse)
    /// fails.
    #[test]
    fn every_capability_marked_undo_has_a_revert_and_no_other() {
        for capability in super::super::Capability::ALL {
            assert_eq!(
                reverter(capability).is_some(),
                capability.undoable(),
                "{capability}: the table's undo column and undo.rs disagree"
            );
        }
    }
}
