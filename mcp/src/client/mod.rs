//! The MCP client: the servers of one session, each connected in the
//! background on its own task, behind a blocking API the terminal session
//! calls between model turns. Nothing outside this module names an rmcp type.
//!
//! A server is described by a [`Spec`] (stdio command or Streamable HTTP
//! URL). [`Manager::start_all`] connects every server without waiting;
//! [`Manager::servers`] shows how each one stands; [`Manager::refresh`]
//! re-lists the tools of servers that sent `notifications/tools/list_changed`
//! (the session calls it before each model request); [`Manager::call`] calls
//! a tool with a deadline, restarting a server that crashed.

mod error;
mod extras;
mod launch;
mod server;

pub use aicoder_sandbox::{HostRule, Policy as SandboxPolicy, Refusal};
pub use error::McpError;
pub use extras::{Content, PromptArg, PromptInfo, PromptMessage, ResourceInfo, MAX_LISTED};
pub use launch::{spawn_stdio, Spawned};

use serde_json::{Map, Value};
use server::Server;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// How aicoder reaches one server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Transport {
    /// A child process speaking JSON-RPC on its stdin and stdout.
    Stdio {
        command: String,
        args: Vec<String>,
        /// Set on top of aicoder's environment (minus its API keys).
        env: BTreeMap<String, String>,
        cwd: Option<PathBuf>,
    },
    /// A Streamable HTTP endpoint.
    Http {
        url: String,
        headers: BTreeMap<String, String>,
    },
}

/// One server to connect: how, where its stderr goes, and its deadlines.
#[derive(Debug, Clone)]
pub struct Spec {
    pub transport: Transport,
    /// stderr of a stdio server is appended here (never to the terminal).
    pub stderr_log: Option<PathBuf>,
    /// Connecting and listing the tools.
    pub startup_timeout: Duration,
    /// One tool call.
    pub call_timeout: Duration,
    /// A stdio server runs confined by this policy (`None`: unconfined).
    pub sandbox: Option<SandboxPolicy>,
    /// A Streamable HTTP server's host is connected to at this address
    /// only (the one its grant was checked against): no second lookup.
    pub pin: Option<std::net::SocketAddr>,
}

/// A tool as the server describes it, unchanged: the host bounds and
/// sanitises it before offering it to anyone.
#[derive(Debug, Clone, PartialEq)]
pub struct ToolInfo {
    pub name: String,
    pub description: String,
    /// The JSON Schema of the arguments (`inputSchema`).
    pub input_schema: Value,
}

/// How a server stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum State {
    /// Not started yet (started on first use).
    Idle,
    /// Connecting or listing its tools.
    Starting,
    /// Connected; its tools are known.
    Ready,
    /// It could not start, or it stopped: the reason. The next use starts
    /// it again.
    Failed(String),
}

impl std::fmt::Display for State {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            State::Idle => f.write_str("not started"),
            State::Starting => f.write_str("starting"),
            State::Ready => f.write_str("ready"),
            State::Failed(why) => write!(f, "failed: {why}"),
        }
    }
}

/// What [`Manager::servers`] reports of one server.
#[derive(Debug, Clone)]
pub struct ServerStatus {
    pub name: String,
    pub state: State,
    pub tools: Vec<ToolInfo>,
    /// The last error, kept after a restart succeeded.
    pub last_error: Option<String>,
    pub stderr_log: Option<PathBuf>,
    /// The server's own name and version, from its `initialize` answer.
    pub server_info: Option<String>,
    /// Its resources and prompts, as listed when it connected (bounded).
    pub resources: Vec<ResourceInfo>,
    pub prompts: Vec<PromptInfo>,
}

/// The result of a tool call.
#[derive(Debug, Clone, PartialEq)]
pub struct CallResult {
    /// The text content, items separated by blank lines; other content
    /// (images, audio, resources) is described in one line each.
    pub text: String,
    /// The server marked it an error (`isError`).
    pub is_error: bool,
    /// The whole result as the server sent it, for the audit digest.
    pub raw: Value,
}

/// A request a server makes of the user while one of its tools runs, with
/// its params as the server sent them (unchecked: the host bounds and
/// sanitises what it shows).
#[derive(Debug, Clone, PartialEq)]
pub enum ServerRequest {
    /// `elicitation/create`: `message` and `requestedSchema` (form mode),
    /// or `url` (URL mode).
    Elicit(Value),
    /// `sampling/createMessage`: `messages`, `systemPrompt`, `maxTokens`…
    Sample(Value),
}

