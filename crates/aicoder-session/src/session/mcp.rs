//! MCP servers in the session: started in the background when it opens (a
//! project's only once trusted), their tools in each request, each call
//! through the approval prompt (its arguments shown; "always" remembered per
//! server entry and tool in grants.json) and into the audit chain, and /mcp.

use super::call_error::{CallError, CallResult};
use super::{Input, Session};
use crate::caps::audit::{AuditEntry, Outcome};
use crate::mcp::config::ServerEntry;
use crate::mcp::{trust_name, trust_record, McpHost};
use crate::plugins::trust::{ProjectPlugin, TrustStore};
use crate::state::SessionEvent;
use crate::term::sanitize::visible;
use serde_json::Value;

/// Arguments longer than this are cut in the audit line and the preview.
const ARGS_SHOWN: usize = 4096;

/// Read the MCP configuration of the project at `root`: user servers and
/// trusted project ones. At a terminal (`ask`), untrusted project servers
/// are listed and the user asked once whether to trust them; otherwise
/// they are held back with one line saying how to allow them.
pub(crate) fn open_mcp(
    paths: &crate::config::Paths,
    root: &std::path::Path,
    ask: Option<&mut AskLine<'_>>,
) -> McpHost {
    let trust_file = TrustStore::file(paths);
    let store = TrustStore::load(&trust_file).ok();
    let trusted = |e: &ServerEntry| {
        store
            .as_ref()
            .is_some_and(|s| s.is_trusted(root, &trust_name(e), &e.hash))
    };
    let mut host = McpHost::open(paths, root, &trusted);
    for note in &host.notes {
        eprintln!("aicoder: {}", visible(note));
    }
    if host.held_back.is_empty() {
        return host;
    }
    let Some(ask) = ask else {
        eprintln!(
            "aicoder: {} MCP server(s) of this folder's .mcp.json not started: the folder is not trusted (start aicoder at a terminal, or run `aicoder trust`)",
            host.held_back.len()
        );
        return host;
    };
    println!(
        "This folder's .mcp.json starts these MCP servers, programs that run on this machine (in the process sandbox where the kernel allows):"
    );
    for e in &host.held_back {
        println!(
            "  {}  {}  ({})",
            e.name,
            visible(&e.entry.target()),
            e.short_hash()
        );
    }
    let answer = ask("Trust and start them? [y/N]: ").unwrap_or_default();
    if !matches!(answer.trim(), "y" | "yes") {
        println!("not started; /mcp lists them, `aicoder trust` trusts them later");
        return host;
    }
    let files: Vec<ProjectPlugin> = host.held_back.iter().map(trust_record).collect();
    match TrustStore::load(&trust_file).and_then(|mut s| s.trust(root, &files)) {
        Ok(()) => {
            let trusted = std::mem::take(&mut host.held_back);
            host.entries.extend(trusted);
        }
        Err(e) => eprintln!("aicoder: {e}"),
    }
    host
}

/// A question put at the terminal: the answer, or `None` at end of input.
type AskLine<'a> = dyn FnMut(&str) -> Option<String> + 'a;

impl Session {
    /// Before each request: wait for servers still starting (first request
    /// only), honour `tools/list_changed`, report new failures once.
    pub(super) fn mcp_before_request(&mut self) {
        for line in self.mcp.before_request() {
            crate::ui::spinner::eprint_line(&format!("aicoder: {}", visible(&line)));
        }
    }

