//! Building one completion from streamed chunks (or a whole response): text
//! deltas appended, tool calls assembled from fragments by index.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A tool call requested by the model.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ToolCall {
    pub id: String,
    pub name: String,
    /// The arguments as the model wrote them (JSON text, maybe invalid).
    pub arguments: String,
}

/// Token counts reported by the server.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Usage {
    pub prompt_tokens: u64,
    pub completion_tokens: u64,
    /// Prompt tokens read from the provider's cache (part of `prompt_tokens`).
    pub cache_read_tokens: u64,
    /// Prompt tokens written to the provider's cache (part of `prompt_tokens`).
    pub cache_write_tokens: u64,
}

/// One finished answer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Completion {
    pub content: String,
    pub tool_calls: Vec<ToolCall>,
    pub usage: Option<Usage>,
    pub finish_reason: Option<String>,
    /// The model's reasoning text, when the server sent any.
    pub reasoning: String,
    /// Anthropic's thinking blocks (with their signatures), sent back with
    /// the tool results as the Messages API requires.
    pub thinking_blocks: Vec<Value>,
}

/// Accumulates chunks into a [`Completion`].
#[derive(Debug, Default)]
pub struct CompletionBuilder {
    done: Completion,
    /// Tool calls by stream index (a map: a hostile stream may send many).
    calls: std::collections::BTreeMap<u64, ToolCall>,
}

fn usage(v: &Value) -> Option<Usage> {
    let u = v.get("usage")?;
    let n = |p: &str| u.pointer(p).and_then(Value::as_u64);
    Some(Usage {
        prompt_tokens: n("/prompt_tokens").unwrap_or(0),
        completion_tokens: n("/completion_tokens").unwrap_or(0),
        // OpenAI's spelling, then DeepSeek's.
        cache_read_tokens: n("/prompt_tokens_details/cached_tokens")
            .or_else(|| n("/prompt_cache_hit_tokens"))
            .unwrap_or(0),
        cache_write_tokens: n("/cache_creation_input_tokens").unwrap_or(0),
    })
}

/// The first non-empty text among `fields` of `v`.
fn reasoning_in(v: &Value, fields: &[String]) -> Option<String> {
    fields
        .iter()
        .filter_map(|f| v.get(f).and_then(Value::as_str))
        .find(|t| !t.is_empty())
        .map(String::from)
}

impl CompletionBuilder {
    /// An empty builder.
    pub fn new() -> Self {
        Self::default()
    }

