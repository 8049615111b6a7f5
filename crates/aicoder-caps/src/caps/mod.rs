//! Capabilities: one module per WIT interface (its host functions and its
//! tests), plus the grant store and the audit log that every host call goes
//! through.
//!
//! Every capability is defined once, in the table below: its name, what it
//! allows, its WIT interface and host module, and the WIT functions it
//! guards. `capability_table!` (caps/catalogue.rs) generates the rest;
//! tests/authoring/wit_lists.rs checks the table and the lists that name
//! every function against `wit/`. How to add one: docs/architecture.md.

pub mod audit;
pub mod deadline;
pub mod grants;
pub mod need;
/// net.fetch requests sent to the checked address (used by caps/net.rs).
mod net_send;
pub mod one_shot;
pub mod process_sandbox;
pub mod scope;
pub mod undo;

#[macro_use]
mod catalogue;
mod gate;
pub use gate::{CapCtx, HostAct, AUDIT_ARG_MAX};

#[cfg(test)]
mod gate_tests;
#[cfg(test)]
mod testing;

use crate::bindings::aicoder::plugin::types::{Denial, HostError};
use crate::config::SandboxLimits;
use crate::state::AppState;
use audit::{AuditEntry, AuditLine, AuditLog, LineTime, Outcome};
use grants::{Decision, GrantStore, PluginId};
use serde_json::Value;
use std::sync::{Arc, Mutex, MutexGuard};

pub use hooks::KNOWN_EVENTS;
pub use one_shot::OneShot;
pub use scope::ScopeKind;
pub use workspace::move_root as move_workspace_root;

// The capability table: one row per capability, grouped by WIT interface
// (`in` names the host module, caps/<module>.rs, which implements the
// interface's `Host` trait). Order here is catalogue order.
capability_table! {
    interface "log" in log {
        capability Log = "log": "write to the plugin's own log (always granted)" [always_granted] {}
        // Always allowed and not audited: it neither reads nor changes app state.
        ungated { "write" }
    }
    interface "history" in history {
        capability HistoryRead = "history.read": "read the conversation" [] {
            HistoryGetMessages = "get-messages",
            HistoryCount = "count",
        }
        capability HistoryWrite = "history.write": "edit, append to or clear the conversation" [session_only, undo] {
            HistorySetMessage = "set-message",
            HistoryAppend = "append",
            HistoryClear = "clear",
        }
    }
    interface "workspace" in workspace {
        capability WorkspaceRead = "workspace.read": "read the working directory" [] {
            WorkspaceGetCwd = "get-cwd",
        }
        capability WorkspaceWrite = "workspace.write": "change the working directory" [undo] {
            WorkspaceSetCwd = "set-cwd",
        }
    }
    interface "stats" in stats {
        capability StatsRead = "stats.read": "read the session counters (requests, tokens, time)" [] {
            StatsGetStats = "get-stats",
        }
    }
    interface "tools" in tools {
        capability ToolsRead = "tools.read": "list the tools offered to the model" [] {
            ToolsListTools = "list-tools",
        }
        capability ToolsManage = "tools.manage": "register, remove and auto-approve its own tools" [session_only, undo] {
            ToolsSetAutoApproved = "set-auto-approved",
            ToolsRemoveTool = "remove-tool",
            ToolsRegisterTool = "register-tool",
            ToolsRegisterCommand = "register-command",
        }
        // A plugin's own tools need no grant; audited as `tools.own`.
        ungated { "set-own-tool-offered" }
    }
    interface "plugins" in plugins {
        capability PluginsRead = "plugins.read": "list plugins and what they offer" [] {
            PluginsListPlugins = "list-plugins",
        }
    }
    interface "config" in config {
        capability ConfigRead = "config.read": "read settings (never the API key)" [] {
            ConfigKeys = "keys",
            ConfigGet = "get",
        }
        capability ConfigWrite = "config.write":
            "change settings such as the temperature (never YOLO mode, endpoint or model)" [undo] {
            ConfigSet = "set",
        }
    }
    // A `transform_request` hook is handed the whole conversation to read and
    // rewrite, and is delivered only with history.read and history.write:
    // importing `hooks` puts both in the ceiling.
    interface "hooks" in hooks, ceiling_also [HistoryRead, HistoryWrite] {
        capability HooksRegister = "hooks.register": "run plugin code on session events" [session_only] {
            HooksSubscribe = "subscribe",
            HooksUnsubscribe = "unsubscribe",
        }
        // A constant list; not audited.
        ungated { "known-events" }
    }
    interface "fs" in fs {
        capability FsRead = "fs.read": "read files under the working directory" [scope(Path)] {
            FsReadFile = "read-file",
            FsListDir = "list-dir",
        }
        capability FsWrite = "fs.write": "write files under the working directory" [scope(Path), undo] {
            FsWriteFile = "write-file",
        }
    }
    interface "shell" in shell {
        capability ShellExec = "shell.exec": "run shell commands in the working directory" [scope(Command)] {
            ShellExec = "exec",
        }
    }
    interface "prompt" in prompt {
        capability PromptWrite = "prompt.write": "add its own named sections to the system prompt" [session_only] {
            PromptSetSection = "set-section",
            PromptClearSection = "clear-section",
        }
    }
    interface "data" in data {
        capability DataRead = "data.read": "read its own data folders (.aicoder/<plugin>/, ~/.config/aicoder/<plugin>/)" [] {
            DataReadFile = "read-file",
            DataListDir = "list-dir",
        }
    }
    interface "data-write" in data_write {
        capability DataWrite = "data.write": "write or delete files in its own project data folder (.aicoder/<plugin>/)" [] {
            DataWriteFile = "write-file",
            DataDeleteFile = "delete-file",
        }
    }
    interface "ui" in ui {
        capability UiAsk = "ui.ask": "ask the user a question at the terminal" [] {
            UiAsk = "ask",
        }
    }
    interface "ui-bell" in ui_bell {
        capability UiBell = "ui.bell": "ring the terminal's bell" [] {
            UiBell = "bell",
        }
    }
    interface "ui-clipboard" in ui_clipboard {
        capability UiClipboard = "ui.clipboard": "put text on the terminal's clipboard (OSC 52)" [] {
            UiSetClipboard = "set-clipboard",
        }
    }
    interface "process" in process {
        capability ProcessSpawn = "process.spawn": "start and stop background processes in the workspace root (stopped when the session ends)" [] {
            ProcessStart = "start",
            ProcessStop = "stop",
        }
        capability ProcessRead = "process.read": "list its background processes and read their output" [] {
            ProcessListJobs = "list-jobs",
            ProcessTail = "tail",
        }
    }
    // A standard WASI interface, not ours: its functions are WASI's, and
    // caps/net.rs checks and audits each outgoing request (per host).
    interface "wasi:http/outgoing-handler" in net {
        capability NetFetch = "net.fetch": "make HTTP requests (wasi:http) to the hosts granted" [scope(Host)] {}
    }
}

