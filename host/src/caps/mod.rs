//! Capabilities: one module per WIT interface (its host functions, the
//! capability names it answers to, its tests), plus the grant store and the
//! audit log that every host call goes through.
//!
//! Adding a capability: add the variant to [`Capability`], write its module
//! here with `INTERFACE`, `CAPABILITIES` and the `Host` impl, list it in
//! [`INTERFACES`], add the WIT file and a line in docs/capabilities.md.

pub mod audit;
pub mod grants;
pub mod undo;

mod config;
mod fs;
mod history;
mod hooks;
mod log;
mod plugins;
mod process;
mod shell;
mod stats;
mod tools;
mod ui;
mod workspace;

#[cfg(test)]
mod testing;

use crate::config::SandboxLimits;
use crate::plugins::bindings::aicoder::plugin::types::{Denial, HostError};
use crate::state::AppState;
use audit::{AuditEntry, AuditLine, AuditLog, LineTime, Outcome};
use grants::{Decision, GrantStore, PluginId};
use serde_json::Value;
use std::sync::{Arc, Mutex, MutexGuard};

pub use config::{get as config_value, set as set_config_value};
pub use hooks::KNOWN_EVENTS;
pub use process::Jobs;
pub use shell::run as run_shell;
pub use shell::run_with as run_shell_with;
pub use workspace::move_root as move_workspace_root;

/// A named permission a plugin can hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Capability {
    Log,
    HistoryRead,
    HistoryWrite,
    WorkspaceRead,
    WorkspaceWrite,
    StatsRead,
    ToolsRead,
    ToolsManage,
    PluginsRead,
    ConfigRead,
    ConfigWrite,
    HooksRegister,
    FsRead,
    FsWrite,
    ShellExec,
    UiAsk,
    ProcessSpawn,
    ProcessRead,
}

impl Capability {
    /// Every capability, in catalogue order.
    pub const ALL: [Capability; 18] = [
        Capability::Log,
        Capability::HistoryRead,
        Capability::HistoryWrite,
        Capability::WorkspaceRead,
        Capability::WorkspaceWrite,
        Capability::StatsRead,
        Capability::ToolsRead,
        Capability::ToolsManage,
        Capability::PluginsRead,
        Capability::ConfigRead,
        Capability::ConfigWrite,
        Capability::HooksRegister,
        Capability::FsRead,
        Capability::FsWrite,
        Capability::ShellExec,
        Capability::UiAsk,
        Capability::ProcessSpawn,
        Capability::ProcessRead,
    ];

    /// The name users type and the audit log records, e.g. `history.read`.
    pub fn name(self) -> &'static str {
        match self {
            Capability::Log => "log",
            Capability::HistoryRead => "history.read",
            Capability::HistoryWrite => "history.write",
            Capability::WorkspaceRead => "workspace.read",
            Capability::WorkspaceWrite => "workspace.write",
            Capability::StatsRead => "stats.read",
            Capability::ToolsRead => "tools.read",
            Capability::ToolsManage => "tools.manage",
            Capability::PluginsRead => "plugins.read",
            Capability::ConfigRead => "config.read",
            Capability::ConfigWrite => "config.write",
            Capability::HooksRegister => "hooks.register",
            Capability::FsRead => "fs.read",
            Capability::FsWrite => "fs.write",
            Capability::ShellExec => "shell.exec",
            Capability::UiAsk => "ui.ask",
            Capability::ProcessSpawn => "process.spawn",
            Capability::ProcessRead => "process.read",
        }
    }

    /// What holding it allows, in one line.
    pub fn description(self) -> &'static str {
        match self {
            Capability::Log => "write to the plugin's own log (always granted)",
            Capability::HistoryRead => "read the conversation",
            Capability::HistoryWrite => "edit, append to or clear the conversation",
            Capability::WorkspaceRead => "read the working directory",
            Capability::WorkspaceWrite => "change the working directory",
            Capability::StatsRead => "read the session counters (requests, tokens, time)",
            Capability::ToolsRead => "list the tools offered to the model",
            Capability::ToolsManage => "register, remove and auto-approve its own tools",
            Capability::PluginsRead => "list plugins and what they offer",
            Capability::ConfigRead => "read settings (never the API key)",
            Capability::ConfigWrite => {
                "change settings such as the temperature (never YOLO mode, endpoint or model)"
            }
            Capability::HooksRegister => "run plugin code on session events",
            Capability::FsRead => "read files under the working directory",
            Capability::FsWrite => "write files under the working directory",
            Capability::ShellExec => "run shell commands in the working directory",
            Capability::UiAsk => "ask the user a question at the terminal",
            Capability::ProcessSpawn => {
                "start and stop background processes in the workspace root (stopped when the session ends)"
            }
            Capability::ProcessRead => "list its background processes and read their output",
        }
    }

    /// Parse a capability name; `None` if there is no such capability.
    pub fn parse(name: &str) -> Option<Capability> {
        Capability::ALL.into_iter().find(|c| c.name() == name)
    }

    /// The WIT interface (in package `aicoder:plugin`) whose functions need it.
    pub fn interface(self) -> &'static str {
        INTERFACES
            .iter()
            .find(|(_, caps)| caps.contains(&self))
            .map(|(iface, _)| *iface)
            .unwrap_or("?")
    }
}

