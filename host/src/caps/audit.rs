//! The audit log: one JSON line per host call that reads or changes app state,
//! appended to `<project>/.aicoder/audit.jsonl`. Each line carries a
//! sequence number and the hash of the line before it ([`chain`]); old/new
//! values above 4 KiB are stored once beside the log ([`blobs`]).

pub mod blobs;
pub mod chain;

use super::grants::{PluginId, Scope};
use super::Capability;
use blobs::BlobRef;
use chain::{Link, ReverseLines};
use serde::ser::SerializeStruct;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Write};
use std::os::unix::fs::MetadataExt;
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

/// The append-only log file, opened lazily. Lines are gathered in memory and
/// written when the plugin call that made them ends (the host calls
/// [`AuditLog::flush`]), when 64 KiB are waiting, before the log is read, and
/// when the log is dropped, so a host call costs no system call. A write
/// takes an exclusive `flock` on the file, continues the chain from the last
/// line (remembered from this process's previous write when the file has
/// not grown since, read back from the end otherwise), appends the lines
/// with one O_APPEND `write` and unlocks: concurrent aicoder processes keep
/// one chain. A `kill -9` in the middle of a plugin call loses that call's
/// lines.
#[derive(Debug)]
pub struct AuditLog {
    path: PathBuf,
    blobs: PathBuf,
    file: Mutex<LogFile>,
}

#[derive(Debug, Default)]
struct LogFile {
    file: Option<File>,
    /// Whole lines not yet written, without their chain fields.
    pending: Vec<u8>,
    /// Where the chain stood after this process's last write.
    tail: Option<Tail>,
    /// Put on every line appended while set ([`AuditLog::set_via`]).
    via: Option<String>,
}

/// The end of the chain as this process last wrote it.
#[derive(Debug, Clone, Copy)]
struct Tail {
    dev: u64,
    ino: u64,
    /// File length after the write.
    end: u64,
    next_seq: u64,
    prev: [u8; 32],
}

/// Pending bytes that trigger a write without waiting for the call's end.
const FLUSH_AT: usize = 64 << 10;

/// A value as a line stores it: whole, or as a reference to its blob.
enum Bounded<'a> {
    Inline(&'a Value),
    Blob(BlobRef),
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
            path,
            file: Mutex::new(LogFile::default()),
        }
    }

    /// Name who asks for the calls from now on (`mcp:CLIENT` while
    /// `aicoder mcp serve` runs a client's call; `None` after): each line
    /// appended meanwhile carries it as `via`.
    pub fn set_via(&self, via: Option<String>) {
        let mut log = self.file.lock().unwrap_or_else(|p| p.into_inner());
        log.via = via;
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

    fn write_pending(&self, log: &mut LogFile) -> std::io::Result<()> {
        if log.pending.is_empty() {
            return Ok(());
        }
        let pending = std::mem::take(&mut log.pending);
        // The path may name another file than the one held open (the log
        // was replaced or removed): follow the path.
        for _ in 0..3 {
            let file = match log.file.take() {
                Some(f) => f,
                None => self.open()?,
            };
            file.lock()?;
            let meta = file.metadata()?;
            let current = std::fs::metadata(&self.path);
            if !current.is_ok_and(|m| m.dev() == meta.dev() && m.ino() == meta.ino()) {
                log.tail = None;
                continue; // dropping `file` unlocks it
            }
            let result = append_chained(&file, &meta, &mut log.tail, &pending);
            if result.is_err() {
                log.tail = None;
            }
            // Closing would unlock too; the file is kept open for the next write.
            let unlocked = file.unlock();
            log.file = Some(file);
            return result.and(unlocked);
        }
        Err(std::io::Error::other(
            "the log file kept being replaced while aicoder wrote to it",
        ))
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
            self.report(&err);
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
        let mut guard = self.file.lock().unwrap_or_else(|p| p.into_inner());
        let log = &mut *guard;
        let body = Body {
            line,
            old,
            new,
            via: log.via.as_deref(),
        };
        serde_json::to_writer(&mut log.pending, &body).map_err(std::io::Error::other)?;
        log.pending.push(b'\n');
        if log.pending.len() >= FLUSH_AT {
            self.write_pending(log)?;
        }
        Ok(())
    }
}

