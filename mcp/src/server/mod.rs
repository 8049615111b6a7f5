//! A generic MCP server: whatever implements [`ToolProvider`] is offered as
//! MCP tools (and prompts) over stdio ([`serve_stdio`]) or Streamable HTTP
//! with a bearer token ([`serve_http`]). The provider never sees an rmcp
//! type: it gets plain tool specs, JSON arguments and a [`CallContext`]
//! through which it can ask the person (elicitation), report progress and
//! learn that the client cancelled.

mod handler;
mod http;

pub use handler::SUPPORTED_PROTOCOL;
pub use http::{new_token, serve_http, HttpOptions};

use async_trait::async_trait;
use serde_json::{Map, Value};
use std::sync::Arc;
pub use tokio_util::sync::CancellationToken;

/// One tool as offered to clients.
#[derive(Debug, Clone, PartialEq)]
pub struct ToolSpec {
    /// The name clients call it by.
    pub name: String,
    /// A short human-readable title, if any.
    pub title: Option<String>,
    pub description: String,
    /// A JSON Schema of type object for the arguments.
    pub input_schema: Map<String, Value>,
    /// Whether the tool only reads (a hint to clients, never trusted by us).
    pub read_only: bool,
}

/// One prompt as offered to clients: a template the person picks by name.
#[derive(Debug, Clone, PartialEq)]
pub struct PromptSpec {
    pub name: String,
    pub description: String,
    /// (name, description, required) of each argument.
    pub arguments: Vec<(String, String, bool)>,
}

/// Who is calling: the `clientInfo` the client sent in `initialize`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ClientInfo {
    pub name: String,
    pub version: String,
}

/// The outcome of a tool call, as the client sees it.
#[derive(Debug, Clone, PartialEq)]
pub enum CallOutcome {
    /// The tool ran: its text result.
    Done { text: String },
    /// The tool ran (or was refused) and failed: the message is shown to the
    /// caller (`isError: true`), not a protocol error.
    Failed { message: String },
}

/// A request the provider cannot route at all (a protocol error).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProviderError {
    #[error("unknown tool `{0}`")]
    UnknownTool(String),
    #[error("unknown prompt `{0}`")]
    UnknownPrompt(String),
    #[error("bad arguments: {0}")]
    BadArguments(String),
    #[error("{0}")]
    Internal(String),
}

/// The person's answer to a question put through the client (elicitation).
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    /// They filled in the form: the fields they gave (not yet checked
    /// against the schema: the provider reads only what it asked for).
    Accepted(Map<String, Value>),
    /// They said no.
    Declined,
    /// They dismissed the question.
    Cancelled,
    /// The question could not be put: the client declared no elicitation
    /// support, or the exchange failed (the reason).
    Unavailable(String),
}

/// Puts a question to the person on the other side of the client.
#[async_trait]
pub trait Asker: Send + Sync {
    /// Whether the client said (in `initialize`) that it can ask the person.
    fn can_ask(&self) -> bool;
    /// Ask `message` with a form of `schema` (an object of primitive fields).
    async fn ask(&self, message: &str, schema: Value) -> Answer;
}

/// Reports progress of one call, when the client asked for it (a progress
/// token in the request); otherwise reports go nowhere.
#[async_trait]
pub trait ProgressSink: Send + Sync {
    /// `progress` grows with each report; `message` says what is going on.
    async fn report(&self, progress: f64, message: &str);
}

/// What a call knows about its caller.
#[derive(Clone)]
pub struct CallContext {
    pub client: ClientInfo,
    pub asker: Arc<dyn Asker>,
    pub progress: Arc<dyn ProgressSink>,
    /// Cancelled when the client sends `notifications/cancelled` for this
    /// request, or goes away.
    pub cancelled: CancellationToken,
}

/// What the server offers: the host implements this over its plugins.
#[async_trait]
pub trait ToolProvider: Send + Sync + 'static {
    /// The server's name and version (`serverInfo`).
    fn identity(&self) -> (String, String);
    /// Instructions for the client's model, if any.
    fn instructions(&self) -> Option<String> {
        None
    }
    /// The tools offered now.
    async fn tools(&self) -> Vec<ToolSpec>;
    /// Run one tool.
    async fn call(
        &self,
        tool: &str,
        arguments: Map<String, Value>,
        ctx: CallContext,
    ) -> Result<CallOutcome, ProviderError>;
    /// The prompts offered now.
    async fn prompts(&self) -> Vec<PromptSpec> {
        Vec::new()
    }
    /// Fill in one prompt: the text of the user message it stands for.
    async fn prompt(
        &self,
        name: &str,
        _arguments: Map<String, Value>,
        _ctx: CallContext,
    ) -> Result<String, ProviderError> {
        Err(ProviderError::UnknownPrompt(name.to_string()))
    }
    /// A counter that grows whenever the tools or prompts change; every
    /// connected client is then sent `notifications/tools/list_changed` (and
    /// `prompts/list_changed`).
    fn changes(&self) -> Option<tokio::sync::watch::Receiver<u64>> {
        None
    }
    /// A client finished `initialize` (for logs; the name also comes with
    /// every call).
    fn connected(&self, _client: &ClientInfo) {}
}

/// Serve `provider` to one client over this process's stdin and stdout until
/// the client closes its end.
pub async fn serve_stdio<P: ToolProvider>(provider: Arc<P>) -> anyhow::Result<()> {
    use rmcp::ServiceExt;
    let service = handler::Handler::new(provider)
        .serve(rmcp::transport::stdio())
        .await
        .map_err(|e| anyhow::anyhow!("MCP initialisation over stdio failed: {e}"))?;
    service
        .waiting()
        .await
        .map_err(|e| anyhow::anyhow!("MCP server over stdio stopped: {e}"))?;
    Ok(())
}

/// Serve `provider` to one client over `read` and `write` (the host passes
/// its own copy of stdout, so nothing else it prints can reach the stream).
pub async fn serve_io<P, R, W>(provider: Arc<P>, read: R, write: W) -> anyhow::Result<()>
where
    P: ToolProvider,
    R: tokio::io::AsyncRead + Send + Unpin + 'static,
    W: tokio::io::AsyncWrite + Send + Unpin + 'static,
{
    use rmcp::ServiceExt;
    let service = handler::Handler::new(provider)
        .serve((read, write))
        .await
        .map_err(|e| anyhow::anyhow!("MCP initialisation failed: {e}"))?;
    service
        .waiting()
        .await
        .map_err(|e| anyhow::anyhow!("MCP server stopped: {e}"))?;
    Ok(())
}
