//! The events of a headless run (`aicoder exec --json`): one JSON object per
//! line on stdout, tagged by `type`. docs/events.schema.json is the
//! contract; a test here checks one sample of every variant against it, and
//! the end-to-end tests check every event their runs produce.

use serde::Serialize;
use serde_json::Value;

/// The version of the event stream (`version` in `session_started`, and
/// the `$id` of docs/events.schema.json). A field removed or changed in
/// meaning raises it; a field or event added does not.
pub const EVENTS_VERSION: u32 = 1;

/// The most of a tool result an event carries (the model gets all of it).
pub const MAX_RESULT_CHARS: usize = 4096;

/// One plugin as `session_started` lists it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct PluginRef {
    pub name: String,
    pub version: String,
    /// Hex blake3 of the component.
    pub hash: String,
}

/// Who decided an approval or a capability question.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Decider {
    /// `--approve never` / `--approve all` (or the run's default, never).
    Policy,
    /// The answer read from the `--approve ask-fd` descriptor.
    AskFd,
    /// The person at the terminal (a parent answering for its subagent).
    User,
    /// The tool runs without asking (`aicoder plugin approve-tool`, or a
    /// built-in read-only tool).
    AutoApproved,
    /// YOLO_MODE=1 (tools only; never a capability).
    Yolo,
    /// `--grant` or a grant held from before.
    Grant,
    /// The host: above the plugin's ceiling, or a subagent asking for more
    /// than its parent holds.
    Host,
}

/// What an approval question is about.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ApprovalKind {
    /// A tool call.
    Tool,
    /// A built-in tool reaching outside the workspace root, for one call.
    OutsidePath,
}

