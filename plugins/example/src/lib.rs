//! The example plugin: one tool per kind of capability use, two commands.
//! It is the plugin the tests drive and the one the plugin guide copies from.

use aicoder_plugin_sdk::{
    export_plugin, history, log, stats, workspace, Args, Event, EventOutcome, Manifest, Message,
    Plugin, PluginError, Preview, ToolOutput, ToolSpec,
};

struct Example;

const PATH_SCHEMA: &str = r#"{"type":"object","properties":{"path":{"type":"string","description":"Directory to switch to"}},"required":["path"]}"#;
const NAME_SCHEMA: &str =
    r#"{"type":"object","properties":{"name":{"type":"string"}},"required":["name"]}"#;

impl Plugin for Example {
    fn new() -> Self {
        Example
    }

    fn manifest() -> Manifest {
        Manifest::new(
            "example",
            "0.1.0",
            "Example plugin: greetings, project facts, notes",
        )
        .tool(ToolSpec::new("greet", "Greet someone by name.", NAME_SCHEMA).auto_approved())
        .tool(ToolSpec::new(
            "project_info",
            "Working directory, message count and token use of this session.",
            r#"{"type":"object","properties":{}}"#,
        ))
        .tool(ToolSpec::new(
            "change_dir",
            "Change the session's working directory.",
            PATH_SCHEMA,
        ))
        .command("note", "Append a note to the conversation: /note TEXT")
        .command("where", "Print the working directory")
        .hook("on_session_change")
    }

    fn call_tool(&mut self, name: &str, args: Args) -> Result<ToolOutput, PluginError> {
        match name {
            "greet" => Ok(ToolOutput::text(format!("Hello, {}!", args.str("name")?))),
            "project_info" => {
                let cwd = workspace::get_cwd()?;
                let messages = history::count()?;
                let s = stats::get_stats()?;
                Ok(ToolOutput {
                    summary: format!("{cwd}: {messages} messages"),
                    detail: format!(
                        "cwd: {cwd}\nmessages: {messages}\ntokens sent: {}\ntokens received: {}",
                        s.prompt_tokens, s.completion_tokens
                    ),
                })
            }
            "change_dir" => {
                let new = workspace::set_cwd(args.str("path")?)?;
                Ok(ToolOutput::text(format!("working directory is now {new}")))
            }
            other => Err(PluginError::InvalidArguments(format!(
                "unknown tool `{other}`"
            ))),
        }
    }

    fn preview_tool(&mut self, name: &str, args: Args) -> Result<Preview, PluginError> {
        let (text, capabilities) = match name {
            "greet" => (format!("Greet {}", args.str("name")?), vec![]),
            "project_info" => (
                "Read the working directory, message count and token counters".to_string(),
                vec!["workspace.read", "history.read", "stats.read"],
            ),
            "change_dir" => (
                format!("Change the working directory to {}", args.str("path")?),
                vec!["workspace.write"],
            ),
            other => {
                return Err(PluginError::InvalidArguments(format!(
                    "unknown tool `{other}`"
                )))
            }
        };
        Ok(Preview {
            text,
            capabilities: capabilities.into_iter().map(String::from).collect(),
        })
    }

    fn run_command(&mut self, name: &str, args: &str) -> Result<String, PluginError> {
        match name {
            "note" => {
                let text = args.trim();
                if text.is_empty() {
                    return Err(PluginError::InvalidArguments(
                        "usage: /note TEXT".to_string(),
                    ));
                }
                history::append(&Message::new("user", format!("Note: {text}")))?;
                Ok(format!("noted ({} messages)", history::count()?))
            }
            "where" => Ok(workspace::get_cwd()?),
            other => Err(PluginError::InvalidArguments(format!(
                "unknown command `/{other}`"
            ))),
        }
    }

    fn on_event(&mut self, event: Event) -> Result<EventOutcome, PluginError> {
        log::info(&format!("event {}", event.name));
        Ok(EventOutcome::Unchanged)
    }
}

export_plugin!(Example);
