//! The host's copy of a plugin manifest: validated once, cached as JSON.

use crate::bindings::exports::aicoder::plugin::guest;
use serde::{Deserialize, Serialize};

/// A tool a plugin offers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ToolSpec {
    pub name: String,
    pub description: String,
    pub parameters: serde_json::Value,
    pub auto_approved: bool,
    #[serde(default)]
    pub hidden: bool,
}

/// A command a plugin offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommandSpec {
    pub name: String,
    pub description: String,
}

/// What a plugin says it is and offers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PluginManifest {
    pub name: String,
    pub version: String,
    pub description: String,
    pub tools: Vec<ToolSpec>,
    pub commands: Vec<CommandSpec>,
    pub hooks: Vec<String>,
}

pub use crate::state::names::{
    check_description, parse_parameters, shown, valid_name, SpecError, MAX_DESCRIPTION_BYTES,
    MAX_PARAMETERS_BYTES,
};

/// Why a plugin's manifest is refused (the plugin is then not loaded).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ManifestError {
    /// A plugin, tool or command name outside the allowed form.
    #[error("{kind} name {shown} must be lower-case letters, digits, `_` or `-`")]
    BadName {
        /// `plugin`, `tool` or `command`.
        kind: &'static str,
        /// The name as sent, quoted and shortened.
        shown: String,
    },
    /// A tool's description or parameter schema.
    #[error("tool `{name}`: {error}")]
    Tool { name: String, error: SpecError },
    /// A command's description.
    #[error("command `{name}`: {error}")]
    Command { name: String, error: SpecError },
    #[error("tool `{0}` is declared twice")]
    DuplicateTool(String),
    #[error("unknown hook event {shown}; known: {}", crate::state::KNOWN_EVENTS.join(", "))]
    UnknownHook { shown: String },
}

impl PluginManifest {
    /// Validate what the guest returned.
    pub fn from_guest(m: guest::PluginManifest) -> Result<Self, ManifestError> {
        let bad = |kind, name: &str| ManifestError::BadName {
            kind,
            shown: shown(name),
        };
        if !valid_name(&m.name) {
            return Err(bad("plugin", &m.name));
        }
        let mut tools = Vec::new();
        for t in m.tools {
            if !valid_name(&t.name) {
                return Err(bad("tool", &t.name));
            }
            let in_tool = |error| ManifestError::Tool {
                name: t.name.clone(),
                error,
            };
            let parameters = parse_parameters(&t.parameters_json).map_err(in_tool)?;
            check_description(&t.description).map_err(in_tool)?;
            if tools.iter().any(|x: &ToolSpec| x.name == t.name) {
                return Err(ManifestError::DuplicateTool(t.name));
            }
            tools.push(ToolSpec {
                name: t.name,
                description: t.description,
                parameters,
                auto_approved: t.auto_approved,
                hidden: t.hidden,
            });
        }
        let mut commands: Vec<CommandSpec> = Vec::new();
        for c in m.commands {
            let name = c.name.trim_start_matches('/').to_string();
            if !valid_name(&name) {
                return Err(bad("command", &c.name));
            }
            check_description(&c.description).map_err(|error| ManifestError::Command {
                name: name.clone(),
                error,
            })?;
            commands.push(CommandSpec {
                name,
                description: c.description,
            });
        }
        if let Some(hook) = m
            .hooks
            .iter()
            .find(|h| !crate::state::KNOWN_EVENTS.contains(&h.as_str()))
        {
            return Err(ManifestError::UnknownHook { shown: shown(hook) });
        }
        Ok(PluginManifest {
            name: m.name,
            version: m.version,
            description: m.description,
            tools,
            commands,
            hooks: m.hooks,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn name() -> impl Strategy<Value = String> {
        prop_oneof![
            "[a-z][a-z0-9_-]{0,10}",
            ".{0,12}",
            Just("a".repeat(65)),
            Just(String::new())
        ]
    }

    fn manifest() -> impl Strategy<Value = guest::PluginManifest> {
        let parameters = prop_oneof![
            aicoder_testing::json_value().prop_map(|v| v.to_string()),
            ".{0,30}",
            (1usize..300).prop_map(|d| format!("{}{}", "[".repeat(d), "]".repeat(d))),
        ];
        let tool = (name(), ".{0,20}", parameters, any::<bool>(), any::<bool>()).prop_map(
            |(name, description, parameters_json, auto_approved, hidden)| guest::ToolSpec {
                name,
                description,
                parameters_json,
                auto_approved,
                hidden,
            },
        );
        let command = (
            prop_oneof![name(), name().prop_map(|n| format!("/{n}"))],
            ".{0,20}",
        )
            .prop_map(|(name, description)| guest::CommandSpec { name, description });
        let hook = prop_oneof![
            prop::sample::select(crate::state::KNOWN_EVENTS.to_vec()).prop_map(String::from),
            ".{0,12}"
        ];
        (
            name(),
            ".{0,8}",
            prop::collection::vec(tool, 0..4),
            prop::collection::vec(command, 0..3),
            prop::collection::vec(hook, 0..3),
        )
            .prop_map(
                |(name, version, tools, commands, hooks)| guest::PluginManifest {
                    name,
                    version,
                    description: "fuzzed".into(),
                    tools,
                    commands,
                    hooks,
                },
            )
    }

    proptest! {
        /// Whatever a plugin declares, validation answers without panicking;
        /// what it accepts keeps the rules, and survives the manifest cache
        /// (JSON) unchanged.
        #[test]
        fn fuzz_manifests_are_validated(m in manifest()) {
            if let Ok(valid) = PluginManifest::from_guest(m) {
                prop_assert!(valid_name(&valid.name));
                for (i, t) in valid.tools.iter().enumerate() {
                    prop_assert!(valid_name(&t.name) && t.parameters.is_object());
                    prop_assert!(valid.tools[..i].iter().all(|o| o.name != t.name));
                }
                prop_assert!(valid.commands.iter().all(|c| valid_name(&c.name)));
                prop_assert!(valid.hooks.iter().all(|h| crate::state::KNOWN_EVENTS.contains(&h.as_str())));
                let cached = serde_json::to_string(&valid).expect("serialise");
                let back: PluginManifest = serde_json::from_str(&cached).expect("cache reads back");
                prop_assert_eq!(back, valid);
            }
        }
    }
}
