//! HTTP side of the model client: one request with retries (exponential
//! backoff on 429, 5xx and dropped connections) under a total timeout, to an
//! OpenAI-compatible server or one speaking Anthropic's Messages API. TLS
//! trusts the platform's certificate store (SSL_CERT_FILE / SSL_CERT_DIR
//! where set) as well as the bundled webpki roots.

use super::anthropic::{self, MessagesStream};
use super::assemble::{Completion, CompletionBuilder};
use super::sse::SseParser;
use crate::config::{Config, Provider, DEFAULT_PROBE_PORTS};
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
        "no model API is configured{probed}. Set OPENAI_API_KEY to use OpenAI, or set API_BASE_URL \
         (e.g. http://localhost:11434/v1) with API_MODEL and, if the server needs one, API_KEY; \
         API_PROVIDER=anthropic for a Messages API. In the environment, or as `API_BASE_URL = \"...\"` \
         lines in ~/.config/aicoder/config.toml or .aicoder/config.toml"
    )]
    NotConfigured {
        /// What the local-server probe tried, e.g. " and no local server
        /// answered on 127.0.0.1:11434, 1234, 8080".
        probed: String,
    },
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
    /// Reasoning text (`reasoning_content` or `reasoning` in a delta), where
    /// the server sends it; not part of the answer.
    Reasoning(&'a str),
    /// The attempt failed and is being retried after this delay; text shown
    /// so far will be sent again.
    Retrying {
        attempt: u32,
        delay: Duration,
        reason: String,
    },
}

impl ModelError {
    /// `NotConfigured`, saying which loopback ports were probed.
    pub fn not_configured(probed_ports: &[u16]) -> Self {
        let probed = if probed_ports.is_empty() {
            String::new()
        } else {
            let ports: Vec<String> = probed_ports
                .iter()
                .map(|p| match DEFAULT_PROBE_PORTS.iter().find(|(d, _)| d == p) {
                    Some((_, name)) => format!("{p} ({name})"),
                    None => p.to_string(),
                })
                .collect();
            format!(
                " and no local server answered on 127.0.0.1 port {}",
                ports.join(", ")
            )
        };
        ModelError::NotConfigured { probed }
    }
}

/// A chat client for an OpenAI-compatible or Messages API.
#[derive(Debug, Clone)]
pub struct ModelClient {
    /// Made on the first request: loading the platform's certificates costs
    /// milliseconds that a start without a model turn should not pay.
    http: std::sync::Arc<std::sync::OnceLock<reqwest::Client>>,
    url: String,
    provider: Provider,
    api_key: Option<String>,
    max_retries: u32,
    total_timeout: Duration,
}

/// The HTTP client every model request uses.
pub(crate) fn http_client() -> Result<reqwest::Client, ModelError> {
    reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(10))
        .build()
        .map_err(|e| ModelError::Network(format!("cannot set up HTTPS: {e}")))
}

impl ModelClient {
    /// A client for the configured endpoint, or `NotConfigured`.
    pub fn new(config: &Config) -> Result<Self, ModelError> {
        let url = match (&config.api_endpoint, &config.api_base_url) {
            (Some(endpoint), _) => endpoint.clone(),
            (None, Some(base)) => {
                let path = match config.provider {
                    Provider::OpenAi => "chat/completions",
                    Provider::Anthropic => "messages",
                };
                format!("{}/{path}", base.trim_end_matches('/'))
            }
            (None, None) => return Err(ModelError::not_configured(&[])),
        };
        Ok(ModelClient {
            http: Default::default(),
            url,
            provider: config.provider,
            api_key: config.api_key.clone(),
            max_retries: config.max_retries,
            total_timeout: Duration::from_secs(config.total_timeout_secs),
        })
    }

    fn http(&self) -> Result<&reqwest::Client, ModelError> {
        if let Some(client) = self.http.get() {
            return Ok(client);
        }
        let client = http_client()?;
        Ok(self.http.get_or_init(|| client))
    }

    /// The URL requests go to.
    pub fn url(&self) -> &str {
        &self.url
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
        let request = match self.provider {
            Provider::OpenAi => {
                let request = self.http()?.post(&self.url).json(body);
                match &self.api_key {
                    Some(key) => request.bearer_auth(key),
                    None => request,
                }
            }
            Provider::Anthropic => {
                let request = self
                    .http()?
                    .post(&self.url)
                    .header("anthropic-version", anthropic::API_VERSION)
                    .json(&anthropic::request(body));
                match &self.api_key {
                    Some(key) => request.header("x-api-key", key),
                    None => request,
                }
            }
        };
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
        let mut builder = match self.provider {
            Provider::OpenAi => Decoder::OpenAi(CompletionBuilder::new()),
            Provider::Anthropic => Decoder::Messages(MessagesStream::new()),
        };
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
                finished |= builder.event(&data, progress)?;
            }
        }
        if !streaming {
            let json: Value = serde_json::from_slice(&whole)
                .map_err(|e| ModelError::BadResponse(e.to_string()))?;
            return match self.provider {
                Provider::OpenAi => Ok(CompletionBuilder::whole(&json)),
                Provider::Anthropic => anthropic::whole(&json),
            };
        }
        if let Some(data) = parser.finish() {
            finished |= builder.event(&data, progress)?;
        }
        let done = builder.finish();
        if !finished && done.finish_reason.is_none() {
            return Err(ModelError::Network(
                "the stream ended before the answer was complete".into(),
            ));
        }
        Ok(done)
    }
}

/// Turns SSE events of either API into a completion.
enum Decoder {
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
        if let Some(thought) = ["reasoning_content", "reasoning"]
            .iter()
            .find_map(|k| event.pointer(&format!("/choices/0/delta/{k}"))?.as_str())
            .filter(|t| !t.is_empty())
        {
            progress(Progress::Reasoning(thought));
        }
        let text = match self {
            Decoder::OpenAi(builder) => builder.chunk(&event),
            Decoder::Messages(stream) => stream.event(&event)?,
        };
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
