//! An MCP server's resources and prompts at the prompt: `@SERVER:URI`
//! attaches a resource to the typed message, `/SERVER:PROMPT [ARG=VALUE…]`
//! sends a server's prompt as the user's message (missing required
//! arguments asked at a terminal). Both are the user's own act, so no
//! approval prompt; both are bounded, made safe to show (a resource's
//! escapes never reach the terminal or the model as control characters),
//! audited (`mcp.resource`, `mcp.prompt`, with a digest of what came), and
//! reach only servers that run: a project server of an untrusted folder is
//! named, never started.

use super::{Input, Session};
use crate::caps::audit::{AuditEntry, Outcome};
use crate::mcp::config::ServerEntry;
use crate::term::sanitize::visible;
use aicoder_mcp::client::{Content, ServersWatch};
use serde_json::{json, Map, Value};
use std::time::Duration;

/// The most of a resource (or a prompt) that goes into one message.
pub(crate) const MAX_EXTRA_CHARS: usize = 100 * 1024;
/// How long a resource read or prompt fetch may take.
const WAIT: Duration = Duration::from_secs(30);
/// Candidates Tab offers at most.
const MAX_CANDIDATES: usize = 200;

/// A name a user can type as one word after `/` or `@SERVER:`.
fn typeable(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= 512
        && !text.chars().any(|c| {
            c.is_whitespace() || c.is_control() || visible(&c.to_string()) != c.to_string()
        })
}

/// Tab candidates: `SERVER:PROMPT` command names and `SERVER:URI` resources
/// of the running servers (names nobody could type, with spaces or control
/// characters, are left out).
pub(crate) fn mcp_completions(servers: &ServersWatch) -> (Vec<String>, Vec<String>) {
    let mut prompts = Vec::new();
    let mut resources = Vec::new();
    for status in servers.servers() {
        for p in status.prompts.iter().filter(|p| typeable(&p.name)) {
            prompts.push(format!("{}:{}", status.name, p.name));
        }
        for r in status.resources.iter().filter(|r| typeable(&r.uri)) {
            if resources.len() < MAX_CANDIDATES {
                resources.push(format!("{}:{}", status.name, r.uri));
            }
        }
    }
    prompts.truncate(MAX_CANDIDATES);
    (prompts, resources)
}

/// A fence of backticks longer than any run in `text`, so the attached
/// text cannot close it and pass for the user's own words.
fn fence_for(text: &str) -> String {
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    "`".repeat((longest + 1).max(3))
}

/// Split `ARG=VALUE` words (a value may be quoted with `"` or `'`).
fn split_words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quote: Option<char> = None;
    let mut any = false;
    for c in text.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => word.push(c),
            None if c == '"' || c == '\'' => {
                quote = Some(c);
                any = true;
            }
            None if c.is_whitespace() => {
                if any || !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
                any = false;
            }
            None => word.push(c),
        }
    }
    if any || !word.is_empty() {
        words.push(word);
    }
    words
}

impl Session {
    fn audit_extra(
        &self,
        entry: &ServerEntry,
        capability: &str,
        operation: &str,
        args: Value,
        outcome: Outcome,
        detail: String,
    ) {
        let mut line = AuditEntry::sandbox(&entry.id(), operation, args, outcome, detail);
        line.capability = capability.into();
        let audit = &self.host.services().audit;
        audit.record(&line);
        audit.flush();
    }

    /// Whether `server` names a configured MCP server (running or held
    /// back); a held-back one is said so and `None` returned.
    fn extra_entry(&self, server: &str, what: &str) -> Option<Option<ServerEntry>> {
        if let Some(e) = self.mcp.entry(server) {
            return Some(Some(e.clone()));
        }
        if self.mcp.held_back.iter().any(|e| e.name == server) {
            eprintln!(
                "aicoder: {what}: MCP server {server} of this folder's .mcp.json is not started: the folder's servers are not trusted (`aicoder trust` trusts them)"
            );
            return Some(None);
        }
        None
    }

