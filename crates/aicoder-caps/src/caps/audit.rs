//! The audit log: one JSON line per host call that reads or changes app state,
//! appended to `<project>/.aicoder/audit.jsonl`. Each line carries a
//! sequence number and the hash of the line before it ([`chain`]); old/new
//! values above 4 KiB are stored once beside the log ([`blobs`]).

pub mod blobs;
mod bulk;
pub mod chain;
mod cursor;
mod verify;
mod writer;

pub use verify::{verify, Verification};

use super::grants::{PluginId, Scope};
use super::Capability;
use blobs::BlobRef;
use chain::{Link, ReverseLines};
use serde::ser::SerializeStruct;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::fs::File;
use std::path::{Path, PathBuf};
use writer::Writer;

/// What happened to an audited call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// Granted and done.
    Allowed,
    /// Refused: no grant, or denied by the user.
    Denied,
    /// Granted, but the operation failed (bad argument, I/O error, ...).
    Failed,
    /// Not a capability call: the sandbox stopped the plugin (deadline,
    /// memory ceiling, output cap or crash); `detail` says which.
    Stopped,
    /// Turned down by the host before any grant check; `detail` says why.
    /// A plugin file refused at load (not a component, unknown import, other
    /// contract version...), or a session-only write (history.write,
    /// tools.manage, prompt.write, hooks.register, tools.own) made outside a
    /// session, in a one-shot command that would drop it (caps/one_shot.rs).
    Refused,
}

/// One line of the audit log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// Position in the chain (from 1); `None` on lines written before the
    /// log was chained. Assigned when the line is written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seq: Option<u64>,
    /// Hex blake3 of the line before (see [`chain`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prev: Option<String>,
    /// RFC 3339 UTC time.
    pub time: String,
    pub plugin: String,
    /// Hex blake3 of the plugin component.
    pub hash: String,
    pub capability: String,
    /// The host function, e.g. `set-cwd`.
    pub operation: String,
    pub args: Value,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new: Option<Value>,
    /// `old` when it was too large for the line: stored as a blob.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old_blob: Option<BlobRef>,
    /// `new` when it was too large for the line: stored as a blob.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_blob: Option<BlobRef>,
    pub outcome: Outcome,
    /// The grant scope that allowed the call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<Scope>,
    /// The grant's scope (what part of the capability, e.g. `src/**`) that
    /// allowed or denied the call; on an out-of-scope denial, the scopes held.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub within: Option<String>,
    /// Why it was denied or how it failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Who asked for the call when it came from outside a session: the MCP
    /// client (`mcp:NAME`) of `aicoder mcp serve`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub via: Option<String>,
}

impl AuditEntry {
    /// Whether it records a change (an old or a new value).
    pub fn is_write(&self) -> bool {
        self.old.is_some()
            || self.new.is_some()
            || self.old_blob.is_some()
            || self.new_blob.is_some()
    }

    /// An `allowed` entry for now; the gate fills in the rest.
    pub fn new(plugin: &PluginId, capability: Capability, operation: &str, args: Value) -> Self {
        AuditEntry {
            seq: None,
            prev: None,
            time: crate::util::now_rfc3339(),
            plugin: plugin.name.clone(),
            hash: plugin.hash.clone(),
            capability: capability.name().to_string(),
            operation: operation.to_string(),
            args,
            old: None,
            new: None,
            old_blob: None,
            new_blob: None,
            outcome: Outcome::Allowed,
            scope: None,
            within: None,
            detail: None,
            via: None,
        }
    }

    /// An entry the sandbox writes about `plugin` rather than a capability
    /// call: `stopped` (a call to `operation`, an export such as `call-tool`,
    /// was ended) or `refused` (the file was not loaded); `detail` says why.
    pub fn sandbox(
        plugin: &PluginId,
        operation: &str,
        args: Value,
        outcome: Outcome,
        detail: String,
    ) -> Self {
        AuditEntry {
            seq: None,
            prev: None,
            time: crate::util::now_rfc3339(),
            plugin: plugin.name.clone(),
            hash: plugin.hash.clone(),
            capability: SANDBOX.to_string(),
            operation: operation.to_string(),
            args,
            old: None,
            new: None,
            old_blob: None,
            new_blob: None,
            outcome,
            scope: None,
            within: None,
            detail: Some(detail),
            via: None,
        }
    }
}

