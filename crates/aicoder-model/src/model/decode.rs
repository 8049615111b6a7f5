//! Reading an answer: an event stream of either API (or one sent with
//! another Content-Type) decoded into a completion, reasoning and text
//! reported as they arrive; and what to say when a server sent something
//! else.

use super::anthropic::MessagesStream;
use super::assemble::{Completion, CompletionBuilder};
use super::client::{ModelError, Progress};
use super::sse::SseParser;
use serde_json::Value;

/// `Content-Type: X, N bytes` for messages about what a server sent.
pub(super) fn sent(content_type: &str, bytes: usize) -> String {
    let ct = if content_type.is_empty() {
        "no Content-Type"
    } else {
        content_type
    };
    format!("Content-Type {ct}, {bytes} bytes")
}

/// An event stream being read.
pub(super) struct Reader {
    pub(super) parser: SseParser,
    pub(super) decoder: Decoder,
    /// Where reasoning text may be (AICODER_REASONING_FIELD and friends).
    pub(super) fields: Vec<String>,
    pub(super) finished: bool,
    pub(super) events: usize,
    pub(super) last_event: String,
}

impl Reader {
    pub(super) fn feed(
        &mut self,
        bytes: &[u8],
        progress: &mut dyn FnMut(Progress<'_>),
    ) -> Result<(), ModelError> {
        for data in self.parser.feed(bytes) {
            self.event(&data, progress)?;
        }
        Ok(())
    }

    fn event(
        &mut self,
        data: &str,
        progress: &mut dyn FnMut(Progress<'_>),
    ) -> Result<(), ModelError> {
        self.events += 1;
        self.last_event = data.to_string();
        self.finished |= self.decoder.event(data, &self.fields, progress)?;
        Ok(())
    }

    /// The completion, or `None` when the stream stopped short.
    pub(super) fn finish(
        &mut self,
        progress: &mut dyn FnMut(Progress<'_>),
    ) -> Result<Option<Completion>, ModelError> {
        if let Some(data) = self.parser.finish() {
            self.event(&data, progress)?;
        }
        let decoder =
            std::mem::replace(&mut self.decoder, Decoder::OpenAi(CompletionBuilder::new()));
        let done = decoder.finish();
        Ok((self.finished || done.finish_reason.is_some()).then_some(done))
    }
}

/// Turns SSE events of either API into a completion.
pub(super) enum Decoder {
    OpenAi(CompletionBuilder),
    Messages(MessagesStream),
}

impl Decoder {
    /// Handle one SSE event; true when the answer is complete (`[DONE]`,
    /// `message_stop`). A malformed event is skipped: one bad line must not
    /// lose the rest of the answer.
    fn event(
        &mut self,
        data: &str,
        fields: &[String],
        progress: &mut dyn FnMut(Progress<'_>),
    ) -> Result<bool, ModelError> {
        if data.trim() == "[DONE]" {
            return Ok(true);
        }
        let event = match serde_json::from_str::<Value>(data) {
            Ok(event) => event,
            Err(e) => {
                eprintln!("aicoder: skipped a malformed event from the model API ({e})");
                return Ok(false);
            }
        };
        // An error sent inside a stream (LiteLLM, OpenRouter) is the answer.
        if let (Decoder::OpenAi(_), Some(error)) =
            (&*self, event.get("error").filter(|e| e.is_object()))
        {
            let status = error["code"]
                .as_u64()
                .and_then(|c| u16::try_from(c).ok())
                .filter(|c| (400..600).contains(c))
                .unwrap_or(500);
            return Err(ModelError::Status {
                status,
                body: crate::util::truncate_text(&error.to_string(), 500).0,
                retry_after: None,
            });
        }
        let (reasoning, text) = match self {
            Decoder::OpenAi(builder) => (builder.reasoning(&event, fields), builder.chunk(&event)),
            Decoder::Messages(stream) => {
                let text = stream.event(&event)?;
                (stream.take_reasoning(), text)
            }
        };
        if let Some(reasoning) = reasoning {
            progress(Progress::Reasoning(&reasoning));
        }
        if let Some(text) = text {
            progress(Progress::Text(&text));
        }
        Ok(matches!(self, Decoder::Messages(s) if s.stopped))
    }

    fn finish(self) -> Completion {
        match self {
            Decoder::OpenAi(builder) => builder.finish(),
            Decoder::Messages(stream) => stream.finish(),
        }
    }
}