    /// Add one streamed chunk; returns the text it added, if any.
    pub fn chunk(&mut self, chunk: &Value) -> Option<String> {
        if let Some(u) = usage(chunk) {
            self.done.usage = Some(u);
        }
        let choice = chunk.get("choices")?.get(0)?;
        if let Some(reason) = choice.get("finish_reason").and_then(Value::as_str) {
            self.done.finish_reason = Some(reason.to_string());
        }
        let delta = choice.get("delta")?;
        for (position, call) in delta
            .get("tool_calls")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            let index = call
                .get("index")
                .and_then(Value::as_u64)
                .unwrap_or(position as u64);
            let slot = self.calls.entry(index).or_insert_with(|| ToolCall {
                id: String::new(),
                name: String::new(),
                arguments: String::new(),
            });
            if let Some(id) = call.get("id").and_then(Value::as_str) {
                slot.id.push_str(id);
            }
            if let Some(f) = call.get("function") {
                if let Some(name) = f.get("name").and_then(Value::as_str) {
                    slot.name.push_str(name);
                }
                if let Some(args) = f.get("arguments").and_then(Value::as_str) {
                    slot.arguments.push_str(args);
                }
            }
        }
        let text = delta
            .get("content")
            .and_then(Value::as_str)
            .filter(|t| !t.is_empty())?;
        self.done.content.push_str(text);
        Some(text.to_string())
    }

    /// The completion so far, with tool calls in stream order and missing ids filled.
    pub fn finish(mut self) -> Completion {
        self.done.tool_calls = self
            .calls
            .into_iter()
            .map(|(i, mut c)| {
                if c.id.is_empty() {
                    c.id = format!("call_{i}");
                }
                c
            })
            .collect();
        self.done
    }

    /// Add the reasoning text of one streamed chunk (from the first of
    /// `fields` its delta carries); returns it.
    pub fn reasoning(&mut self, chunk: &Value, fields: &[String]) -> Option<String> {
        let delta = chunk.pointer("/choices/0/delta")?;
        let text = reasoning_in(delta, fields)?;
        self.done.reasoning.push_str(&text);
        Some(text)
    }

    /// Parse a whole, non-streamed response body; reasoning is looked for
    /// in `reasoning_fields` of the message.
    pub fn whole(body: &Value, reasoning_fields: &[String]) -> Completion {
        let message = body
            .pointer("/choices/0/message")
            .cloned()
            .unwrap_or(Value::Null);
        let tool_calls = message
            .get("tool_calls")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
            .map(|(i, c)| ToolCall {
                id: c
                    .get("id")
                    .and_then(Value::as_str)
                    .map(String::from)
                    .unwrap_or_else(|| format!("call_{i}")),
                name: c
                    .pointer("/function/name")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string(),
                arguments: c
                    .pointer("/function/arguments")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string(),
            })
            .collect();
        Completion {
            content: message
                .get("content")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
            tool_calls,
            usage: usage(body),
            finish_reason: body
                .pointer("/choices/0/finish_reason")
                .and_then(Value::as_str)
                .map(String::from),
            reasoning: reasoning_in(&message, reasoning_fields).unwrap_or_default(),
            thinking_blocks: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    mod fuzz {
        use super::super::*;
        use aicoder_testing::json_value;
        use proptest::prelude::*;

        /// A chunk shaped like a streamed completion, with arbitrary values
        /// where the server fills in content, indexes, ids and names.
        fn chunk() -> impl Strategy<Value = Value> {
            let call = (json_value(), json_value(), json_value(), json_value()).prop_map(
                |(index, id, name, arguments)| {
                    serde_json::json!({"index": index, "id": id,
                        "function": {"name": name, "arguments": arguments}})
                },
            );
            let text = prop_oneof![".{0,20}".prop_map(Value::from), json_value()];
            (
                text,
                prop::collection::vec(call, 0..3),
                json_value(),
                json_value(),
            )
                .prop_map(|(content, calls, reason, usage)| {
                    serde_json::json!({"choices": [{"index": 0, "delta": {
                        "content": content, "tool_calls": calls}, "finish_reason": reason}],
                        "usage": usage})
                })
        }

        proptest! {
            /// Any chunks, shaped or not: no panic; the text is exactly the
            /// string contents sent; every tool call ends with an id.
            #[test]
            fn fuzz_any_chunks_assemble(
                chunks in prop::collection::vec(prop_oneof![chunk(), json_value()], 0..12),
            ) {
                let mut builder = CompletionBuilder::new();
                let mut text = String::new();
                for c in &chunks {
                    if let Some(t) = builder.chunk(c) {
                        text.push_str(&t);
                    }
                }
                let expected: String = chunks
                    .iter()
                    .filter_map(|c| c.pointer("/choices/0/delta/content")?.as_str())
                    .collect();
                let done = builder.finish();
                prop_assert_eq!(&done.content, &expected);
                prop_assert_eq!(text, expected);
                prop_assert!(done.tool_calls.iter().all(|c| !c.id.is_empty()));
                for c in &chunks {
                    let _ = CompletionBuilder::whole(c, &["reasoning".into()]);
                }
            }
        }
    }

    #[test]
    fn parallel_tool_calls_assemble_from_fragments() {
        let mut b = CompletionBuilder::new();
        let chunks = [
            json!({"choices":[{"delta":{"content":"Let me "}}]}),
            json!({"choices":[{"delta":{"content":"look."}}]}),
            json!({"choices":[{"delta":{"tool_calls":[{"index":0,"id":"a","function":{"name":"read_","arguments":"{\"pa"}}]}}]}),
            json!({"choices":[{"delta":{"tool_calls":[{"index":1,"id":"b","function":{"name":"grep","arguments":"{}"}}]}}]}),
            json!({"choices":[{"delta":{"tool_calls":[{"index":0,"function":{"name":"file","arguments":"th\":\"x\"}"}}]}}]}),
            json!({"choices":[{"delta":{},"finish_reason":"tool_calls"}],"usage":{"prompt_tokens":7,"completion_tokens":3}}),
        ];
        let text: String = chunks.iter().filter_map(|c| b.chunk(c)).collect();
        assert_eq!(text, "Let me look.");
        let done = b.finish();
        assert_eq!(done.tool_calls.len(), 2);
        assert_eq!(
            done.tool_calls[0],
            ToolCall {
                id: "a".into(),
                name: "read_file".into(),
                arguments: "{\"path\":\"x\"}".into()
            }
        );
        assert_eq!(done.tool_calls[1].name, "grep");
        assert_eq!(
            done.usage,
            Some(Usage {
                prompt_tokens: 7,
                completion_tokens: 3,
                ..Usage::default()
            })
        );
        assert_eq!(done.finish_reason.as_deref(), Some("tool_calls"));
    }

    #[test]
    fn whole_response_parses() {
        let body = json!({"choices":[{"message":{"content":"hi","tool_calls":[{"id":"t","function":{"name":"grep","arguments":"{}"}}]},"finish_reason":"stop"}],"usage":{"prompt_tokens":1,"completion_tokens":2}});
        let c = CompletionBuilder::whole(&body, &[]);
        assert_eq!((c.content.as_str(), c.tool_calls.len()), ("hi", 1));
        assert_eq!(c.usage.map(|u| u.completion_tokens), Some(2));
    }
}
