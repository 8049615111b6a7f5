//! The one thread that owns the [`App`] (the plugin host is not shared
//! between threads): it takes jobs from the MCP side one at a time, keeps
//! the offered tools and prompts current, and picks up plugin files added,
//! changed or removed on disk (checked between jobs and before every call).

use super::question::{Decision, Need};
use crate::app::App;
use crate::caps::audit::{AuditLine, LineTime, Outcome};
use crate::caps::grants::{self, DenyReason, PluginId};
use crate::caps::scope;
use crate::caps::Capability;
use crate::state::ToolSource;
use aicoder_mcp::server::{CallOutcome, PromptSpec, ToolSpec};
use serde_json::{json, Value};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::Duration;
use tokio::sync::oneshot;

/// The `capability` column of the line each served call adds (not a
/// capability anyone can grant).
pub const SERVED: &str = "mcp";

/// What clients are offered now.
#[derive(Debug, Default)]
pub struct Offer {
    pub tools: Vec<ToolSpec>,
    pub prompts: Vec<PromptSpec>,
}

/// A call ready to run once its needs are granted.
#[derive(Debug)]
pub struct Prepared {
    pub plugin: String,
    pub version: String,
    pub id: PluginId,
    pub preview: String,
    /// Not granted yet: to ask about.
    pub needs: Vec<Need>,
    /// Denied by the person earlier (a `deny` answer or grant).
    pub denied: Vec<Capability>,
}

/// Why a grant asked for through an MCP client was not made; its words go
/// back to the client and into the audit line's detail.
#[derive(Debug, thiserror::Error)]
pub enum GrantError {
    /// The plugin file changed while the question was open.
    #[error("plugin `{0}` changed while the question was open; nothing was granted")]
    PluginChanged(String),
    /// The person said no.
    #[error("you denied {0}")]
    Denied(Capability),
    /// The answer granted nothing (declined, dismissed, no scope, ...).
    #[error("{0}")]
    NotGranted(String),
    /// The grant could not be stored.
    #[error("{0}")]
    Store(String),
}

/// Why a prompt (a plugin command) could not be given to an MCP client.
#[derive(Debug, thiserror::Error)]
pub enum PromptError {
    /// No offered plugin has that command.
    #[error("no prompt `{0}` is offered")]
    NotOffered(String),
    /// The command ran and failed; its words, control characters visible.
    #[error("{0}")]
    Failed(String),
}

/// A job for the worker; each carries where to send its answer.
pub enum Job {
    Prepare {
        tool: String,
        args: String,
        reply: oneshot::Sender<Result<Prepared, CallOutcome>>,
    },
    Grant {
        id: PluginId,
        need: Need,
        decision: Decision,
        client: String,
        reply: oneshot::Sender<Result<(), GrantError>>,
    },
    Call {
        id: PluginId,
        tool: String,
        args: String,
        client: String,
        /// Set when the call must not run: audited as refused with this reason.
        refusal: Option<String>,
        cancelled: Arc<AtomicBool>,
        reply: oneshot::Sender<CallOutcome>,
    },
    Prompt {
        command: String,
        args: String,
        client: String,
        reply: oneshot::Sender<Result<String, PromptError>>,
    },
}

/// The worker's state.
pub struct Worker {
    pub app: App,
    /// `--plugin` names; empty offers every plugin.
    pub only: Vec<String>,
    pub offer: Arc<Mutex<Offer>>,
    pub changes: tokio::sync::watch::Sender<u64>,
}

impl Worker {
    /// Run jobs until every sender is gone; between jobs, look for changed
    /// plugin files twice a second.
    pub fn run(mut self, jobs: mpsc::Receiver<Job>) {
        self.publish();
        loop {
            match jobs.recv_timeout(Duration::from_millis(500)) {
                Ok(job) => self.handle(job),
                Err(mpsc::RecvTimeoutError::Timeout) => self.reload_if_changed(),
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
            }
        }
        self.app.host.services().audit.flush();
    }

