//! Anthropic's Messages API (`API_PROVIDER=anthropic`, as in v3): the
//! session's OpenAI-shaped request turned into a Messages request (system
//! prompt apart, `tool_use` / `tool_result` blocks), and the Messages stream
//! (`message_start`, `content_block_start`, `content_block_delta` with
//! `text_delta` / `input_json_delta`, `message_delta`, `message_stop`) turned
//! into the same [`Completion`] the OpenAI path gives, so the session and the
//! tools do not know which API answered.

use super::assemble::{Completion, ToolCall, Usage};
use super::client::ModelError;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// The API version sent in `anthropic-version`.
pub const API_VERSION: &str = "2023-06-01";
/// `max_tokens` when MAX_TOKENS is not set (the Messages API needs one).
pub const DEFAULT_MAX_TOKENS: u64 = 8192;

/// Append `blocks` as a message of `role`, merged into the previous message
/// when it has the same role: the API wants user and assistant to alternate,
/// and all results of one round of tool calls in one user message.
fn push(messages: &mut Vec<Value>, role: &str, blocks: Vec<Value>) {
    if blocks.is_empty() {
        return;
    }
    if let Some(last) = messages.last_mut() {
        if last["role"] == role {
            if let Some(content) = last["content"].as_array_mut() {
                content.extend(blocks);
                return;
            }
        }
    }
    messages.push(json!({"role": role, "content": blocks}));
}

/// A message's content as blocks: a string is one text block (none if
/// empty: the API refuses empty text); an array of blocks is kept.
fn content_blocks(content: &Value) -> Vec<Value> {
    match content {
        Value::String(s) if !s.is_empty() => vec![json!({"type": "text", "text": s})],
        Value::Array(blocks) => blocks.clone(),
        _ => Vec::new(),
    }
}

/// Options of a Messages request that the OpenAI-shaped body cannot carry.
#[derive(Debug, Default, Clone, Copy)]
pub struct RequestOptions<'a> {
    /// Mark the system prompt, the tools and the newest turn with
    /// `cache_control` (AICODER_PROMPT_CACHE, on by default).
    pub cache: bool,
    /// Thinking blocks of earlier answers by the id of their first tool call:
    /// the API wants them back before that call's `tool_use`.
    pub thinking: Option<&'a std::collections::HashMap<String, Vec<Value>>>,
}

/// `cache_control` on the last block of `blocks`.
fn mark_last(blocks: &mut [Value]) {
    if let Some(last) = blocks.last_mut().and_then(Value::as_object_mut) {
        last.insert("cache_control".into(), json!({"type": "ephemeral"}));
    }
}

