//! One server: its connection (made on first need, made again after a
//! crash), its tools and how it stands. rmcp's types stay in this file.

use super::{launch, CallResult, McpError, ServerStatus, Spec, State, ToolInfo, Transport};
use super::{Event, ServerRequest};
use rmcp::model::{
    CallToolRequestParams, ClientCapabilities, ClientConfig, ElicitRequestParams, ElicitResult,
    ErrorData, Implementation, NumberOrString, ProgressNotificationParam, ProgressToken,
    ProtocolVersion, RequestMetaObject,
};
use rmcp::service::{MaybeSendFuture, NotificationContext, RequestContext, RunningService};
use rmcp::transport::streamable_http_client::StreamableHttpClientTransportConfig;
use rmcp::transport::StreamableHttpClientTransport;
use rmcp::{ClientHandler, Peer, RoleClient, ServiceError, ServiceExt};
use serde_json::{Map, Value};
use std::future::Future;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// The most of a server's stderr one session writes to its log.
const LOG_CAP: u64 = 8 << 20;

/// What the session reads without waiting for the connection.
#[derive(Debug)]
struct Snapshot {
    state: State,
    tools: Vec<ToolInfo>,
    last_error: Option<String>,
    server_info: Option<String>,
    resources: Vec<super::ResourceInfo>,
    prompts: Vec<super::PromptInfo>,
}

/// Shared by the server, its notification handler and its crash watcher.
#[derive(Debug)]
struct Shared {
    /// `notifications/tools/list_changed` arrived since the last listing.
    changed: AtomicBool,
    /// Bumped by each connection, so a watcher of an old one stays quiet.
    generation: AtomicU64,
    snap: Mutex<Snapshot>,
    /// Where the server's requests and progress go while one of its tools
    /// runs (the session's thread reads them); `None` between calls.
    events: Mutex<Option<std::sync::mpsc::Sender<Event>>>,
    /// The user is answering one of the server's requests: the call's
    /// deadline waits for them.
    asking: AtomicBool,
}

impl Shared {
    fn update(&self, f: impl FnOnce(&mut Snapshot)) {
        if let Ok(mut snap) = self.snap.lock() {
            f(&mut snap);
        }
    }

    fn send(&self, event: Event) -> bool {
        self.events
            .lock()
            .ok()
            .and_then(|g| g.as_ref().map(|tx| tx.send(event).is_ok()))
            .unwrap_or(false)
    }

    /// Put a server's request to the session; `None` when no call of this
    /// server is running (nobody to ask).
    async fn ask(&self, request: ServerRequest) -> Option<Result<Value, super::RequestRefused>> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        if !self.send(Event::Ask(request, tx)) {
            return None;
        }
        self.asking.store(true, Ordering::SeqCst);
        let answer = rx
            .await
            .unwrap_or_else(|_| Err(super::RequestRefused("the call ended".into())));
        self.asking.store(false, Ordering::SeqCst);
        Some(answer)
    }

    fn fail(&self, err: &McpError) {
        let why = err.to_string();
        self.update(|s| {
            s.state = State::Failed(why.clone());
            s.last_error = Some(why);
        });
    }
}

/// The client side of the protocol: aicoder's name; elicitation, sampling
/// and progress passed to the session while a call of this server runs
/// (refused or declined otherwise); no roots; list changes noted for the
/// next request.
#[derive(Clone)]
struct Handler {
    shared: Arc<Shared>,
}

