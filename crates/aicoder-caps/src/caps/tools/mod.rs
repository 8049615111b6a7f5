//! Interface `tools`, capabilities `tools.read` / `tools.manage`: the tool
//! registry offered to the model. `tools.manage` changes only the calling
//! plugin's own tools: no plugin can make the shell, a built-in tool or
//! another plugin's tool run without the approval prompt, or take it away.

use super::{Access, CapCtx, Capability, HostFn};
use crate::bindings::aicoder::plugin::tools::{Host, NewTool, ToolInfo};
use crate::bindings::aicoder::plugin::types::{Denial, HostError};
use crate::caps::audit::{AuditEntry, Outcome};
use crate::state::names::{check_description, parse_parameters, SpecError};
use crate::state::{CommandEntry, ToolEntry, ToolSource, BUILTIN_COMMANDS};
use serde_json::json;

/// The undo of its writes (`caps::undo` drives it).
mod revert;
pub(crate) use revert::{revert, Revert, RevertError};

/// A refused description or schema, as the plugin sees it.
fn invalid(e: SpecError) -> HostError {
    HostError::InvalidArgument(e.to_string())
}

impl Host for CapCtx {
    fn list_tools(&mut self) -> Result<Vec<ToolInfo>, HostError> {
        self.gate_fn(HostFn::ToolsListTools, json!({}), || {
            let state = self.services.state();
            Ok(Access::read(
                state
                    .tools
                    .values()
                    .map(|t| ToolInfo {
                        name: t.name.clone(),
                        description: t.description.clone(),
                        parameters_json: t.parameters.to_string(),
                        auto_approved: t.auto_approved,
                        source: t.source.to_string(),
                        offered: t.offered,
                    })
                    .collect(),
            ))
        })
    }

    fn set_auto_approved(&mut self, name: String, auto_approved: bool) -> Result<(), HostError> {
        let args = json!({ "name": name, "auto_approved": auto_approved });
        self.gate_fn(HostFn::ToolsSetAutoApproved, args, || {
            let mut state = self.services.state();
            let tool = state
                .tools
                .get_mut(&name)
                .ok_or_else(|| HostError::NotFound(format!("tool `{name}`")))?;
            self.own(tool, "change the auto-approval of")?;
            let old = std::mem::replace(&mut tool.auto_approved, auto_approved);
            Ok(Access::write(
                (),
                json!({ "name": name, "auto_approved": old }),
                json!({ "name": name, "auto_approved": auto_approved }),
            ))
        })
    }

    fn set_own_tool_offered(&mut self, name: String, offered: bool) -> Result<(), HostError> {
        // What is offered lives only in the session: a one-shot drops it.
        let tools_own = super::one_shot::TOOLS_OWN;
        if let Some(why) = self.services.outside_session(tools_own) {
            let args = json!({ "name": name, "offered": offered });
            return Err(self.refuse(tools_own, "set-own-tool-offered", args, why));
        }
        // A plugin's own tools are its own business: no grant, but audited.
        let mut entry = AuditEntry::new(
            &self.plugin,
            Capability::ToolsManage,
            "set-own-tool-offered",
            json!({ "name": name, "offered": offered }),
        );
        entry.capability = tools_own.to_string();
        let mut state = self.services.state();
        let owned = state
            .tools
            .get_mut(&name)
            .filter(|t| t.source == ToolSource::Plugin(self.plugin.name.clone()));
        let result = match owned {
            Some(tool) => {
                entry.old = Some(json!({ "name": name, "offered": tool.offered }));
                entry.new = Some(json!({ "name": name, "offered": offered }));
                tool.offered = offered;
                Ok(())
            }
            None => {
                entry.outcome = Outcome::Failed;
                entry.detail = Some("not one of the plugin's own tools".into());
                Err(HostError::NotFound(format!(
                    "`{name}` is not a tool of plugin `{}`",
                    self.plugin.name
                )))
            }
        };
        drop(state);
        self.record(&entry);
        result
    }