/// What the session does while a call runs, on its own thread (so it can
/// ask at the terminal and use the model).
pub trait CallHooks {
    /// Polled while waiting: true cancels the call (`notifications/cancelled`
    /// is sent).
    fn stop(&mut self) -> bool;
    /// The server's `notifications/progress` for this call.
    fn progress(&mut self, progress: f64, total: Option<f64>, message: Option<&str>);
    /// Answer a request of the server: the result object in MCP's JSON
    /// (`ElicitResult`, `CreateMessageResult`), or why it is refused (sent
    /// back as an error; an elicitation is declined instead).
    fn answer(&mut self, request: ServerRequest) -> Result<Value, RequestRefused>;
}

/// Why the client refused a server's request: its words go back to the
/// server as the JSON-RPC error's message (an elicitation is declined).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct RequestRefused(pub String);

/// Hooks that only stop: every server request is refused.
struct StopOnly<'a>(&'a (dyn Fn() -> bool + Sync));

impl CallHooks for StopOnly<'_> {
    fn stop(&mut self) -> bool {
        (self.0)()
    }
    fn progress(&mut self, _: f64, _: Option<f64>, _: Option<&str>) {}
    fn answer(&mut self, _: ServerRequest) -> Result<Value, RequestRefused> {
        Err(RequestRefused("this client answers no requests".into()))
    }
}

/// From a server's connection to the session's thread during a call.
pub(crate) enum Event {
    Progress {
        progress: f64,
        total: Option<f64>,
        message: Option<String>,
    },
    Ask(
        ServerRequest,
        tokio::sync::oneshot::Sender<Result<Value, RequestRefused>>,
    ),
    Done(Result<CallResult, McpError>),
}

/// The servers of one session and the runtime their connections live on.
pub struct Manager {
    runtime: tokio::runtime::Runtime,
    servers: BTreeMap<String, Arc<Server>>,
}

/// How the servers of a [`Manager`] stand, read at each call (see
/// [`Manager::watch`]).
#[derive(Clone, Default)]
pub struct ServersWatch(Vec<Arc<Server>>);

impl ServersWatch {
    /// How every server stands now (no waiting).
    pub fn servers(&self) -> Vec<ServerStatus> {
        self.0.iter().map(|s| s.status()).collect()
    }
}

impl Manager {
    /// A manager with its own small runtime (one worker thread), so that
    /// servers keep talking while the session waits for the user.
    pub fn new() -> Result<Self, McpError> {
        // rustls needs one process-wide crypto provider for HTTPS servers;
        // another part of aicoder may have installed it already.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("aicoder-mcp")
            .enable_all()
            .build()
            .map_err(|e| McpError::Runtime(e.to_string()))?;
        Ok(Manager {
            runtime,
            servers: BTreeMap::new(),
        })
    }

    /// Add a server (not started); a server of the same name is replaced.
    pub fn add(&mut self, name: &str, spec: Spec) {
        if let Some(old) = self
            .servers
            .insert(name.to_string(), Arc::new(Server::new(name, spec)))
        {
            self.runtime.block_on(old.stop());
        }
    }

    /// The names of the servers, sorted.
    pub fn names(&self) -> Vec<String> {
        self.servers.keys().cloned().collect()
    }

    /// Start every server that is not running, in the background.
    pub fn start_all(&self) {
        for server in self.servers.values() {
            server.mark_starting();
            let server = Arc::clone(server);
            self.runtime.spawn(async move {
                let _ = server.ensure_started().await;
            });
        }
    }

