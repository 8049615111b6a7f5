//! reminder: every N answers of the model, your standing reminder goes with
//! your next message, inside `<system-reminder>` (v3's reminder), so a long
//! session keeps to what you asked at its start.
//!
//! The reminder is the file `message` of its data folder
//! (`.aicoder/reminder/message`, else `~/.config/aicoder/reminder/message`);
//! `interval` there holds N (30 when absent). `/reminder` shows them,
//! `/reminder msg TEXT`, `/reminder interval N` and `/reminder off` change
//! the project's files.
//!
//! Ceiling: `hooks` (after_user_message_added; brings history.read/write:
//! the answers are counted and your newest message is extended, audited),
//! `data.read`, `data.write` (its own project folder).

use aicoder_plugin_sdk::{
    data, export_plugin, history, Event, EventOutcome, HostError, Manifest, Plugin, PluginError,
};

/// Answers between reminders when no `interval` file says.
pub const DEFAULT_INTERVAL: u32 = 30;

/// The most characters of a reminder.
pub const MAX_MESSAGE: usize = 4_000;

struct Reminder;

/// Whether a reminder is due before the next request: after every
/// `interval` answers of the model (none before the first).
pub fn due(answers: usize, interval: u32) -> bool {
    interval > 0 && answers > 0 && answers.is_multiple_of(interval as usize)
}

/// `text` with the reminder appended.
pub fn with_reminder(text: &str, message: &str) -> String {
    format!(
        "{text}\n\n<system-reminder>\n{}\n</system-reminder>",
        message.trim()
    )
}

/// A data file's text: the project's, else the user's.
fn read(name: &str) -> Option<String> {
    [data::Area::Project, data::Area::User]
        .into_iter()
        .find_map(|area| data::read_file(area, name).ok())
}

/// The reminder (none when empty) and its interval.
fn settings() -> (Option<String>, u32) {
    let message = read("message")
        .map(|m| m.trim().chars().take(MAX_MESSAGE).collect::<String>())
        .filter(|m| !m.is_empty());
    let interval = read("interval")
        .and_then(|t| t.trim().parse().ok())
        .unwrap_or(DEFAULT_INTERVAL);
    (message, interval)
}

fn command(args: &str) -> Result<String, HostError> {
    let args = args.trim();
    let (word, rest) = args.split_once(char::is_whitespace).unwrap_or((args, ""));
    match word {
        "msg" if !rest.trim().is_empty() => data::write_file("message", rest.trim())?,
        "interval" => match rest.trim().parse::<u32>() {
            Ok(n) if n > 0 => data::write_file("interval", &n.to_string())?,
            _ => return Ok("usage: /reminder interval N (N answers, at least 1)".into()),
        },
        "off" => data::write_file("message", "")?,
        "" | "status" => {}
        _ => {
            return Ok("/reminder [status] | msg TEXT | interval N | off".into());
        }
    }
    let (message, interval) = settings();
    Ok(match message {
        Some(m) => format!("reminder every {interval} answers: {m}"),
        None => {
            format!("reminder off (every {interval} answers once `/reminder msg TEXT` sets one)")
        }
    })
}

impl Plugin for Reminder {
    fn new() -> Self {
        Reminder
    }

    fn manifest() -> Manifest {
        Manifest::new(
            "reminder",
            "0.1.0",
            "Every N answers, your standing reminder goes with your next message",
        )
        .command(
            "reminder",
            "Show or set the reminder: msg TEXT, interval N, off",
        )
        .hook("after_user_message_added")
    }

    fn run_command(&mut self, _name: &str, args: &str) -> Result<String, PluginError> {
        match command(args) {
            Err(HostError::AccessDenied(d)) => Ok(format!(
                "not changed: {} is not granted ({})",
                d.capability, d.hint
            )),
            other => other.map_err(Into::into),
        }
    }

    fn on_event(&mut self, event: Event) -> Result<EventOutcome, PluginError> {
        if event.name != "after_user_message_added" {
            return Ok(EventOutcome::Unchanged);
        }
        let (Some(message), interval) = settings() else {
            return Ok(EventOutcome::Unchanged);
        };
        let messages = history::get_messages()?;
        let answers = messages
            .iter()
            .filter(|m| m.role == "assistant" && !m.content.trim().is_empty())
            .count();
        if !due(answers, interval) {
            return Ok(EventOutcome::Unchanged);
        }
        if let Some(i) = messages.iter().rposition(|m| m.role == "user") {
            let mut last = messages[i].clone();
            last.content = with_reminder(&last.content, &message);
            let index =
                u32::try_from(i).map_err(|_| PluginError::Failed("too many messages".into()))?;
            history::set_message(index, &last)?;
        }
        Ok(EventOutcome::Unchanged)
    }
}

export_plugin!(Reminder);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn due_every_interval_answers_never_before_the_first() {
        assert!(!due(0, 1));
        assert!(due(1, 1));
        assert!(!due(29, 30));
        assert!(due(60, 30));
        assert!(!due(5, 0));
        assert_eq!(
            with_reminder("fix it", " tests first \n"),
            "fix it\n\n<system-reminder>\ntests first\n</system-reminder>"
        );
    }
}