impl std::fmt::Display for Capability {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// The capability interfaces of `aicoder:plugin` and the capabilities each
/// one's functions check. Importing an interface puts its capabilities in the
/// plugin's ceiling.
pub const INTERFACES: &[(&str, &[Capability])] = &[
    (log::INTERFACE, log::CAPABILITIES),
    (history::INTERFACE, history::CAPABILITIES),
    (workspace::INTERFACE, workspace::CAPABILITIES),
    (stats::INTERFACE, stats::CAPABILITIES),
    (tools::INTERFACE, tools::CAPABILITIES),
    (plugins::INTERFACE, plugins::CAPABILITIES),
    (config::INTERFACE, config::CAPABILITIES),
    (hooks::INTERFACE, hooks::CAPABILITIES),
    (fs::INTERFACE, fs::CAPABILITIES),
    (shell::INTERFACE, shell::CAPABILITIES),
    (ui::INTERFACE, ui::CAPABILITIES),
    (process::INTERFACE, process::CAPABILITIES),
];

/// Interfaces that carry types only and grant nothing.
pub const TYPE_ONLY_INTERFACES: &[&str] = &["types"];

/// What every plugin's host calls share: the app state, the grants, the audit
/// log and the limits. One per session.
pub struct Services {
    state: Mutex<AppState>,
    grants: Mutex<GrantStore>,
    /// The project's audit log.
    pub audit: AuditLog,
    /// Per-call sandbox limits.
    pub limits: SandboxLimits,
    /// The session's background processes (interface `process`), killed
    /// when the session ends.
    pub jobs: Jobs,
}

impl Services {
    /// Bundle the session's shared parts.
    pub fn new(
        state: AppState,
        grants: GrantStore,
        audit: AuditLog,
        limits: SandboxLimits,
    ) -> Arc<Self> {
        Arc::new(Services {
            state: Mutex::new(state),
            grants: Mutex::new(grants),
            audit,
            limits,
            jobs: Jobs::default(),
        })
    }

