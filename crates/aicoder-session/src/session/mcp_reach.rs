//! An MCP server's own reach, granted like a plugin's: after a call, what
//! the sandbox refused the server (a host its proxy refused; a hidden path
//! or a write outside the root named by the call's arguments) is an audit
//! line, and at a terminal (not in YOLO mode) the user is asked: once, for
//! the session, always (grants.json, per server entry), deny (persisted),
//! or no. A granted host is let through by the running server's proxy; a
//! granted path restarts the server with the widened policy. Either way
//! the call runs again once. Piped and YOLO runs never widen: they say
//! what was refused.

use super::{Input, Session};
use crate::caps::audit::{AuditLine, LineTime, Outcome};
use crate::caps::grants::Scope;
use crate::caps::scope::ScopePattern;
use crate::caps::Capability;
use crate::mcp::config::ServerEntry;
use crate::mcp::sandbox::{self, Offer, Reach};
use crate::term::sanitize::visible;
use aicoder_mcp::client::Refusal;
use serde_json::{json, Map, Value};
use std::path::PathBuf;

/// What the user answered about one widening.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Answer {
    Once,
    Session,
    Always,
    Deny,
    No,
}

/// What the sandbox kept from the server during one call.
#[derive(Debug, Default)]
pub(super) struct Kept {
    hosts: Vec<Refusal>,
    read: Vec<PathBuf>,
    write: Vec<PathBuf>,
    /// Paths never offered, each with the line that says why.
    never: Vec<String>,
}

/// Error texts of a write the kernel refused (Landlock answers EACCES; a
/// hidden folder is a read-only file system).
fn looks_like_write_refusal(text: &str) -> bool {
    let t = text.to_ascii_lowercase();
    [
        "eacces",
        "permission denied",
        "erofs",
        "read-only file system",
        "eperm",
        "operation not permitted",
    ]
    .iter()
    .any(|s| t.contains(s))
}

impl Session {
    fn audit_reach(
        &self,
        entry: &ServerEntry,
        operation: &str,
        args: &Value,
        outcome: Outcome,
        scope: Option<Scope>,
        detail: &str,
    ) {
        let id = entry.id();
        let audit = &self.host.services().audit;
        audit.record_line(&AuditLine {
            time: LineTime::Now,
            plugin: &id.name,
            hash: &id.hash,
            capability: "process.sandbox",
            operation,
            args,
            old: None,
            new: None,
            outcome,
            scope,
            within: None,
            detail: Some(detail),
        });
        audit.flush();
    }

    /// What the sandbox kept from `entry`'s server during the call whose
    /// proxy refusals start at `seen`: hosts, hidden paths named by the
    /// arguments, and (when the call failed with a refusal's error) paths
    /// outside what it may write. Paths the user refused this session are
    /// left out.
    pub(super) fn mcp_kept(
        &self,
        entry: &ServerEntry,
        arguments: &Map<String, Value>,
        error_text: Option<&str>,
        seen: usize,
    ) -> Kept {
        let mut kept = Kept::default();
        let Some(manager) = self.mcp.manager() else {
            return kept;
        };
        for r in manager.refusals(&entry.name).into_iter().skip(seen) {
            if !kept
                .hosts
                .iter()
                .any(|k| k.host == r.host && k.port == r.port)
            {
                kept.hosts.push(r);
            }
        }
        let Some(policy) = manager.policy(&entry.name) else {
            return kept;
        };
        let mut refused = self
            .mcp
            .refused_reach
            .get(&entry.name)
            .cloned()
            .unwrap_or_default();
        refused.extend(&self.mcp.denied_reach(entry));
        let cwd = entry
            .entry
            .cwd
            .as_ref()
            .map(|c| policy.root.join(c))
            .unwrap_or_else(|| policy.root.clone());
        let guarded = sandbox::Guarded::for_root(&policy.root);
        let write_refused = error_text.is_some_and(looks_like_write_refusal);
        for path in sandbox::paths_in(arguments, &cwd) {
            match sandbox::offer(&policy, &guarded, &path, write_refused) {
                Some(Offer::Read(hidden))
                    if !refused.read.contains(&hidden) && !kept.read.contains(&hidden) =>
                {
                    kept.read.push(hidden);
                }
                Some(Offer::Write(dir))
                    if !refused.write.contains(&dir) && !kept.write.contains(&dir) =>
                {
                    kept.write.push(dir);
                }
                Some(Offer::Never(why)) if !kept.never.contains(&why) => kept.never.push(why),
                _ => {}
            }
        }
        kept
    }

