//! Every setting AI Coder v3 reads (aicoder/core/config.py at fd05785, kept
//! in tests/fixtures/v3_settings.txt), and what aicoder does with it. A v3
//! name aicoder does not honour is reported once at start, in one line
//! naming what replaced it: a v3 user's environment is never ignored
//! silently.

use super::Sources;

/// What aicoder does with one of v3's settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum V3Status {
    /// Read with v3's meaning (docs/configuration.md has any difference).
    Honoured,
    /// Read by the headless mode (issue #27).
    Headless,
    /// Not read; the text says what to use instead, or why none is needed.
    Replaced(&'static str),
    /// Not a setting: set by the environment (tmux) for v3 to detect it.
    Ambient,
}

use V3Status::{Ambient, Headless, Honoured, Replaced};

/// v3's settings, in the fixture's order.
pub const V3_SETTINGS: [(&str, V3Status); 66] = [
    ("AICODER_GZIP", Replaced("not needed: requests are sent uncompressed and answers are read whatever their encoding")),
    ("AICODER_HTTP_HEADERS", Honoured),
    ("AICODER_IGNORE_DIRS", Replaced("list_directory and grep skip .git and dot-folders; name folders in your request instead")),
    ("AICODER_IGNORE_PATTERNS", Replaced("list_directory and grep skip .git and dot-folders; name files in your request instead")),
    ("AICODER_REASONING_FIELD", Honoured),
    ("AICODER_REASONING_POSSIBLE_FIELDS", Honoured),
    ("AICODER_RETRY_STATUS_CODES", Honoured),
    ("AICODER_SESSION_FILE", Replaced("use SESSION_JSON_FILE")),
    ("AICODER_SESSION_OUTPUT", Replaced("use SESSION_OUTPUT_FILE")),
    ("AICODER_SHELL_PREPEND_CMD", Replaced("SHELL_SANDBOX wraps run_shell_command; a prefix command is not supported")),
    ("AICODER_SHOW_AI_PREFIX", Replaced("aicoder prints answers without an \"AI:\" marker")),
    ("AICODER_SHOW_CONTEXT_BAR", Replaced("the status line above the prompt shows the context use")),
    ("AICODER_SHOW_REASONING", Honoured),
    ("AICODER_SOCKET_ONLY", Replaced("a session without its prompt is not supported: interactive sessions and piped runs have the socket; drive a whole run with piped stdin (echo task | aicoder)")),
    ("AICODER_STREAM", Honoured),
    ("AICODER_SUPPRESS_ERROR_BODY", Replaced("error bodies are always shown, cut to 500 characters and sanitised")),
    ("AICODER_SYSTEM_PROMPT", Headless),
    ("AICODER_SYSTEM_PROMPT_APPEND", Headless),
    ("API_BASE_URL", Honoured),
    ("API_ENDPOINT", Honoured),
    ("API_KEY", Honoured),
    ("API_MODEL", Honoured),
    ("API_PROVIDER", Honoured),
    ("CLEAR_THINKING", Replaced("reasoning is shown, not kept in the conversation, so there is none to clear")),
    ("COMPACT_PROTECT_ROUNDS", Replaced("/compact keeps the newest turns itself; CONTEXT_COMPACT_PERCENTAGE sets when it runs")),
    ("CONTEXT_COMPACT_PERCENTAGE", Honoured),
    ("CONTEXT_SIZE", Honoured),
    ("DEBUG", Honoured),
    ("DEFAULT_GREP_MAX_RESULTS", Replaced("grep returns at most 500 matches, as v3's default")),
    ("DEFAULT_READ_LIMIT", Replaced("read_file pages 150 lines at a time, as v3's default; the model asks for more with offset/limit")),
    ("DEFAULT_SHELL_TIMEOUT", Replaced("use SHELL_TIMEOUT_MS (milliseconds)")),
    ("DETAIL", Replaced("tool results show one line; /context and the session file hold the detail")),
    ("DETAIL_TTY", Replaced("tool results show one line; /context and the session file hold the detail")),
    ("FORCE_COMPACT_SIZE", Replaced("/compact decides how much to summarise itself")),
    ("FREQUENCY_PENALTY", Honoured),
    ("MAX_BACKOFF_SECONDS", Honoured),
    ("MAX_RETRIES", Honoured),
    ("MAX_TOKENS", Honoured),
    ("MAX_TOOL_RESULT_SIZE", Replaced("tool results are capped by PLUGIN_OUTPUT_KB and read_file's paging")),
    ("MINI_SANDBOX", Honoured),
    ("MIN_SUMMARY_LENGTH", Replaced("/compact checks its summary itself")),
    ("OPENAI_API_KEY", Honoured),
    ("OPENAI_BASE_URL", Honoured),
    ("OPENAI_MODEL", Honoured),
    ("PLUGINS_ALLOW", Honoured),
    ("PLUGINS_DENY", Honoured),
    ("PRESENCE_PENALTY", Honoured),
    ("REASONING_EFFORT", Honoured),
    ("REASONING_EFFORT_VALID", Honoured),
    ("REASONING_FORMAT", Honoured),
    ("REPETITION_PENALTY", Honoured),
    ("SESSION_JSON_FILE", Headless),
    ("SESSION_OUTPUT_FILE", Headless),
    ("TEMPERATURE", Honoured),
    ("THINKING", Honoured),
    ("THINKING_BUDGET_TOKENS", Honoured),
    ("TMUX_PANE", Ambient),
    ("TMUX_PRUNE_PERCENTAGE", Replaced("the tmux plugin is not ported; see docs/plugins.md")),
    ("TOOLS_ALLOW", Headless),
    ("TOOLS_DENY", Headless),
    ("TOOLS_NOT_FOUND_RELIST", Replaced("an unknown tool's error always tells the model to use the tools in the request")),
    ("TOP_K", Honoured),
    ("TOP_P", Honoured),
    ("TOTAL_TIMEOUT", Honoured),
    ("TOTAL_TIMEOUT_EXTENSION", Honoured),
    ("YOLO_MODE", Honoured),
];

