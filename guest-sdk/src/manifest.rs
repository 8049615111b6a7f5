//! Small builders so a manifest reads as a list of what the plugin offers.

use crate::{CommandSpec, Manifest, ToolSpec};
use schemars::JsonSchema;

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

    /// A tool whose parameters are `T`'s JSON Schema (derive `JsonSchema`;
    /// doc comments on the fields become their descriptions, which the model
    /// reads). Read the arguments back with [`crate::Args::parse`].
    pub fn typed<T: JsonSchema>(name: &str, description: &str) -> Self {
        Self::new(name, description, &schema_of::<T>())
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

/// `T`'s schema as a tool's `parameters`: an object schema without the
/// `$schema` and `title` keys, which function-calling APIs do not want.
fn schema_of<T: JsonSchema>() -> String {
    let schema = schemars::schema_for!(T);
    let mut value = schema.to_value();
    if let Some(object) = value.as_object_mut() {
        object.remove("$schema");
        object.remove("title");
    }
    value.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    /// Doc comments are descriptions.
    #[allow(dead_code)]
    #[derive(JsonSchema)]
    struct Search {
        /// What to look for.
        query: String,
        /// At most this many results.
        limit: Option<u32>,
    }

    #[test]
    fn a_typed_tool_declares_its_struct_as_an_object_schema() {
        let tool = ToolSpec::typed::<Search>("search", "Search notes");
        let schema: Value = serde_json::from_str(&tool.parameters_json).unwrap();
        assert_eq!(schema["type"], "object");
        assert_eq!(schema["required"], serde_json::json!(["query"]));
        assert_eq!(
            schema["properties"]["query"]["description"],
            "What to look for."
        );
        assert_eq!(schema["properties"]["limit"]["minimum"], 0);
        assert!(schema.get("$schema").is_none() && schema.get("title").is_none());
        assert!(!tool.auto_approved && !tool.hidden);
    }
}