/// One event of a headless run.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Event {
    /// First event: where, with what.
    SessionStarted {
        version: u32,
        session_id: String,
        /// The parent's session id when this run is a subagent.
        #[serde(skip_serializing_if = "Option::is_none")]
        parent_session_id: Option<String>,
        root: String,
        model: String,
        plugins: Vec<PluginRef>,
        tools: Vec<String>,
        /// `never`, `all` or `ask-fd`.
        approve: String,
        /// The autosave journal of this run's conversation.
        session_file: String,
    },
    /// The task, as sent to the model.
    UserMessage { text: String },
    /// A piece of the answer as it streams.
    AssistantDelta { text: String },
    /// Reasoning text, where the server sends it (`reasoning_content`).
    Reasoning { text: String },
    /// One whole answer of the model (the last one is the run's answer).
    AssistantMessage {
        text: String,
        tool_calls: usize,
        #[serde(skip_serializing_if = "Option::is_none")]
        finish_reason: Option<String>,
    },
    /// The model asked for a tool call.
    ToolCall {
        id: String,
        name: String,
        /// The raw arguments text the model sent.
        arguments: String,
    },
    /// A question that needs an answer before a call runs.
    ApprovalAsked {
        id: String,
        kind: ApprovalKind,
        tool: String,
        /// The preview a person would see (control characters made visible).
        preview: String,
        /// For `outside_path`: the path.
        #[serde(skip_serializing_if = "Option::is_none")]
        path: Option<String>,
        /// The subagent asking, when a parent relays its child's question.
        #[serde(skip_serializing_if = "Option::is_none")]
        agent: Option<String>,
    },
    /// How an approval question was answered.
    ApprovalDecided {
        id: String,
        tool: String,
        approved: bool,
        by: Decider,
        #[serde(skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    /// A plugin call needs a capability not granted yet.
    CapabilityAsked {
        id: String,
        plugin: String,
        capability: String,
        /// What the call touches, when the preview said.
        #[serde(skip_serializing_if = "Option::is_none")]
        target: Option<String>,
    },
    /// How a capability question was answered.
    CapabilityDecided {
        id: String,
        plugin: String,
        capability: String,
        granted: bool,
        /// `once`, `session` or `always` when granted.
        #[serde(skip_serializing_if = "Option::is_none")]
        scope: Option<String>,
        by: Decider,
        #[serde(skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    /// A tool call's result, as the model gets it (bounded here).
    ToolResult {
        id: String,
        name: String,
        ok: bool,
        content: String,
        /// The content was cut to [`MAX_RESULT_CHARS`].
        truncated: bool,
    },
    /// Tokens of one request and its answer, from the server.
    Usage {
        prompt_tokens: u64,
        completion_tokens: u64,
    },
    /// Older messages were summarised to make room.
    Compaction {
        messages_before: usize,
        messages_after: usize,
    },
    /// Something failed; `fatal` ends the run.
    Error {
        /// `model`, `refused`, `output_schema`, `command`, `interrupted`,
        /// `agent`, `config` or `retrying`.
        kind: String,
        message: String,
        fatal: bool,
    },
    /// The answer of a run with `--output-schema`, parsed and valid.
    Output { value: Value },
    /// Last event: the exit code and why.
    Done { exit_code: i32, reason: String },
}

impl Event {
    /// The `type` of the event.
    pub fn kind(&self) -> &'static str {
        match self {
            Event::SessionStarted { .. } => "session_started",
            Event::UserMessage { .. } => "user_message",
            Event::AssistantDelta { .. } => "assistant_delta",
            Event::Reasoning { .. } => "reasoning",
            Event::AssistantMessage { .. } => "assistant_message",
            Event::ToolCall { .. } => "tool_call",
            Event::ApprovalAsked { .. } => "approval_asked",
            Event::ApprovalDecided { .. } => "approval_decided",
            Event::CapabilityAsked { .. } => "capability_asked",
            Event::CapabilityDecided { .. } => "capability_decided",
            Event::ToolResult { .. } => "tool_result",
            Event::Usage { .. } => "usage",
            Event::Compaction { .. } => "compaction",
            Event::Error { .. } => "error",
            Event::Output { .. } => "output",
            Event::Done { .. } => "done",
        }
    }

    /// A tool result event, its content cut to [`MAX_RESULT_CHARS`].
    pub fn tool_result(id: &str, name: &str, ok: bool, content: &str) -> Self {
        let (content, truncated) = crate::util::truncate_text(content, MAX_RESULT_CHARS);
        Event::ToolResult {
            id: id.to_string(),
            name: name.to_string(),
            ok,
            content: content.to_string(),
            truncated,
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// One event of every kind (the match in [`Event::kind`] is exhaustive,
    /// and the test below checks every kind is here).
    pub(crate) fn samples() -> Vec<Event> {
        vec![
            Event::SessionStarted {
                version: EVENTS_VERSION,
                session_id: "s".into(),
                parent_session_id: Some("p".into()),
                root: "/r".into(),
                model: "m".into(),
                plugins: vec![PluginRef {
                    name: "example".into(),
                    version: "0.1.0".into(),
                    hash: "ab".into(),
                }],
                tools: vec!["read_file".into()],
                approve: "never".into(),
                session_file: "/r/.aicoder/sessions/x.jsonl".into(),
            },
            Event::UserMessage { text: "t".into() },
            Event::AssistantDelta { text: "t".into() },
            Event::Reasoning { text: "t".into() },
            Event::AssistantMessage {
                text: "t".into(),
                tool_calls: 0,
                finish_reason: Some("stop".into()),
            },
            Event::ToolCall {
                id: "c".into(),
                name: "grep".into(),
                arguments: "{}".into(),
            },
            Event::ApprovalAsked {
                id: "a1".into(),
                kind: ApprovalKind::OutsidePath,
                tool: "read_file".into(),
                preview: "p".into(),
                path: Some("/etc".into()),
                agent: Some("agent 1".into()),
            },
            Event::ApprovalDecided {
                id: "a1".into(),
                tool: "read_file".into(),
                approved: false,
                by: Decider::Policy,
                reason: Some("r".into()),
            },
            Event::CapabilityAsked {
                id: "c1".into(),
                plugin: "p".into(),
                capability: "fs.read".into(),
                target: Some("a.txt".into()),
            },
            Event::CapabilityDecided {
                id: "c1".into(),
                plugin: "p".into(),
                capability: "fs.read".into(),
                granted: true,
                scope: Some("once".into()),
                by: Decider::AskFd,
                reason: None,
            },
            Event::tool_result("c", "grep", true, &"x".repeat(MAX_RESULT_CHARS + 10)),
            Event::Usage {
                prompt_tokens: 1,
                completion_tokens: 2,
            },
            Event::Compaction {
                messages_before: 9,
                messages_after: 3,
            },
            Event::Error {
                kind: "model".into(),
                message: "m".into(),
                fatal: true,
            },
            Event::Output {
                value: serde_json::json!({"a": 1}),
            },
            Event::Done {
                exit_code: 0,
                reason: "answered".into(),
            },
        ]
    }

    fn schema() -> Value {
        serde_json::from_str(include_str!("../../../../docs/events.schema.json"))
            .expect("docs/events.schema.json is JSON")
    }

    #[test]
    fn every_kind_is_sampled_and_valid_against_the_schema() {
        let schema = schema();
        let validator = jsonschema::validator_for(&schema).expect("a valid schema");
        let mut kinds: Vec<&str> = Vec::new();
        for event in samples() {
            let value = serde_json::to_value(&event).expect("serialise");
            assert_eq!(value["type"], event.kind());
            let errors: Vec<String> = validator
                .iter_errors(&value)
                .map(|e| e.to_string())
                .collect();
            assert!(errors.is_empty(), "{value}: {errors:?}");
            kinds.push(event.kind());
        }
        // The schema lists exactly these kinds.
        let mut listed: Vec<&str> = schema["oneOf"]
            .as_array()
            .expect("oneOf")
            .iter()
            .filter_map(|v| v["$ref"].as_str())
            .map(|r| r.trim_start_matches("#/$defs/"))
            .collect();
        listed.sort_unstable();
        kinds.sort_unstable();
        kinds.dedup();
        assert_eq!(listed, kinds);
        assert!(schema["$id"]
            .as_str()
            .is_some_and(|id| id.ends_with(&format!("/v{EVENTS_VERSION}"))));
    }

    #[test]
    fn a_changed_field_fails_the_schema() {
        let validator = jsonschema::validator_for(&schema()).expect("a valid schema");
        let bad = serde_json::json!({"type": "done", "exit_code": "0", "reason": "x"});
        assert!(!validator.is_valid(&bad));
        let extra = serde_json::json!({"type": "usage", "prompt_tokens": 1, "completion_tokens": 1, "cost": 3});
        assert!(!validator.is_valid(&extra));
        let unknown = serde_json::json!({"type": "gossip"});
        assert!(!validator.is_valid(&unknown));
    }
}