impl ClientHandler for Handler {
    fn on_tool_list_changed(
        &self,
        _context: NotificationContext<RoleClient>,
    ) -> impl Future<Output = ()> + MaybeSendFuture + '_ {
        self.shared.changed.store(true, Ordering::SeqCst);
        std::future::ready(())
    }

    async fn create_elicitation(
        &self,
        request: ElicitRequestParams,
        _context: RequestContext<RoleClient>,
    ) -> Result<ElicitResult, ErrorData> {
        let params = serde_json::to_value(&request).unwrap_or(Value::Null);
        let answer = match self.shared.ask(ServerRequest::Elicit(params)).await {
            Some(Ok(answer)) => answer,
            Some(Err(_)) | None => serde_json::json!({"action": "decline"}),
        };
        serde_json::from_value(answer).map_err(|e| ErrorData::internal_error(e.to_string(), None))
    }

    #[allow(deprecated)] // sampling is deprecated by SEP-2577; servers still send it
    async fn create_message(
        &self,
        params: rmcp::model::CreateMessageRequestParams,
        _context: RequestContext<RoleClient>,
    ) -> Result<rmcp::model::CreateMessageResult, ErrorData> {
        let params = serde_json::to_value(&params).unwrap_or(Value::Null);
        match self.shared.ask(ServerRequest::Sample(params)).await {
            Some(Ok(answer)) => serde_json::from_value(answer)
                .map_err(|e| ErrorData::internal_error(e.to_string(), None)),
            Some(Err(why)) => Err(ErrorData::invalid_request(why.0, None)),
            None => Err(ErrorData::invalid_request(
                "aicoder answers sampling requests only while one of this server's tools runs, and only with the user's approval",
                None,
            )),
        }
    }

    fn on_progress(
        &self,
        params: ProgressNotificationParam,
        _context: NotificationContext<RoleClient>,
    ) -> impl Future<Output = ()> + MaybeSendFuture + '_ {
        self.shared.send(Event::Progress {
            progress: params.progress,
            total: params.total,
            message: params.message,
        });
        std::future::ready(())
    }

    fn get_info(&self) -> ClientConfig {
        // Elicitation and sampling are declared: the session asks the user
        // about each request (and refuses them where nobody can answer).
        let capabilities: ClientCapabilities =
            serde_json::from_value(serde_json::json!({"elicitation": {}, "sampling": {}}))
                .unwrap_or_default();
        // The handshake every server released in 2026 answers.
        ClientConfig::new(
            capabilities,
            Implementation::new("aicoder", env!("CARGO_PKG_VERSION")),
        )
        .with_protocol_version(ProtocolVersion::LATEST_WITH_INITIALIZE)
    }
}

type Service = RunningService<RoleClient, Handler>;

/// One configured server.
pub(super) struct Server {
    name: String,
    spec: Spec,
    shared: Arc<Shared>,
    conn: tokio::sync::Mutex<Option<Service>>,
    /// The sandbox of the running process (its proxy), when confined.
    guard: Mutex<Option<aicoder_sandbox::Guard>>,
}

impl Server {
    pub(super) fn new(name: &str, spec: Spec) -> Self {
        Server {
            name: name.to_string(),
            spec,
            shared: Arc::new(Shared {
                changed: AtomicBool::new(false),
                generation: AtomicU64::new(0),
                snap: Mutex::new(Snapshot {
                    state: State::Idle,
                    tools: Vec::new(),
                    last_error: None,
                    server_info: None,
                    resources: Vec::new(),
                    prompts: Vec::new(),
                }),
                events: Mutex::new(None),
                asking: AtomicBool::new(false),
            }),
            conn: tokio::sync::Mutex::new(None),
            guard: Mutex::new(None),
        }
    }

    /// The server's spec (to start it again with another policy).
    pub(super) fn spec(&self) -> &Spec {
        &self.spec
    }

    /// What the sandbox's proxy refused the running process so far.
    pub(super) fn refusals(&self) -> Vec<aicoder_sandbox::Refusal> {
        self.guard
            .lock()
            .ok()
            .and_then(|g| g.as_ref().map(aicoder_sandbox::Guard::refusals))
            .unwrap_or_default()
    }

    /// Whether the running process is confined.
    pub(super) fn confined(&self) -> bool {
        self.guard.lock().is_ok_and(|g| g.is_some())
    }

    /// Send the server's requests and progress to `events` (or nowhere).
    pub(super) fn set_events(&self, events: Option<std::sync::mpsc::Sender<Event>>) {
        if let Ok(mut slot) = self.shared.events.lock() {
            *slot = events;
        }
    }

    pub(super) fn name(&self) -> &str {
        &self.name
    }

    /// Show it as starting from now (its task may not have begun yet).
    pub(super) fn mark_starting(&self) {
        self.shared.update(|s| {
            if s.state == State::Idle {
                s.state = State::Starting;
            }
        });
    }

