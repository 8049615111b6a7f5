//! The audit log: one JSON line per host call that reads or changes app state,
//! appended to `<project>/.aicoder/audit.jsonl`.

use super::grants::{PluginId, Scope};
use super::Capability;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

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
    /// Not a capability call: a plugin file was refused at load (not a
    /// component, unknown import, other contract version...); `detail` says why.
    Refused,
}

/// One line of the audit log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
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
    pub outcome: Outcome,
    /// The grant scope that allowed the call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<Scope>,
    /// Why it was denied or how it failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

impl AuditEntry {
    /// An `allowed` entry for now; the gate fills in the rest.
    pub fn new(plugin: &PluginId, capability: Capability, operation: &str, args: Value) -> Self {
        AuditEntry {
            time: crate::util::now_rfc3339(),
            plugin: plugin.name.clone(),
            hash: plugin.hash.clone(),
            capability: capability.name().to_string(),
            operation: operation.to_string(),
            args,
            old: None,
            new: None,
            outcome: Outcome::Allowed,
            scope: None,
            detail: None,
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
            time: crate::util::now_rfc3339(),
            plugin: plugin.name.clone(),
            hash: plugin.hash.clone(),
            capability: SANDBOX.to_string(),
            operation: operation.to_string(),
            args,
            old: None,
            new: None,
            outcome,
            scope: None,
            detail: Some(detail),
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
            detail: e.detail.as_deref(),
        }
    }
}

/// The `capability` column of entries the sandbox writes about a plugin
/// (not a capability anyone can grant).
pub const SANDBOX: &str = "sandbox";

/// The append-only log file, opened lazily. Lines are gathered in memory and
/// written when the plugin call that made them ends (the host calls
/// [`AuditLog::flush`]), when 64 KiB are waiting, before the log is read, and
/// when the log is dropped: one `write` of whole lines with O_APPEND, so
/// concurrent aicoder processes never interleave within a line, and a host
/// call costs no system call. A `kill -9` in the middle of a plugin call loses
/// that call's lines.
#[derive(Debug)]
pub struct AuditLog {
    path: PathBuf,
    file: Mutex<LogFile>,
}

#[derive(Debug, Default)]
struct LogFile {
    file: Option<File>,
    /// Whole lines not yet written.
    pending: Vec<u8>,
}

/// Pending bytes that trigger a write without waiting for the call's end.
const FLUSH_AT: usize = 64 << 10;

impl AuditLog {
    /// A log at `path` (created with its folder on the first entry).
    pub fn new(path: PathBuf) -> Self {
        AuditLog {
            path,
            file: Mutex::new(LogFile::default()),
        }
    }

    /// Write the waiting lines. Failures are reported, once per flush.
    pub fn flush(&self) {
        let mut log = self.file.lock().unwrap_or_else(|p| p.into_inner());
        if let Err(err) = self.write_pending(&mut log) {
            self.report(&err);
        }
    }

    /// The call already happened, so a failure to log it is reported loudly
    /// rather than undone.
    fn report(&self, err: &std::io::Error) {
        eprintln!(
            "aicoder: could not write the audit log {}: {err}",
            self.path.display()
        );
    }

    fn write_pending(&self, log: &mut LogFile) -> std::io::Result<()> {
        if log.pending.is_empty() {
            return Ok(());
        }
        if log.file.is_none() {
            if let Some(dir) = self.path.parent() {
                std::fs::create_dir_all(dir)?;
            }
            log.file = Some(
                OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(&self.path)?,
            );
        }
        let pending = std::mem::take(&mut log.pending);
        match log.file.as_mut() {
            Some(file) => file.write_all(&pending),
            None => Err(std::io::Error::other("audit log not open")),
        }
    }

    /// Where the log lives.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Append one entry for something that already happened: a failure to
    /// record it is reported loudly rather than undoing the call.
    pub fn record(&self, entry: &AuditEntry) {
        self.record_line(&AuditLine::from(entry));
    }

    /// [`AuditLog::record`] for a borrowed line.
    pub fn record_line(&self, line: &AuditLine<'_>) {
        if let Err(err) = self.append_line(line) {
            self.report(&err);
        }
    }

    /// Append one entry (written at the next flush).
    pub fn append(&self, entry: &AuditEntry) -> std::io::Result<()> {
        self.append_line(&AuditLine::from(entry))
    }

    /// Append one line (written at the next flush).
    pub fn append_line(&self, line: &AuditLine<'_>) -> std::io::Result<()> {
        let mut log = self.file.lock().unwrap_or_else(|p| p.into_inner());
        serde_json::to_writer(&mut log.pending, line).map_err(std::io::Error::other)?;
        log.pending.push(b'\n');
        if log.pending.len() >= FLUSH_AT {
            self.write_pending(&mut log)?;
        }
        Ok(())
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

/// The last `limit` entries of the log at `path`, optionally for one plugin.
/// A missing log is empty; damaged lines are counted, not fatal.
pub fn read_recent(path: &Path, limit: usize, plugin: Option<&str>) -> std::io::Result<AuditTail> {
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(AuditTail::default()),
        Err(e) => return Err(e),
    };
    let mut tail = AuditTail::default();
    for line in BufReader::new(file).lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<AuditEntry>(&line) {
            Ok(entry) if plugin.is_none_or(|p| entry.plugin == p) => tail.entries.push(entry),
            Ok(_) => {}
            Err(_) => tail.unreadable_lines += 1,
        }
    }
    let skip = tail.entries.len().saturating_sub(limit);
    tail.entries.drain(..skip);
    Ok(tail)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn appends_lines_and_reads_back_filtered_tail() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join(".aicoder").join("audit.jsonl");
        let log = AuditLog::new(path.clone());
        for (i, name) in ["a", "b", "a"].iter().enumerate() {
            let id = PluginId {
                name: name.to_string(),
                hash: "h".into(),
                source: crate::plugins::discovery::PluginSource::User,
            };
            let mut e = AuditEntry::new(
                &id,
                Capability::WorkspaceWrite,
                "set-cwd",
                json!({ "i": i }),
            );
            e.old = Some(json!("/old"));
            log.append(&e).expect("append");
        }
        assert!(!path.exists(), "lines wait for the end of the call");
        log.flush();
        std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .and_then(|mut f| f.write_all(b"torn line\n"))
            .expect("damage");
        let tail = read_recent(&path, 10, Some("a")).expect("read");
        assert_eq!(tail.entries.len(), 2);
        assert_eq!(tail.entries[1].args, json!({"i": 2}));
        assert_eq!(tail.entries[0].old, Some(json!("/old")));
        assert_eq!(tail.unreadable_lines, 1);
        assert_eq!(read_recent(&path, 1, None).expect("read").entries.len(), 1);
    }
}