    fn handle(&mut self, job: Job) {
        match job {
            Job::Prepare { tool, args, reply } => {
                self.reload_if_changed();
                let _ = reply.send(self.prepare(&tool, &args));
            }
            Job::Grant {
                id,
                need,
                decision,
                client,
                reply,
            } => {
                let _ = reply.send(self.grant(&id, &need, decision, &client));
            }
            Job::Call {
                id,
                tool,
                args,
                client,
                refusal,
                cancelled,
                reply,
            } => {
                self.reload_if_changed();
                let outcome = self.call(&id, &tool, &args, &client, refusal, &cancelled);
                // Session-only writes are refused here (OneShot::mcp_serve),
                // so this only picks up a change the call made on disk.
                self.publish();
                let _ = reply.send(outcome);
            }
            Job::Prompt {
                command,
                args,
                client,
                reply,
            } => {
                self.reload_if_changed();
                let text = self.prompt(&command, &args, &client);
                self.publish();
                let _ = reply.send(text);
            }
        }
    }

    fn offered(&self, plugin: &str) -> bool {
        self.only.is_empty() || self.only.iter().any(|p| p == plugin)
    }

    /// Rebuild what clients are offered from the live registry, and tell
    /// them when it changed.
    pub fn publish(&self) {
        let state = self.app.state();
        let tools: Vec<ToolSpec> = state
            .tools
            .values()
            .filter(|t| t.offered)
            .filter_map(|t| match &t.source {
                ToolSource::Plugin(p) if self.offered(p) => Some((p, t)),
                _ => None,
            })
            .map(|(plugin, t)| ToolSpec {
                name: t.name.clone(),
                title: Some(visible(&format!("{} ({plugin})", t.name))),
                description: visible(&t.description),
                input_schema: match shown_schema(&t.parameters) {
                    Value::Object(m) => m,
                    _ => serde_json::Map::new(),
                },
                read_only: false,
            })
            .collect();
        let prompts: Vec<PromptSpec> = state
            .commands
            .iter()
            .filter(|c| self.offered(&c.plugin))
            .map(|c| PromptSpec {
                name: c.name.clone(),
                description: visible(&format!("/{} ({}): {}", c.name, c.plugin, c.description)),
                arguments: vec![("args".into(), "the rest of the command line".into(), false)],
            })
            .collect();
        drop(state);
        let mut offer = self.offer.lock().unwrap_or_else(|p| p.into_inner());
        if offer.tools != tools || offer.prompts != prompts {
            offer.tools = tools;
            offer.prompts = prompts;
            self.changes.send_modify(|n| *n += 1);
        }
    }

    /// Pick up plugin files added, changed or removed since the last load
    /// (a changed plugin is a new version: its grants are not carried over).
    fn reload_if_changed(&mut self) {
        if !self.app.plugins_changed_on_disk() {
            return;
        }
        let filter = crate::plugins::discovery::NameFilter::from_env();
        let (candidates, _) = crate::plugins::discovery::discover(&self.app.paths, &filter);
        self.app.plugin_files = crate::plugins::discovery::fingerprint(&candidates);
        let trust_file = crate::plugins::trust::TrustStore::file(&self.app.paths);
        let folder = self.app.project_root();
        let (candidates, trusted) =
            crate::app::trusted_candidates(&trust_file, &folder, candidates, None);
        let report = self.app.host.reload(&candidates);
        crate::app::unload_untrusted(&mut self.app.host, &trusted);
        for name in &report.added {
            eprintln!("aicoder mcp serve: added {name}");
        }
        for name in &report.removed {
            eprintln!("aicoder mcp serve: removed {name}");
        }
        for (old, new) in &report.updated {
            eprintln!(
                "aicoder mcp serve: updated {} ({} -> {}); its grants are asked for again",
                new.name,
                old.short_hash(),
                new.short_hash()
            );
        }
        for e in &report.errors {
            eprintln!("aicoder: {e}");
        }
        self.publish();
    }