    /// Attach `@SERVER:URI` (`mention` without the `@`) to `message` when
    /// SERVER is a configured MCP server; false when it is not one (the
    /// mention is then a path).
    pub(super) fn attach_mcp_resource(&self, mention: &str, message: &mut String) -> bool {
        let Some((server, uri)) = mention.split_once(':') else {
            return false;
        };
        let shown = format!("@{server}:{}", visible(uri));
        let entry = match self.extra_entry(server, &format!("{shown} not attached")) {
            None => return false,
            Some(None) => return true,
            Some(Some(e)) => e,
        };
        if uri.is_empty() {
            eprintln!("aicoder: {shown} not attached: name a resource after the colon (Tab lists MCP server {server}'s resources)");
            return true;
        }
        let Some(manager) = self.mcp.manager() else {
            eprintln!("aicoder: {shown} not attached: MCP server {server} is not running");
            return true;
        };
        let args = json!({ "uri": crate::util::truncate_text(uri, 4096).0 });
        match manager.read_resource(server, uri, WAIT) {
            Ok((contents, raw)) => {
                let raw_text = raw.to_string();
                let mut text = String::new();
                for item in contents {
                    if !text.is_empty() {
                        text.push_str("\n\n");
                    }
                    match item {
                        Content::Text { text: t, .. } => text.push_str(&visible(&t)),
                        Content::Binary {
                            uri,
                            mime_type,
                            bytes,
                        } => text.push_str(&format!(
                            "[{} binary content, {bytes} bytes, not attached: {}]",
                            visible(mime_type.as_deref().unwrap_or("unknown type")),
                            visible(&uri)
                        )),
                    }
                }
                let (text, cut) = crate::util::truncate_text(&text, MAX_EXTRA_CHARS);
                let note = if cut {
                    format!(", first {} KiB", MAX_EXTRA_CHARS >> 10)
                } else {
                    String::new()
                };
                let fence = fence_for(&text);
                message.push_str(&format!(
                    "\n\nContent of {shown} (a resource of MCP server {server}{note}):\n{fence}\n{text}\n{fence}"
                ));
                println!("attached {shown} ({} bytes{note})", text.len());
                let digest = blake3::hash(raw_text.as_bytes()).to_hex();
                self.audit_extra(
                    &entry,
                    "mcp.resource",
                    "read",
                    args,
                    Outcome::Allowed,
                    format!("result blake3:{digest} ({} bytes)", raw_text.len()),
                );
            }
            Err(e) => {
                eprintln!(
                    "aicoder: {shown} not attached: MCP server {server}: {}",
                    visible(&e.to_string())
                );
                self.audit_extra(
                    &entry,
                    "mcp.resource",
                    "read",
                    args,
                    Outcome::Failed,
                    e.to_string(),
                );
            }
        }
        true
    }

    /// What Tab completes of the MCP servers, read afresh at each Tab
    /// (see [`mcp_completions`]).
    pub(crate) fn mcp_watch(&self) -> ServersWatch {
        self.mcp.manager().map(|m| m.watch()).unwrap_or_default()
    }

    /// `/SERVER:PROMPT [ARG=VALUE…]`: `None` when SERVER is no MCP server.
    pub(super) fn mcp_prompt_command(
        &mut self,
        command: &str,
        args: &str,
        input: &mut Input,
    ) -> Option<anyhow::Result<()>> {
        let (server, name) = command.split_once(':')?;
        let entry = match self.extra_entry(server, &format!("/{command}")) {
            None => return None,
            Some(None) => return Some(Err(anyhow::anyhow!("/{server}:… is not available"))),
            Some(Some(e)) => e,
        };
        Some(self.run_mcp_prompt(&entry, name, args, input))
    }