    fn register_tool(&mut self, tool: NewTool) -> Result<(), HostError> {
        let args = json!({ "name": tool.name, "description": tool.description, "auto_approved": tool.auto_approved });
        self.gate_fn(HostFn::ToolsRegisterTool, args, || {
            valid_name("tool", &tool.name)?;
            check_description(&tool.description).map_err(invalid)?;
            let parameters =
                parse_parameters(&tool.parameters_json).map_err(invalid)?;
            let mine = ToolSource::Plugin(self.plugin.name.clone());
            let mut state = self.services.state();
            let old = match state.tools.get(&tool.name) {
                Some(existing) if existing.source != mine => {
                    return Err(HostError::InvalidArgument(format!(
                        "tool `{}` already exists ({})",
                        tool.name, existing.source
                    )))
                }
                Some(existing) => serde_json::to_value(existing).unwrap_or_default(),
                None => serde_json::Value::Null,
            };
            let entry = ToolEntry::new(
                &tool.name,
                &tool.description,
                parameters,
                tool.auto_approved,
                mine,
                true,
            );
            let new = serde_json::to_value(&entry).unwrap_or_default();
            state.tools.insert(tool.name, entry);
            Ok(Access::write((), old, new))
        })
    }

    fn register_command(&mut self, name: String, description: String) -> Result<(), HostError> {
        let args = json!({ "name": name, "description": description });
        self.gate_fn(HostFn::ToolsRegisterCommand, args, || {
            valid_name("command", &name)?;
            check_description(&description).map_err(invalid)?;
            if BUILTIN_COMMANDS.contains(&name.as_str()) {
                return Err(HostError::InvalidArgument(format!(
                    "/{name} is a built-in command"
                )));
            }
            let mut state = self.services.state();
            if !state.plugins.iter().any(|p| p.name == self.plugin.name) {
                return Err(HostError::Failed(
                    "the calling plugin is not registered".into(),
                ));
            }
            let existed = match state.command(&name) {
                Some(c) if c.plugin != self.plugin.name => {
                    return Err(HostError::InvalidArgument(format!(
                        "/{name} belongs to plugin `{}`",
                        c.plugin
                    )))
                }
                Some(_) => true,
                None => false,
            };
            if existed {
                // Registering again changes the description the listings show.
                state
                    .commands
                    .retain(|c| !(c.name == name && c.plugin == self.plugin.name));
            }
            state.commands.push(CommandEntry {
                name: name.clone(),
                description,
                plugin: self.plugin.name.clone(),
            });
            Ok(Access::write(
                (),
                json!({ "command": name, "registered": existed }),
                json!({ "command": name, "registered": true }),
            ))
        })
    }

    fn remove_tool(&mut self, name: String) -> Result<(), HostError> {
        self.gate_fn(HostFn::ToolsRemoveTool,
            json!({ "name": name }),
            || {
                let mut state = self.services.state();
                let tool = state
                    .tools
                    .get(&name)
                    .ok_or_else(|| HostError::NotFound(format!("tool `{name}`")))?;
                self.own(tool, "remove")?;
                let old = state
                    .tools
                    .remove(&name)
                    .ok_or_else(|| HostError::NotFound(format!("tool `{name}`")))?;
                Ok(Access::write(
                    (),
                    serde_json::to_value(&old).unwrap_or_default(),
                    json!(null),
                ))
            },
        )
    }
}

impl CapCtx {
    /// Refuse (as access-denied, so it is audited as denied) a change to a
    /// tool the calling plugin does not own.
    fn own(&self, tool: &ToolEntry, action: &str) -> Result<(), HostError> {
        if tool.source == ToolSource::Plugin(self.plugin.name.clone()) {
            return Ok(());
        }
        Err(HostError::AccessDenied(Denial {
            capability: Capability::ToolsManage.name().to_string(),
            hint: format!(
                "tools.manage lets plugin `{}` change only its own tools; it cannot {action} `{}` ({}). \
                 Only you can: approve each call at the prompt, or use YOLO mode",
                self.plugin.name, tool.name, tool.source
            ),
        }))
    }
}

fn valid_name(kind: &str, name: &str) -> Result<(), HostError> {
    if crate::state::names::valid_name(name) {
        Ok(())
    } else {
        Err(HostError::InvalidArgument(format!(
            "{kind} name {} must be lower-case letters, digits, `_` or `-`",
            crate::state::names::shown(name)
        )))
    }
}

#[cfg(test)]
mod tests;