    pub(super) fn tools_changed(&self) -> bool {
        self.shared.changed.load(Ordering::SeqCst)
    }

    pub(super) fn status(&self) -> ServerStatus {
        let (state, tools, last_error, server_info, resources, prompts) =
            match self.shared.snap.lock() {
                Ok(s) => (
                    s.state.clone(),
                    s.tools.clone(),
                    s.last_error.clone(),
                    s.server_info.clone(),
                    s.resources.clone(),
                    s.prompts.clone(),
                ),
                Err(_) => (
                    State::Failed("internal error".into()),
                    Vec::new(),
                    None,
                    None,
                    Vec::new(),
                    Vec::new(),
                ),
            };
        ServerStatus {
            name: self.name.clone(),
            state,
            tools,
            last_error,
            stderr_log: self.spec.stderr_log.clone(),
            server_info,
            resources,
            prompts,
        }
    }

    /// Connect unless connected; a closed connection (a crash) is made
    /// again. Its outcome is in the snapshot as well as returned.
    pub(super) async fn ensure_started(&self) -> Result<Peer<RoleClient>, McpError> {
        let mut conn = self.conn.lock().await;
        if let Some(service) = conn.as_ref() {
            if !service.peer().is_transport_closed() && !service.is_closed() {
                return Ok(service.peer().clone());
            }
            *conn = None;
        }
        self.shared.update(|s| s.state = State::Starting);
        let started = match tokio::time::timeout(self.spec.startup_timeout, self.connect()).await {
            Ok(result) => result,
            Err(_) => Err(McpError::StartTimeout(self.spec.startup_timeout)),
        };
        match started {
            Ok((service, tools)) => {
                let peer = service.peer().clone();
                let (resources, prompts) = super::extras::list(&peer).await;
                let info = peer.peer_info().and_then(|info| {
                    serde_json::to_value(&*info).ok().map(|v| {
                        let name = v["serverInfo"]["name"].as_str().unwrap_or("?").to_string();
                        let version = v["serverInfo"]["version"].as_str().unwrap_or("?");
                        format!("{name} {version}")
                    })
                });
                self.shared.changed.store(false, Ordering::SeqCst);
                self.shared.update(|s| {
                    s.state = State::Ready;
                    s.tools = tools;
                    s.server_info = info;
                    s.resources = resources;
                    s.prompts = prompts;
                });
                self.watch(peer.clone());
                *conn = Some(service);
                Ok(peer)
            }
            Err(err) => {
                self.shared.fail(&err);
                Err(err)
            }
        }
    }