/// Put the chain fields in front of each pending line and append them all
/// with one write. The caller holds the file's lock.
fn append_chained(
    file: &File,
    meta: &std::fs::Metadata,
    cache: &mut Option<Tail>,
    pending: &[u8],
) -> std::io::Result<()> {
    let (dev, ino, len) = (meta.dev(), meta.ino(), meta.len());
    let (mut seq, mut prev, cut_short) = match *cache {
        Some(t) if t.dev == dev && t.ino == ino && t.end == len => (t.next_seq, t.prev, false),
        _ => read_tail(file, len)?,
    };
    let lines = memchr::memchr_iter(b'\n', pending).count();
    let mut out = Vec::with_capacity(pending.len() + lines * 96 + 1);
    if cut_short {
        out.push(b'\n');
    }
    let mut start = 0;
    for end in memchr::memchr_iter(b'\n', pending) {
        let body = &pending[start..end];
        start = end + 1;
        // Each body is a JSON object: `{` is replaced by the chain prefix.
        let Some(rest) = body.strip_prefix(b"{") else {
            continue;
        };
        let line_start = out.len();
        chain::write_prefix(&mut out, seq, &prev);
        out.extend_from_slice(rest);
        prev = chain::line_hash(&out[line_start..]);
        out.push(b'\n');
        seq += 1;
    }
    (&*file).write_all(&out)?;
    *cache = Some(Tail {
        dev,
        ino,
        end: len + out.len() as u64,
        next_seq: seq,
        prev,
    });
    Ok(())
}

/// How to continue the chain of a file of `len` bytes: the next sequence
/// number, the hash of the last line, and whether that line was cut short
/// (no newline). After a line without chain fields, or one cut short, a new
/// chain starts at seq 1; `audit verify` reports such a restart unless only
/// unchained lines come before it.
fn read_tail(file: &File, len: u64) -> std::io::Result<(u64, [u8; 32], bool)> {
    if len == 0 {
        return Ok((1, chain::GENESIS_PREV, false));
    }
    let mut last_byte = [0u8];
    std::os::unix::fs::FileExt::read_exact_at(file, &mut last_byte, len - 1)?;
    let cut_short = last_byte[0] != b'\n';
    let (_, last) = ReverseLines::new(file, len)?
        .next_line()?
        .unwrap_or_default();
    let hash = chain::line_hash(&last);
    match chain::parse_link(&last) {
        Some(link) if !cut_short => Ok((link.seq + 1, hash, false)),
        _ => Ok((1, hash, cut_short)),
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

/// What `audit verify` found.
#[derive(Debug, Default)]
pub struct Verification {
    /// Lines read (up to the first break).
    pub lines: u64,
    /// Lines at the start written before the log was chained.
    pub unchained_before: u64,
    /// The last sequence number verified.
    pub last_seq: Option<u64>,
    /// Distinct blobs read back and checked against their hash.
    pub blobs: u64,
    /// The first broken line: its number and what is wrong.
    pub broken: Option<String>,
}

/// Check the whole chain of the log at `path` and the blobs its lines name,
/// reading the file once from the start. A missing log verifies (empty).
pub fn verify(path: &Path) -> std::io::Result<Verification> {
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Verification::default()),
        Err(e) => return Err(e),
    };
    let blob_dir = blobs::dir_for(path);
    let mut checked_blobs = std::collections::HashSet::new();
    let mut reader = BufReader::with_capacity(1 << 20, file);
    let mut v = Verification::default();
    let mut line = Vec::with_capacity(4096);
    let mut before: Option<([u8; 32], Option<Link>)> = None;
    let mut in_chain = false;
    let blob_finder = memchr::memmem::Finder::new(b"_blob\":{");
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line)? == 0 {
            break;
        }
        v.lines += 1;
        let line_no = v.lines;
        if line.last() == Some(&b'\n') {
            line.pop();
        } else {
            v.broken = Some(format!(
                "line {line_no} is cut short (no end of line): a write was interrupted"
            ));
            break;
        }
        let link = chain::parse_link(&line);
        let hash = chain::line_hash(&line);
        if link.is_none() && !in_chain {
            v.unchained_before += 1;
            before = Some((hash, None));
            continue;
        }
        let prior = before.as_ref().map(|(h, l)| (h, *l));
        if let Some(why) = chain::check_link(line_no, link, prior) {
            v.broken = Some(why);
            break;
        }
        in_chain = true;
        v.last_seq = link.map(|l| l.seq);
        if blob_finder.find(&line).is_some() {
            if let Err(why) = check_blobs(&line, &blob_dir, &mut checked_blobs) {
                v.broken = Some(format!("line {line_no}: {why}"));
                break;
            }
        }
        before = Some((hash, link));
    }
    v.blobs = checked_blobs.len() as u64;
    Ok(v)
}