/// v3's status of `name`, if it is one of v3's settings.
pub fn v3_status(name: &str) -> Option<V3Status> {
    V3_SETTINGS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, s)| *s)
}

/// One line for each v3 setting that is set but not honoured here.
pub(super) fn notices(sources: &Sources<'_>) -> Vec<String> {
    V3_SETTINGS
        .iter()
        .filter_map(|(name, status)| match status {
            Replaced(instead) => sources.get(name).map(|_| {
                format!("{name} (an AI Coder v3 setting) is not used by aicoder: {instead}")
            }),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fixture is v3's list as committed; every name has a status here
    /// and nothing here is missing from it.
    #[test]
    fn every_v3_setting_is_honoured_or_reported() {
        let fixture = include_str!("../../../../tests/fixtures/v3_settings.txt");
        let names: Vec<&str> = fixture
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect();
        assert_eq!(names.len(), V3_SETTINGS.len());
        for (name, (ours, _)) in names.iter().zip(V3_SETTINGS.iter()) {
            assert_eq!(name, ours, "the table follows the fixture's order");
        }
    }

    /// Honoured names read outside `Config`, with the file that reads them.
    const READ_ELSEWHERE: [(&str, &str); 4] = [
        (
            "MINI_SANDBOX",
            include_str!("../../../aicoder-session/src/session/mod.rs"),
        ),
        (
            "CONTEXT_COMPACT_PERCENTAGE",
            include_str!("../../../aicoder-session/src/session/control.rs"),
        ),
        (
            "PLUGINS_ALLOW",
            include_str!("../../../aicoder-plugins/src/plugins/discovery.rs"),
        ),
        (
            "PLUGINS_DENY",
            include_str!("../../../aicoder-plugins/src/plugins/discovery.rs"),
        ),
    ];

    /// "Honoured" is checked, not claimed: `Config` asks for the name, or
    /// the file that reads it names it; a reported name is asked for too
    /// (so a config file setting it is reported, not called unknown).
    #[test]
    fn honoured_names_are_really_read() {
        let sources = Sources {
            env: &|_| None,
            project: Default::default(),
            user: Default::default(),
            asked: Default::default(),
            project_trusted: false,
        };
        super::super::Config::build(&sources, &mut Vec::new()).expect("defaults");
        let _ = notices(&sources);
        let asked = sources.asked.lock().expect("lock").clone();
        for (name, status) in V3_SETTINGS {
            let elsewhere = READ_ELSEWHERE.iter().find(|(n, _)| *n == name);
            match (status, elsewhere) {
                (Honoured | Replaced(_), None) => {
                    assert!(asked.contains(name), "{name} is not read by Config")
                }
                (Honoured, Some((_, source))) => {
                    assert!(source.contains(&format!("\"{name}\"")), "{name}")
                }
                _ => {}
            }
        }
    }
}