    /// Find the tool, run its preview, and list what it needs.
    fn prepare(&mut self, tool: &str, args: &str) -> Result<Prepared, CallOutcome> {
        let failed = |message: String| CallOutcome::Failed { message };
        let owner = {
            let state = self.app.state();
            state
                .tools
                .values()
                .find(|t| t.name == tool && t.offered)
                .and_then(|t| match &t.source {
                    ToolSource::Plugin(p) if self.offered(p) => Some(p.clone()),
                    _ => None,
                })
        };
        let Some(plugin) = owner else {
            return Err(failed(format!(
                "no tool `{}` is offered (the list may have changed: list the tools again)",
                visible(tool)
            )));
        };
        let Some(info) = self.app.host.plugin(&plugin) else {
            return Err(failed(format!("plugin `{plugin}` is not loaded")));
        };
        let (id, version) = (info.id.clone(), info.manifest.version.clone());
        let preview = self
            .app
            .host
            .preview_tool(&plugin, tool, args)
            .map_err(|e| failed(visible(&e.to_string())))?;
        let mut needs = Vec::new();
        let mut denied = Vec::new();
        let services = self.app.host.services().clone();
        let parsed = crate::caps::need::parse(&preview.capabilities, &self.app.state());
        for need in parsed {
            let Some(cap) = need.capability else {
                continue;
            };
            // A session-only write (caps/one_shot.rs) is refused inside the
            // call whatever is granted: asking would only mislead.
            if services.outside_session(cap.name()).is_some() {
                continue;
            }
            // Above the ceiling: no grant could ever cover it; the plugin
            // is refused inside the call.
            if let Some(info) = self.app.host.plugin(&plugin) {
                if crate::app::above_ceiling(info, cap).is_some() {
                    continue;
                }
            }
            let verdict = services.grants().check_target(&id, cap, &need.target());
            match verdict.decision {
                grants::Decision::Allowed(_) => {}
                grants::Decision::Denied(DenyReason::DeniedByUser) => denied.push(cap),
                grants::Decision::Denied(_) => {
                    let offers = scope::suggestions(cap, &need.target());
                    needs.push(Need {
                        capability: cap,
                        target: need.shown(),
                        offers,
                    });
                }
            }
        }
        Ok(Prepared {
            plugin,
            version,
            id,
            preview: preview.text,
            needs,
            denied,
        })
    }

    /// Apply the person's answer, if the plugin is still the version asked
    /// about; the answer is audited either way.
    fn grant(
        &mut self,
        id: &PluginId,
        need: &Need,
        decision: Decision,
        client: &str,
    ) -> Result<(), GrantError> {
        let current = self.app.host.plugin(&id.name).map(|p| p.id.clone());
        if current.as_ref() != Some(id) {
            return Err(GrantError::PluginChanged(id.name.clone()));
        }
        let services = self.app.host.services().clone();
        let (outcome, scope, within, detail, result) = match decision {
            Decision::Grant { scope, within } => {
                let shown = within.as_ref().map(|w| w.text().to_string());
                let r = services
                    .grants()
                    .grant_within(id, need.capability, scope, within)
                    .map_err(|e| GrantError::Store(e.to_string()));
                (Outcome::Allowed, Some(scope), shown, "granted", r)
            }
            Decision::Deny => {
                services.grants().deny_for_session(id, need.capability);
                (
                    Outcome::Denied,
                    None,
                    None,
                    "denied",
                    Err(GrantError::Denied(need.capability)),
                )
            }
            Decision::NotGranted(why) => {
                let r = Err(GrantError::NotGranted(why));
                (Outcome::Denied, None, None, "not granted", r)
            }
        };
        let detail = format!(
            "{detail} by the person through MCP client {}{}",
            visible(client),
            match &result {
                Err(why) => format!(": {why}"),
                Ok(()) => String::new(),
            }
        );
        let args = json!({ "target": need.target });
        services
            .audit
            .set_via(Some(format!("mcp:{}", visible(client))));
        services.audit.record_line(&AuditLine {
            time: LineTime::Now,
            plugin: &id.name,
            hash: &id.hash,
            capability: need.capability.name(),
            operation: "grant",
            args: &args,
            old: None,
            new: None,
            outcome,
            scope,
            within: within.as_deref(),
            detail: Some(&detail),
        });
        services.audit.set_via(None);
        services.audit.flush();
        result
    }