/// The Messages request for an OpenAI-shaped chat request (as the session
/// builds it and `transform_request` hooks may have changed it).
pub fn request(body: &Value, options: RequestOptions<'_>) -> Value {
    let mut system = Vec::new();
    let mut messages = Vec::new();
    for m in body["messages"].as_array().into_iter().flatten() {
        match m["role"].as_str().unwrap_or("user") {
            "system" => {
                if let Some(text) = m["content"].as_str().filter(|t| !t.is_empty()) {
                    system.push(text.to_string());
                }
            }
            "tool" => {
                let result = json!({
                    "type": "tool_result",
                    "tool_use_id": m["tool_call_id"].as_str().unwrap_or_default(),
                    "content": m["content"].as_str().unwrap_or_default(),
                });
                push(&mut messages, "user", vec![result]);
            }
            "assistant" => {
                // Thinking comes first in an answer, as the model wrote it.
                let first_call = m["tool_calls"][0]["id"].as_str().unwrap_or_default();
                let mut blocks: Vec<Value> = options
                    .thinking
                    .and_then(|t| t.get(first_call))
                    .cloned()
                    .unwrap_or_default();
                blocks.extend(content_blocks(&m["content"]));
                for call in m["tool_calls"].as_array().into_iter().flatten() {
                    let arguments = call["function"]["arguments"].as_str().unwrap_or("{}");
                    // tool_use input must be an object; a call whose arguments
                    // were not one already failed and was answered as such.
                    let input = serde_json::from_str::<Value>(arguments)
                        .ok()
                        .filter(Value::is_object)
                        .unwrap_or_else(|| json!({}));
                    blocks.push(json!({
                        "type": "tool_use",
                        "id": call["id"].as_str().unwrap_or_default(),
                        "name": call["function"]["name"].as_str().unwrap_or_default(),
                        "input": input,
                    }));
                }
                push(&mut messages, "assistant", blocks);
            }
            _ => push(&mut messages, "user", content_blocks(&m["content"])),
        }
    }
    let mut out = Map::new();
    if let Some(model) = body["model"].as_str().filter(|m| !m.is_empty()) {
        out.insert("model".into(), model.into());
    }
    out.insert(
        "max_tokens".into(),
        body["max_tokens"]
            .as_u64()
            .unwrap_or(DEFAULT_MAX_TOKENS)
            .into(),
    );
    if !system.is_empty() {
        let text = system.join("\n\n");
        if options.cache {
            let mut blocks = vec![json!({"type": "text", "text": text})];
            mark_last(&mut blocks);
            out.insert("system".into(), blocks.into());
        } else {
            out.insert("system".into(), text.into());
        }
    }
    if options.cache {
        // The newest turn: the next request reads everything up to it from
        // the cache.
        if let Some(content) = messages
            .last_mut()
            .and_then(|m| m["content"].as_array_mut())
        {
            mark_last(content);
        }
    }
    out.insert("messages".into(), messages.into());
    let mut tools: Vec<Value> = body["tools"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|t| {
            let f = &t["function"];
            json!({
                "name": f["name"],
                "description": f["description"].as_str().unwrap_or_default(),
                "input_schema": if f["parameters"].is_object() {
                    f["parameters"].clone()
                } else {
                    json!({"type": "object", "properties": {}})
                },
            })
        })
        .collect();
    if !tools.is_empty() {
        if options.cache {
            mark_last(&mut tools);
        }
        out.insert("tools".into(), tools.into());
    }
    let thinking = body.get("thinking").filter(|t| {
        matches!(
            t["type"].as_str(),
            Some("enabled" | "disabled" | "adaptive")
        )
    });
    let thinking_on = thinking.is_some_and(|t| t["type"] != "disabled");
    // With thinking on the API takes no temperature but 1: leave it out.
    if let Some(t) = body
        .get("temperature")
        .filter(|t| t.is_number() && !thinking_on)
    {
        out.insert("temperature".into(), t.clone());
    }
    for field in ["top_p", "top_k"] {
        if let Some(v) = body.get(field).filter(|v| v.is_number()) {
            out.insert(field.into(), v.clone());
        }
    }
    if let Some(t) = thinking {
        // The answer's budget must leave room past the thinking budget.
        if let Some(budget) = t["budget_tokens"].as_u64() {
            let max = out.get("max_tokens").and_then(Value::as_u64).unwrap_or(0);
            if max <= budget {
                out.insert("max_tokens".into(), (budget + DEFAULT_MAX_TOKENS).into());
            }
        }
        out.insert("thinking".into(), t.clone());
    }
    out.insert(
        "stream".into(),
        body["stream"].as_bool().unwrap_or(false).into(),
    );
    Value::Object(out)
}

/// The stop reason in the OpenAI spelling the session knows.
fn finish_reason(stop: &str) -> String {
    match stop {
        "tool_use" => "tool_calls",
        "end_turn" | "stop_sequence" => "stop",
        "max_tokens" => "length",
        other => other,
    }
    .to_string()
}

/// Input tokens as the session counts them: fresh plus cached.
fn input_tokens(usage: &Value) -> Option<u64> {
    let fields = [
        "input_tokens",
        "cache_read_input_tokens",
        "cache_creation_input_tokens",
    ];
    let found: Vec<u64> = fields
        .iter()
        .filter_map(|f| usage.get(f).and_then(Value::as_u64))
        .collect();
    (!found.is_empty()).then(|| found.iter().sum())
}

/// A tool call being streamed.
#[derive(Debug, Default)]
struct Block {
    id: String,
    name: String,
    /// `input_json_delta` fragments.
    json: String,
    /// The `input` of `content_block_start`, used when no fragment follows.
    initial: Option<Value>,
}

/// Accumulates Messages stream events into a [`Completion`].
#[derive(Debug, Default)]
pub struct MessagesStream {
    content: String,
    /// Tool calls by content block index.
    calls: BTreeMap<u64, Block>,
    usage: Option<Usage>,
    stop_reason: Option<String>,
    /// `message_stop` arrived: the answer is complete.
    pub stopped: bool,
    /// Thinking blocks by content block index.
    thinking: BTreeMap<u64, Value>,
    reasoning: String,
    reasoning_pending: String,
}

impl MessagesStream {
    /// An empty stream.
    pub fn new() -> Self {
        Self::default()
    }

    fn usage_mut(&mut self) -> &mut Usage {
        self.usage.get_or_insert_with(Usage::default)
    }

