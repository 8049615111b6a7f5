//! Small builders so a manifest reads as a list of what the plugin offers.

use crate::{CommandSpec, Manifest, ToolSpec};

impl Manifest {
    /// A manifest with no tools, commands or hooks yet.
    pub fn new(name: &str, version: &str, description: &str) -> Self {
        Manifest {
            name: name.to_string(),
            version: version.to_string(),
            description: description.to_string(),
            tools: Vec::new(),
            commands: Vec::new(),
            hooks: Vec::new(),
        }
    }

    /// Add a tool.
    pub fn tool(mut self, tool: ToolSpec) -> Self {
        self.tools.push(tool);
        self
    }

    /// Add a slash command.
    pub fn command(mut self, name: &str, description: &str) -> Self {
        self.commands.push(CommandSpec {
            name: name.to_string(),
            description: description.to_string(),
        });
        self
    }

    /// Subscribe to a session event (delivery needs the `hooks.register` grant).
    pub fn hook(mut self, event: &str) -> Self {
        self.hooks.push(event.to_string());
        self
    }
}

impl ToolSpec {
    /// A tool that needs approval; `parameters_json` is a JSON Schema object.
    pub fn new(name: &str, description: &str, parameters_json: &str) -> Self {
        ToolSpec {
            name: name.to_string(),
            description: description.to_string(),
            parameters_json: parameters_json.to_string(),
            auto_approved: false,
            hidden: false,
        }
    }

    /// Register the tool but do not offer it to the model until the plugin
    /// calls `tools::set_own_tool_offered(name, true)`.
    pub fn hidden(mut self) -> Self {
        self.hidden = true;
        self
    }

    /// Mark the tool as safe to run without the approval prompt.
    pub fn auto_approved(mut self) -> Self {
        self.auto_approved = true;
        self
    }
}