    /// Lock the app state. A panic elsewhere while it was held does not make
    /// the state unusable: the data is still consistent per operation.
    pub fn state(&self) -> MutexGuard<'_, AppState> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Lock the grant store.
    pub fn grants(&self) -> MutexGuard<'_, GrantStore> {
        self.grants
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// The value a host function produced plus, for writes, the old and new values
/// the audit log records.
pub(crate) struct Access<T> {
    value: T,
    old: Option<Value>,
    new: Option<Value>,
}

impl<T> Access<T> {
    /// A read: nothing changed.
    pub(crate) fn read(value: T) -> Self {
        Access {
            value,
            old: None,
            new: None,
        }
    }
    /// A write from `old` to `new`.
    pub(crate) fn write(value: T, old: Value, new: Value) -> Self {
        Access {
            value,
            old: Some(old),
            new: Some(new),
        }
    }
}

/// The longest string argument the audit log keeps whole (longer ones are cut
/// and their length noted).
pub const AUDIT_ARG_MAX: usize = 4096;

/// The host side of one plugin instance: who is calling, and the shared
/// services. The WIT `Host` traits are implemented on this type, one module
/// per interface.
pub struct CapCtx {
    /// The calling plugin (name and content hash).
    pub plugin: PluginId,
    /// The session's shared services.
    pub services: Arc<Services>,
    /// The deadline of the call this instance is running: host functions
    /// that wait on the outside world (shell.exec) end their wait by it.
    pub deadline: crate::plugins::deadline::CallDeadline,
}

impl CapCtx {
    /// Bind a plugin to the session's services.
    pub fn new(plugin: PluginId, services: Arc<Services>) -> Self {
        CapCtx {
            plugin,
            services,
            deadline: Default::default(),
        }
    }

    /// The one gate every capability call passes: check the grant, run `op`
    /// if allowed, and append one audit line whatever happened.
    pub(crate) fn gate<T>(
        &self,
        capability: Capability,
        operation: &str,
        args: Value,
        op: impl FnOnce() -> Result<Access<T>, HostError>,
    ) -> Result<T, HostError> {
        let decision = self.services.grants().check(&self.plugin, capability);
        // Arguments are the plugin's to choose; the log keeps a bounded copy.
        // `old`/`new` stay whole (undo needs them): the log stores large ones
        // once each as blobs beside it.
        let args = crate::util::shorten_strings(args, AUDIT_ARG_MAX);
        let (mut outcome, mut scope, mut detail) = (Outcome::Allowed, None, None);
        let (mut old, mut new) = (None, None);
        let result = match decision {
            Decision::Denied(reason) => {
                outcome = Outcome::Denied;
                detail = Some(reason.to_string());
                Err(HostError::AccessDenied(Denial {
                    capability: capability.name().to_string(),
                    hint: grant_hint(&self.plugin.name, capability, reason),
                }))
            }
            Decision::Allowed(allowed) => {
                scope = Some(allowed);
                match op() {
                    Ok(access) => {
                        (old, new) = (access.old, access.new);
                        Ok(access.value)
                    }
                    Err(err) => {
                        // A capability may refuse what its grant does not
                        // cover (e.g. another plugin's tool): that is a denial.
                        outcome = match err {
                            HostError::AccessDenied(_) => Outcome::Denied,
                            _ => Outcome::Failed,
                        };
                        detail = Some(crate::util::truncate_text(&describe(&err), AUDIT_ARG_MAX).0);
                        Err(err)
                    }
                }
            }
        };
        self.services.audit.record_line(&AuditLine {
            time: LineTime::Now,
            plugin: &self.plugin.name,
            hash: &self.plugin.hash,
            capability: capability.name(),
            operation,
            args: &args,
            old: old.as_ref(),
            new: new.as_ref(),
            outcome,
            scope,
            detail: detail.as_deref(),
        });
        result
    }

