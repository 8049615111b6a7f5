//! After a confined `run_shell_command`: every host the sandbox's proxy
//! refused is an audit line; at a terminal (not in YOLO mode) the user may
//! widen: grant a refused host (once, for the session, or always) or rerun
//! the command outside the sandbox once. Each widening is an audit line
//! too. Piped and YOLO runs never widen; they say what was refused.
//!
//! A host granted `always` is kept in grants.json like a plugin's
//! `net.fetch` grant, under the grantee [`SHELL_GRANTEE`] (hash
//! [`BUILTIN_HASH`], which no component's blake3 can equal): `/grants`
//! lists it, `/grants revoke run_shell_command net.fetch` removes it.

use super::{Input, Session};
use crate::caps::audit::{AuditLine, LineTime, Outcome};
use crate::caps::grants::{PluginId, Scope};
use crate::caps::process_sandbox;
use crate::caps::scope::ScopePattern;
use crate::caps::Capability;
use crate::state::PluginSource;
use crate::tools::{Ran, RunOptions};
use aicoder_sandbox::HostRule;
use serde_json::json;

/// The name the audit lines of the built-in tools' processes carry.
const WHO: &str = "aicoder";
/// Their capability column.
const CAPABILITY: &str = "process.sandbox";
/// The grantee of the hosts the built-in shell may always reach.
pub const SHELL_GRANTEE: &str = "run_shell_command";
/// Its "hash": not hex, so no plugin's grants are ever its.
pub const BUILTIN_HASH: &str = "builtin";

/// The built-in shell as grants know it.
fn shell_grantee() -> PluginId {
    PluginId {
        name: SHELL_GRANTEE.into(),
        hash: BUILTIN_HASH.into(),
        source: PluginSource::Shipped,
    }
}