    /// Audit `kept` and, where the user may widen, ask. Returns whether
    /// anything was widened (the call should run again).
    pub(super) fn mcp_widen(
        &mut self,
        entry: &ServerEntry,
        tool: &str,
        kept: Kept,
        input: &mut Input,
    ) -> bool {
        for why in &kept.never {
            let args = json!({"tool": tool, "reason": why});
            self.audit_reach(entry, "path-refused", &args, Outcome::Denied, None, why);
            eprintln!("aicoder: MCP server {}: {why}", entry.name);
        }
        if kept.hosts.is_empty() && kept.read.is_empty() && kept.write.is_empty() {
            return false;
        }
        // The proxy audited each host decision as it made it; a name that
        // resolved to an internal address is audited here.
        for r in kept.hosts.iter().filter(|r| r.internal.is_some()) {
            let args = json!({"tool": tool, "host": r.host, "port": r.port});
            self.audit_reach(
                entry,
                "proxy-refused",
                &args,
                Outcome::Denied,
                None,
                &r.reason,
            );
        }
        for (kind, paths) in [("read", &kept.read), ("write", &kept.write)] {
            for p in paths {
                let args = json!({"tool": tool, "path": p, "access": kind});
                let why = if kind == "read" {
                    "hidden by the sandbox (a secret place or aicoder's own folder)"
                } else {
                    "outside the folders the sandbox lets it write"
                };
                self.audit_reach(entry, "path-refused", &args, Outcome::Denied, None, why);
            }
        }
        let yolo = self.state().config.yolo_mode;
        if !input.interactive || yolo {
            let mut what: Vec<String> = kept
                .hosts
                .iter()
                .map(|r| format!("{}:{}", visible(&r.host), r.port))
                .collect();
            what.extend(kept.read.iter().map(|p| format!("reading {}", p.display())));
            what.extend(
                kept.write
                    .iter()
                    .map(|p| format!("writing in {}", p.display())),
            );
            eprintln!(
                "aicoder: the sandbox refused MCP server {} {}; not widened ({}). \
                 Answer the question at a terminal to grant it, or MCP_SANDBOX=0 runs servers unconfined",
                entry.name,
                what.join(", "),
                if yolo { "YOLO mode never widens it" } else { "no terminal to ask" }
            );
            return false;
        }
        let id = entry.id();
        let mut widened_hosts = false;
        let mut widened_paths = false;
        let mut once = Reach::default();
        for r in &kept.hosts {
            let host = visible(&r.host).into_owned();
            println!(
                "The sandbox refused MCP server {} a connection to {host}:{}.",
                entry.name, r.port
            );
            if let Some(ip) = r.internal {
                println!(
                    "  ({host} resolves to the internal address {ip}: allowing it allows {ip})"
                );
            }
            let answer = ask(input);
            let mut scopes = vec![format!("{}:{}", r.host, r.port)];
            scopes.extend(r.internal.map(|ip| format!("{ip}:{}", r.port)));
            let args = json!({"tool": tool, "host": r.host, "port": r.port});
            let Some(scope) = grant_scope(answer) else {
                self.audit_reach(
                    entry,
                    "host-refused",
                    &args,
                    Outcome::Denied,
                    None,
                    "refused by the user at the prompt",
                );
                continue;
            };
            let mut ok = true;
            for text in &scopes {
                let pattern = match ScopePattern::parse(Capability::NetFetch, text) {
                    Ok(p) => p,
                    Err(e) => {
                        eprintln!("aicoder: {e}");
                        ok = false;
                        continue;
                    }
                };
                if let Err(e) = self.host.services().grants().grant_within(
                    &id,
                    Capability::NetFetch,
                    scope,
                    Some(pattern),
                ) {
                    eprintln!("aicoder: {e}");
                    ok = false;
                }
            }
            if scope == Scope::Deny {
                self.audit_reach(
                    entry,
                    "host-refused",
                    &args,
                    Outcome::Denied,
                    Some(Scope::Deny),
                    "denied by the user at the prompt (kept in grants.json)",
                );
            } else if ok {
                self.audit_reach(
                    entry,
                    "host-allowed",
                    &args,
                    Outcome::Allowed,
                    Some(scope),
                    "allowed by the user at the prompt",
                );
                widened_hosts = true;
            }
        }
        for (kind, paths) in [("read", kept.read), ("write", kept.write)] {
            for path in paths {
                if kind == "read" {
                    println!("The sandbox hides {} from MCP server {} (a secret place or aicoder's own folder); the call named a path in it.", path.display(), entry.name);
                } else {
                    println!("The sandbox refused MCP server {} a write to {} (outside the workspace root); allowing it lets the server write {}.", entry.name, path.display(), if path.is_dir() { "anywhere beneath that folder" } else { "that file" });
                }
                let answer = ask(input);
                let args = json!({"tool": tool, "path": path, "access": kind});
                let one = if kind == "read" {
                    Reach {
                        read: vec![path.clone()],
                        write: Vec::new(),
                    }
                } else {
                    Reach {
                        read: Vec::new(),
                        write: vec![path.clone()],
                    }
                };
                match answer {
                    Answer::No | Answer::Deny => {
                        self.mcp
                            .refused_reach
                            .entry(entry.name.clone())
                            .or_default()
                            .extend(&one);
                        if answer == Answer::Deny {
                            let cap = if kind == "read" {
                                sandbox::READ
                            } else {
                                sandbox::WRITE
                            };
                            let text = format!("{cap}:{}", path.display());
                            if let Err(e) =
                                self.host
                                    .services()
                                    .grants()
                                    .grant_text(&id, &text, Scope::Deny)
                            {
                                eprintln!("aicoder: {e}");
                            }
                        }
                        self.audit_reach(
                            entry,
                            "path-refused",
                            &args,
                            Outcome::Denied,
                            grant_scope(answer),
                            "refused by the user at the prompt",
                        );
                        continue;
                    }
                    Answer::Once => once.extend(&one),
                    Answer::Session => self
                        .mcp
                        .session_reach
                        .entry(entry.name.clone())
                        .or_default()
                        .extend(&one),
                    Answer::Always => {
                        let cap = if kind == "read" {
                            sandbox::READ
                        } else {
                            sandbox::WRITE
                        };
                        let text = format!("{cap}:{}", path.display());
                        if let Err(e) =
                            self.host
                                .services()
                                .grants()
                                .grant_text(&id, &text, Scope::Always)
                        {
                            eprintln!("aicoder: {e}");
                            continue;
                        }
                    }
                }
                self.audit_reach(
                    entry,
                    "path-allowed",
                    &args,
                    Outcome::Allowed,
                    grant_scope(answer),
                    "allowed by the user at the prompt",
                );
                widened_paths = true;
            }
        }
        if widened_paths {
            self.mcp.once_reach = Some((entry.name.clone(), once));
            if let Err(e) = self.mcp.restart_widened(&entry.name) {
                eprintln!("aicoder: {}", visible(&e.to_string()));
                return false;
            }
            println!("MCP server {} restarted with the wider sandbox", entry.name);
        }
        widened_hosts || widened_paths
    }

