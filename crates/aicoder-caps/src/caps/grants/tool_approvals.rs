//! Tools the user allowed to run without the approval prompt, per plugin
//! version (kept in the grants file beside the grants).

use super::*;

impl GrantStore {
    /// Whether the user allowed `tool` of this plugin version to run without
    /// the approval prompt.
    pub fn tool_approved(&self, plugin: &PluginId, tool: &str) -> bool {
        self.approvals.iter().any(|a| {
            a.plugin == plugin.name
                && a.hash == plugin.hash
                && a.source == plugin.source.name()
                && a.tool == tool
                && a.args.is_none()
        })
    }

    /// The argument patterns of the narrowed approvals of `tool` of this
    /// plugin version (an MCP server entry's "always" for some arguments).
    pub fn tool_approvals_narrowed(
        &self,
        plugin: &PluginId,
        tool: &str,
    ) -> Vec<std::collections::BTreeMap<String, String>> {
        self.approvals
            .iter()
            .filter(|a| {
                a.plugin == plugin.name
                    && a.hash == plugin.hash
                    && a.source == plugin.source.name()
                    && a.tool == tool
            })
            .filter_map(|a| a.args.clone())
            .collect()
    }

    /// Allow `tool` of this plugin version to run without the approval
    /// prompt for calls whose arguments `args` covers (persisted, beside
    /// other narrowed approvals of the tool).
    pub fn approve_tool_narrowed(
        &mut self,
        plugin: &PluginId,
        tool: &str,
        args: std::collections::BTreeMap<String, String>,
    ) -> Result<(), GrantError> {
        let approval = ToolApproval::now(plugin, tool, Some(args));
        self.update(|_, approvals| {
            approvals.retain(|a| {
                !(a.plugin == approval.plugin && a.tool == approval.tool && a.args == approval.args)
            });
            approvals.push(approval.clone());
        })
    }

    /// Every tool the user allowed to run without the approval prompt.
    pub fn list_tool_approvals(&self) -> Vec<ToolApproval> {
        self.approvals.clone()
    }

    /// Allow `tool` of this plugin version to run without the approval
    /// prompt (persisted; a new version asks again).
    pub fn approve_tool(&mut self, plugin: &PluginId, tool: &str) -> Result<(), GrantError> {
        let approval = ToolApproval::now(plugin, tool, None);
        self.update(|_, approvals| {
            approvals.retain(|a| !(a.plugin == approval.plugin && a.tool == approval.tool));
            approvals.push(approval.clone());
        })
    }

    /// Withdraw the approval of `tool` of plugin `name` (every version).
    /// Returns how many were removed.
    pub fn unapprove_tool(&mut self, name: &str, tool: &str) -> Result<usize, GrantError> {
        let matches = |a: &ToolApproval| a.plugin == name && a.tool == tool;
        let removed = self.approvals.iter().filter(|a| matches(a)).count();
        if removed > 0 {
            self.update(|_, approvals| approvals.retain(|a| !matches(a)))?;
        }
        Ok(removed)
    }
}

impl ToolApproval {
    /// An approval of `tool` of this plugin version made now, narrowed to
    /// `args` when given.
    fn now(
        plugin: &PluginId,
        tool: &str,
        args: Option<std::collections::BTreeMap<String, String>>,
    ) -> Self {
        ToolApproval {
            plugin: plugin.name.clone(),
            hash: plugin.hash.clone(),
            source: plugin.source.name().to_string(),
            tool: tool.to_string(),
            approved_at: crate::util::now_rfc3339(),
            args,
        }
    }
}
