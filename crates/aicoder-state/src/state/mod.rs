//! The app state: the single source of truth that the terminal session and
//! every plugin capability read and write. Capabilities never keep copies.

pub mod builtins;
pub mod names;
mod registry;
mod tools;

pub use builtins::BUILTIN_COMMANDS;
pub use names::{PluginSource, SessionEvent, KNOWN_EVENTS};
pub use registry::{CommandEntry, PluginOffer, RegistryError};
pub use tools::{internal_tools, ToolEntry, ToolRegistry, ToolSource};

use crate::config::Config;
use crate::workspace::{WorkspaceError, WorkspaceRoot};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Arc;

/// One chat message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Message {
    pub role: String,
    pub content: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool_call_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// For assistant messages: the tools the model asked to call.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tool_calls: Vec<crate::model::ToolCall>,
}

impl Message {
    /// A message with a role and text.
    pub fn new(role: &str, content: impl Into<String>) -> Self {
        Message {
            role: role.to_string(),
            content: content.into(),
            tool_call_id: None,
            name: None,
            tool_calls: Vec::new(),
        }
    }

    /// The message in the OpenAI chat format.
    pub fn to_api(&self) -> serde_json::Value {
        let mut m = serde_json::json!({ "role": self.role, "content": self.content });
        if let Some(id) = &self.tool_call_id {
            m["tool_call_id"] = id.clone().into();
        }
        if let Some(name) = &self.name {
            m["name"] = name.clone().into();
        }
        if !self.tool_calls.is_empty() {
            m["tool_calls"] = self
                .tool_calls
                .iter()
                .map(|c| {
                    serde_json::json!({
                        "id": c.id,
                        "type": "function",
                        "function": {"name": c.name, "arguments": c.arguments}
                    })
                })
                .collect();
        }
        m
    }
}

/// Session counters.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stats {
    pub api_requests: u64,
    pub api_success: u64,
    pub api_errors: u64,
    pub prompt_tokens: u64,
    pub completion_tokens: u64,
    pub api_time_ms: u64,
    pub tool_calls: u64,
    pub tool_errors: u64,
    pub messages_sent: u64,
    /// Tokens in the context window at the last answer, from the server's
    /// `usage` (prompt + completion); 0 before the first answer.
    #[serde(default)]
    pub context_tokens: u64,
    /// Prompt tokens the provider read from its cache (part of `prompt_tokens`).
    #[serde(default)]
    pub cache_read_tokens: u64,
    /// Prompt tokens the provider wrote to its cache (part of `prompt_tokens`).
    #[serde(default)]
    pub cache_write_tokens: u64,
    /// Estimated cost in millionths of a dollar (config::prices).
    #[serde(default)]
    pub cost_micros: u64,
    /// Answers whose model has no price: the cost is then a lower bound.
    #[serde(default)]
    pub unpriced_answers: u64,
}

/// What the session knows of a loaded plugin. What it offers (tools,
/// commands, hooks) lives in the registry: see [`AppState::plugin_tools`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PluginSummary {
    pub name: String,
    pub version: String,
    pub source: String,
}

/// A line a plugin wrote with the `log` capability.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PluginLogLine {
    pub plugin: String,
    pub level: String,
    pub message: String,
}

/// How many plugin log lines are kept in memory.
pub const PLUGIN_LOG_KEEP: usize = 1000;

/// The conversation: a list of messages that knows whether it only grew.
///
/// It reads like a `Vec<Message>`. [`History::push`] appends; any other
/// change (through `&mut Vec`: set, remove, clear, truncate, edit in place)
/// gives it a new [`History::revision`], so the autosave journal
/// (`session::store::Autosave`) can append the new messages while the
/// revision is unchanged and rewrite the whole file otherwise.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(from = "Vec<Message>", into = "Vec<Message>")]
pub struct History {
    messages: Vec<Message>,
    revision: u64,
}

/// Revisions are unique in the process, so two histories never share one.
fn next_revision() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

impl History {
    /// Append a message; the revision stays.
    pub fn push(&mut self, message: Message) {
        self.messages.push(message);
    }

    /// Changes on every edit that is not an append.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// The messages as a plain vector (a copy).
    pub fn to_vec(&self) -> Vec<Message> {
        self.messages.clone()
    }
}

impl From<Vec<Message>> for History {
    fn from(messages: Vec<Message>) -> Self {
        History {
            messages,
            revision: next_revision(),
        }
    }
}

