//! The model client: OpenAI-compatible `/chat/completions`, streamed (SSE) or
//! not, with retries and a total timeout.

mod assemble;
mod client;
pub mod sse;

pub use assemble::{Completion, CompletionBuilder, ToolCall, Usage};
pub use client::{ModelClient, ModelError, Progress};