/// One line as written: it borrows what the caller has, so the gate's write
/// of a line copies no strings (an [`AuditEntry`] serialises the same way).
#[derive(Serialize)]
pub struct AuditLine<'a> {
    pub time: LineTime<'a>,
    pub plugin: &'a str,
    pub hash: &'a str,
    pub capability: &'a str,
    pub operation: &'a str,
    pub args: &'a Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old: Option<&'a Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new: Option<&'a Value>,
    pub outcome: Outcome,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope: Option<Scope>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub within: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<&'a str>,
}

/// The time of a line: now (formatted straight into the line), or given.
pub enum LineTime<'a> {
    Now,
    Given(&'a str),
}

impl Serialize for LineTime<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            LineTime::Now => s.collect_str(&humantime::format_rfc3339_millis(
                std::time::SystemTime::now(),
            )),
            LineTime::Given(text) => s.serialize_str(text),
        }
    }
}

impl<'a> From<&'a AuditEntry> for AuditLine<'a> {
    fn from(e: &'a AuditEntry) -> Self {
        AuditLine {
            time: LineTime::Given(&e.time),
            plugin: &e.plugin,
            hash: &e.hash,
            capability: &e.capability,
            operation: &e.operation,
            args: &e.args,
            old: e.old.as_ref(),
            new: e.new.as_ref(),
            outcome: e.outcome,
            scope: e.scope,
            within: e.within.as_deref(),
            detail: e.detail.as_deref(),
        }
    }
}

/// The `capability` column of entries the sandbox writes about a plugin
/// (not a capability anyone can grant).
pub const SANDBOX: &str = "sandbox";

/// The append-only log file, opened lazily. A host call serialises its line
/// into memory; the lines are chained (hashed) by a thread of their own as
/// they pile up and written when the plugin call that made them ends (the
/// host calls [`AuditLog::flush`]), when 64 KiB are chained, before the log
/// is read, and when the log is dropped, so a host call costs no system call
/// and no hash ([`writer`]). A write takes an exclusive `flock` on the file,
/// checks the chain continues the file's last line (another aicoder process
/// may have written meanwhile), appends the lines with one O_APPEND `write`
/// and unlocks: concurrent aicoder processes keep one chain. When `flush`
/// returns, the call's lines are in the file: a `kill -9` loses only the
/// lines of a plugin call still running.
#[derive(Debug)]
pub struct AuditLog {
    path: PathBuf,
    blobs: PathBuf,
    writer: Writer,
    /// Put on every line appended while set ([`AuditLog::set_via`]).
    via: std::sync::Mutex<Option<String>>,
}

/// A value as a line stores it: whole, or as a reference to its blob.
enum Bounded<'a> {
    Inline(&'a Value),
    Blob(BlobRef),
}

/// The session id of the parent when this process is a subagent
/// (AICODER_PARENT_SESSION, set by the `task` tool): every line it writes
/// carries it, so the parent's log shows whose child made a call.
fn parent_session() -> Option<&'static str> {
    static PARENT: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    PARENT
        .get_or_init(|| {
            std::env::var("AICODER_PARENT_SESSION")
                .ok()
                .filter(|v| !v.is_empty() && v.len() <= 200)
        })
        .as_deref()
}

/// A line as written (before its chain fields are put in front).
struct Body<'a> {
    line: &'a AuditLine<'a>,
    old: Option<Bounded<'a>>,
    new: Option<Bounded<'a>>,
    via: Option<&'a str>,
}

