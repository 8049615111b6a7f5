//! AI Coder v3's settings for subagents (aicoder/core/config.py at fd05785),
//! honoured as v3 does:
//! - `AICODER_SYSTEM_PROMPT` replaces the base prompt (and PROMPT-OVERRIDE.md);
//!   `AICODER_SYSTEM_PROMPT_APPEND` is appended after `\n\n` (session/prompt.rs);
//! - `TOOLS_ALLOW` / `TOOLS_DENY`: comma-separated tool names; with ALLOW
//!   only those tools exist, DENY removes tools (deny wins). A filtered-out
//!   tool is neither offered nor run;
//! - `SESSION_OUTPUT_FILE` (or `AICODER_SESSION_OUTPUT`): each assistant
//!   message appended as one JSON line with a `timestamp`, best effort;
//! - `SESSION_JSON_FILE` (or `AICODER_SESSION_FILE`): the session file
//!   (session/mod.rs `default_session_file`);
//! - `PLUGINS_ALLOW` / `PLUGINS_DENY`: plugins/discovery.rs.

use std::collections::BTreeSet;
use std::io::Write;
use std::sync::OnceLock;

/// The parent's session id, given to a subagent by its parent.
pub const PARENT_SESSION_ENV: &str = "AICODER_PARENT_SESSION";

/// The tools TOOLS_ALLOW / TOOLS_DENY let exist.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ToolFilter {
    allow: Option<BTreeSet<String>>,
    deny: BTreeSet<String>,
}

fn names(value: Option<String>) -> Option<BTreeSet<String>> {
    let value = value?;
    let set: BTreeSet<String> = value
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect();
    (!set.is_empty()).then_some(set)
}

impl ToolFilter {
    /// From a lookup of environment variables.
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Self {
        ToolFilter {
            allow: names(get("TOOLS_ALLOW")),
            deny: names(get("TOOLS_DENY")).unwrap_or_default(),
        }
    }

    /// The process's filter, read once.
    pub fn get() -> &'static ToolFilter {
        static FILTER: OnceLock<ToolFilter> = OnceLock::new();
        FILTER.get_or_init(|| ToolFilter::from_lookup(|k| std::env::var(k).ok()))
    }

    /// Whether tool `name` exists in this run.
    pub fn allows(&self, name: &str) -> bool {
        !self.deny.contains(name) && self.allow.as_ref().is_none_or(|a| a.contains(name))
    }
}

/// `SESSION_OUTPUT_FILE` (or `AICODER_SESSION_OUTPUT`), if set.
pub fn session_output_file() -> Option<std::path::PathBuf> {
    ["SESSION_OUTPUT_FILE", "AICODER_SESSION_OUTPUT"]
        .iter()
        .find_map(|k| std::env::var_os(k).filter(|v| !v.is_empty()))
        .map(std::path::PathBuf::from)
}

/// Append an assistant message to `SESSION_OUTPUT_FILE` as v3 does: the
/// message as JSON plus `timestamp` (seconds), one line, best effort.
pub fn append_session_output(message: &serde_json::Value) {
    let Some(path) = session_output_file() else {
        return;
    };
    let mut entry = message.clone();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    if let Some(map) = entry.as_object_mut() {
        map.insert("timestamp".into(), now.into());
    }
    let Ok(mut line) = serde_json::to_vec(&entry) else {
        return;
    };
    line.push(b'\n');
    // One write of a whole line with O_APPEND: parallel agents sharing the
    // file do not interleave inside a line.
    if let Ok(mut file) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
    {
        let _ = file.write_all(&line);
    }
}

/// `AICODER_SYSTEM_PROMPT` and `AICODER_SYSTEM_PROMPT_APPEND`, when set and
/// not empty.
pub fn system_prompt_env() -> (Option<String>, Option<String>) {
    let get = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    (
        get("AICODER_SYSTEM_PROMPT"),
        get("AICODER_SYSTEM_PROMPT_APPEND"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allow_then_deny_wins() {
        let f = ToolFilter::from_lookup(|k| match k {
            "TOOLS_ALLOW" => Some("read_file, grep,write_file".into()),
            "TOOLS_DENY" => Some("write_file".into()),
            _ => None,
        });
        assert!(f.allows("read_file") && f.allows("grep"));
        assert!(!f.allows("write_file") && !f.allows("run_shell_command"));
        let none = ToolFilter::from_lookup(|_| Some(" ".into()));
        assert!(none.allows("anything"));
    }
}
