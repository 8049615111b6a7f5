//! HTTP side of the model client: one request with retries (exponential
//! backoff on 429, 5xx and dropped connections) under a total timeout, to an
//! OpenAI-compatible server or one speaking Anthropic's Messages API. TLS
//! trusts the platform's certificate store (SSL_CERT_FILE / SSL_CERT_DIR
//! where set) as well as the bundled webpki roots.

use super::anthropic::{self, MessagesStream};
use super::assemble::{Completion, CompletionBuilder};
use super::decode::{sent, Decoder, Reader};
use super::sse::SseParser;
use crate::config::{Config, Provider, DEFAULT_PROBE_PORTS};
use serde_json::Value;
use std::collections::{BTreeSet, HashMap};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

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
    #[error("the model API did not finish within TOTAL_TIMEOUT ({0} s){1}")]
    Timeout(u64, String),
    #[error("the model API sent a response that is not a chat completion: {0}")]
    BadResponse(String),
}

impl ModelError {
    /// Worth another attempt: the statuses in `codes` (AICODER_RETRY_STATUS_CODES;
    /// unset: 429 and server errors) and broken connections.
    fn retryable(&self, codes: Option<&BTreeSet<u16>>) -> bool {
        match (self, codes) {
            (ModelError::Status { status, .. }, Some(codes)) => codes.contains(status),
            (ModelError::Status { status, .. }, None) => *status == 429 || *status >= 500,
            (ModelError::Network(_), _) => true,
            _ => false,
        }
    }
}

/// What the client reports while an answer streams in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Progress<'a> {
    /// More answer text.
    Text(&'a str),
    /// More of the model's reasoning (shown dimmed unless
    /// AICODER_SHOW_REASONING=0).
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
    http: Arc<std::sync::OnceLock<reqwest::Client>>,
    url: String,
    provider: Provider,
    /// API_KEY split at KEY_ROTATE_SEPARATOR; a 429 moves to the next.
    keys: Vec<String>,
    key_index: Arc<AtomicUsize>,
    max_retries: u32,
    total_timeout: Duration,
    params: Arc<crate::config::ModelParams>,
    /// Anthropic thinking blocks by the id of the tool call they preceded.
    thinking: Arc<Mutex<HashMap<String, Vec<Value>>>>,
}

/// The HTTP client every model request uses.
pub(crate) fn http_client() -> Result<reqwest::Client, ModelError> {
    reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(10))
        .build()
        .map_err(|e| ModelError::Network(format!("cannot set up HTTPS: {e}")))
}

