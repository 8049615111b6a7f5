//! What a loaded plugin offers, into the app state's registry (the only
//! live copy), and the questions answered from it.

use super::{CallError, LoadFailure, PluginHost, PluginInfo};
use crate::state::{
    CommandEntry, PluginOffer, PluginSummary, RegistryError, ToolEntry, ToolSource,
};

impl PluginHost {
    /// Seed the app state's registry with what the plugin's manifest offers.
    /// A manifest's auto-approval is a request: it holds only once the user
    /// approved that tool for this plugin version (`aicoder plugin approve-tool`).
    pub(super) fn register(&self, info: &PluginInfo) -> Result<(), LoadFailure> {
        let approved: Vec<bool> = {
            let grants = self.services.grants();
            info.manifest
                .tools
                .iter()
                .map(|t| grants.tool_approved(&info.id, &t.name))
                .collect()
        };
        let offer = offer(info, &approved);
        self.services
            .state()
            .register_plugin(offer)
            .map_err(|e| match e {
                RegistryError::ToolClash { tool, owner } => LoadFailure::ToolClash { tool, owner },
            })
    }

    /// Whether `plugin` serves tool or command `name` now: from its manifest
    /// or registered at run time (both live in the app state).
    pub(super) fn offers(
        &self,
        plugin: &str,
        kind: &'static str,
        name: &str,
    ) -> Result<(), CallError> {
        self.plugin(plugin)
            .ok_or_else(|| CallError::NoPlugin(plugin.to_string()))?;
        let state = self.services.state();
        let offered = match kind {
            "tool" => state
                .tools
                .get(name)
                .is_some_and(|t| t.source == ToolSource::Plugin(plugin.to_string())),
            _ => state.command(name).is_some_and(|c| c.plugin == plugin),
        };
        if offered {
            Ok(())
        } else {
            Err(CallError::NotOffered {
                plugin: plugin.to_string(),
                kind,
                name: name.to_string(),
            })
        }
    }

    /// The plugin serving command `name` (from its manifest or registered since).
    pub fn command_owner(&self, name: &str) -> Option<String> {
        self.services
            .state()
            .command(name)
            .map(|c| c.plugin.clone())
    }
}

/// What a plugin's manifest offers, as registry entries: `approved[i]` says
/// whether the user approved the manifest's i-th tool to run unasked.
fn offer(info: &PluginInfo, approved: &[bool]) -> PluginOffer {
    let plugin = &info.manifest.name;
    let tools = info
        .manifest
        .tools
        .iter()
        .enumerate()
        .map(|(i, t)| {
            ToolEntry::new(
                &t.name,
                &t.description,
                t.parameters.clone(),
                approved.get(i).copied().unwrap_or(false),
                ToolSource::Plugin(plugin.clone()),
                !t.hidden,
            )
        })
        .collect();
    let commands = info
        .manifest
        .commands
        .iter()
        .map(|c| CommandEntry {
            name: c.name.clone(),
            description: c.description.clone(),
            plugin: plugin.clone(),
        })
        .collect();
    PluginOffer {
        summary: PluginSummary {
            name: plugin.clone(),
            version: info.manifest.version.clone(),
            source: info.source.name().to_string(),
        },
        tools,
        commands,
        hooks: info.manifest.hooks.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::caps::grants::PluginId;
    use crate::plugins::cache::CacheEvent;
    use crate::plugins::contract::ContractReport;
    use crate::plugins::discovery::PluginSource;
    use crate::plugins::manifest::{CommandSpec, PluginManifest, ToolSpec};

    fn info() -> PluginInfo {
        let tool = |name: &str, hidden| ToolSpec {
            name: name.into(),
            description: format!("{name} tool"),
            parameters: serde_json::json!({"type": "object"}),
            auto_approved: true,
            hidden,
        };
        PluginInfo {
            id: PluginId {
                name: "p".into(),
                hash: "00".repeat(32),
                source: PluginSource::File,
            },
            manifest: PluginManifest {
                name: "p".into(),
                version: "2.0.0".into(),
                description: "test".into(),
                tools: vec![tool("shown", false), tool("hidden", true)],
                commands: vec![CommandSpec {
                    name: "cmd".into(),
                    description: "a command".into(),
                }],
                hooks: vec!["on_session_change".into()],
            },
            source: PluginSource::File,
            path: "/p.wasm".into(),
            contract: ContractReport {
                version: "0.1.0".into(),
                interfaces: Default::default(),
                ceiling: Default::default(),
            },
            cache: CacheEvent::Deferred,
            manifest_cached: true,
        }
    }

    #[test]
    fn the_manifest_seeds_tools_commands_and_hooks_and_auto_approval_needs_the_user() {
        let offer = offer(&info(), &[false, true]);
        assert_eq!(offer.summary.name, "p");
        assert_eq!(offer.summary.version, "2.0.0");
        let shown = &offer.tools[0];
        assert_eq!(shown.source, ToolSource::Plugin("p".into()));
        assert!(shown.offered);
        assert!(
            !shown.auto_approved,
            "the manifest asked; the user did not approve"
        );
        let hidden = &offer.tools[1];
        assert!(!hidden.offered);
        assert!(hidden.auto_approved);
        assert_eq!(offer.commands[0].plugin, "p");
        assert_eq!(offer.hooks, ["on_session_change"]);
    }
}
