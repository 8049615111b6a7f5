//! The session's built-in slash commands, in one table: name, help lines and
//! which command runs. The session dispatches by it (an exhaustive match on
//! [`Builtin`]), `/help` prints it, Tab completes its names, and plugins
//! cannot register a name in it ([`BUILTIN_COMMANDS`]).

/// What a built-in command does; `session/commands.rs` runs each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Builtin {
    Help,
    Save,
    Load,
    New,
    Stats,
    Context,
    Compact,
    Yolo,
    Retry,
    Thinking,
    Plugins,
    Grants,
    Mcp,
    Audit,
    Model,
    /// `/models`: the list (what a person types to see it).
    Models,
    Sessions,
    Edit,
    Quit,
}

/// One row of the table.
#[derive(Debug, Clone, Copy)]
pub struct BuiltinCommand {
    /// What is typed after `/`.
    pub name: &'static str,
    /// Its lines in `/help` (empty for another name of a command listed).
    pub help: &'static str,
    /// What runs.
    pub command: Builtin,
}

const fn row(name: &'static str, help: &'static str, command: Builtin) -> BuiltinCommand {
    BuiltinCommand {
        name,
        help,
        command,
    }
}

/// The built-in commands, in `/help`'s order.
pub const BUILTINS: &[BuiltinCommand] = &[
    row("help", "  /help                 this help", Builtin::Help),
    row(
        "save",
        "  /save [FILE]          save the session (default .aicoder/session.json);
                        every conversation is also autosaved in .aicoder/sessions
                        (continue the latest with `aicoder --resume`)",
        Builtin::Save,
    ),
    row(
        "load",
        "  /load [FILE]          load a saved session",
        Builtin::Load,
    ),
    row(
        "new",
        "  /new                  start over (keeps grants and plugins)",
        Builtin::New,
    ),
    row(
        "stats",
        "  /stats                requests, tokens, time, tool calls",
        Builtin::Stats,
    ),
    row(
        "context",
        "  /context              what the model is sent: system prompt parts
                        (base prompt, AGENTS.md) and their sizes",
        Builtin::Context,
    ),
    row(
        "compact",
        "  /compact              summarise older messages through the model",
        Builtin::Compact,
    ),
    row(
        "yolo",
        "  /yolo [on|off]        YOLO mode (tools run without asking); bare /yolo toggles",
        Builtin::Yolo,
    ),
    row(
        "retry",
        "  /retry                ask the model again for the last answer",
        Builtin::Retry,
    ),
    row(
        "thinking",
        "  /thinking [on|off|default|effort L]  THINKING and REASONING_EFFORT (+ - ++ -- step)",
        Builtin::Thinking,
    ),
    row(
        "plugins",
        "  /plugins              loaded plugins, their tools, commands and grants
  /plugins reload       pick up added, changed and removed plugin files",
        Builtin::Plugins,
    ),
    row(
        "grants",
        "  /grants               grants; /grants revoke PLUGIN CAP removes one",
        Builtin::Grants,
    ),
    row(
        "mcp",
        "  /mcp                  MCP servers: state, tools, last error, log file
  /SERVER:PROMPT [A=V]  send an MCP server's prompt (@SERVER:URI attaches a resource)",
        Builtin::Mcp,
    ),
    row(
        "audit",
        "  /audit [N]            the last N audit-log entries (default 20)
  /audit undo [N]       revert the last N writes plugins made (default 1)
  /audit verify         check the audit log's hash chain",
        Builtin::Audit,
    ),
    row(
        "model",
        "  /model [NAME|N]       alone (or /models): the server's models; with a
                        name or number: switch for the next request",
        Builtin::Model,
    ),
    row("models", "", Builtin::Models),
    row(
        "sessions",
        "  /sessions [N]         autosaved conversations; resume number N",
        Builtin::Sessions,
    ),
    row(
        "edit",
        "  /edit [DRAFT]         write a message in $VISUAL/$EDITOR (also Ctrl-X Ctrl-E)",
        Builtin::Edit,
    ),
    row("quit", "  /quit                 leave", Builtin::Quit),
    row("exit", "", Builtin::Quit),
    row("q", "", Builtin::Quit),
];

/// The names alone: what plugins may not take.
pub const BUILTIN_COMMANDS: [&str; BUILTINS.len()] = {
    let mut names = [""; BUILTINS.len()];
    let mut i = 0;
    while i < BUILTINS.len() {
        names[i] = BUILTINS[i].name;
        i += 1;
    }
    names
};

/// The lines under the commands in `/help`: keys, not commands.
const KEYS: &str = "  Alt-Enter inserts a newline, Tab completes /commands and @paths
  (@path attaches the file), Ctrl-R searches history, Ctrl-C stops a tool";

/// The built-in command typed as `name`.
pub fn builtin(name: &str) -> Option<Builtin> {
    BUILTINS.iter().find(|b| b.name == name).map(|b| b.command)
}

/// `/help`'s list of the built-in commands.
pub fn builtin_help() -> String {
    let mut text = String::from("Commands:");
    for b in BUILTINS.iter().filter(|b| !b.help.is_empty()) {
        text.push('\n');
        text.push_str(b.help);
    }
    text.push('\n');
    text.push_str(KEYS);
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_is_listed_once_and_shown_in_help_or_an_alias() {
        let help = builtin_help();
        for (i, b) in BUILTINS.iter().enumerate() {
            assert!(
                !BUILTINS[..i].iter().any(|o| o.name == b.name),
                "{} twice",
                b.name
            );
            assert_eq!(BUILTIN_COMMANDS[i], b.name);
            let shown = help.contains(&format!("/{} ", b.name));
            let alias = b.help.is_empty()
                && BUILTINS
                    .iter()
                    .any(|o| o.command == b.command && !o.help.is_empty());
            assert!(shown || alias || b.command == Builtin::Models, "{}", b.name);
        }
        assert_eq!(builtin("q"), Some(Builtin::Quit));
        assert_eq!(builtin("nope"), None);
    }
}
