//! The @NAME@ plugin for aicoder.
//!
//! Its ceiling is the set of capability interfaces its code calls: here
//! @CAPS@ (see `status`). Calling another interface widens it.

#[allow(unused_imports)]
use aicoder_plugin_sdk::{
    config, data, fs, history, hooks, log, plugins, process, prompt, shell, stats, tools, ui,
    workspace,
};
use aicoder_plugin_sdk::{
    export_plugin, Args, HostError, Manifest, Plugin, PluginError, Preview, ToolOutput, ToolSpec,
};
use schemars::JsonSchema;
use serde::Deserialize;

/// The `@NAME@_shout` tool's arguments. The model sees the JSON Schema
/// derived from this struct; the doc comments are the fields' descriptions.
#[derive(Deserialize, JsonSchema)]
struct Shout {
    /// Text to shout.
    text: String,
}

/// The plugin's state: made once per plugin instance by `new`, kept between
/// calls for the session.
struct MyPlugin {
    shouted: u32,
}

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
    fn new() -> Self {
        MyPlugin { shouted: 0 }
    }

    fn manifest() -> Manifest {
        Manifest::new("@NAME@", "0.1.0", "What @NAME@ does, in one line")
            .tool(ToolSpec::typed::<Shout>("@NAME@_shout", "Shout the given text.").auto_approved())
            .command("@NAME@", "Show what this plugin can reach (@CAPS@)")
    }

    fn call_tool(&mut self, name: &str, args: Args) -> Result<ToolOutput, PluginError> {
        match name {
            "@NAME@_shout" => {
                let Shout { text } = args.parse()?;
                self.shouted += 1;
                // `summary` is for the terminal, `detail` for the model.
                Ok(ToolOutput {
                    summary: shout(&text),
                    detail: format!("{} (shout {} in this session)", shout(&text), self.shouted),
                })
            }
            other => Err(PluginError::InvalidArguments(format!("unknown tool `{other}`"))),
        }
    }

    fn preview_tool(&mut self, _tool: &str, args: Args) -> Result<Preview, PluginError> {
        let Shout { text } = args.parse()?;
        Ok(Preview { text: format!("shout {text:?}"), capabilities: vec![] })
    }

    fn run_command(&mut self, _name: &str, _args: &str) -> Result<String, PluginError> {
        // A host call's `?` would turn a denial into this command's error;
        // `status` catches each denial instead.
        Ok(format!("{}\nshouted {} time(s) in this session", status(), self.shouted))
    }
}

export_plugin!(MyPlugin);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shouts() {
        assert_eq!(shout("hi"), "HI!");
    }

    #[test]
    fn counts_its_shouts() {
        let mut plugin = MyPlugin::new();
        let args = Args::from_json(r#"{"text":"hi"}"#).unwrap();
        assert_eq!(plugin.call_tool("@NAME@_shout", args).unwrap().summary, "HI!");
        assert_eq!(plugin.shouted, 1);
    }
}