    /// Run the call (or audit its refusal), with every audit line it makes
    /// naming the client.
    fn call(
        &mut self,
        id: &PluginId,
        tool: &str,
        args: &str,
        client: &str,
        refusal: Option<String>,
        cancelled: &AtomicBool,
    ) -> CallOutcome {
        let services = self.app.host.services().clone();
        let current = self.app.host.plugin(&id.name).map(|p| p.id.clone());
        let refusal =
            match refusal {
                Some(r) => Some(r),
                None if current.as_ref() != Some(id) => Some(format!(
                "plugin `{}` changed on disk since the call was checked ({} -> {}); call it again",
                id.name,
                id.short_hash(),
                current.as_ref().map(|c| c.short_hash()).unwrap_or("removed")
            )),
                None if cancelled.load(Ordering::SeqCst) => {
                    Some("cancelled by the client before it ran".to_string())
                }
                None => None,
            };
        let via = format!("mcp:{}", visible(client));
        services.audit.set_via(Some(via));
        let arguments: Value = serde_json::from_str(args).unwrap_or(Value::Null);
        let line_args = json!({ "tool": tool, "arguments": arguments });
        let (outcome, detail, result) = match refusal {
            Some(why) => (
                Outcome::Refused,
                why.clone(),
                CallOutcome::Failed { message: why },
            ),
            None => {
                crate::interrupt::clear();
                if cancelled.load(Ordering::SeqCst) {
                    crate::interrupt::flag().store(true, Ordering::SeqCst);
                }
                match self.app.host.call_tool(&id.name, tool, args) {
                    Ok(r) => {
                        if !r.printed.is_empty() {
                            eprint!("{}", r.printed);
                        }
                        (
                            Outcome::Allowed,
                            "done".to_string(),
                            CallOutcome::Done { text: r.detail },
                        )
                    }
                    Err(e) => {
                        let message = visible(&e.to_string());
                        let outcome = if cancelled.load(Ordering::SeqCst) {
                            Outcome::Stopped
                        } else {
                            Outcome::Failed
                        };
                        (outcome, message.clone(), CallOutcome::Failed { message })
                    }
                }
            }
        };
        crate::interrupt::clear();
        services.audit.record_line(&AuditLine {
            time: LineTime::Now,
            plugin: &id.name,
            hash: &id.hash,
            capability: SERVED,
            operation: "tools/call",
            args: &line_args,
            old: None,
            new: None,
            outcome,
            scope: None,
            within: None,
            detail: Some(&detail),
        });
        services.audit.set_via(None);
        services.audit.flush();
        result
    }

    /// Run a plugin command for `prompts/get`; its text is the prompt.
    fn prompt(&mut self, command: &str, args: &str, client: &str) -> Result<String, PromptError> {
        let owner = {
            let state = self.app.state();
            state
                .commands
                .iter()
                .find(|c| c.name == command && self.offered(&c.plugin))
                .map(|c| c.plugin.clone())
        };
        let Some(plugin) = owner else {
            return Err(PromptError::NotOffered(visible(command)));
        };
        let services = self.app.host.services().clone();
        services
            .audit
            .set_via(Some(format!("mcp:{}", visible(client))));
        crate::interrupt::clear();
        let result = self
            .app
            .host
            .run_command(&plugin, command, args)
            .map_err(|e| PromptError::Failed(visible(&e.to_string())));
        services.audit.set_via(None);
        services.audit.flush();
        result
    }
}

/// Plugin text as clients are shown it: control characters made visible.
fn visible(text: &str) -> String {
    crate::term::sanitize::visible(text).into_owned()
}

/// A tool's schema with its `description` and `title` texts made visible
/// (names are left alone: the client sends them back as argument names).
fn shown_schema(schema: &Value) -> Value {
    match schema {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| {
                    let v = match (k.as_str(), v) {
                        ("description" | "title", Value::String(s)) => Value::String(visible(s)),
                        _ => shown_schema(v),
                    };
                    (k.clone(), v)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(shown_schema).collect()),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_texts_are_made_visible_and_names_kept() {
        let s = json!({"type":"object","description":"a\x1b[31mb","properties":{"x\x07":{"type":"string","title":"t\x1b"}}});
        let shown = shown_schema(&s).to_string();
        assert!(!shown.contains('\x1b'));
        assert!(
            shown.contains("x\\u0007"),
            "names stay as they are: {shown}"
        );
    }
}