    /// For `/grants`: the paths MCP servers were granted for this session
    /// (kept in the session, not in grants.json).
    pub(super) fn mcp_session_reach(&self) {
        for (server, reach) in &self.mcp.session_reach {
            for p in &reach.read {
                println!("mcp:{server}  {}:{}  session", sandbox::READ, p.display());
            }
            for p in &reach.write {
                println!("mcp:{server}  {}:{}  session", sandbox::WRITE, p.display());
            }
        }
    }

    /// After the call that ran again: `once` grants end (hosts: the live
    /// once answers; paths: the server is started again without them).
    pub(super) fn mcp_end_once(&mut self) {
        self.host.services().grants().end_call();
        if let Some((server, once)) = self.mcp.once_reach.take() {
            if once != Reach::default() {
                if let Err(e) = self.mcp.restart_widened(&server) {
                    eprintln!("aicoder: {}", visible(&e.to_string()));
                }
            }
        }
    }
}

/// The grant scope an answer records (`None`: not recorded).
fn grant_scope(answer: Answer) -> Option<Scope> {
    match answer {
        Answer::Once => Some(Scope::Once),
        Answer::Session => Some(Scope::Session),
        Answer::Always => Some(Scope::Always),
        Answer::Deny => Some(Scope::Deny),
        Answer::No => None,
    }
}

fn ask(input: &mut Input) -> Answer {
    input
        .ask_until(
            "Allow it: [o]nce, for the [s]ession, [a]lways, [d]eny always, or [N]o? ",
            "answer o (once), s (session), a (always, kept in grants.json for this server entry), d (deny, kept) or n",
            |a| match a.trim().to_ascii_lowercase().as_str() {
                "o" | "once" => Some(Answer::Once),
                "s" | "session" => Some(Answer::Session),
                "a" | "always" => Some(Answer::Always),
                "d" | "deny" => Some(Answer::Deny),
                "" | "n" | "no" => Some(Answer::No),
                _ => None,
            },
        )
        .unwrap_or(Answer::No)
}