/// When the answer must be complete by: TOTAL_TIMEOUT, moved once by
/// TOTAL_TIMEOUT_EXTENSION when data arrived within that long of it.
struct Deadline {
    at: Instant,
    extension: Duration,
    last_data: Option<Instant>,
    extended: bool,
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
        let separator = &config.params.key_separator;
        let keys = match &config.api_key {
            Some(key) if !separator.is_empty() => key
                .split(separator.as_str())
                .map(str::trim)
                .filter(|k| !k.is_empty())
                .map(String::from)
                .collect(),
            Some(key) => vec![key.clone()],
            None => Vec::new(),
        };
        Ok(ModelClient {
            http: Default::default(),
            url,
            provider: config.provider,
            keys,
            key_index: Default::default(),
            max_retries: config.max_retries,
            total_timeout: Duration::from_secs(config.total_timeout_secs),
            params: Arc::new(config.params.clone()),
            thinking: Default::default(),
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

    /// The key in use (of several: `API_KEY` split at `___`).
    fn key(&self) -> Option<&str> {
        let n = self.keys.len();
        (n > 0).then(|| self.keys[self.key_index.load(Ordering::Relaxed) % n].as_str())
    }

    /// Send `body` (its `stream` field decides the mode) and return the whole
    /// answer, reporting text as it arrives.
    pub async fn chat(
        &self,
        body: &Value,
        progress: &mut dyn FnMut(Progress<'_>),
    ) -> Result<Completion, ModelError> {
        let deadline = Mutex::new(Deadline {
            at: Instant::now() + self.total_timeout,
            extension: self.params.timeout_extension.min(self.total_timeout),
            last_data: None,
            extended: false,
        });
        let codes = self.params.retry_status_codes.as_ref();
        let cap = self.params.max_backoff.unwrap_or(BACKOFF_CAP);
        let work = async {
            let mut attempt = 0;
            let mut empty = 0;
            loop {
                match self.attempt(body, progress, &deadline).await {
                    Ok(done)
                        if done.content.trim().is_empty()
                            && done.tool_calls.is_empty()
                            && empty < self.params.empty_retries =>
                    {
                        // v3's empty_retry: ask again after a pause.
                        empty += 1;
                        let delay = self.params.empty_retry_delay;
                        progress(Progress::Retrying {
                            attempt: empty,
                            delay,
                            reason: "the model sent an empty answer (no text, no tool call)".into(),
                        });
                        tokio::time::sleep(delay).await;
                    }
                    Err(err) if err.retryable(codes) && attempt < self.max_retries => {
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
                        .min(cap);
                        attempt += 1;
                        let mut reason = err.to_string();
                        if matches!(err, ModelError::Status { status: 429, .. })
                            && self.keys.len() > 1
                        {
                            let next = (self.key_index.fetch_add(1, Ordering::Relaxed) + 1)
                                % self.keys.len();
                            reason.push_str(&format!(
                                "; switching to API key {} of {}",
                                next + 1,
                                self.keys.len()
                            ));
                        }
                        progress(Progress::Retrying {
                            attempt,
                            delay,
                            reason,
                        });
                        tokio::time::sleep(delay).await;
                    }
                    other => return other,
                }
            }
        };
        let watchdog = async {
            loop {
                let at = match deadline.lock() {
                    Ok(mut d) => {
                        let now = Instant::now();
                        if now < d.at {
                            d.at
                        } else if !d.extended
                            && d.last_data
                                .is_some_and(|t| now.duration_since(t) < d.extension)
                        {
                            d.extended = true;
                            d.at = now + d.extension;
                            d.at
                        } else {
                            return d.extended.then_some(d.extension);
                        }
                    }
                    Err(_) => return None,
                };
                tokio::time::sleep_until(at.into()).await;
            }
        };
        tokio::select! {
            r = work => r,
            extended = watchdog => Err(ModelError::Timeout(
                self.total_timeout.as_secs(),
                extended.map_or(String::new(), |e| format!(
                    " and TOTAL_TIMEOUT_EXTENSION ({} s, granted while the answer was arriving)",
                    e.as_secs()
                )),
            )),
        }
    }

    fn request(&self, body: &Value) -> Result<reqwest::RequestBuilder, ModelError> {
        let request = match self.provider {
            Provider::OpenAi => {
                let request = self.http()?.post(&self.url).json(body);
                match self.key() {
                    Some(key) => request.bearer_auth(key),
                    None => request,
                }
            }
            Provider::Anthropic => {
                let thinking = self.thinking.lock().map(|t| t.clone()).unwrap_or_default();
                let options = anthropic::RequestOptions {
                    cache: self.params.prompt_cache,
                    thinking: Some(&thinking),
                };
                let request = self
                    .http()?
                    .post(&self.url)
                    .header("anthropic-version", anthropic::API_VERSION)
                    .json(&anthropic::request(body, options));
                match self.key() {
                    Some(key) => request.header("x-api-key", key),
                    None => request,
                }
            }
        };
        // AICODER_HTTP_HEADERS replace what aicoder set (as v3's update()).
        let mut extra = reqwest::header::HeaderMap::new();
        for (name, value) in &self.params.http_headers {
            if let (Ok(n), Ok(v)) = (
                reqwest::header::HeaderName::from_bytes(name.as_bytes()),
                reqwest::header::HeaderValue::from_str(value),
            ) {
                extra.insert(n, v);
            }
        }
        Ok(request.headers(extra))
    }

    async fn attempt(
        &self,
        body: &Value,
        progress: &mut dyn FnMut(Progress<'_>),
        deadline: &Mutex<Deadline>,
    ) -> Result<Completion, ModelError> {
        let mut response = self
            .request(body)?
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
        let content_type = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        // v3 reads what the server sent, not what was asked for: some
        // servers answer a streaming request with one JSON body.
        let event_stream = content_type
            .to_ascii_lowercase()
            .contains("text/event-stream");
        let mut reader = Reader {
            parser: SseParser::new(),
            decoder: match self.provider {
                Provider::OpenAi => Decoder::OpenAi(CompletionBuilder::new()),
                Provider::Anthropic => Decoder::Messages(MessagesStream::new()),
            },
            fields: self.params.reasoning_sources(),
            finished: false,
            events: 0,
            last_event: String::new(),
        };
        let mut whole = Vec::new();
        let mut received = 0usize;
        loop {
            let chunk = response
                .chunk()
                .await
                .map_err(|e| ModelError::Network(format!("connection lost mid-answer: {e}")))?;
            let Some(bytes) = chunk else { break };
            if let Ok(mut d) = deadline.lock() {
                d.last_data = Some(Instant::now());
            }
            received += bytes.len();
            if received > MAX_RESPONSE_BYTES {
                return Err(ModelError::BadResponse(format!(
                    "the answer passed {} MiB; reading stopped",
                    MAX_RESPONSE_BYTES >> 20
                )));
            }
            if event_stream {
                reader.feed(&bytes, progress)?;
            } else {
                whole.extend_from_slice(&bytes);
            }
        }
        let done = if event_stream {
            reader.finish(progress)?
        } else {
            self.whole(&whole, &content_type, &mut reader, progress)?
        };
        let done = match done {
            Some(done) => done,
            None => {
                return Err(ModelError::Network(format!(
                    "the stream ended before the answer was complete ({}; {} events, the last: {})",
                    sent(&content_type, received),
                    reader.events,
                    if reader.last_event.is_empty() {
                        "none".to_string()
                    } else {
                        crate::util::truncate_text(&reader.last_event, 200).0
                    }
                )))
            }
        };
        if !done.thinking_blocks.is_empty() {
            if let (Some(first), Ok(mut map)) = (done.tool_calls.first(), self.thinking.lock()) {
                map.insert(first.id.clone(), done.thinking_blocks.clone());
            }
        }
        Ok(done)
    }

    /// A body that is not an event stream: one JSON answer of either API
    /// (whatever was asked), or an event stream sent with another type.
    fn whole(
        &self,
        bytes: &[u8],
        content_type: &str,
        reader: &mut Reader,
        progress: &mut dyn FnMut(Progress<'_>),
    ) -> Result<Option<Completion>, ModelError> {
        let describe = || {
            format!(
                "{}: {}",
                sent(content_type, bytes.len()),
                crate::util::truncate_text(String::from_utf8_lossy(bytes).trim(), 300).0
            )
        };
        let json = match serde_json::from_slice::<Value>(bytes) {
            Ok(json) => json,
            Err(_) if String::from_utf8_lossy(bytes).contains("data:") => {
                reader.feed(bytes, progress)?;
                return reader.finish(progress);
            }
            Err(e) => {
                return Err(ModelError::BadResponse(format!(
                    "{e}; the server sent {}",
                    describe()
                )))
            }
        };
        let done = if json.get("choices").is_some_and(Value::is_array) {
            CompletionBuilder::whole(&json, &reader.fields)
        } else if json["type"] == "message" || json.get("content").is_some_and(Value::is_array) {
            anthropic::whole(&json)?
        } else if json["type"] == "error" {
            return Err(anthropic::whole(&json).err().unwrap_or_else(|| {
                ModelError::BadResponse(format!("the server sent {}", describe()))
            }));
        } else {
            return Err(ModelError::BadResponse(format!(
                "neither a chat completion nor a Messages answer; the server sent {}",
                describe()
            )));
        };
        if !done.reasoning.is_empty() {
            progress(Progress::Reasoning(&done.reasoning));
        }
        if !done.content.is_empty() {
            progress(Progress::Text(&done.content));
        }
        Ok(Some(done))
    }
}