/// Read back each blob a line names (once per blob) and check its hash.
fn check_blobs(
    line: &[u8],
    dir: &Path,
    checked: &mut std::collections::HashSet<String>,
) -> Result<(), String> {
    let entry: AuditEntry =
        serde_json::from_slice(line).map_err(|e| format!("not a valid entry: {e}"))?;
    for blob in [&entry.old_blob, &entry.new_blob].into_iter().flatten() {
        if checked.contains(&blob.hash) {
            continue;
        }
        blobs::read_checked(dir, blob).map_err(|e| e.to_string())?;
        checked.insert(blob.hash.clone());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn entry(name: &str, i: usize) -> AuditEntry {
        let id = PluginId {
            name: name.to_string(),
            hash: "h".into(),
            source: crate::state::PluginSource::User,
        };
        let mut e = AuditEntry::new(
            &id,
            Capability::WorkspaceWrite,
            "set-cwd",
            json!({ "i": i }),
        );
        e.old = Some(json!("/old"));
        e
    }

    #[test]
    fn appends_lines_and_reads_back_filtered_tail() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join(".aicoder").join("audit.jsonl");
        let log = AuditLog::new(path.clone());
        for (i, name) in ["a", "b", "a"].iter().enumerate() {
            log.append(&entry(name, i)).expect("append");
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
        assert_eq!(tail.entries[1].seq, Some(3));
        assert_eq!(tail.entries[0].old, Some(json!("/old")));
        assert_eq!(tail.unreadable_lines, 1);
        assert_eq!(read_recent(&path, 1, None).expect("read").entries.len(), 1);
    }

    #[test]
    fn chain_continues_across_logs_and_after_unchained_lines() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("audit.jsonl");
        std::fs::write(&path, "{\"old\":\"unchained\"}\n").expect("legacy line");
        for round in 0..3 {
            let log = AuditLog::new(path.clone());
            log.append(&entry("a", round)).expect("append");
            log.append(&entry("b", round)).expect("append");
        }
        let v = verify(&path).expect("verify");
        assert_eq!(v.broken, None);
        assert_eq!((v.lines, v.unchained_before, v.last_seq), (7, 1, Some(6)));

        // A line cut short: the next writer starts on a new line and a new
        // chain, which verify reports.
        std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .and_then(|mut f| f.write_all(b"{\"seq\":7,\"pr"))
            .expect("cut");
        let log = AuditLog::new(path.clone());
        log.append(&entry("c", 9)).expect("append");
        drop(log);
        let v = verify(&path).expect("verify");
        assert!(v.broken.expect("broken").contains("line 8"));
    }

    #[test]
    fn large_values_go_to_one_blob_and_verify_checks_it() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("audit.jsonl");
        let log = AuditLog::new(path.clone());
        let mut e = entry("a", 0);
        e.old = Some(json!({"content": "x".repeat(100_000)}));
        e.new = e.old.clone();
        log.append(&e).expect("append");
        log.flush();
        assert!(std::fs::metadata(&path).expect("log").len() < 2000);
        let tail = read_recent(&path, 1, None).expect("read");
        let stored = &tail.entries[0];
        assert_eq!(stored.old, None);
        assert_eq!(stored.old_blob, stored.new_blob);
        let blob = stored.old_blob.as_ref().expect("blob");
        assert_eq!(
            blobs::load(log.blobs_dir(), blob).expect("load"),
            e.old.clone().expect("old")
        );
        assert_eq!(verify(&path).expect("verify").blobs, 1);
        std::fs::write(log.blobs_dir().join(&blob.hash), "{}").expect("damage");
        let broken = verify(&path).expect("verify").broken.expect("broken");
        assert!(broken.contains(&blob.hash), "{broken}");
    }
}
