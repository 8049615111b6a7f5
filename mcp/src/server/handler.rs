//! The rmcp `ServerHandler` over a [`ToolProvider`]: the only file that
//! maps between rmcp's protocol types and the provider's plain ones.

use super::{
    Answer, Asker, CallContext, CallOutcome, ClientInfo, ProgressSink, ProviderError, ToolProvider,
};
use async_trait::async_trait;
use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, ContentBlock, ElicitRequestParams,
    ElicitationAction, ElicitationSchema, GetPromptRequestParams, GetPromptResponse,
    GetPromptResult, Implementation, InitializeRequestParams, InitializeResult, ListPromptsResult,
    ListToolsResult, PaginatedRequestParams, ProgressNotificationParam, ProgressToken, Prompt,
    PromptArgument, PromptMessage, ProtocolVersion, Role, ServerCapabilities, ServerConfig, Tool,
    ToolAnnotations,
};
use rmcp::service::{NotificationContext, RequestContext};
use rmcp::{ErrorData as McpError, Peer, RoleServer, ServerHandler};
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// The newest protocol revision served. 2026-07-28 replaced server-to-client
/// requests (how a grant question reaches the person here) with
/// input-required results; until those are implemented the server offers
/// the revisions up to 2025-11-25, which every client in use speaks.
pub const SUPPORTED_PROTOCOL: &str = "2025-11-25";

/// One client connection's handler.
pub(super) struct Handler<P> {
    provider: Arc<P>,
    /// Whether this connection's list-change watcher runs already.
    watching: AtomicBool,
}

impl<P: ToolProvider> Handler<P> {
    pub(super) fn new(provider: Arc<P>) -> Self {
        Handler {
            provider,
            watching: AtomicBool::new(false),
        }
    }

    fn context(&self, context: &RequestContext<RoleServer>) -> CallContext {
        let progress: Arc<dyn ProgressSink> = Arc::new(PeerProgress {
            peer: context.peer.clone(),
            token: context.meta.get_progress_token(),
        });
        CallContext {
            client: client_of(&context.peer),
            asker: Arc::new(PeerAsker {
                peer: context.peer.clone(),
            }),
            progress,
            cancelled: context.ct.clone(),
        }
    }
}

/// The client's `clientInfo` from `initialize` (empty before it).
fn client_of(peer: &Peer<RoleServer>) -> ClientInfo {
    peer.peer_info()
        .map(|info| ClientInfo {
            name: info.client_info.name.clone(),
            version: info.client_info.version.clone(),
        })
        .unwrap_or_default()
}

fn protocol_error(err: ProviderError) -> McpError {
    match err {
        ProviderError::UnknownTool(_) | ProviderError::UnknownPrompt(_) => {
            McpError::invalid_params(err.to_string(), None)
        }
        ProviderError::BadArguments(_) => McpError::invalid_params(err.to_string(), None),
        ProviderError::Internal(_) => McpError::internal_error(err.to_string(), None),
    }
}

impl<P: ToolProvider> ServerHandler for Handler<P> {
    fn get_info(&self) -> ServerConfig {
        let (name, version) = self.provider.identity();
        let capabilities = ServerCapabilities::builder()
            .enable_tools()
            .enable_tool_list_changed()
            .enable_prompts()
            .enable_prompts_list_changed()
            .build();
        let mut config = InitializeResult::new(capabilities)
            .with_server_info(Implementation::new(name, version))
            .with_protocol_version(ProtocolVersion::V_2025_11_25);
        if let Some(text) = self.provider.instructions() {
            config = config.with_instructions(text);
        }
        config
    }