    /// Add one event (the JSON of a `data:` line); returns the answer text it
    /// added, if any. An `error` event is the server's error.
    pub fn event(&mut self, event: &Value) -> Result<Option<String>, ModelError> {
        let index = event["index"].as_u64().unwrap_or(0);
        match event["type"].as_str().unwrap_or_default() {
            "message_start" => {
                let usage = &event["message"]["usage"];
                if let Some(n) = input_tokens(usage) {
                    self.usage_mut().prompt_tokens = n;
                }
                self.cache_usage(usage);
                if let Some(n) = usage["output_tokens"].as_u64() {
                    self.usage_mut().completion_tokens = n;
                }
            }
            "content_block_start" => {
                let block = &event["content_block"];
                match block["type"].as_str() {
                    Some("tool_use") => {
                        self.calls.insert(
                            index,
                            Block {
                                id: block["id"].as_str().unwrap_or_default().to_string(),
                                name: block["name"].as_str().unwrap_or_default().to_string(),
                                json: String::new(),
                                initial: block
                                    .get("input")
                                    .filter(|i| i.as_object().is_some_and(|o| !o.is_empty()))
                                    .cloned(),
                            },
                        );
                    }
                    Some("text") => return Ok(self.text(block["text"].as_str())),
                    Some("thinking") => {
                        self.thinking.insert(index, block.clone());
                        if let Some(t) = block["thinking"].as_str() {
                            self.reasoning_text(t);
                        }
                    }
                    Some("redacted_thinking") => {
                        self.thinking.insert(index, block.clone());
                    }
                    _ => {}
                }
            }
            "content_block_delta" => {
                let delta = &event["delta"];
                match delta["type"].as_str() {
                    Some("text_delta") => return Ok(self.text(delta["text"].as_str())),
                    Some("input_json_delta") => {
                        if let Some(part) = delta["partial_json"].as_str() {
                            self.calls.entry(index).or_default().json.push_str(part);
                        }
                    }
                    Some("thinking_delta") => {
                        let part = delta["thinking"].as_str().unwrap_or_default();
                        self.reasoning_text(part);
                        if let Some(block) = self.thinking.get_mut(&index) {
                            let so_far = block["thinking"].as_str().unwrap_or_default();
                            block["thinking"] = format!("{so_far}{part}").into();
                        }
                    }
                    Some("signature_delta") => {
                        if let Some(block) = self.thinking.get_mut(&index) {
                            block["signature"] = delta["signature"].clone();
                        }
                    }
                    _ => {}
                }
            }
            "message_delta" => {
                if let Some(stop) = event["delta"]["stop_reason"].as_str() {
                    self.stop_reason = Some(finish_reason(stop));
                }
                let usage = &event["usage"];
                if let Some(n) = usage["output_tokens"].as_u64() {
                    self.usage_mut().completion_tokens = n;
                }
                if let Some(n) = input_tokens(usage).filter(|n| *n > 0) {
                    self.usage_mut().prompt_tokens = n;
                    self.cache_usage(usage);
                }
            }
            "message_stop" => self.stopped = true,
            "error" => return Err(error_event(&event["error"])),
            // ping, content_block_stop and anything newer.
            _ => {}
        }
        Ok(None)
    }

    fn reasoning_text(&mut self, text: &str) {
        self.reasoning.push_str(text);
        self.reasoning_pending.push_str(text);
    }

    /// Reasoning text received since the last call.
    pub fn take_reasoning(&mut self) -> Option<String> {
        Some(std::mem::take(&mut self.reasoning_pending)).filter(|t| !t.is_empty())
    }

    fn cache_usage(&mut self, usage: &Value) {
        let read = usage["cache_read_input_tokens"].as_u64();
        let write = usage["cache_creation_input_tokens"].as_u64();
        if read.is_some() || write.is_some() {
            let u = self.usage_mut();
            u.cache_read_tokens = read.unwrap_or(0);
            u.cache_write_tokens = write.unwrap_or(0);
        }
    }

    fn text(&mut self, text: Option<&str>) -> Option<String> {
        let text = text.filter(|t| !t.is_empty())?;
        self.content.push_str(text);
        Some(text.to_string())
    }

    /// The completion so far, tool calls in block order.
    pub fn finish(self) -> Completion {
        let tool_calls = self
            .calls
            .into_iter()
            .map(|(i, b)| ToolCall {
                id: if b.id.is_empty() {
                    format!("toolu_{i}")
                } else {
                    b.id
                },
                name: b.name,
                arguments: match (b.json.is_empty(), b.initial) {
                    (false, _) => b.json,
                    (true, Some(input)) => input.to_string(),
                    (true, None) => "{}".to_string(),
                },
            })
            .collect();
        Completion {
            content: self.content,
            tool_calls,
            usage: self.usage,
            finish_reason: self.stop_reason,
            reasoning: self.reasoning,
            thinking_blocks: self.thinking.into_values().collect(),
        }
    }
}

/// An `error` event (or error body) as a model error: overload and rate
/// limits are retried like their HTTP statuses.
fn error_event(error: &Value) -> ModelError {
    let kind = error["type"].as_str().unwrap_or("error");
    let status = match kind {
        "overloaded_error" => 529,
        "rate_limit_error" => 429,
        "api_error" => 500,
        _ => 400,
    };
    ModelError::Status {
        status,
        body: format!(
            "{kind}: {}",
            error["message"].as_str().unwrap_or("(no message)")
        ),
        retry_after: None,
    }
}