/// Why a host allowed "always" at the prompt could not be kept.
#[derive(Debug, thiserror::Error)]
enum KeepError {
    /// The host is no net.fetch scope.
    #[error(transparent)]
    Scope(#[from] crate::caps::scope::ScopeError),
    /// grants.json could not take it.
    #[error(transparent)]
    Store(#[from] crate::caps::grants::GrantError),
}

impl Session {
    /// The hosts the user allowed the built-in shell `always` (grants.json).
    pub(super) fn shell_hosts_always(&self) -> Vec<HostRule> {
        self.host
            .services()
            .grants()
            .list()
            .into_iter()
            .filter(|g| {
                g.plugin == SHELL_GRANTEE && g.hash == BUILTIN_HASH && g.scope == Scope::Always
            })
            .filter_map(|g| {
                let host = g.capability.strip_prefix("net.fetch:")?;
                HostRule::parse(host).ok()
            })
            .collect()
    }

    /// Keep `rules` for the built-in shell in grants.json.
    fn grant_always(&self, rules: &[HostRule]) -> Result<(), KeepError> {
        let mut grants = self.host.services().grants();
        for rule in rules {
            let within = ScopePattern::parse(Capability::NetFetch, &rule.to_string())?;
            grants.grant_within(
                &shell_grantee(),
                Capability::NetFetch,
                Scope::Always,
                Some(within),
            )?;
        }
        Ok(())
    }

    fn audit_sandbox(
        &self,
        operation: &str,
        args: &serde_json::Value,
        outcome: Outcome,
        scope: Option<Scope>,
        detail: &str,
    ) {
        self.host.services().audit.record_line(&AuditLine {
            time: LineTime::Now,
            plugin: WHO,
            hash: "",
            capability: CAPABILITY,
            operation,
            args,
            old: None,
            new: None,
            outcome,
            scope,
            within: None,
            detail: Some(detail),
        });
    }

    /// Audit what the proxy refused during `ran` (of `command`), and, when
    /// the user may widen, ask: `Some(options)` reruns the call with them.
    pub(super) fn sandbox_escalation(
        &mut self,
        command: &str,
        ran: &Ran,
        input: &mut Input,
    ) -> Option<RunOptions> {
        if !ran.confined {
            return None;
        }
        for r in &ran.refused {
            let args = json!({ "command": command, "host": r.host, "port": r.port });
            self.audit_sandbox("proxy-refused", &args, Outcome::Denied, None, &r.reason);
        }
        // A refused host is worth asking about whatever the exit code (curl
        // prints the proxy's 403 and exits 0); a refused path only shows as
        // a failure.
        let failed = ran.exit_code.is_some_and(|c| c != 0);
        if ran.refused.is_empty() && !(failed && ran.sandbox_hint) {
            return None;
        }
        let yolo = self.state().config.yolo_mode;
        if !input.interactive || yolo {
            let what = if ran.refused.is_empty() {
                "something it needed (a path outside the workspace root or a hidden file)"
                    .to_string()
            } else {
                ran.refused
                    .iter()
                    .map(|r| format!("{}:{}", r.host, r.port))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            eprintln!(
                "aicoder: the sandbox refused {what}; not widened ({}). \
                 SHELL_SANDBOX_HOSTS=host,... allows hosts, SHELL_SANDBOX=0 turns the sandbox off",
                if yolo {
                    "YOLO mode never widens it"
                } else {
                    "no terminal to ask"
                }
            );
            return None;
        }
        let shown = crate::term::sanitize::visible(command).into_owned();
        let mut options = RunOptions::default();
        for r in &ran.refused {
            let host = crate::term::sanitize::visible(&r.host).into_owned();
            println!(
                "The sandbox refused a connection of `{shown}` to {host}:{}.",
                r.port
            );
            let answer = input
                .ask_until(
                    "Allow it: [o]nce, for the [s]ession, [a]lways, rerun [u]nconfined once, or [N]o? ",
                    "answer o, s, a, u or n",
                    |a| match a.trim().to_ascii_lowercase().as_str() {
                        "o" | "once" => Some('o'),
                        "s" | "session" => Some('s'),
                        "a" | "always" => Some('a'),
                        "u" | "unconfined" => Some('u'),
                        "" | "n" | "no" => Some('n'),
                        _ => None,
                    },
                )
                .unwrap_or('n');
            // A name that resolved to an internal address passes only with
            // a rule naming that address too (the proxy's rule against DNS
            // tricks): the answer allows both, and says so.
            if let Some(ip) = r.internal {
                println!(
                    "  ({host} resolves to the internal address {ip}: allowing it allows {ip})"
                );
            }
            let mut rules = vec![HostRule {
                host: r.host.clone(),
                port: Some(r.port),
            }];
            rules.extend(r.internal.map(|ip| HostRule {
                host: ip.to_string(),
                port: Some(r.port),
            }));
            let args = json!({ "command": command, "host": r.host, "port": r.port });
            match answer {
                'o' => {
                    self.audit_sandbox(
                        "host-allowed",
                        &args,
                        Outcome::Allowed,
                        Some(Scope::Once),
                        "allowed by the user at the prompt",
                    );
                    options.hosts.extend(rules);
                }
                's' => {
                    self.audit_sandbox(
                        "host-allowed",
                        &args,
                        Outcome::Allowed,
                        Some(Scope::Session),
                        "allowed by the user at the prompt",
                    );
                    for rule in &rules {
                        process_sandbox::allow_for_session(rule.clone());
                    }
                    options.hosts.extend(rules);
                }
                'a' => {
                    match self.grant_always(&rules) {
                        Ok(()) => {
                            self.audit_sandbox(
                                "host-allowed",
                                &args,
                                Outcome::Allowed,
                                Some(Scope::Always),
                                "allowed always by the user at the prompt (grants.json, \
                                 `/grants revoke run_shell_command net.fetch` removes it)",
                            );
                            println!(
                                "  kept in grants.json; /grants revoke {SHELL_GRANTEE} net.fetch \
                                 removes it"
                            );
                        }
                        Err(e) => {
                            // Not saved: still allowed for this session.
                            eprintln!(
                                "aicoder: could not keep the grant ({e}); allowed for this session"
                            );
                            self.audit_sandbox(
                                "host-allowed",
                                &args,
                                Outcome::Allowed,
                                Some(Scope::Session),
                                &format!("always asked but not saved: {e}"),
                            );
                        }
                    }
                    for rule in &rules {
                        process_sandbox::allow_for_session(rule.clone());
                    }
                    options.hosts.extend(rules);
                }
                'u' => return self.rerun_outside(command),
                _ => {}
            }
        }
        if !options.hosts.is_empty() {
            return Some(options);
        }
        if ran.refused.is_empty() {
            println!(
                "`{shown}` failed inside the sandbox; it may have been refused a path \
                 (writes outside the workspace root, aicoder's folders and secrets are refused)."
            );
            let again = input
                .ask_until(
                    "Rerun it outside the sandbox, this once? [y/N]: ",
                    "answer y or n",
                    |a| match a.trim().to_ascii_lowercase().as_str() {
                        "y" | "yes" => Some(true),
                        "" | "n" | "no" => Some(false),
                        _ => None,
                    },
                )
                .unwrap_or(false);
            if again {
                return self.rerun_outside(command);
            }
        }
        None
    }

    fn rerun_outside(&self, command: &str) -> Option<RunOptions> {
        self.audit_sandbox(
            "rerun-unconfined",
            &json!({ "command": command }),
            Outcome::Allowed,
            Some(Scope::Once),
            "the user chose to rerun the command outside the sandbox at the prompt",
        );
        Some(RunOptions {
            outside: true,
            hosts: Vec::new(),
        })
    }
}
