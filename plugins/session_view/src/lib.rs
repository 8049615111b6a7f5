//! session_view: a read-only view of the conversation. One command and one
//! tool, both needing only `history.read`; it can never change anything.

use aicoder_plugin_sdk::{
    export_plugin, history, Args, Manifest, Message, Plugin, PluginError, Preview, ToolOutput,
    ToolSpec,
};

struct SessionView;

const RECENT_SCHEMA: &str = r#"{"type":"object","properties":{"count":{"type":"integer","description":"How many of the latest messages (default 5)"}}}"#;

/// One line per message: index, role and the start of its text.
pub fn transcript(messages: &[Message], width: usize) -> String {
    messages
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let text: String = m.content.replace('\n', " ").chars().take(width).collect();
            let more = if m.content.chars().count() > width {
                "…"
            } else {
                ""
            };
            format!("{i:>3} {:<9} {text}{more}", m.role)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

impl Plugin for SessionView {
    fn new() -> Self {
        SessionView
    }

    fn manifest() -> Manifest {
        Manifest::new(
            "session_view",
            "0.1.0",
            "A read-only view of the conversation",
        )
        .tool(
            ToolSpec::new(
                "recent_messages",
                "The latest messages of this conversation, one line each.",
                RECENT_SCHEMA,
            )
            .auto_approved(),
        )
        .command(
            "transcript",
            "Show the conversation, one line per message: /transcript [WIDTH]",
        )
    }

    fn call_tool(&mut self, name: &str, args: Args) -> Result<ToolOutput, PluginError> {
        if name != "recent_messages" {
            return Err(PluginError::InvalidArguments(format!(
                "unknown tool `{name}`"
            )));
        }
        let count = args.opt_u64("count")?.unwrap_or(5) as usize;
        let messages = history::get_messages()?;
        let start = messages.len().saturating_sub(count);
        let text = transcript(&messages[start..], 200);
        Ok(ToolOutput {
            summary: format!("{} message(s)", messages.len() - start),
            detail: text,
        })
    }

    fn preview_tool(&mut self, _name: &str, _args: Args) -> Result<Preview, PluginError> {
        Ok(Preview {
            text: "read the latest messages".into(),
            capabilities: vec!["history.read".into()],
        })
    }

    fn run_command(&mut self, _name: &str, args: &str) -> Result<String, PluginError> {
        let width = match args.trim() {
            "" => 80,
            w => w.parse().map_err(|_| {
                PluginError::InvalidArguments(format!("usage: /transcript [WIDTH], not {w:?}"))
            })?,
        };
        Ok(transcript(&history::get_messages()?, width))
    }
}

export_plugin!(SessionView);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_per_message_cut_at_width() {
        let m = [
            Message::new("system", "be brief"),
            Message::new("user", "a long\nquestion"),
        ];
        assert_eq!(
            transcript(&m, 6),
            "  0 system    be bri…\n  1 user      a long…"
        );
    }
}