    fn run_mcp_prompt(
        &mut self,
        entry: &ServerEntry,
        name: &str,
        args: &str,
        input: &mut Input,
    ) -> anyhow::Result<()> {
        let server = entry.name.clone();
        let Some(manager) = self.mcp.manager() else {
            anyhow::bail!("MCP server {server} is not running");
        };
        if manager.prompts(&server).is_empty() {
            // Still starting: its prompts are listed once it is up.
            manager.wait_started(WAIT);
        }
        let prompts = manager.prompts(&server);
        let Some(prompt) = prompts.iter().find(|p| p.name == name).cloned() else {
            let names: Vec<String> = prompts
                .iter()
                .filter(|p| typeable(&p.name))
                .take(20)
                .map(|p| format!("/{server}:{}", p.name))
                .collect();
            anyhow::bail!(
                "MCP server {server} has no prompt {}; {}",
                visible(name),
                if names.is_empty() {
                    "it lists none".to_string()
                } else {
                    format!("its prompts: {}", names.join(", "))
                }
            );
        };
        let mut arguments = Map::new();
        let words = split_words(args);
        let single = prompt.arguments.len() == 1 && !args.contains('=');
        if single && !args.trim().is_empty() {
            arguments.insert(
                prompt.arguments[0].name.clone(),
                Value::String(args.trim().to_string()),
            );
        } else {
            for word in words {
                let Some((key, value)) = word.split_once('=') else {
                    anyhow::bail!(
                        "/{server}:{name}: `{}` is not ARG=VALUE; its arguments: {}",
                        visible(&word),
                        arg_list(&prompt)
                    );
                };
                if !prompt.arguments.iter().any(|a| a.name == key) {
                    anyhow::bail!(
                        "/{server}:{name} has no argument `{}`; its arguments: {}",
                        visible(key),
                        arg_list(&prompt)
                    );
                }
                arguments.insert(key.to_string(), Value::String(value.to_string()));
            }
        }
        for arg in prompt.arguments.iter().filter(|a| a.required) {
            if arguments.contains_key(&arg.name) {
                continue;
            }
            if !input.interactive {
                anyhow::bail!(
                    "/{server}:{name} needs the argument {} and there is no terminal to ask; give it as {}=VALUE",
                    visible(&arg.name),
                    visible(&arg.name)
                );
            }
            let question = format!(
                "{} ({}, required): ",
                visible(&arg.name),
                crate::util::truncate_text(&visible(&arg.description), 200).0
            );
            let Some(answer) = input.ask_or_cancel(&question) else {
                println!("cancelled; nothing sent");
                return Ok(());
            };
            arguments.insert(arg.name.clone(), Value::String(answer.trim().to_string()));
        }
        let audit_args =
            json!({"prompt": crate::util::truncate_text(name, 256).0, "arguments": arguments});
        let result = manager.get_prompt(&server, name, arguments, WAIT);
        let (messages, raw) = match result {
            Ok(ok) => ok,
            Err(e) => {
                self.audit_extra(
                    entry,
                    "mcp.prompt",
                    "get",
                    audit_args,
                    Outcome::Failed,
                    e.to_string(),
                );
                anyhow::bail!("MCP server {server}: {}", visible(&e.to_string()));
            }
        };
        let raw_text = raw.to_string();
        let digest = blake3::hash(raw_text.as_bytes()).to_hex();
        self.audit_extra(
            entry,
            "mcp.prompt",
            "get",
            audit_args,
            Outcome::Allowed,
            format!("result blake3:{digest} ({} bytes)", raw_text.len()),
        );
        let labelled = messages.iter().any(|m| m.role != "user");
        let text = messages
            .iter()
            .map(|m| {
                let body = visible(&m.text).into_owned();
                if labelled {
                    format!("[{}] {body}", visible(&m.role))
                } else {
                    body
                }
            })
            .collect::<Vec<_>>()
            .join("\n\n");
        if text.trim().is_empty() {
            anyhow::bail!("MCP server {server}'s prompt {name} is empty; nothing sent");
        }
        let (text, cut) = crate::util::truncate_text(&text, MAX_EXTRA_CHARS);
        let first = text.lines().next().unwrap_or_default();
        println!(
            "prompt /{server}:{name} ({} bytes{}) sent as your message: {}",
            text.len(),
            if cut { ", cut at 100 KiB" } else { "" },
            crate::util::truncate_text(first, 120).0
        );
        if let Err(e) = self.turn(Some(&text), input) {
            eprintln!("aicoder: {e}");
        }
        self.compact_if_full(input);
        Ok(())
    }
}

/// After "always" for an MCP call: for which arguments. `Some(None)` is
/// every call of the tool, `Some(Some(p))` calls `p` covers (see
/// `mcp/arg_scope.rs`); `None` when the user cancelled (approved once).
pub(super) fn ask_narrowing(
    input: &mut Input,
    arguments: &Map<String, Value>,
) -> Option<Option<crate::mcp::arg_scope::ArgPatterns>> {
    use crate::mcp::arg_scope;
    let offers = arg_scope::suggestions(arguments);
    if arguments.is_empty() || offers.is_empty() {
        return Some(None);
    }
    let mut question = String::from("  always for:");
    for (i, p) in offers.iter().enumerate() {
        let shown = arg_scope::describe(p);
        let shown = crate::util::truncate_text(&shown, 300).0;
        question.push_str(&format!(" [{}] {shown}", i + 1));
    }
    question.push_str(&format!(
        " [{}] any arguments (default 1): ",
        offers.len() + 1
    ));
    let hint = format!("answer a number from 1 to {}", offers.len() + 1);
    let n = input.ask_until(&question, &hint, |a| {
        let n = if a.is_empty() {
            1
        } else {
            a.parse::<usize>().ok()?
        };
        (1..=offers.len() + 1).contains(&n).then_some(n)
    })?;
    Some(offers.get(n - 1).cloned())
}

fn arg_list(prompt: &aicoder_mcp::client::PromptInfo) -> String {
    if prompt.arguments.is_empty() {
        return "none".into();
    }
    prompt
        .arguments
        .iter()
        .map(|a| {
            format!(
                "{}{}",
                visible(&a.name),
                if a.required { " (required)" } else { "" }
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_fences_and_typeable_names() {
        assert_eq!(
            split_words(r#"city="New York" state=NY x='' "#),
            ["city=New York", "state=NY", "x="]
        );
        assert_eq!(fence_for("a ```` b"), "`````");
        assert_eq!(fence_for("plain"), "```");
        assert!(typeable("demo://resource/static/document/a.md"));
        assert!(!typeable("a b"));
        assert!(!typeable("a\u{1b}[2J"));
        assert!(!typeable("\u{202e}gnp"));
    }
}