    /// Run `mcp__SERVER__TOOL`: approval, call, audit. `None` if `name` is
    /// not an MCP tool.
    pub(super) fn run_mcp_call(
        &mut self,
        name: &str,
        raw_args: &str,
        input: &mut Input,
    ) -> Option<CallResult> {
        let offered = self.mcp.offered(name)?.clone();
        let entry = self.mcp.entry(&offered.server)?.clone();
        let arguments = match serde_json::from_str::<Value>(raw_args) {
            Ok(Value::Object(map)) => map,
            Ok(Value::Null) => serde_json::Map::new(),
            _ if raw_args.trim().is_empty() => serde_json::Map::new(),
            _ => {
                return Some(Err(CallError::failed(format!(
                    "{name}: the arguments must be a JSON object"
                ))))
            }
        };
        let args_text = serde_json::to_string_pretty(&arguments).unwrap_or_default();
        if !self.approve_mcp(&entry, &offered.tool, name, (&args_text, &arguments), input) {
            self.audit_mcp(
                &entry,
                &offered.tool,
                &arguments,
                Outcome::Denied,
                "not approved by the user".into(),
            );
            return Some(Err(CallError::failed(format!(
                "the user did not approve this call of {name}"
            ))));
        }
        let mut attempt = 0;
        // The model a server's sampling request may use (when approved).
        let model = self
            .model_client()
            .ok()
            .map(|c| (c, self.state().config.model.clone()));
        let result = loop {
            let Some(manager) = self.mcp.manager() else {
                return Some(Err(CallError::failed(format!(
                    "MCP server {} is not running",
                    entry.name
                ))));
            };
            let seen = manager.refusals(&entry.name).len();
            let label = format!("running {}", visible(name));
            // Elicitation, sampling, progress and Ctrl-C (session/mcp_ask.rs).
            let mut hooks = super::mcp_ask::Hooks {
                server: &entry.name,
                id: entry.id(),
                spinner: Some(crate::ui::spinner::Spinner::start(&label)),
                label,
                input: &mut *input,
                model: model.clone(),
                runtime: &self.runtime,
                services: std::sync::Arc::clone(self.host.services()),
                requests: 0,
                started: std::time::Instant::now(),
            };
            let result = manager.call_with(
                &offered.server,
                &offered.tool,
                arguments.clone(),
                &mut hooks,
            );
            drop(hooks);
            attempt += 1;
            // What the sandbox kept from the server: asked about at a
            // terminal; when widened, the call runs once more.
            let error_text = match &result {
                Ok(out) if out.is_error => Some(out.text.clone()),
                Ok(_) => None,
                Err(e) => Some(e.to_string()),
            };
            let kept = self.mcp_kept(&entry, &arguments, error_text.as_deref(), seen);
            if attempt == 1 && self.mcp_widen(&entry, &offered.tool, kept, input) {
                // The refused attempt is a call of its own in the chain.
                self.audit_mcp(
                    &entry,
                    &offered.tool,
                    &arguments,
                    Outcome::Failed,
                    format!(
                        "the sandbox refused the server something; run again after the user widened it ({})",
                        error_text.as_deref().map_or("no error".into(), |t| {
                            crate::util::truncate_text(t, 200).0
                        })
                    ),
                );
                continue;
            }
            if attempt > 1 {
                self.mcp_end_once();
            }
            break result;
        };
        Some(match result {
            Ok(out) => {
                let digest = blake3::hash(out.raw.to_string().as_bytes()).to_hex();
                let detail = format!(
                    "result blake3:{digest} ({} bytes){}",
                    out.raw.to_string().len(),
                    if out.is_error {
                        ", marked isError by the server"
                    } else {
                        ""
                    }
                );
                let outcome = if out.is_error {
                    Outcome::Failed
                } else {
                    Outcome::Allowed
                };
                self.audit_mcp(&entry, &offered.tool, &arguments, outcome, detail);
                let text = crate::util::truncate_text(&out.text, 100 << 10).0;
                if out.is_error {
                    Err(CallError::Text(format!(
                        "Error from MCP server {}: {text}",
                        entry.name
                    )))
                } else {
                    Ok(text)
                }
            }
            Err(e) => {
                self.audit_mcp(
                    &entry,
                    &offered.tool,
                    &arguments,
                    Outcome::Failed,
                    e.to_string(),
                );
                Err(CallError::failed(format!("MCP server {}: {e}", entry.name)))
            }
        })
    }

    /// The approval prompt of one MCP call: the server, the tool and its
    /// arguments; `always` is remembered for this server entry and tool.
    fn approve_mcp(
        &mut self,
        entry: &ServerEntry,
        tool: &str,
        offered_name: &str,
        (args_text, arguments): (&str, &serde_json::Map<String, Value>),
        input: &mut Input,
    ) -> bool {
        let id = entry.id();
        {
            let grants = self.host.services().grants();
            // "always", or "always" for arguments that cover these.
            if grants.tool_approved(&id, tool)
                || grants
                    .tool_approvals_narrowed(&id, tool)
                    .iter()
                    .any(|p| crate::mcp::arg_scope::covers(p, arguments))
            {
                return true;
            }
        }
        let (shown_args, cut) = crate::util::truncate_text(args_text, ARGS_SHOWN);
        let preview = format!(
            "[MCP {} ({})] {}\n{}{}",
            entry.name,
            entry.short_hash(),
            visible(tool),
            visible(&shown_args),
            if cut {
                "\n… (arguments cut at 4 KiB)"
            } else {
                ""
            }
        );
        if self.state().config.yolo_mode {
            eprintln!("{preview}\n(approved by YOLO mode)");
            return true;
        }
        self.emit_simple(SessionEvent::BeforeApprovalPrompt);
        println!("{preview}");
        if !input.interactive {
            eprintln!("aicoder: {offered_name} needs approval and there is no terminal to ask; set YOLO_MODE=1 to approve tools");
            self.unasked.push(super::approval::Unasked::Tool {
                name: offered_name.to_string(),
                grants: Vec::new(),
            });
            return false;
        }
        let answer = input
            .ask_until(
                "Approve [Y/n/always]: ",
                "answer y (yes), n (no), always (yes, and never ask again for this tool of this server entry, or for these arguments) or yolo; Enter means yes",
                |a| match a {
                    "" | "y" | "yes" => Some(McpApproval::Yes),
                    "n" | "no" => Some(McpApproval::No),
                    "a" | "always" => Some(McpApproval::Always),
                    "yolo" => Some(McpApproval::Yolo),
                    _ => None,
                },
            )
            .unwrap_or(McpApproval::No);
        match answer {
            McpApproval::No => false,
            McpApproval::Yes => true,
            McpApproval::Yolo => {
                self.state().config.yolo_mode = true;
                println!(
                    "YOLO mode on: tools run without asking (capabilities are still asked for)"
                );
                true
            }
            McpApproval::Always => {
                // Narrowed by argument (session/mcp_extras.rs), or not.
                let Some(narrowed) = super::mcp_extras::ask_narrowing(input, arguments) else {
                    return true;
                };
                let scope = narrowed.as_ref().map_or_else(String::new, |p| {
                    format!(" for {}", crate::mcp::arg_scope::describe(p))
                });
                let saved = match narrowed {
                    Some(patterns) => self
                        .host
                        .services()
                        .grants()
                        .approve_tool_narrowed(&id, tool, patterns),
                    None => self.host.services().grants().approve_tool(&id, tool),
                };
                if let Err(e) = saved {
                    eprintln!("aicoder: {e}");
                } else {
                    println!(
                        "{} of MCP server {} runs without asking from now on{scope} (`aicoder mcp list` shows it)",
                        visible(tool),
                        entry.name
                    );
                }
                true
            }
        }
    }