    /// Wait until no server is starting any more, at most `wait`.
    pub fn wait_started(&self, wait: Duration) {
        self.runtime.block_on(async {
            let _ = tokio::time::timeout(wait, async {
                loop {
                    if self
                        .servers
                        .values()
                        .all(|s| s.status().state != State::Starting)
                    {
                        return;
                    }
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
            })
            .await;
        });
    }

    /// How every server stands now (no waiting).
    pub fn servers(&self) -> Vec<ServerStatus> {
        self.servers.values().map(|s| s.status()).collect()
    }

    /// A handle that reads how these servers stand whenever asked, without
    /// the manager (Tab completion while the prompt waits: a server that
    /// became ready since offers its prompts at once). A server started or
    /// restarted later is not in it: take a new one.
    pub fn watch(&self) -> ServersWatch {
        ServersWatch(self.servers.values().cloned().collect())
    }

    /// Re-list the tools of every ready server that said its list changed,
    /// waiting at most `wait` in all. Returns the names of the servers whose
    /// list was read again.
    pub fn refresh(&self, wait: Duration) -> Vec<String> {
        let stale: Vec<Arc<Server>> = self
            .servers
            .values()
            .filter(|s| s.tools_changed())
            .cloned()
            .collect();
        if stale.is_empty() {
            return Vec::new();
        }
        self.runtime.block_on(async {
            let mut done = Vec::new();
            let _ = tokio::time::timeout(wait, async {
                for server in &stale {
                    if server.relist().await {
                        done.push(server.name().to_string());
                    }
                }
            })
            .await;
            done
        })
    }

    /// Call `tool` on `server` with `arguments`, within the server's call
    /// deadline. A server that is not running is started first (a crashed
    /// one restarted). `stop` is polled while waiting: when it says so the
    /// request is cancelled (Ctrl-C).
    pub fn call(
        &self,
        server: &str,
        tool: &str,
        arguments: Map<String, Value>,
        stop: &(dyn Fn() -> bool + Sync),
    ) -> Result<CallResult, McpError> {
        self.call_with(server, tool, arguments, &mut StopOnly(stop))
    }

    /// As [`Self::call`], with the server's requests (elicitation,
    /// sampling) and progress handed to `hooks` on this thread. The call
    /// runs on the manager's runtime meanwhile; `hooks.stop()` aborts it.
    pub fn call_with(
        &self,
        server: &str,
        tool: &str,
        arguments: Map<String, Value>,
        hooks: &mut dyn CallHooks,
    ) -> Result<CallResult, McpError> {
        let Some(handle) = self.servers.get(server) else {
            return Err(McpError::UnknownServer(server.to_string()));
        };
        let (tx, rx) = std::sync::mpsc::channel();
        handle.set_events(Some(tx.clone()));
        let task = {
            let handle = Arc::clone(handle);
            let tool = tool.to_string();
            self.runtime.spawn(async move {
                let result = handle.call(&tool, arguments).await;
                let _ = tx.send(Event::Done(result));
            })
        };
        let outcome = loop {
            match rx.recv_timeout(Duration::from_millis(50)) {
                Ok(Event::Done(result)) => break result,
                Ok(Event::Progress {
                    progress,
                    total,
                    message,
                }) => hooks.progress(progress, total, message.as_deref()),
                Ok(Event::Ask(request, reply)) => {
                    let _ = reply.send(hooks.answer(request));
                }
                Err(_) if hooks.stop() => {
                    // Dropping the request sends notifications/cancelled.
                    task.abort();
                    break Err(McpError::Cancelled);
                }
                Err(_) if task.is_finished() => {
                    if let Ok(Event::Done(result)) = rx.try_recv() {
                        break result;
                    }
                    break Err(McpError::Closed);
                }
                Err(_) => {}
            }
        };
        handle.set_events(None);
        outcome
    }

    /// What the sandbox's proxy refused `server`'s running process so far
    /// (empty when it is not confined or not running).
    pub fn refusals(&self, server: &str) -> Vec<Refusal> {
        self.servers
            .get(server)
            .map(|s| s.refusals())
            .unwrap_or_default()
    }

    /// Whether `server`'s running process is confined by the sandbox.
    pub fn confined(&self, server: &str) -> bool {
        self.servers.get(server).is_some_and(|s| s.confined())
    }

    /// The sandbox policy `server` is started with.
    pub fn policy(&self, server: &str) -> Option<SandboxPolicy> {
        self.servers
            .get(server)
            .and_then(|s| s.spec().sandbox.clone())
    }

    /// Stop `server` and start it again with another sandbox policy (a
    /// widened one, after the user granted it more). Waits for the start.
    pub fn restart_with(&mut self, server: &str, policy: SandboxPolicy) -> Result<(), McpError> {
        let Some(old) = self.servers.get(server) else {
            return Err(McpError::UnknownServer(server.to_string()));
        };
        let mut spec = old.spec().clone();
        spec.sandbox = Some(policy);
        self.add(server, spec);
        let Some(handle) = self.servers.get(server) else {
            return Err(McpError::UnknownServer(server.to_string()));
        };
        self.runtime
            .block_on(async { handle.ensure_started().await.map(|_| ()) })
    }

    /// Stop every server (children killed with their process group),
    /// without waiting for one still starting: a session that ends before
    /// its servers are up does not wait for them.
    pub fn shutdown(&mut self) {
        let servers = std::mem::take(&mut self.servers);
        self.runtime.block_on(async {
            for server in servers.values() {
                server.stop_at_exit().await;
            }
        });
    }
}

impl Drop for Manager {
    fn drop(&mut self) {
        self.shutdown();
    }
}
