//! The rest of the protocol a user meets besides tools: a server's
//! resources (listed at connect, read on demand for `@SERVER:URI`) and its
//! prompts (listed at connect, fetched for `/SERVER:PROMPT`). Each list is
//! bounded here, so a hostile server cannot grow the session's memory with
//! them; what is shown or sent is sanitised by the host.

use super::{Manager, McpError};
use rmcp::model::{GetPromptRequestParams, PaginatedRequestParams, ReadResourceRequestParams};
use rmcp::{Peer, RoleClient};
use serde_json::{Map, Value};
use std::time::Duration;

/// At most this many resources (or prompts) of one server are kept.
pub const MAX_LISTED: usize = 512;
/// At most this many pages of a list are read.
const MAX_PAGES: usize = 8;

/// A resource as the server lists it (unsanitised).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceInfo {
    pub uri: String,
    pub name: String,
    pub description: String,
    pub mime_type: Option<String>,
}

/// One argument of a prompt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PromptArg {
    pub name: String,
    pub description: String,
    pub required: bool,
}

/// A prompt as the server lists it (unsanitised).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PromptInfo {
    pub name: String,
    pub description: String,
    pub arguments: Vec<PromptArg>,
}

/// One item of a resource's content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    Text {
        uri: String,
        mime_type: Option<String>,
        text: String,
    },
    /// Binary content (base64 in the protocol): only its size is kept.
    Binary {
        uri: String,
        mime_type: Option<String>,
        bytes: usize,
    },
}

/// One message of a prompt: its role and its content as text (embedded
/// resources as their text, other content described in one line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PromptMessage {
    pub role: String,
    pub text: String,
}

fn field(v: &Value, key: &str) -> String {
    v[key].as_str().unwrap_or_default().to_string()
}

/// The server's resources and prompts, where its capabilities say it has
/// them; a failure lists none (tools still work).
pub(super) async fn list(peer: &Peer<RoleClient>) -> (Vec<ResourceInfo>, Vec<PromptInfo>) {
    let caps = peer
        .peer_info()
        .and_then(|info| serde_json::to_value(&info.capabilities).ok())
        .unwrap_or(Value::Null);
    let mut resources = Vec::new();
    if caps.get("resources").is_some_and(|v| !v.is_null()) {
        let mut cursor: Option<String> = None;
        for _ in 0..MAX_PAGES {
            let params = PaginatedRequestParams::default().with_cursor(cursor.take());
            let Ok(page) = peer.list_resources(Some(params)).await else {
                break;
            };
            let page = serde_json::to_value(&page).unwrap_or(Value::Null);
            for r in page["resources"].as_array().into_iter().flatten() {
                if resources.len() < MAX_LISTED {
                    resources.push(ResourceInfo {
                        uri: field(r, "uri"),
                        name: field(r, "name"),
                        description: field(r, "description"),
                        mime_type: r["mimeType"].as_str().map(String::from),
                    });
                }
            }
            cursor = page["nextCursor"].as_str().map(String::from);
            if cursor.is_none() || resources.len() >= MAX_LISTED {
                break;
            }
        }
    }
    let mut prompts = Vec::new();
    if caps.get("prompts").is_some_and(|v| !v.is_null()) {
        let mut cursor: Option<String> = None;
        for _ in 0..MAX_PAGES {
            let params = PaginatedRequestParams::default().with_cursor(cursor.take());
            let Ok(page) = peer.list_prompts(Some(params)).await else {
                break;
            };
            let page = serde_json::to_value(&page).unwrap_or(Value::Null);
            for p in page["prompts"].as_array().into_iter().flatten() {
                if prompts.len() < MAX_LISTED {
                    let arguments = p["arguments"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .take(32)
                        .map(|a| PromptArg {
                            name: field(a, "name"),
                            description: field(a, "description"),
                            required: a["required"].as_bool().unwrap_or(false),
                        })
                        .collect();
                    prompts.push(PromptInfo {
                        name: field(p, "name"),
                        description: field(p, "description"),
                        arguments,
                    });
                }
            }
            cursor = page["nextCursor"].as_str().map(String::from);
            if cursor.is_none() || prompts.len() >= MAX_LISTED {
                break;
            }
        }
    }
    (resources, prompts)
}

/// Content items of a `resources/read` result or an embedded resource.
fn contents(items: &Value) -> Vec<Content> {
    items
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| {
            let uri = field(c, "uri");
            let mime_type = c["mimeType"].as_str().map(String::from);
            match (c["text"].as_str(), c["blob"].as_str()) {
                (Some(t), _) => Content::Text {
                    uri,
                    mime_type,
                    text: t.to_string(),
                },
                (None, blob) => Content::Binary {
                    uri,
                    mime_type,
                    bytes: blob.map_or(0, |b| b.len() / 4 * 3),
                },
            }
        })
        .collect()
}