impl Serialize for Body<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let l = self.line;
        let mut st = s.serialize_struct("AuditLine", 12)?;
        st.serialize_field("time", &l.time)?;
        st.serialize_field("plugin", l.plugin)?;
        st.serialize_field("hash", l.hash)?;
        st.serialize_field("capability", l.capability)?;
        st.serialize_field("operation", l.operation)?;
        st.serialize_field("args", l.args)?;
        for (name, blob_name, value) in [
            ("old", "old_blob", &self.old),
            ("new", "new_blob", &self.new),
        ] {
            match value {
                Some(Bounded::Inline(v)) => st.serialize_field(name, v)?,
                Some(Bounded::Blob(b)) => st.serialize_field(blob_name, b)?,
                None => {}
            }
        }
        st.serialize_field("outcome", &l.outcome)?;
        if let Some(scope) = &l.scope {
            st.serialize_field("scope", scope)?;
        }
        if let Some(within) = l.within {
            st.serialize_field("within", within)?;
        }
        if let Some(detail) = l.detail {
            st.serialize_field("detail", detail)?;
        }
        if let Some(parent) = parent_session() {
            st.serialize_field("parent_session", parent)?;
        }
        if let Some(via) = self.via {
            st.serialize_field("via", via)?;
        }
        st.end()
    }
}

impl AuditLog {
    /// A log at `path` (created with its folder on the first entry); its
    /// blobs go to `audit/blobs/` beside it.
    pub fn new(path: PathBuf) -> Self {
        AuditLog {
            blobs: blobs::dir_for(&path),
            writer: Writer::new(path.clone()),
            path,
            via: std::sync::Mutex::new(None),
        }
    }

    /// Name who asks for the calls from now on (`mcp:CLIENT` while
    /// `aicoder mcp serve` runs a client's call; `None` after): each line
    /// appended meanwhile carries it as `via`.
    pub fn set_via(&self, via: Option<String>) {
        *self.via.lock().unwrap_or_else(|p| p.into_inner()) = via;
    }

    /// Write the waiting lines. Failures are reported, once per flush.
    pub fn flush(&self) {
        if let Err(err) = self.writer.flush() {
            writer::report(&self.path, &err);
        }
    }

    /// Hash the chain on a thread of its own (the default), or inline when
    /// the lines are written, as before that thread (for the bench).
    pub fn set_chain_thread(&self, on: bool) {
        self.writer.set_background(on);
    }

    /// Where the log lives.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Where its blobs live.
    pub fn blobs_dir(&self) -> &Path {
        &self.blobs
    }

    /// Append one entry for something that already happened: a failure to
    /// record it is reported loudly rather than undoing the call.
    pub fn record(&self, entry: &AuditEntry) {
        self.record_line(&AuditLine::from(entry));
    }

    /// [`AuditLog::record`] for a borrowed line.
    pub fn record_line(&self, line: &AuditLine<'_>) {
        if let Err(err) = self.append_line(line) {
            writer::report(&self.path, &err);
        }
    }

    /// Append one entry (written at the next flush).
    pub fn append(&self, entry: &AuditEntry) -> std::io::Result<()> {
        self.append_line(&AuditLine::from(entry))
    }

    /// A value as the line will hold it: whole up to 4 KiB as JSON, a blob
    /// reference above.
    fn bounded<'a>(&self, value: Option<&'a Value>) -> std::io::Result<Option<Bounded<'a>>> {
        let Some(value) = value else { return Ok(None) };
        if matches!(value, Value::Null | Value::Bool(_) | Value::Number(_)) {
            return Ok(Some(Bounded::Inline(value)));
        }
        let json = serde_json::to_vec(value).map_err(std::io::Error::other)?;
        if json.len() <= blobs::BLOB_ABOVE {
            return Ok(Some(Bounded::Inline(value)));
        }
        Ok(Some(Bounded::Blob(blobs::store(&self.blobs, &json)?)))
    }

    /// Append one line (written at the next flush). A large old/new value
    /// is stored as a blob now, before any line can name it.
    pub fn append_line(&self, line: &AuditLine<'_>) -> std::io::Result<()> {
        let (old, new) = (self.bounded(line.old)?, self.bounded(line.new)?);
        let via = self.via.lock().unwrap_or_else(|p| p.into_inner());
        let body = Body {
            line,
            old,
            new,
            via: via.as_deref(),
        };
        self.writer
            .append(|out| serde_json::to_writer(out, &body).map_err(std::io::Error::other))
    }
}

impl Drop for AuditLog {
    fn drop(&mut self) {
        self.flush();
    }
}

/// Entries read back from a log, and how many lines could not be parsed.
#[derive(Debug, Default)]
pub struct AuditTail {
    pub entries: Vec<AuditEntry>,
    pub unreadable_lines: usize,
}