    /// Mark the server failed as soon as its connection closes, so /mcp
    /// tells the truth before the next call finds out.
    fn watch(&self, peer: Peer<RoleClient>) {
        let generation = self.shared.generation.fetch_add(1, Ordering::SeqCst) + 1;
        let shared = Arc::clone(&self.shared);
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(Duration::from_millis(200)).await;
                if shared.generation.load(Ordering::SeqCst) != generation {
                    return;
                }
                if peer.is_transport_closed() {
                    shared.fail(&McpError::Closed);
                    return;
                }
            }
        });
    }

    async fn connect(&self) -> Result<(Service, Vec<ToolInfo>), McpError> {
        let handler = Handler {
            shared: Arc::clone(&self.shared),
        };
        let service = match &self.spec.transport {
            Transport::Stdio { .. } => {
                let spawned =
                    launch::spawn_stdio(&self.spec.transport, self.spec.sandbox.as_ref())?;
                if let Some(stderr) = spawned.stderr {
                    tokio::spawn(drain_stderr(stderr, self.spec.stderr_log.clone()));
                }
                if let Ok(mut guard) = self.guard.lock() {
                    // The old process's guard goes with its process.
                    *guard = spawned.guard;
                }
                handler
                    .serve(spawned.process)
                    .await
                    .map_err(|e| McpError::Handshake(e.to_string()))?
            }
            Transport::Http { url, headers } => {
                let mut config = StreamableHttpClientTransportConfig::with_uri(url.as_str());
                for (name, value) in headers {
                    let name = http::HeaderName::from_bytes(name.as_bytes())
                        .map_err(|e| McpError::Handshake(format!("header name {name:?}: {e}")))?;
                    let value = http::HeaderValue::from_str(value)
                        .map_err(|e| McpError::Handshake(format!("header {name}: {e}")))?;
                    config.custom_headers.insert(name, value);
                }
                // rmcp's own client, plus the pinned address. Only a
                // same-origin 307/308 is followed (as rmcp does): a granted
                // host cannot send the request on to one nobody granted.
                let same_origin = reqwest::redirect::Policy::custom(|attempt| {
                    let keeps_body = matches!(attempt.status().as_u16(), 307 | 308);
                    let same = attempt
                        .previous()
                        .first()
                        .is_some_and(|first| first.origin() == attempt.url().origin());
                    if keeps_body && same && attempt.previous().len() <= 10 {
                        attempt.follow()
                    } else {
                        attempt.stop()
                    }
                });
                let mut client = reqwest::Client::builder()
                    .pool_max_idle_per_host(0)
                    .redirect(same_origin);
                if let (Some(pin), Ok(uri)) = (self.spec.pin, url.parse::<http::Uri>()) {
                    if let Some(host) = uri.host() {
                        client = client.resolve(host, pin);
                    }
                }
                let client = client
                    .build()
                    .map_err(|e| McpError::Handshake(format!("HTTP client: {e}")))?;
                handler
                    .serve(StreamableHttpClientTransport::with_client(client, config))
                    .await
                    .map_err(|e| McpError::Handshake(e.to_string()))?
            }
        };
        let tools = list_tools(service.peer()).await?;
        Ok((service, tools))
    }

    /// Read the tool list again after `list_changed`; false if the server
    /// is not connected or the listing failed (noted as its last error).
    pub(super) async fn relist(&self) -> bool {
        let conn = self.conn.lock().await;
        let Some(service) = conn.as_ref() else {
            return false;
        };
        self.shared.changed.store(false, Ordering::SeqCst);
        match list_tools(service.peer()).await {
            Ok(tools) => {
                self.shared.update(|s| s.tools = tools);
                true
            }
            Err(err) => {
                let why = err.to_string();
                self.shared.update(|s| s.last_error = Some(why));
                false
            }
        }
    }

    /// Call a tool; see [`super::Manager::call`].
    /// Cancelled by dropping it (the session's Ctrl-C aborts its task).
    pub(super) async fn call(
        &self,
        tool: &str,
        arguments: Map<String, Value>,
    ) -> Result<CallResult, McpError> {
        let peer = self.ensure_started().await?;
        let mut params = CallToolRequestParams::new(tool.to_string());
        params.arguments = Some(arguments);
        // Asks for notifications/progress (shown on the spinner).
        params.meta = Some(RequestMetaObject::with_progress_token(ProgressToken(
            NumberOrString::Number(self.shared.generation.load(Ordering::SeqCst) as i64),
        )));
        // Dropping the request future sends notifications/cancelled.
        let request = peer.call_tool(params);
        tokio::pin!(request);
        let deadline = tokio::time::sleep(self.spec.call_timeout);
        tokio::pin!(deadline);
        let mut tick = tokio::time::interval(Duration::from_millis(50));
        let outcome = loop {
            tokio::select! {
                result = &mut request => break result.map_err(service_error),
                _ = &mut deadline => break Err(McpError::Timeout(self.spec.call_timeout)),
                // Time the user spends answering the server is not the server's.
                _ = tick.tick() => if self.shared.asking.load(Ordering::SeqCst) {
                    deadline.as_mut().reset(tokio::time::Instant::now() + self.spec.call_timeout);
                },
            }
        };
        match outcome {
            Ok(result) => Ok(convert(
                serde_json::to_value(&result).unwrap_or(Value::Null),
            )),
            Err(err) => {
                if matches!(err, McpError::Closed) {
                    self.shared.fail(&err);
                } else {
                    let why = err.to_string();
                    self.shared.update(|s| s.last_error = Some(why));
                }
                Err(err)
            }
        }
    }

    /// Close the connection; a child process dies with its process group.
    pub(super) async fn stop(&self) {
        self.shared.generation.fetch_add(1, Ordering::SeqCst);
        if let Some(service) = self.conn.lock().await.take() {
            let _ = tokio::time::timeout(Duration::from_secs(2), service.cancel()).await;
        }
    }

    /// Stop for the session's end: as [`Self::stop`], except that a server
    /// still starting is not waited for (its connect holds the lock until
    /// the handshake ends, up to the startup deadline); its process is
    /// killed with its group when the manager's runtime drops the connect.
    pub(super) async fn stop_at_exit(&self) {
        self.shared.generation.fetch_add(1, Ordering::SeqCst);
        let Ok(mut conn) = self.conn.try_lock() else {
            return;
        };
        if let Some(service) = conn.take() {
            let _ = tokio::time::timeout(Duration::from_secs(2), service.cancel()).await;
        }
    }
}

