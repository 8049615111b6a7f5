//! MCP servers in the session: which configured servers may start (a
//! project's only once trusted, per entry hash), their tools offered to the
//! model as `mcp__SERVER__TOOL` (bounded and made safe to show), and the
//! client (crate `aicoder-mcp`) that runs them in the background.

pub mod arg_scope;
pub mod config;
mod config_error;
pub mod sandbox;
mod tool_cache;

use aicoder_mcp::client::{Manager, ServerStatus, Spec, State, ToolInfo};
use config::{Origin, ServerEntry};
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// At most this many tools of one server are offered to the model.
pub const MAX_TOOLS_PER_SERVER: usize = 128;
/// A tool description is cut to this many characters.
pub const MAX_DESCRIPTION_CHARS: usize = 2048;
/// A tool whose schema is larger than this (JSON text) is not offered.
pub const MAX_SCHEMA_BYTES: usize = crate::state::names::MAX_PARAMETERS_BYTES;
/// OpenAI's limit on function names.
const MAX_TOOL_NAME: usize = 64;

/// The deadline to connect and list tools (`MCP_TIMEOUT`, ms).
fn startup_timeout() -> Duration {
    millis("MCP_TIMEOUT", 30_000)
}

/// The deadline of one call (`MCP_TOOL_TIMEOUT`, ms).
fn call_timeout() -> Duration {
    millis("MCP_TOOL_TIMEOUT", 120_000)
}

fn millis(var: &str, default: u64) -> Duration {
    Duration::from_millis(
        std::env::var(var)
            .ok()
            .and_then(|v| v.trim().parse().ok())
            .filter(|&v| v > 0)
            .unwrap_or(default),
    )
}

/// A tool offered to the model.
#[derive(Debug, Clone, PartialEq)]
pub struct Offered {
    /// `mcp__SERVER__TOOL` (characters outside `[A-Za-z0-9_-]` as `_`).
    pub name: String,
    pub server: String,
    /// The tool's own name on its server.
    pub tool: String,
    pub description: String,
    pub parameters: Value,
}

/// The session's MCP servers.
pub struct McpHost {
    /// Servers that are started (user ones, trusted project ones).
    pub entries: Vec<ServerEntry>,
    /// Project servers the user has not trusted: not started.
    pub held_back: Vec<ServerEntry>,
    /// Problems with the files or entries, shown by /mcp.
    pub notes: Vec<String>,
    manager: Option<Manager>,
    offered: BTreeMap<String, Offered>,
    /// Per server: why tools were left out.
    offer_notes: BTreeMap<String, Vec<String>>,
    /// Failures already printed, so each is printed once.
    reported: BTreeMap<String, String>,
    /// The first request waits for servers still starting.
    waited: bool,
    /// What starting a server needs again (a restart with a wider policy).
    ctx: Option<StartCtx>,
    /// Per server: paths granted for this session (beyond the persisted).
    pub session_reach: BTreeMap<String, sandbox::Reach>,
    /// Per server: paths the user refused this session (not asked again).
    pub refused_reach: BTreeMap<String, sandbox::Reach>,
    /// Paths granted once: for the call that runs again, then withdrawn.
    pub once_reach: Option<(String, sandbox::Reach)>,
    /// Where each server's last tool list is kept (`tool_cache.rs`).
    tool_cache: PathBuf,
    /// Per server: its tool list as kept, offered while it is starting.
    cached: BTreeMap<String, Vec<ToolInfo>>,
    /// Per HTTP server named by a public host: the address its grant was
    /// checked against, the only one connected to (session/mcp_http.rs).
    pub http_pins: BTreeMap<String, std::net::SocketAddr>,
    /// Where user servers' stderr logs go (`~/.config/aicoder/mcp-logs`).
    user_log_dir: Option<PathBuf>,
}

/// The session's services and root, to build a server's sandbox policy.
struct StartCtx {
    root: PathBuf,
    services: std::sync::Arc<crate::caps::Services>,
}

impl McpHost {
    /// Read the configuration of `root`; project entries pass `trusted`
    /// or are held back. Nothing is started.
    pub fn open(
        paths: &crate::config::Paths,
        root: &Path,
        trusted: &dyn Fn(&ServerEntry) -> bool,
    ) -> Self {
        let (all, notes) = config::load_all(paths, root);
        let (entries, held_back): (Vec<_>, Vec<_>) = all
            .into_iter()
            .partition(|e| e.origin == Origin::User || trusted(e));
        McpHost {
            entries,
            held_back,
            notes,
            manager: None,
            offered: BTreeMap::new(),
            offer_notes: BTreeMap::new(),
            reported: BTreeMap::new(),
            waited: false,
            ctx: None,
            session_reach: BTreeMap::new(),
            refused_reach: BTreeMap::new(),
            once_reach: None,
            tool_cache: paths.cache_dir.join("mcp-tools"),
            cached: BTreeMap::new(),
            http_pins: BTreeMap::new(),
            user_log_dir: Some(paths.user_config_dir.join("mcp-logs")),
        }
    }