impl From<History> for Vec<Message> {
    fn from(history: History) -> Self {
        history.messages
    }
}

// A copy is a different history: pushing to it must not look like an append
// to the original.
impl Clone for History {
    fn clone(&self) -> Self {
        History::from(self.messages.clone())
    }
}

impl PartialEq for History {
    fn eq(&self, other: &Self) -> bool {
        self.messages == other.messages
    }
}

impl std::ops::Deref for History {
    type Target = Vec<Message>;
    fn deref(&self) -> &Vec<Message> {
        &self.messages
    }
}

impl std::ops::DerefMut for History {
    /// Any change but `push`: a new revision.
    fn deref_mut(&mut self) -> &mut Vec<Message> {
        self.revision = next_revision();
        &mut self.messages
    }
}

/// The whole application state.
#[derive(Debug, Clone)]
pub struct AppState {
    pub messages: History,
    /// The working directory; always inside the workspace root.
    pub cwd: PathBuf,
    /// The workspace root (see `crate::workspace`): fs and the built-in tools
    /// reach nothing outside it. `Err` holds why it could not be opened.
    /// Read it through [`AppState::root`].
    pub workspace: Result<Arc<WorkspaceRoot>, String>,
    /// Root moves the user named for this run (`--allow-root`), canonical;
    /// each is used up by the move it allows.
    pub allowed_roots: Vec<PathBuf>,
    /// The last root move a plugin asked for and was refused (canonical
    /// target), for the session to put to the user.
    pub root_move_request: Option<PathBuf>,
    pub stats: Stats,
    pub tools: ToolRegistry,
    /// Loaded plugins, in load order.
    pub plugins: Vec<PluginSummary>,
    /// Slash commands plugins serve (from their manifests or registered since).
    pub commands: Vec<CommandEntry>,
    pub config: Config,
    /// Events each plugin is subscribed to (its manifest's hooks, then what
    /// it subscribed or unsubscribed at run time), by plugin name.
    pub hook_subscriptions: BTreeMap<String, BTreeSet<String>>,
    pub plugin_log: Vec<PluginLogLine>,
    /// System prompt sections plugins set (interface `prompt`), by (plugin,
    /// section name); appended to the system prompt in every request.
    pub prompt_sections: BTreeMap<(String, String), String>,
}

impl AppState {
    /// A fresh session in `cwd`, with the system prompt and the internal tools.
    pub fn new(cwd: PathBuf, config: Config) -> Self {
        let workspace = WorkspaceRoot::open_default(&cwd)
            .map(Arc::new)
            .map_err(|e| e.to_string());
        AppState {
            messages: History::from(vec![Message::new("system", SYSTEM_PROMPT)]),
            cwd,
            workspace,
            allowed_roots: Vec::new(),
            root_move_request: None,
            stats: Stats::default(),
            tools: internal_tools(),
            plugins: Vec::new(),
            commands: Vec::new(),
            config,
            hook_subscriptions: BTreeMap::new(),
            plugin_log: Vec::new(),
            prompt_sections: BTreeMap::new(),
        }
    }

    /// The workspace root, or why there is none.
    pub fn root(&self) -> Result<Arc<WorkspaceRoot>, WorkspaceError> {
        self.workspace
            .clone()
            .map_err(|reason| WorkspaceError::NoRoot { reason })
    }

    /// The plugins' prompt sections as they join the system prompt: each
    /// under a `## plugin: name` heading after a `---` separator; empty when
    /// there are none.
    pub fn prompt_text(&self) -> String {
        let mut text = String::new();
        for ((plugin, name), section) in &self.prompt_sections {
            text.push_str(&format!("\n\n---\n\n## {plugin}: {name}\n\n{section}"));
        }
        text
    }

    /// Keep a plugin log line, dropping the oldest past [`PLUGIN_LOG_KEEP`].
    pub fn push_plugin_log(&mut self, line: PluginLogLine) {
        if self.plugin_log.len() >= PLUGIN_LOG_KEEP {
            self.plugin_log.remove(0);
        }
        self.plugin_log.push(line);
    }
}

/// The default system prompt.
pub const SYSTEM_PROMPT: &str = "You are aicoder, a coding assistant in the user's terminal. \
Use the tools to read, search and change files in the working directory; explain briefly what you do.";