    fn supported_protocol_versions(&self) -> Cow<'static, [ProtocolVersion]> {
        Cow::Borrowed(ProtocolVersion::known_up_to(&ProtocolVersion::V_2025_11_25))
    }

    async fn initialize(
        &self,
        request: InitializeRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<InitializeResult, McpError> {
        context.peer.set_peer_info(request.clone());
        self.provider.connected(&ClientInfo {
            name: request.client_info.name.clone(),
            version: request.client_info.version.clone(),
        });
        self.negotiate_initialize(&request)
    }

    async fn on_initialized(&self, context: NotificationContext<RoleServer>) {
        if self.watching.swap(true, Ordering::SeqCst) {
            return;
        }
        let Some(mut changes) = self.provider.changes() else {
            return;
        };
        let peer = context.peer.clone();
        tokio::spawn(async move {
            while changes.changed().await.is_ok() {
                // A client that went away ends the watcher.
                if peer.notify_tool_list_changed().await.is_err() {
                    break;
                }
                let _ = peer.notify_prompt_list_changed().await;
            }
        });
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, McpError> {
        let tools = self
            .provider
            .tools()
            .await
            .into_iter()
            .map(|spec| {
                let mut tool = Tool::default();
                tool.name = Cow::Owned(spec.name);
                tool.title = spec.title;
                tool.description = Some(Cow::Owned(spec.description));
                tool.input_schema = Arc::new(spec.input_schema);
                let mut hints = ToolAnnotations::default();
                hints.read_only_hint = Some(spec.read_only);
                tool.annotations = Some(hints);
                tool
            })
            .collect();
        Ok(ListToolsResult::with_all_items(tools))
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, McpError> {
        let ctx = self.context(&context);
        let arguments = request.arguments.unwrap_or_default();
        let outcome = self
            .provider
            .call(&request.name, arguments, ctx)
            .await
            .map_err(protocol_error)?;
        Ok(match outcome {
            CallOutcome::Done { text } => CallToolResult::success(vec![ContentBlock::text(text)]),
            CallOutcome::Failed { message } => {
                CallToolResult::error(vec![ContentBlock::text(message)])
            }
        }
        .into())
    }

    async fn list_prompts(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListPromptsResult, McpError> {
        let prompts = self
            .provider
            .prompts()
            .await
            .into_iter()
            .map(|spec| {
                let arguments: Vec<PromptArgument> = spec
                    .arguments
                    .into_iter()
                    .map(|(name, description, required)| {
                        PromptArgument::new(name)
                            .with_description(description)
                            .with_required(required)
                    })
                    .collect();
                Prompt::new(spec.name, Some(spec.description), Some(arguments))
            })
            .collect();
        Ok(ListPromptsResult::with_all_items(prompts))
    }

    async fn get_prompt(
        &self,
        request: GetPromptRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<GetPromptResponse, McpError> {
        let ctx = self.context(&context);
        let arguments: Map<String, Value> = request.arguments.unwrap_or_default();
        let text = self
            .provider
            .prompt(&request.name, arguments, ctx)
            .await
            .map_err(protocol_error)?;
        Ok(GetPromptResult::new(vec![PromptMessage::new_text(Role::User, text)]).into())
    }
}

/// Elicitation through the connected client.
struct PeerAsker {
    peer: Peer<RoleServer>,
}

#[async_trait]
impl Asker for PeerAsker {
    fn can_ask(&self) -> bool {
        self.peer
            .supported_elicitation_modes()
            .contains(&rmcp::service::ElicitationMode::Form)
    }

    async fn ask(&self, message: &str, schema: Value) -> Answer {
        if !self.can_ask() {
            return Answer::Unavailable("the client does not support elicitation".into());
        }
        let requested_schema: ElicitationSchema = match serde_json::from_value(schema) {
            Ok(s) => s,
            Err(e) => return Answer::Unavailable(format!("bad question form: {e}")),
        };
        let params = ElicitRequestParams::FormElicitationParams {
            meta: None,
            message: message.to_string(),
            requested_schema,
        };
        match self.peer.create_elicitation(params).await {
            Ok(result) => match result.action {
                ElicitationAction::Accept => match result.content {
                    Some(Value::Object(fields)) => Answer::Accepted(fields),
                    _ => Answer::Accepted(Map::new()),
                },
                ElicitationAction::Decline => Answer::Declined,
                _ => Answer::Cancelled,
            },
            Err(e) => Answer::Unavailable(e.to_string()),
        }
    }
}

/// Progress notifications for one request, when it carried a token.
struct PeerProgress {
    peer: Peer<RoleServer>,
    token: Option<ProgressToken>,
}

#[async_trait]
impl ProgressSink for PeerProgress {
    async fn report(&self, progress: f64, message: &str) {
        let Some(token) = self.token.clone() else {
            return;
        };
        let mut param = ProgressNotificationParam::new(token, progress);
        param.message = Some(message.to_string());
        let _ = self.peer.notify_progress(param).await;
    }
}