    /// Start every server in the background (returns at once). An entry
    /// that cannot be made into a transport (an unset `${VAR}`) is noted.
    pub fn start(
        &mut self,
        project_root: &Path,
        log_dir: &Path,
        services: std::sync::Arc<crate::caps::Services>,
    ) {
        if self.entries.is_empty() {
            return;
        }
        self.ctx = Some(StartCtx {
            root: project_root.to_path_buf(),
            services,
        });
        let has_stdio = self.entries.iter().any(|e| e.entry.url.is_none());
        // Confined or not is decided once per session, as for the shell.
        let confine = if has_stdio {
            sandbox::decide()
        } else {
            Ok(false)
        };
        let mut manager = match Manager::new() {
            Ok(m) => m,
            Err(e) => {
                self.notes.push(e.to_string());
                return;
            }
        };
        let env = |k: &str| std::env::var(k).ok();
        let mut usable = Vec::new();
        for entry in std::mem::take(&mut self.entries) {
            let stdio = entry.entry.url.is_none();
            let policy = match (&confine, stdio) {
                (Ok(true), true) => Some(self.policy_for(&entry)),
                (Err(why), true) => {
                    self.notes.push(format!(
                        "MCP server {} ({}) is not started: {why}",
                        entry.name,
                        entry.file.display()
                    ));
                    continue;
                }
                _ => None,
            };
            match entry.transport(&env, project_root) {
                Ok(transport) => {
                    manager.add(
                        &entry.name,
                        Spec {
                            transport,
                            // A user server logs in the user's folder, not
                            // in every project it is used in.
                            stderr_log: Some(match (&entry.origin, &self.user_log_dir) {
                                (Origin::User, Some(dir)) => log_file(dir, &entry.name),
                                _ => log_file(log_dir, &entry.name),
                            }),
                            startup_timeout: startup_timeout(),
                            call_timeout: call_timeout(),
                            sandbox: policy,
                            pin: self.http_pins.get(&entry.name).copied(),
                        },
                    );
                    usable.push(entry);
                }
                Err(why) => self.notes.push(format!(
                    "MCP server {} ({}) is not started: {why}",
                    entry.name,
                    entry.file.display()
                )),
            }
        }
        self.entries = usable;
        for e in &self.entries {
            if let Some(tools) = tool_cache::load(&self.tool_cache, &cache_name(e), &e.hash) {
                self.cached.insert(e.name.clone(), tools);
            }
        }
        manager.start_all();
        self.manager = Some(manager);
    }

    /// The sandbox policy of `entry` now: its persisted and session path
    /// grants applied. Only called once the session's context is known.
    fn policy_for(&self, entry: &ServerEntry) -> aicoder_mcp::client::SandboxPolicy {
        let Some(ctx) = &self.ctx else {
            return aicoder_mcp::client::SandboxPolicy::default();
        };
        let id = entry.id();
        let (mut reach, _) = sandbox::Reach::stored(&ctx.services.grants(), &id);
        if let Some(session) = self.session_reach.get(&entry.name) {
            reach.extend(session);
        }
        if let Some((_, once)) = self.once_reach.as_ref().filter(|(s, _)| *s == entry.name) {
            reach.extend(once);
        }
        sandbox::policy(
            &ctx.root,
            id,
            std::sync::Arc::clone(&ctx.services),
            &entry.entry.target(),
            &reach,
        )
    }

    /// Start `server` again under its policy as granted now (after the
    /// user widened it). Only a confined server is restarted.
    pub fn restart_widened(&mut self, server: &str) -> Result<(), config::RestartError> {
        use config::RestartError;
        let Some(entry) = self.entry(server).cloned() else {
            return Err(RestartError::Unknown(server.to_string()));
        };
        let policy = self.policy_for(&entry);
        let Some(manager) = self.manager.as_mut() else {
            return Err(RestartError::NotRunning(server.to_string()));
        };
        if manager.policy(server).is_none() {
            return Ok(());
        }
        manager
            .restart_with(server, policy)
            .map_err(|source| RestartError::Failed {
                server: server.to_string(),
                source,
            })
    }