impl Manager {
    /// The resources `server` listed when it connected (none while it is
    /// starting or when it has none).
    pub fn resources(&self, server: &str) -> Vec<ResourceInfo> {
        self.servers
            .get(server)
            .map(|s| s.status().resources)
            .unwrap_or_default()
    }

    /// The prompts `server` listed when it connected.
    pub fn prompts(&self, server: &str) -> Vec<PromptInfo> {
        self.servers
            .get(server)
            .map(|s| s.status().prompts)
            .unwrap_or_default()
    }

    /// Read resource `uri` of `server` (started first if need be), within
    /// `wait`. Also returns the whole result for the audit digest.
    pub fn read_resource(
        &self,
        server: &str,
        uri: &str,
        wait: Duration,
    ) -> Result<(Vec<Content>, Value), McpError> {
        let Some(handle) = self.servers.get(server) else {
            return Err(McpError::UnknownServer(server.to_string()));
        };
        let params: ReadResourceRequestParams =
            serde_json::from_value(serde_json::json!({ "uri": uri }))
                .map_err(|e| McpError::Server(e.to_string()))?;
        self.runtime.block_on(async {
            let work = async {
                let peer = handle.ensure_started().await?;
                let result = peer
                    .read_resource(params)
                    .await
                    .map_err(super::server::service_error)?;
                Ok(serde_json::to_value(&result).unwrap_or(Value::Null))
            };
            match tokio::time::timeout(wait, work).await {
                Ok(Ok(raw)) => Ok((contents(&raw["contents"]), raw)),
                Ok(Err(e)) => Err(e),
                Err(_) => Err(McpError::Timeout(wait)),
            }
        })
    }

    /// Fetch prompt `name` of `server` with `arguments`, within `wait`:
    /// its messages, and the whole result for the audit digest.
    pub fn get_prompt(
        &self,
        server: &str,
        name: &str,
        arguments: Map<String, Value>,
        wait: Duration,
    ) -> Result<(Vec<PromptMessage>, Value), McpError> {
        let Some(handle) = self.servers.get(server) else {
            return Err(McpError::UnknownServer(server.to_string()));
        };
        let params: GetPromptRequestParams =
            serde_json::from_value(serde_json::json!({ "name": name, "arguments": arguments }))
                .map_err(|e| McpError::Server(e.to_string()))?;
        self.runtime.block_on(async {
            let work = async {
                let peer = handle.ensure_started().await?;
                let result = peer
                    .get_prompt(params)
                    .await
                    .map_err(super::server::service_error)?;
                Ok(serde_json::to_value(&result).unwrap_or(Value::Null))
            };
            match tokio::time::timeout(wait, work).await {
                Ok(Ok(raw)) => Ok((messages(&raw), raw)),
                Ok(Err(e)) => Err(e),
                Err(_) => Err(McpError::Timeout(wait)),
            }
        })
    }
}

/// A prompt result's messages as text.
fn messages(raw: &Value) -> Vec<PromptMessage> {
    raw["messages"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|m| {
            let c = &m["content"];
            let text = match c["type"].as_str() {
                Some("text") => field(c, "text"),
                Some("resource") => contents(&Value::Array(vec![c["resource"].clone()]))
                    .into_iter()
                    .map(|item| match item {
                        Content::Text { uri, text, .. } => format!("[resource {uri}]\n{text}"),
                        Content::Binary { uri, bytes, .. } => {
                            format!("[resource {uri}: binary content, {bytes} bytes]")
                        }
                    })
                    .collect::<Vec<_>>()
                    .join("\n"),
                Some("resource_link") => format!("[resource link {}]", field(c, "uri")),
                Some(kind) => format!(
                    "[{kind} content, {}]",
                    c["mimeType"].as_str().unwrap_or("unknown type")
                ),
                None => String::new(),
            };
            PromptMessage {
                role: field(m, "role"),
                text,
            }
        })
        .collect()
}
