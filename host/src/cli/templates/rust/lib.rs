//! The @NAME@ plugin for aicoder.
//!
//! Its ceiling is the set of capability interfaces its code calls: here
//! @CAPS@ (see `status`). Calling another interface widens it.

#[allow(unused_imports)]
use aicoder_plugin_sdk::{
    config, fs, history, hooks, log, plugins, shell, stats, tools, workspace,
};
use aicoder_plugin_sdk::{
    export_plugin, Args, HostError, Manifest, Plugin, PluginError, Preview, ToolOutput, ToolSpec,
};

struct MyPlugin;

const TEXT_SCHEMA: &str = r#"{"type":"object","properties":{"text":{"type":"string"}},"required":["text"]}"#;

/// The tool's logic, kept free of host calls so it is easy to test.
pub fn shout(text: &str) -> String {
    format!("{}!", text.to_uppercase())
}

/// `label: value`, or for a refused host call the denial (which names the
/// capability and how to grant it).
#[allow(dead_code)]
fn report(label: &str, call: Result<String, HostError>) -> String {
    match call {
        Ok(text) => format!("{label}: {text}"),
        Err(denied @ HostError::AccessDenied(_)) => {
            format!("{label}: not granted: {}", denied.message())
        }
        Err(other) => format!("{label}: {}", other.message()),
    }
}

/// One line per capability this plugin imports; a denial is caught and shown.
fn status() -> String {
    let mut lines: Vec<String> = Vec::new();
@STATUS@
    lines.join("\n")
}

impl Plugin for MyPlugin {
    fn manifest() -> Manifest {
        Manifest::new("@NAME@", "0.1.0", "What @NAME@ does, in one line")
            .tool(ToolSpec::new("@NAME@_shout", "Shout the given text.", TEXT_SCHEMA).auto_approved())
            .command("@NAME@", "Show what this plugin can reach (@CAPS@)")
    }

    fn call_tool(name: &str, args: Args) -> Result<ToolOutput, PluginError> {
        match name {
            "@NAME@_shout" => Ok(ToolOutput::text(shout(args.str("text")?))),
            other => Err(PluginError::InvalidArguments(format!("unknown tool `{other}`"))),
        }
    }

    fn preview_tool(_tool: &str, args: Args) -> Result<Preview, PluginError> {
        Ok(Preview { text: format!("shout {:?}", args.str("text")?), capabilities: vec![] })
    }

    fn run_command(_name: &str, _args: &str) -> Result<String, PluginError> {
        // A host call's `?` would turn a denial into this command's error;
        // `status` catches each denial instead.
        Ok(status())
    }
}

export_plugin!(MyPlugin);

#[cfg(test)]
mod tests {
    #[test]
    fn shouts() {
        assert_eq!(super::shout("hi"), "HI!");
    }
}