    /// The paths `entry` was refused for good (`deny` in grants.json).
    pub fn denied_reach(&self, entry: &ServerEntry) -> sandbox::Reach {
        self.ctx.as_ref().map_or_else(Default::default, |ctx| {
            sandbox::Reach::stored(&ctx.services.grants(), &entry.id()).1
        })
    }

    /// Before a model request: the first time, wait for servers still
    /// starting (at most the startup deadline) unless each has its tool list
    /// kept from an earlier session (then offered from there, and a call
    /// waits for its server); always, read again the tool lists that
    /// changed, keep those, and rebuild the offer. Returns lines to print
    /// (a server that failed since the last request, once per failure).
    pub fn before_request(&mut self) -> Vec<String> {
        let Some(manager) = &self.manager else {
            return Vec::new();
        };
        if !self.waited {
            self.waited = true;
            if self
                .entries
                .iter()
                .any(|e| !self.cached.contains_key(&e.name))
            {
                manager.wait_started(startup_timeout());
            }
        }
        manager.refresh(startup_timeout());
        let statuses = manager.servers();
        for status in &statuses {
            let listed = status.state == State::Ready && !status.tools.is_empty();
            if listed && self.cached.get(&status.name) != Some(&status.tools) {
                if let Some(e) = self.entries.iter().find(|e| e.name == status.name) {
                    tool_cache::store(&self.tool_cache, &cache_name(e), &e.hash, &status.tools);
                }
                self.cached
                    .insert(status.name.clone(), status.tools.clone());
            }
        }
        let mut lines = Vec::new();
        for status in &statuses {
            match &status.state {
                State::Failed(why) => {
                    if self.reported.get(&status.name) != Some(why) {
                        self.reported.insert(status.name.clone(), why.clone());
                        lines.push(format!(
                            "MCP server {}: {why} (/mcp shows its state and log)",
                            status.name
                        ));
                    }
                }
                _ => {
                    self.reported.remove(&status.name);
                }
            }
        }
        self.rebuild(&statuses);
        lines
    }

    fn rebuild(&mut self, statuses: &[ServerStatus]) {
        self.offered.clear();
        self.offer_notes.clear();
        for status in statuses {
            // A server that crashed keeps its tools on offer: the next
            // call starts it again. One that never started has none.
            let listed = if status.tools.is_empty() {
                // Still starting: its tools as kept from the last session.
                match (&status.state, self.cached.get(&status.name)) {
                    (State::Starting | State::Idle, Some(kept)) => kept,
                    _ => continue,
                }
            } else {
                &status.tools
            };
            let (tools, notes) = offer(&status.name, listed);
            for tool in tools {
                if self.offered.contains_key(&tool.name) {
                    continue;
                }
                self.offered.insert(tool.name.clone(), tool);
            }
            if !notes.is_empty() {
                self.offer_notes.insert(status.name.clone(), notes);
            }
        }
    }

    /// The tools offered now, as request entries.
    pub fn request_tools(&self) -> Vec<Value> {
        self.offered
            .values()
            .map(|t| json!({"type": "function", "function": {"name": t.name, "description": t.description, "parameters": t.parameters}}))
            .collect()
    }

    /// The offered names (a plugin tool of the same name is not offered).
    pub fn offered_names(&self) -> BTreeSet<String> {
        self.offered.keys().cloned().collect()
    }

    /// The offered tool of this name.
    pub fn offered(&self, name: &str) -> Option<&Offered> {
        self.offered.get(name)
    }

    /// The configured entry of a server.
    pub fn entry(&self, server: &str) -> Option<&ServerEntry> {
        self.entries.iter().find(|e| e.name == server)
    }

    /// The client, once started.
    pub fn manager(&self) -> Option<&Manager> {
        self.manager.as_ref()
    }

    /// Per server: its tool list as kept from the last session.
    pub fn cached_tools(&self, server: &str) -> Option<&[ToolInfo]> {
        self.cached.get(server).map(Vec::as_slice)
    }

    /// Per server: tools left out of the offer, and why.
    pub fn offer_notes(&self, server: &str) -> &[String] {
        self.offer_notes.get(server).map_or(&[], Vec::as_slice)
    }
}

/// The trust-file name of a project server entry (beside plugin files
/// in trust.json): trusted per folder, name and entry hash.
pub fn trust_name(entry: &ServerEntry) -> String {
    format!("mcp:{}", entry.name)
}

/// A project server entry as trust.json keeps it.
pub fn trust_record(e: &ServerEntry) -> crate::plugins::trust::ProjectPlugin {
    crate::plugins::trust::ProjectPlugin {
        path: e.file.clone(),
        file: trust_name(e),
        hash: e.hash.clone(),
        ceiling: Default::default(),
    }
}