pub use net::NetHooks;
pub use process::Jobs;

impl std::fmt::Display for Capability {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

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
    /// Set when these services run for a one-shot command, not a session:
    /// the session-only writes it would drop are refused (see [`one_shot`]).
    one_shot: std::sync::OnceLock<OneShot>,
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
            one_shot: std::sync::OnceLock::new(),
        })
    }

    /// Mark these services as running for a one-shot command (once, before
    /// any plugin call): from now on the session-only writes it would drop
    /// are refused. A second call is ignored: the first command's words stay.
    pub fn set_one_shot(&self, one_shot: OneShot) {
        let _ = self.one_shot.set(one_shot);
    }

    /// Why a call audited as `what` (a capability name, or `tools.own`)
    /// cannot be kept here, or `None` in a session (or when it can).
    pub fn outside_session(&self, what: &str) -> Option<String> {
        self.one_shot.get()?.refusal(what)
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
pub struct Access<T> {
    value: T,
    old: Option<Value>,
    new: Option<Value>,
}

impl<T> Access<T> {
    /// A read: nothing changed.
    pub fn read(value: T) -> Self {
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
/// interface names (`aicoder:plugin/<interface>@<version>`): each interface's
/// capabilities and its `ceiling_also` ones (importing `hooks` also puts
/// history.read and history.write in the ceiling).
pub fn ceiling<'a>(
    interfaces: impl IntoIterator<Item = &'a str>,
) -> std::collections::BTreeSet<Capability> {
    interfaces
        .into_iter()
        .flat_map(|iface| {
            INTERFACES
                .iter()
                .chain(CEILING_ALSO)
                .filter(move |(name, _)| *name == iface)
        })
        .flat_map(|(_, caps)| caps.iter().copied())
        .collect()
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

    /// docs/capabilities.md must list every capability with the WIT functions
    /// the table gives it, and mention every WIT function of its interface,
    /// so the catalogue cannot drift from the table or `wit/`.
    #[test]
    fn capabilities_doc_matches_wit() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let doc = std::fs::read_to_string(root.join("docs/capabilities.md"))
            .expect("docs/capabilities.md");
        for (iface, caps) in INTERFACES {
            if iface.contains(':') {
                // A standard WASI interface (net.fetch: wasi:http): its
                // functions are WASI's; only its capability rows are ours.
                for cap in *caps {
                    assert!(
                        doc.lines()
                            .any(|r| r.starts_with(&format!("| `{}` | `{iface}` |", cap.name()))),
                        "docs/capabilities.md has no row for {cap} under `{iface}`"
                    );
                }
                continue;
            }
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
                let row = rows
                    .iter()
                    .find(|r| r.starts_with(&format!("| `{}` |", cap.name())))
                    .unwrap_or_else(|| {
                        panic!("docs/capabilities.md has no row for {cap} under `{iface}`")
                    });
                for func in cap.functions() {
                    assert!(
                        row.contains(&format!("`{}`", func.name())),
                        "docs/capabilities.md's row for {cap} does not list {}",
                        func.qualified_name()
                    );
                }
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
