//! The model client: OpenAI-compatible `/chat/completions` or Anthropic's
//! Messages API, streamed (SSE) or not, with retries and a total timeout; and
//! the probe that finds a local server when nothing is configured.

pub mod anthropic;
mod assemble;
mod client;
mod decode;
pub mod probe;
pub mod sse;

pub use assemble::{Completion, CompletionBuilder, ToolCall, Usage};
pub use client::{ModelClient, ModelError, Progress};