/// The tool-list cache's name for an entry: its origin in it, so a
/// project entry with the same text as a user entry (or one of another
/// project) never gets the other's list.
fn cache_name(e: &ServerEntry) -> String {
    match e.origin {
        Origin::User => format!("user\0{}", e.name),
        _ => format!("project\0{}\0{}", e.file.display(), e.name),
    }
}

/// Where a server's stderr goes: `.aicoder/mcp/NAME.log`.
pub fn log_file(log_dir: &Path, name: &str) -> PathBuf {
    log_dir.join(format!("{name}.log"))
}

/// A name the model's API accepts: `[A-Za-z0-9_-]`, others as `_`.
fn api_name(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// The tools of one server as offered, and notes on those left out: at
/// most [`MAX_TOOLS_PER_SERVER`], schemas objects of at most
/// [`MAX_SCHEMA_BYTES`], descriptions cut and with control characters made
/// visible, names unique within 64 characters.
pub fn offer(server: &str, tools: &[ToolInfo]) -> (Vec<Offered>, Vec<String>) {
    let mut out: Vec<Offered> = Vec::new();
    let mut notes = Vec::new();
    let mut skipped_schema = 0usize;
    for tool in tools {
        if out.len() == MAX_TOOLS_PER_SERVER {
            notes.push(format!(
                "only the first {MAX_TOOLS_PER_SERVER} of its {} tools are offered",
                tools.len()
            ));
            break;
        }
        let shown = crate::term::sanitize::visible(&tool.name).into_owned();
        let name = format!("mcp__{server}__{}", api_name(&tool.name));
        if tool.name.is_empty() || name.chars().count() > MAX_TOOL_NAME {
            notes.push(format!(
                "tool {:?} left out: its name is empty or too long",
                crate::util::truncate_text(&shown, 80).0
            ));
            continue;
        }
        if out.iter().any(|o| o.name == name) {
            notes.push(format!("tool {shown:?} left out: another tool has the same name once spelled for the model"));
            continue;
        }
        let size = serde_json::to_string(&tool.input_schema).map_or(usize::MAX, |s| s.len());
        if !tool.input_schema.is_object() || size > MAX_SCHEMA_BYTES {
            skipped_schema += 1;
            if skipped_schema <= 3 {
                notes.push(format!(
                    "tool {:?} left out: its input schema is {} (the largest offered is 64 KiB)",
                    crate::util::truncate_text(&shown, 80).0,
                    if tool.input_schema.is_object() {
                        format!("{size} bytes")
                    } else {
                        "not a JSON object".into()
                    }
                ));
            }
            continue;
        }
        let visible = crate::term::sanitize::visible(&tool.description);
        let (description, _) = crate::util::truncate_text(&visible, MAX_DESCRIPTION_CHARS);
        out.push(Offered {
            name,
            server: server.to_string(),
            tool: tool.name.clone(),
            description: format!("[MCP server {server}] {description}"),
            parameters: tool.input_schema.clone(),
        });
    }
    if skipped_schema > 3 {
        notes.push(format!(
            "{} more tools left out for their schemas",
            skipped_schema - 3
        ));
    }
    (out, notes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tool(name: &str, description: &str, schema: Value) -> ToolInfo {
        ToolInfo {
            name: name.into(),
            description: description.into(),
            input_schema: schema,
        }
    }

    #[test]
    fn the_offer_is_bounded_and_safe_to_show() {
        let mut tools = vec![
            tool(
                "read file",
                "reads\u{1b}[2J a file",
                json!({"type": "object"}),
            ),
            tool(
                "huge",
                "",
                json!({"type": "object", "x": "y".repeat(70_000)}),
            ),
            tool("list", "not an object", json!("string")),
            tool(
                "read_file",
                "same name once spelled",
                json!({"type": "object"}),
            ),
        ];
        for i in 0..300 {
            tools.push(tool(&format!("t{i}"), "", json!({"type": "object"})));
        }
        let (offered, notes) = offer("fs", &tools);
        assert_eq!(offered.len(), MAX_TOOLS_PER_SERVER);
        assert_eq!(offered[0].name, "mcp__fs__read_file");
        assert_eq!(offered[0].tool, "read file");
        assert!(
            !offered[0].description.contains('\u{1b}'),
            "{}",
            offered[0].description
        );
        let notes = notes.join("\n");
        for expected in ["70", "not a JSON object", "same name", "first 128"] {
            assert!(notes.contains(expected), "{expected}: {notes}");
        }
    }
}
