//! notify: tells the user aicoder waits for them (v3's notify_prompt): when
//! the session waits at its prompt or asks to approve a tool, the terminal's
//! bell rings (`ui.bell`: the host writes BEL, the plugin writes nothing to
//! the terminal), or, when configured, a command runs instead.
//!
//! The command is the first line of `command` in the user's own data folder
//! (`~/.config/aicoder/notify/command`), e.g. `espeak "aicoder waits"`. It
//! runs through `shell.exec`, which the user grants scoped to it (`--grant
//! 'notify:shell.exec:espeak "aicoder waits"'`). A project's
//! `.aicoder/notify/command` is never read: a cloned repository must not
//! choose a command that runs at every prompt, and a scope such as `espeak*`
//! would cover `espeak=1 sh -c ...`. On and off: grant or revoke `ui.bell`
//! (or the command's grant).
//!
//! Ceiling: `hooks` (brings history.read/write, unused), `ui.bell`,
//! `data.read` (the command file), `shell.exec`.

use aicoder_plugin_sdk::{
    data, export_plugin, log, shell, ui, Event, EventOutcome, HostError, Manifest, Plugin,
    PluginError,
};

/// The events on which the user is waited for.
pub const EVENTS: [&str; 2] = ["before_user_prompt", "before_approval_prompt"];

struct Notify {
    /// A refusal is said once per session, not at every prompt.
    told: bool,
}

/// The first non-empty, non-comment line of a `command` file.
pub fn parse_command(text: &str) -> Option<String> {
    text.lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
}

/// The configured command: the user's file, or none (bell). Never the
/// project's (see the module doc).
fn command() -> Option<String> {
    data::read_file(data::Area::User, "command")
        .ok()
        .and_then(|text| parse_command(&text))
}

/// Ring the bell or run the command.
fn notify() -> Result<(), HostError> {
    match command() {
        Some(cmd) => {
            let out = shell::exec(&cmd, None)?;
            if out.exit_code != 0 {
                let said: String = out.stderr.trim().chars().take(200).collect();
                return Err(HostError::Failed(format!(
                    "the command failed (exit code {}{}){}{said}",
                    out.exit_code,
                    if out.timed_out { ", timed out" } else { "" },
                    if said.is_empty() { "" } else { ": " },
                )));
            }
            Ok(())
        }
        None => ui::bell(),
    }
}

impl Plugin for Notify {
    fn new() -> Self {
        Notify { told: false }
    }

    fn manifest() -> Manifest {
        Manifest::new(
            "notify",
            "0.1.0",
            "Rings the bell (or runs your command) when aicoder waits for you",
        )
        .command(
            "notify",
            "Show how you are notified, or try it (/notify test)",
        )
        .hook(EVENTS[0])
        .hook(EVENTS[1])
    }

    fn run_command(&mut self, _name: &str, args: &str) -> Result<String, PluginError> {
        let how = match command() {
            Some(cmd) => format!("runs `{cmd}` (data file `command`; needs shell.exec)"),
            None => "rings the terminal's bell (needs ui.bell; a `command` file in \
                     .aicoder/notify/ runs a command instead)"
                .to_string(),
        };
        if args.trim() != "test" {
            return Ok(format!(
                "notify {how} when aicoder waits at its prompt or for an approval; \
                 `/notify test` tries it"
            ));
        }
        match notify() {
            Ok(()) => Ok(format!("notified: {how}")),
            Err(HostError::AccessDenied(d)) => Ok(format!(
                "not notified: {} is not granted ({})",
                d.capability, d.hint
            )),
            Err(HostError::Failed(why)) => Ok(format!("not notified: {why}")),
            Err(e) => Err(e.into()),
        }
    }

    fn on_event(&mut self, event: Event) -> Result<EventOutcome, PluginError> {
        if !EVENTS.contains(&event.name.as_str()) {
            return Ok(EventOutcome::Unchanged);
        }
        match notify() {
            Ok(()) => {}
            Err(HostError::AccessDenied(d)) if !self.told => {
                self.told = true;
                log::info(&format!(
                    "notify is off: {} is not granted ({})",
                    d.capability, d.hint
                ));
            }
            // Not said again at every prompt; a missing terminal is not news.
            Err(HostError::AccessDenied(_) | HostError::Failed(_)) => {}
            Err(e) => return Err(e.into()),
        }
        Ok(EventOutcome::Unchanged)
    }
}

export_plugin!(Notify);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_is_the_first_real_line() {
        assert_eq!(
            parse_command("# say it\n\n  espeak 'waiting'  \nls\n").as_deref(),
            Some("espeak 'waiting'")
        );
        assert_eq!(parse_command("# only a comment\n\n"), None);
    }
}
