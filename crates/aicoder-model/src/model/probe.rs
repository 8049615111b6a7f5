//! Finding a local OpenAI-compatible server when no model API is configured:
//! each loopback port (Ollama 11434, LM Studio 1234, llama.cpp 8080 unless
//! AICODER_PROBE_PORTS says otherwise) gets a 100 ms connect; the first that
//! answers `GET /v1/models` with a model list is used, with its first model.

use serde_json::Value;
use std::time::Duration;

/// How long a loopback connect may take before the port counts as closed.
pub const CONNECT_TIMEOUT: Duration = Duration::from_millis(100);
/// How long an open port may take to answer `/v1/models`.
const ANSWER_TIMEOUT: Duration = Duration::from_secs(2);
/// The most of a model list that is read.
const MAX_LIST_BYTES: usize = 1 << 20;

/// A local server that answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalServer {
    /// e.g. `http://127.0.0.1:11434/v1`.
    pub base_url: String,
    /// The first model it lists, if it lists any.
    pub model: Option<String>,
}

/// The first of `ports` on 127.0.0.1 with an OpenAI-compatible model list.
pub async fn find_local_server(ports: &[u16]) -> Option<LocalServer> {
    let http = reqwest::Client::builder()
        .connect_timeout(CONNECT_TIMEOUT)
        .timeout(ANSWER_TIMEOUT)
        .no_proxy()
        .build()
        .ok()?;
    for &port in ports {
        // A closed port is refused at once; a filtered one gets 100 ms
        // (the client's connect timeout).
        let base_url = format!("http://127.0.0.1:{port}/v1");
        if let Some(models) = list_models(&http, &base_url).await {
            return Some(LocalServer {
                base_url,
                model: models.into_iter().next(),
            });
        }
    }
    None
}

/// The models the configured server lists (`GET {base_url}/models`, with
/// the API key as a bearer token), for `/model`; `None` when it lists none
/// (no such endpoint, an error, or not an OpenAI-style list).
pub async fn server_models(base_url: &str, api_key: Option<&str>) -> Option<Vec<String>> {
    let mut headers = reqwest::header::HeaderMap::new();
    if let Some(key) = api_key {
        let value = reqwest::header::HeaderValue::from_str(&format!("Bearer {key}")).ok()?;
        headers.insert(reqwest::header::AUTHORIZATION, value);
    }
    let http = reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(5))
        .timeout(Duration::from_secs(10))
        .default_headers(headers)
        .build()
        .ok()?;
    list_models(&http, base_url.trim_end_matches('/')).await
}

/// The model ids of `GET {base_url}/models`, or `None` if the answer is not
/// an OpenAI-style list (`{"data": [{"id": ...}]}`).
async fn list_models(http: &reqwest::Client, base_url: &str) -> Option<Vec<String>> {
    let mut response = http.get(format!("{base_url}/models")).send().await.ok()?;
    if !response.status().is_success() {
        return None;
    }
    let mut body = Vec::new();
    while let Ok(Some(chunk)) = response.chunk().await {
        body.extend_from_slice(&chunk);
        if body.len() > MAX_LIST_BYTES {
            return None;
        }
    }
    let list: Value = serde_json::from_slice(&body).ok()?;
    let models = list.get("data")?.as_array()?;
    Some(
        models
            .iter()
            .filter_map(|m| m.get("id")?.as_str())
            .map(String::from)
            .collect(),
    )
}