pub(super) fn service_error(err: ServiceError) -> McpError {
    match err {
        ServiceError::McpError(data) => McpError::Server(data.message.to_string()),
        ServiceError::TransportClosed | ServiceError::TransportSend(_) => McpError::Closed,
        ServiceError::Timeout { timeout } => McpError::Timeout(timeout),
        other => McpError::Server(other.to_string()),
    }
}

/// Every page of the tool list, read through serde so that the fields
/// aicoder uses are named once, in MCP's own spelling.
async fn list_tools(peer: &Peer<RoleClient>) -> Result<Vec<ToolInfo>, McpError> {
    let tools = peer.list_all_tools().await.map_err(service_error)?;
    Ok(tools
        .iter()
        .filter_map(|tool| serde_json::to_value(tool).ok())
        .map(|v| ToolInfo {
            name: v["name"].as_str().unwrap_or_default().to_string(),
            description: v["description"].as_str().unwrap_or_default().to_string(),
            input_schema: v.get("inputSchema").cloned().unwrap_or(Value::Null),
        })
        .collect())
}

/// A `tools/call` result as text: text items as they are, other items one
/// line each; structured content when there is no text.
fn convert(raw: Value) -> CallResult {
    let mut parts: Vec<String> = Vec::new();
    if let Some(items) = raw["content"].as_array() {
        for item in items {
            match item["type"].as_str() {
                Some("text") => parts.push(item["text"].as_str().unwrap_or_default().to_string()),
                Some("resource") => {
                    let res = &item["resource"];
                    let uri = res["uri"].as_str().unwrap_or("?");
                    match res["text"].as_str() {
                        Some(text) => parts.push(format!("[resource {uri}]\n{text}")),
                        None => parts.push(format!("[resource {uri}: binary content]")),
                    }
                }
                Some("resource_link") => parts.push(format!(
                    "[resource link {}]",
                    item["uri"].as_str().unwrap_or("?")
                )),
                Some(kind) => parts.push(format!(
                    "[{kind} content, {}]",
                    item["mimeType"].as_str().unwrap_or("unknown type")
                )),
                None => {}
            }
        }
    }
    if parts.is_empty() {
        if let Some(structured) = raw.get("structuredContent") {
            parts.push(structured.to_string());
        }
    }
    CallResult {
        text: parts.join("\n\n"),
        is_error: raw["isError"].as_bool().unwrap_or(false),
        raw,
    }
}

/// Copy a server's stderr to its log (at most [`LOG_CAP`] bytes per
/// session, the rest read and dropped so the server never blocks on it).
async fn drain_stderr(mut stderr: tokio::process::ChildStderr, log: Option<std::path::PathBuf>) {
    let mut file = match &log {
        Some(path) => {
            if let Some(dir) = path.parent() {
                let _ = tokio::fs::create_dir_all(dir).await;
            }
            tokio::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .await
                .ok()
        }
        None => None,
    };
    let mut written = 0u64;
    let mut buf = vec![0u8; 8192];
    loop {
        match stderr.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => {
                if let Some(f) = file.as_mut() {
                    if written < LOG_CAP {
                        let take = n.min((LOG_CAP - written) as usize);
                        if f.write_all(&buf[..take]).await.is_err() {
                            file = None;
                        }
                        written += take as u64;
                    }
                }
            }
        }
    }
}
