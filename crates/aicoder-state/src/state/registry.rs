//! The live registry of what plugins offer: their tools (in
//! [`AppState::tools`], next to the internal ones), slash commands and event
//! subscriptions. A plugin's manifest seeds it at load
//! ([`AppState::register_plugin`]); run-time registration (`tools.manage`,
//! `hooks.register`) changes it; /help, /plugins, `plugins.list-plugins` and
//! event delivery read only from it, so there is no second copy to drift.

use super::{AppState, PluginSummary, ToolEntry, ToolSource};

/// A slash command a plugin serves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandEntry {
    pub name: String,
    pub description: String,
    /// The plugin serving it.
    pub plugin: String,
}

/// Everything a plugin offers at load, from its manifest.
#[derive(Debug, Clone)]
pub struct PluginOffer {
    pub summary: PluginSummary,
    pub tools: Vec<ToolEntry>,
    pub commands: Vec<CommandEntry>,
    /// Events the manifest subscribes to.
    pub hooks: Vec<String>,
}

/// Why a plugin's offer was not registered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RegistryError {
    #[error("its tool `{tool}` clashes with the tool of the same name from {owner}")]
    ToolClash { tool: String, owner: String },
}

impl AppState {
    /// Seed the registry with a plugin's offer: all of it or, on a clash with
    /// an existing tool, none of it.
    pub fn register_plugin(&mut self, offer: PluginOffer) -> Result<(), RegistryError> {
        if let Some(t) = offer
            .tools
            .iter()
            .find(|t| self.tools.contains_key(&t.name))
        {
            return Err(RegistryError::ToolClash {
                tool: t.name.clone(),
                owner: self.tools[&t.name].source.to_string(),
            });
        }
        let name = offer.summary.name.clone();
        for tool in offer.tools {
            self.tools.insert(tool.name.clone(), tool);
        }
        self.commands.retain(|c| c.plugin != name);
        self.commands.extend(offer.commands);
        let hooks = self.hook_subscriptions.entry(name).or_default();
        hooks.extend(offer.hooks);
        self.plugins.push(offer.summary);
        Ok(())
    }

    /// Take everything plugin `name` offers out of the registry.
    pub fn unregister_plugin(&mut self, name: &str) {
        let source = ToolSource::Plugin(name.to_string());
        self.tools.retain(|_, t| t.source != source);
        self.commands.retain(|c| c.plugin != name);
        self.plugins.retain(|p| p.name != name);
        self.hook_subscriptions.remove(name);
        self.prompt_sections.retain(|(plugin, _), _| plugin != name);
    }

    /// The names of the tools plugin `name` serves now.
    pub fn plugin_tools(&self, name: &str) -> Vec<String> {
        let source = ToolSource::Plugin(name.to_string());
        self.tools
            .values()
            .filter(|t| t.source == source)
            .map(|t| t.name.clone())
            .collect()
    }

    /// The commands plugin `name` serves now, in the order they came.
    pub fn plugin_commands<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a CommandEntry> {
        self.commands.iter().filter(move |c| c.plugin == name)
    }

    /// The command called `name`, whichever plugin serves it.
    pub fn command(&self, name: &str) -> Option<&CommandEntry> {
        self.commands.iter().find(|c| c.name == name)
    }

    /// The plugins subscribed to `event` now, in load order.
    pub fn subscribers(&self, event: &str) -> Vec<String> {
        self.plugins
            .iter()
            .filter(|p| {
                self.hook_subscriptions
                    .get(&p.name)
                    .is_some_and(|s| s.contains(event))
            })
            .map(|p| p.name.clone())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    fn offer(name: &str, tool: &str, command: &str, hooks: &[&str]) -> PluginOffer {
        PluginOffer {
            summary: PluginSummary {
                name: name.into(),
                version: "1.0.0".into(),
                source: "project".into(),
            },
            tools: vec![ToolEntry::new(
                tool,
                "a tool",
                serde_json::json!({"type": "object"}),
                false,
                ToolSource::Plugin(name.into()),
                true,
            )],
            commands: vec![CommandEntry {
                name: command.into(),
                description: "a command".into(),
                plugin: name.into(),
            }],
            hooks: hooks.iter().map(|h| h.to_string()).collect(),
        }
    }

    fn state() -> AppState {
        AppState::new(
            std::env::temp_dir(),
            Config::from_lookup(|_| None).expect("defaults"),
        )
    }

    #[test]
    fn seeding_registers_tools_commands_and_hooks_and_unregistering_removes_them() {
        let mut state = state();
        state
            .register_plugin(offer("a", "a_tool", "a-cmd", &["on_session_change"]))
            .expect("no clash");
        assert_eq!(state.plugin_tools("a"), ["a_tool"]);
        assert_eq!(state.command("a-cmd").map(|c| c.plugin.as_str()), Some("a"));
        assert_eq!(state.subscribers("on_session_change"), ["a"]);
        state.unregister_plugin("a");
        assert!(state.plugin_tools("a").is_empty());
        assert!(state.command("a-cmd").is_none());
        assert!(state.subscribers("on_session_change").is_empty());
        assert!(state.plugins.is_empty());
        assert!(state.tools.contains_key("read_file"), "internal tools stay");
    }

    #[test]
    fn a_clash_registers_nothing() {
        let mut state = state();
        let err = state
            .register_plugin(offer("a", "grep", "a-cmd", &["on_session_change"]))
            .expect_err("clashes with the internal grep");
        assert_eq!(
            err,
            RegistryError::ToolClash {
                tool: "grep".into(),
                owner: "internal".into()
            }
        );
        assert!(state.command("a-cmd").is_none());
        assert!(state.plugins.is_empty());
        assert!(state.subscribers("on_session_change").is_empty());
        assert_eq!(state.tools["grep"].source, ToolSource::Internal);
    }

    #[test]
    fn subscribers_come_in_load_order_and_unsubscribing_a_manifest_hook_holds() {
        let mut state = state();
        for name in ["b", "a", "c"] {
            state
                .register_plugin(offer(
                    name,
                    &format!("{name}_t"),
                    &format!("{name}-c"),
                    &["on_session_change"],
                ))
                .expect("no clash");
        }
        assert_eq!(state.subscribers("on_session_change"), ["b", "a", "c"]);
        // What hooks.unsubscribe does: the manifest's subscription is gone too.
        state
            .hook_subscriptions
            .get_mut("a")
            .map(|s| s.remove("on_session_change"));
        assert_eq!(state.subscribers("on_session_change"), ["b", "c"]);
    }
}
