//! HTTP side of the model client: one request with retries (exponential
//! backoff on 429, 5xx and dropped connections) under a total timeout.

use super::assemble::{Completion, CompletionBuilder};
use super::sse::SseParser;
use crate::config::Config;
use serde_json::Value;
use std::time::Duration;

/// First retry delay; doubled per attempt up to [`BACKOFF_CAP`].
const BACKOFF_START: Duration = Duration::from_millis(250);
/// Longest wait between two attempts.
const BACKOFF_CAP: Duration = Duration::from_secs(8);

/// The most a response may send: past this the server is faulty or hostile
/// and reading stops (an honest answer is a few hundred KiB at most).
pub const MAX_RESPONSE_BYTES: usize = 64 << 20;
/// How much of an error body is read and shown.
const MAX_ERROR_BODY: usize = 64 << 10;

/// Why a model request failed.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error(
        "no model API is configured: set API_BASE_URL (or OPENAI_BASE_URL), API_KEY (or OPENAI_API_KEY) \
         and API_MODEL (or OPENAI_MODEL), e.g. API_BASE_URL=https://api.openai.com/v1"
    )]
    NotConfigured,
    #[error("the model API answered {status}: {body}")]
    Status {
        status: u16,
        body: String,
        /// The server's `Retry-After`, when it sent one in seconds.
        retry_after: Option<Duration>,
    },
    #[error("could not reach the model API: {0}")]
    Network(String),
    #[error("the model API did not finish within TOTAL_TIMEOUT ({0} s)")]
    Timeout(u64),
    #[error("the model API sent a response that is not a chat completion: {0}")]
    BadResponse(String),
}

impl ModelError {
    /// Worth another attempt: rate limits, server errors, broken connections.
    fn retryable(&self) -> bool {
        match self {
            ModelError::Status { status, .. } => *status == 429 || *status >= 500,
            ModelError::Network(_) => true,
            _ => false,
        }
    }
}

/// What the client reports while an answer streams in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Progress<'a> {
    /// More answer text.
    Text(&'a str),
    /// The attempt failed and is being retried after this delay; text shown
    /// so far will be sent again.
    Retrying {
        attempt: u32,
        delay: Duration,
        reason: String,
    },
}

/// An OpenAI-compatible chat client.
#[derive(Debug, Clone)]
pub struct ModelClient {
    http: reqwest::Client,
    url: String,
    api_key: Option<String>,
    max_retries: u32,
    total_timeout: Duration,
}

impl ModelClient {
    /// A client for the configured endpoint, or `NotConfigured`.
    pub fn new(config: &Config) -> Result<Self, ModelError> {
        let base = config
            .api_base_url
            .as_deref()
            .ok_or(ModelError::NotConfigured)?;
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .build()
            .map_err(|e| ModelError::Network(e.to_string()))?;
        Ok(ModelClient {
            http,
            url: format!("{}/chat/completions", base.trim_end_matches('/')),
            api_key: config.api_key.clone(),
            max_retries: config.max_retries,
            total_timeout: Duration::from_secs(config.total_timeout_secs),
        })
    }

    /// Send `body` (its `stream` field decides the mode) and return the whole
    /// answer, reporting text as it arrives.
    pub async fn chat(
        &self,
        body: &Value,
        progress: &mut dyn FnMut(Progress<'_>),
    ) -> Result<Completion, ModelError> {
        let work = async {
            let mut attempt = 0;
            loop {
                match self.attempt(body, progress).await {
                    Err(err) if err.retryable() && attempt < self.max_retries => {
                        let backoff = BACKOFF_START.saturating_mul(1 << attempt.min(16));
                        // A server that says when to come back is believed
                        // (within the cap; TOTAL_TIMEOUT bounds the whole).
                        let delay = match &err {
                            ModelError::Status {
                                retry_after: Some(after),
                                ..
                            } => *after,
                            _ => backoff,
                        }
                        .min(BACKOFF_CAP);
                        attempt += 1;
                        progress(Progress::Retrying {
                            attempt,
                            delay,
                            reason: err.to_string(),
                        });
                        tokio::time::sleep(delay).await;
                    }
                    other => return other,
                }
            }
        };
        tokio::time::timeout(self.total_timeout, work)
            .await
            .unwrap_or(Err(ModelError::Timeout(self.total_timeout.as_secs())))
    }

    async fn attempt(
        &self,
        body: &Value,
        progress: &mut dyn FnMut(Progress<'_>),
    ) -> Result<Completion, ModelError> {
        let mut request = self.http.post(&self.url).json(body);
        if let Some(key) = &self.api_key {
            request = request.bearer_auth(key);
        }
        let mut response = request
            .send()
            .await
            .map_err(|e| ModelError::Network(e.to_string()))?;
        let status = response.status();
        if !status.is_success() {
            let retry_after = response
                .headers()
                .get(reqwest::header::RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<u64>().ok())
                .map(Duration::from_secs);
            let mut body = Vec::new();
            while let Ok(Some(chunk)) = response.chunk().await {
                body.extend_from_slice(&chunk);
                if body.len() > MAX_ERROR_BODY {
                    break;
                }
            }
            let text = String::from_utf8_lossy(&body);
            return Err(ModelError::Status {
                status: status.as_u16(),
                body: crate::util::truncate_text(&text, 500).0,
                retry_after,
            });
        }
        let streaming = body.get("stream").and_then(Value::as_bool) == Some(true);
        let mut parser = SseParser::new();
        let mut builder = CompletionBuilder::new();
        let mut finished = false;
        let mut whole = Vec::new();
        let mut received = 0usize;
        loop {
            let chunk = response
                .chunk()
                .await
                .map_err(|e| ModelError::Network(format!("connection lost mid-answer: {e}")))?;
            let Some(bytes) = chunk else { break };
            received += bytes.len();
            if received > MAX_RESPONSE_BYTES {
                return Err(ModelError::BadResponse(format!(
                    "the answer passed {} MiB; reading stopped",
                    MAX_RESPONSE_BYTES >> 20
                )));
            }
            if !streaming {
                whole.extend_from_slice(&bytes);
                continue;
            }
            for data in parser.feed(&bytes) {
                finished |= self.event(&data, &mut builder, progress);
            }
        }
        if !streaming {
            let json: Value = serde_json::from_slice(&whole)
                .map_err(|e| ModelError::BadResponse(e.to_string()))?;
            return Ok(CompletionBuilder::whole(&json));
        }
        if let Some(data) = parser.finish() {
            finished |= self.event(&data, &mut builder, progress);
        }
        let done = builder.finish();
        if !finished && done.finish_reason.is_none() {
            return Err(ModelError::Network(
                "the stream ended before the answer was complete".into(),
            ));
        }
        Ok(done)
    }

    /// Handle one SSE event; true on `[DONE]`. A malformed event is skipped:
    /// one bad line must not lose the rest of the answer.
    fn event(
        &self,
        data: &str,
        builder: &mut CompletionBuilder,
        progress: &mut dyn FnMut(Progress<'_>),
    ) -> bool {
        if data.trim() == "[DONE]" {
            return true;
        }
        match serde_json::from_str::<Value>(data) {
            Ok(chunk) => {
                if let Some(text) = builder.chunk(&chunk) {
                    progress(Progress::Text(&text));
                }
            }
            Err(e) => eprintln!("aicoder: skipped a malformed event from the model API ({e})"),
        }
        false
    }
}