    /// Append an audit entry. The call already happened, so a failure to
    /// record it is reported loudly rather than undone.
    pub(crate) fn record(&self, entry: &AuditEntry) {
        self.services.audit.record(entry);
    }
}

/// `types` carries only types; its (empty) host trait still needs an impl.
impl crate::plugins::bindings::aicoder::plugin::types::Host for CapCtx {}

/// How to get a capability that was refused.
fn grant_hint(plugin: &str, capability: Capability, reason: grants::DenyReason) -> String {
    match reason {
        grants::DenyReason::NotGranted => format!(
            "plugin `{plugin}` has no grant for {capability}; allow it in the approval prompt, \
             start aicoder with --grant {plugin}:{capability}, or run `aicoder plugin grant {plugin} {capability}`"
        ),
        grants::DenyReason::DeniedByUser => format!(
            "you denied {capability} to plugin `{plugin}`; `aicoder plugin revoke {plugin} {capability}` \
             removes the denial"
        ),
    }
}

/// A host error as one line of text (for the audit log and messages).
pub fn describe(err: &HostError) -> String {
    match err {
        HostError::AccessDenied(d) => format!("permission denied: {}: {}", d.capability, d.hint),
        HostError::InvalidArgument(m) => format!("invalid argument: {m}"),
        HostError::NotFound(m) => format!("not found: {m}"),
        HostError::Failed(m) => format!("failed: {m}"),
    }
}

/// The capabilities a component can ever be granted, from its imported
/// interface names (`aicoder:plugin/<interface>@<version>`). Importing
/// `hooks` also puts history.read and history.write in the ceiling: a
/// `transform_request` hook is handed the whole conversation to read and
/// rewrite, and is delivered only with those two grants.
pub fn ceiling<'a>(
    interfaces: impl IntoIterator<Item = &'a str>,
) -> std::collections::BTreeSet<Capability> {
    let mut caps: std::collections::BTreeSet<Capability> = interfaces
        .into_iter()
        .flat_map(|iface| INTERFACES.iter().filter(move |(name, _)| *name == iface))
        .flat_map(|(_, caps)| caps.iter().copied())
        .collect();
    if caps.contains(&Capability::HooksRegister) {
        caps.extend([Capability::HistoryRead, Capability::HistoryWrite]);
    }
    caps
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_capability_has_one_interface_and_round_trips_its_name() {
        for cap in Capability::ALL {
            let owners = INTERFACES
                .iter()
                .filter(|(_, caps)| caps.contains(&cap))
                .count();
            assert_eq!(owners, 1, "{cap} must belong to exactly one interface");
            assert_eq!(Capability::parse(cap.name()), Some(cap));
        }
        assert_eq!(Capability::parse("history.delete"), None);
    }

    #[test]
    fn importing_hooks_puts_the_conversation_in_the_ceiling() {
        let c = ceiling(["hooks"]);
        assert!(c.contains(&Capability::HistoryRead) && c.contains(&Capability::HistoryWrite));
    }

    #[test]
    fn ceiling_follows_imports() {
        let c = ceiling(["history", "fs"]);
        let names: Vec<_> = c.iter().map(|c| c.name()).collect();
        assert_eq!(
            names,
            ["history.read", "history.write", "fs.read", "fs.write"]
        );
    }
}

#[cfg(test)]
mod catalogue_tests {
    use super::*;

    /// docs/capabilities.md must list every capability with every WIT function
    /// of its interface, so the catalogue cannot drift from `wit/`.
    #[test]
    fn capabilities_doc_matches_wit() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let doc = std::fs::read_to_string(root.join("docs/capabilities.md"))
            .expect("docs/capabilities.md");
        for (iface, caps) in INTERFACES {
            let wit = std::fs::read_to_string(root.join("wit").join(format!("{iface}.wit")))
                .expect("wit file");
            assert!(
                wit.contains(&format!("interface {iface} {{")),
                "wit/{iface}.wit declares interface {iface}"
            );
            let rows: Vec<&str> = doc
                .lines()
                .filter(|l| l.contains(&format!("| `{iface}` |")))
                .collect();
            for cap in *caps {
                assert!(
                    rows.iter()
                        .any(|r| r.starts_with(&format!("| `{}` |", cap.name()))),
                    "docs/capabilities.md has no row for {cap} under `{iface}`"
                );
            }
            for line in wit.lines() {
                if let Some((name, _)) = line.trim().split_once(": func(") {
                    let listed = rows.iter().any(|r| r.contains(&format!("`{name}`")))
                        || doc.contains(&format!("`{iface}.{name}`"));
                    assert!(
                        listed,
                        "docs/capabilities.md does not mention {iface}.{name}"
                    );
                }
            }
        }
    }
}