    /// One line in the audit chain per MCP call: server (and entry hash),
    /// tool, arguments up to 4 KiB, outcome and a digest of the result.
    fn audit_mcp(
        &self,
        entry: &ServerEntry,
        tool: &str,
        arguments: &serde_json::Map<String, Value>,
        outcome: Outcome,
        detail: String,
    ) {
        let text = Value::Object(arguments.clone()).to_string();
        let args = if text.len() > ARGS_SHOWN {
            serde_json::json!({
                "truncated": crate::util::truncate_text(&text, ARGS_SHOWN).0,
                "bytes": text.len(),
            })
        } else {
            Value::Object(arguments.clone())
        };
        let id = entry.id();
        let mut line = AuditEntry::sandbox(&id, tool, args, outcome, detail);
        line.capability = "mcp.call".into();
        let audit = &self.host.services().audit;
        audit.record(&line);
        audit.flush();
    }

    /// `/mcp`: each server, its state, tools and last error; the project
    /// servers held back.
    pub(super) fn mcp_command(&mut self, args: &str) -> anyhow::Result<()> {
        if !args.is_empty() {
            anyhow::bail!("/mcp takes no arguments; it lists the MCP servers");
        }
        let manager = self.mcp.manager();
        let statuses = manager.map(|m| m.servers()).unwrap_or_default();
        if statuses.is_empty() && self.mcp.held_back.is_empty() {
            println!("no MCP servers: add one with `aicoder mcp add NAME -- COMMAND ARGS...` or a .mcp.json");
        }
        for status in &statuses {
            let Some(entry) = self.mcp.entry(&status.name) else {
                continue;
            };
            println!(
                "{}  [{}]  {}  {}",
                status.name,
                entry.origin.name(),
                status.state,
                visible(&entry.entry.target())
            );
            if let Some(info) = &status.server_info {
                println!("  server: {}", visible(info));
            }
            if manager.is_some_and(|m| m.confined(&status.name)) {
                println!("  in the process sandbox (MCP_SANDBOX=0 turns it off)");
            }
            // A server still starting: its tools as kept from last time.
            let kept = matches!(
                status.state,
                aicoder_mcp::client::State::Starting | aicoder_mcp::client::State::Idle
            ) && status.tools.is_empty();
            let tools = if kept {
                self.mcp.cached_tools(&status.name).unwrap_or_default()
            } else {
                status.tools.as_slice()
            };
            if !tools.is_empty() {
                let names: Vec<String> = tools
                    .iter()
                    .take(40)
                    .map(|t| visible(&t.name).into_owned())
                    .collect();
                let more = tools.len().saturating_sub(40);
                println!(
                    "  tools ({}{}): {}{}",
                    tools.len(),
                    if kept {
                        ", kept from the last session"
                    } else {
                        ""
                    },
                    names.join(", "),
                    if more > 0 {
                        format!(", … {more} more")
                    } else {
                        String::new()
                    }
                );
            }
            if !status.resources.is_empty() || !status.prompts.is_empty() {
                println!(
                    "  {} resources (@{}:URI, Tab completes), {} prompts (/{}:PROMPT)",
                    status.resources.len(),
                    status.name,
                    status.prompts.len(),
                    status.name
                );
            }
            for note in self.mcp.offer_notes(&status.name) {
                println!("  note: {}", visible(note));
            }
            if let Some(err) = &status.last_error {
                println!("  last error: {}", visible(err));
            }
            if let Some(log) = &status.stderr_log {
                println!("  log: {}", log.display());
            }
        }
        for e in &self.mcp.held_back {
            println!(
                "{}  [project]  not started: not trusted  {}  (`aicoder trust` in this folder trusts it)",
                e.name,
                visible(&e.entry.target())
            );
        }
        for note in &self.mcp.notes {
            println!("note: {}", visible(note));
        }
        Ok(())
    }
}

/// An answer to an MCP call's approval prompt.
enum McpApproval {
    Yes,
    No,
    Always,
    Yolo,
}
