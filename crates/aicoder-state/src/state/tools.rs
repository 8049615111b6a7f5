//! The tool registry the model chooses from: internal tools and plugin tools.

use serde::Serialize;
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// Where a tool is implemented.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum ToolSource {
    /// Built into aicoder.
    Internal,
    /// Provided by the named plugin.
    Plugin(String),
}

impl std::fmt::Display for ToolSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ToolSource::Internal => f.write_str("internal"),
            ToolSource::Plugin(name) => write!(f, "plugin:{name}"),
        }
    }
}

/// One registered tool.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ToolEntry {
    pub name: String,
    pub description: String,
    /// JSON Schema of the arguments object.
    pub parameters: Value,
    pub auto_approved: bool,
    pub source: ToolSource,
    /// Offered to the model now (a plugin may register a tool hidden).
    pub offered: bool,
}

impl ToolEntry {
    /// A tool entry: the one place one is built, for internal tools, a
    /// plugin's manifest and `tools.register-tool` alike.
    pub fn new(
        name: &str,
        description: &str,
        parameters: Value,
        auto_approved: bool,
        source: ToolSource,
        offered: bool,
    ) -> Self {
        ToolEntry {
            name: name.to_string(),
            description: description.to_string(),
            parameters,
            auto_approved,
            source,
            offered,
        }
    }
}

/// Tools by name.
pub type ToolRegistry = BTreeMap<String, ToolEntry>;

fn entry(
    name: &str,
    description: &str,
    auto_approved: bool,
    parameters: Value,
) -> (String, ToolEntry) {
    (
        name.to_string(),
        ToolEntry::new(
            name,
            description,
            parameters,
            auto_approved,
            ToolSource::Internal,
            true,
        ),
    )
}

/// The internal tools of AI Coder v3, with their argument schemas.
pub fn internal_tools() -> ToolRegistry {
    let path = json!({"type": "string", "description": "Path relative to the working directory"});
    [
        entry(
            "read_file",
            "Read a text file, a page at a time: 150 lines unless limit says otherwise; the result says when more remains.",
            true,
            json!({"type":"object","properties":{
                "path":path,
                "offset":{"type":"integer","description":"Lines to skip from the start (default 0)","default":0},
                "limit":{"type":"integer","description":"Lines to read (default 150; raise it to read more at once)","default":150}
            },"required":["path"]}),
        ),
        entry(
            "write_file",
            "Create or overwrite a file.",
            false,
            json!({"type":"object","properties":{"path":path,"content":{"type":"string"}},"required":["path","content"]}),
        ),
        entry(
            "edit_file",
            "Replace one exact occurrence of old_string with new_string in a file.",
            false,
            json!({"type":"object","properties":{"path":path,"old_string":{"type":"string"},"new_string":{"type":"string"}},"required":["path","old_string","new_string"]}),
        ),
        entry(
            "grep",
            "Search files for a regular expression (at most 500 matching lines).",
            true,
            json!({"type":"object","properties":{"pattern":{"type":"string"},"path":path},"required":["pattern"]}),
        ),
        entry("list_directory", "List a directory.", true, json!({"type":"object","properties":{"path":path}})),
        entry(
            "run_shell_command",
            "Run a shell command in the working directory.",
            false,
            json!({"type":"object","properties":{"command":{"type":"string"},"timeout":{"type":"integer"}},"required":["command"]}),
        ),
    ]
    .into_iter()
    .collect()
}