/// The last `limit` entries of the log at `path`, optionally for one plugin,
/// read from the end of the file. A missing log is empty; damaged lines are
/// counted, not fatal.
pub fn read_recent(path: &Path, limit: usize, plugin: Option<&str>) -> std::io::Result<AuditTail> {
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(AuditTail::default()),
        Err(e) => return Err(e),
    };
    let mut tail = AuditTail::default();
    let mut lines = ReverseLines::new(&file, file.metadata()?.len())?;
    while tail.entries.len() < limit {
        let Some((_, line)) = lines.next_line()? else {
            break;
        };
        if line.trim_ascii().is_empty() {
            continue;
        }
        match serde_json::from_slice::<AuditEntry>(&line) {
            Ok(entry) if plugin.is_none_or(|p| entry.plugin == p) => tail.entries.push(entry),
            Ok(_) => {}
            Err(_) => tail.unreadable_lines += 1,
        }
    }
    tail.entries.reverse();
    Ok(tail)
}

/// Whether a line read from the end can be trusted: its link to the line
/// before holds, and so do all the links after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Trust {
    Trusted,
    /// Why not, naming the line.
    Untrusted(String),
}

/// One line read from the end, with its chain fields and its trust.
#[derive(Debug)]
pub struct CheckedLine {
    pub text: Vec<u8>,
    pub link: Option<Link>,
    pub trust: Trust,
}

/// The lines of a log from the newest, each checked against the line before
/// it: at the first link that does not hold (or at the start of the chain),
/// that line and every older one are untrusted, with the reason.
pub struct CheckedLines<'a> {
    path: &'a Path,
    lines: ReverseLines<'a>,
    /// The next line to yield (its trust needs the line before it).
    ahead: Option<(u64, Vec<u8>)>,
    /// Once the chain is broken or has started: why older lines are untrusted,
    /// and the number of the next (older) line.
    broken: Option<(String, u64)>,
}

impl<'a> CheckedLines<'a> {
    /// Walk `file` (the log at `path`) from its end.
    pub fn new(path: &'a Path, file: &'a File) -> std::io::Result<Self> {
        let mut lines = ReverseLines::new(file, file.metadata()?.len())?;
        let ahead = lines.next_line()?;
        Ok(CheckedLines {
            path,
            lines,
            ahead,
            broken: None,
        })
    }

    /// The next older line, or `None` at the start of the file.
    pub fn next_line(&mut self) -> std::io::Result<Option<CheckedLine>> {
        let Some((offset, text)) = self.ahead.take() else {
            return Ok(None);
        };
        self.ahead = self.lines.next_line()?;
        let link = chain::parse_link(&text);
        if let Some((why, line_no)) = &mut self.broken {
            let trust = Trust::Untrusted(format!("line {line_no}: {why}"));
            *line_no = line_no.saturating_sub(1);
            return Ok(Some(CheckedLine { text, link, trust }));
        }
        let before = self
            .ahead
            .as_ref()
            .map(|(_, t)| (chain::line_hash(t), chain::parse_link(t)));
        let before_ref = before.as_ref().map(|(h, l)| (h, *l));
        let trust = match chain::check_link(1, link, before_ref) {
            None if link.is_some_and(|l| l.seq == 1) => {
                // The chain starts here: what is older cannot be verified.
                let line_no = chain::line_number(self.path, offset)?;
                self.broken = Some((
                    format!(
                        "before the chain that starts at line {line_no} (what precedes it has \
                         no chain: an older log, or a line forged or cut short), so it cannot \
                         be verified"
                    ),
                    line_no.saturating_sub(1),
                ));
                Trust::Trusted
            }
            None => Trust::Trusted,
            Some(_) => {
                let line_no = chain::line_number(self.path, offset)?;
                let why = chain::check_link(line_no, link, before_ref).unwrap_or_default();
                self.broken = Some((
                    format!("older than a break in the chain: {why}"),
                    line_no.saturating_sub(1),
                ));
                Trust::Untrusted(why)
            }
        };
        Ok(Some(CheckedLine { text, link, trust }))
    }
}

#[cfg(test)]
mod tests;