/// Parse a whole (not streamed) Messages response.
pub fn whole(body: &Value) -> Result<Completion, ModelError> {
    if body["type"] == "error" {
        return Err(error_event(&body["error"]));
    }
    let mut stream = MessagesStream::new();
    for (i, block) in body["content"].as_array().into_iter().flatten().enumerate() {
        let start = json!({"type": "content_block_start", "index": i, "content_block": block});
        stream.event(&start)?;
    }
    stream.event(&json!({"type": "message_start", "message": {"usage": body["usage"]}}))?;
    if let Some(stop) = body["stop_reason"].as_str() {
        stream.stop_reason = Some(finish_reason(stop));
    }
    Ok(stream.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_keeps_system_apart_and_pairs_tool_blocks() {
        let body = json!({
            "model": "claude-x",
            "messages": [
                {"role": "system", "content": "be brief"},
                {"role": "user", "content": "read a and b"},
                {"role": "assistant", "content": "", "tool_calls": [
                    {"id": "t1", "type": "function", "function": {"name": "read_file", "arguments": "{\"path\":\"a\"}"}},
                    {"id": "t2", "type": "function", "function": {"name": "read_file", "arguments": "not json"}}]},
                {"role": "tool", "tool_call_id": "t1", "name": "read_file", "content": "A"},
                {"role": "tool", "tool_call_id": "t2", "name": "read_file", "content": "B"},
            ],
            "tools": [{"type": "function", "function": {"name": "read_file", "description": "d", "parameters": {"type": "object"}}}],
            "temperature": 0.0,
            "stream": true,
            "stream_options": {"include_usage": true},
        });
        let r = request(&body, RequestOptions::default());
        assert_eq!(r["system"], "be brief");
        assert_eq!(r["max_tokens"], DEFAULT_MAX_TOKENS);
        let messages = r["messages"].as_array().expect("messages");
        assert_eq!(messages.len(), 3, "{r}");
        assert_eq!(messages[1]["content"][0]["input"], json!({"path": "a"}));
        assert_eq!(messages[1]["content"][1]["input"], json!({}));
        assert_eq!(messages[2]["role"], "user");
        assert_eq!(messages[2]["content"][1]["tool_use_id"], "t2");
        assert_eq!(r["tools"][0]["input_schema"], json!({"type": "object"}));
        assert!(r.get("stream_options").is_none());
        assert!(request(&json!({"messages": []}), RequestOptions::default())
            .get("model")
            .is_none());
    }

    #[test]
    fn stream_events_make_a_completion() {
        let events = [
            json!({"type":"message_start","message":{"usage":{"input_tokens":12,"cache_read_input_tokens":3,"output_tokens":1}}}),
            json!({"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}),
            json!({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Let me "}}),
            json!({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"look."}}),
            json!({"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_1","name":"grep","input":{}}}),
            json!({"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\"pat"}}),
            json!({"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"tern\":\"x\"}"}}),
            json!({"type":"ping"}),
            json!({"type":"message_delta","delta":{"stop_reason":"tool_use"},"usage":{"output_tokens":9}}),
            json!({"type":"message_stop"}),
        ];
        let mut s = MessagesStream::new();
        let text: String = events
            .iter()
            .filter_map(|e| s.event(e).expect("no error"))
            .collect();
        assert_eq!(text, "Let me look.");
        assert!(s.stopped);
        let done = s.finish();
        assert_eq!(done.tool_calls[0].arguments, "{\"pattern\":\"x\"}");
        assert_eq!(done.finish_reason.as_deref(), Some("tool_calls"));
        assert_eq!(
            done.usage,
            Some(Usage {
                prompt_tokens: 15,
                completion_tokens: 9,
                cache_read_tokens: 3,
                cache_write_tokens: 0,
            })
        );
        let err = MessagesStream::new()
            .event(&json!({"type":"error","error":{"type":"overloaded_error","message":"busy"}}))
            .expect_err("error event");
        assert!(matches!(err, ModelError::Status { status: 529, .. }));
    }

    #[test]
    fn whole_response_parses() {
        let body = json!({"content":[{"type":"text","text":"hi"},{"type":"tool_use","id":"t","name":"grep","input":{"pattern":"x"}}],
            "stop_reason":"tool_use","usage":{"input_tokens":4,"output_tokens":2}});
        let c = whole(&body).expect("ok");
        assert_eq!(c.content, "hi");
        assert_eq!(c.tool_calls[0].arguments, "{\"pattern\":\"x\"}");
        assert_eq!(c.usage.map(|u| u.prompt_tokens), Some(4));
    }
}
