//! copy: `/copy` puts the model's last answer on the clipboard (v3's copy).
//! `/copy` (or `/copy clip`) goes through the terminal with OSC 52
//! (`ui.clipboard`: the host writes the sequence with the text base64-encoded,
//! so an answer holding escape sequences cannot reach the terminal as such;
//! it works over ssh, and in tmux with `set-clipboard on`); `/copy tmux` loads
//! tmux's paste buffer with `tmux set-buffer` through `shell.exec`, granted
//! scoped to it (`--grant 'copy:shell.exec:tmux set-buffer*'`).
//!
//! Ceiling: `history.read` (the last answer), `ui.clipboard`, `shell.exec`.

use aicoder_plugin_sdk::{
    export_plugin, history, shell, ui, HostError, Manifest, Message, Plugin, PluginError,
};

/// The most bytes given to `tmux set-buffer` in one argument (Linux caps one
/// argument at 128 KiB).
pub const TMUX_MAX: usize = 100_000;

struct Copy;

/// The text of the model's last answer (its newest assistant message with
/// text).
pub fn last_answer(messages: &[Message]) -> Option<&str> {
    messages
        .iter()
        .rev()
        .filter(|m| m.role == "assistant")
        .map(|m| m.content.trim())
        .find(|c| !c.is_empty())
}

/// `text` as one shell word.
pub fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

const HELP: &str = "/copy        the last answer to the clipboard (OSC 52 through the terminal)\n\
                    /copy tmux   the last answer to tmux's paste buffer (prefix ] pastes)";

/// What a refused capability means here.
fn refused(e: HostError) -> Result<String, PluginError> {
    match e {
        HostError::AccessDenied(d) => Ok(format!(
            "not copied: {} is not granted ({})",
            d.capability, d.hint
        )),
        HostError::Failed(m) => Ok(format!("not copied: {m}")),
        e => Err(e.into()),
    }
}

impl Plugin for Copy {
    fn new() -> Self {
        Copy
    }

    fn manifest() -> Manifest {
        Manifest::new(
            "copy",
            "0.1.0",
            "/copy puts the model's last answer on the clipboard or in tmux's buffer",
        )
        .command(
            "copy",
            "Copy the last answer: /copy (clipboard), /copy tmux",
        )
    }

    fn run_command(&mut self, _name: &str, args: &str) -> Result<String, PluginError> {
        let how = args.trim().to_ascii_lowercase();
        if !matches!(how.as_str(), "" | "clip" | "clipboard" | "tmux") {
            return Ok(HELP.to_string());
        }
        let messages = match history::get_messages() {
            Ok(m) => m,
            Err(e) => return refused(e),
        };
        let Some(text) = last_answer(&messages) else {
            return Ok("nothing to copy: the model has not answered yet".into());
        };
        let bytes = text.len();
        if how == "tmux" {
            if bytes > TMUX_MAX {
                return Ok(format!(
                    "not copied: the answer is {bytes} bytes, tmux takes at most {TMUX_MAX} here"
                ));
            }
            return match shell::exec(&format!("tmux set-buffer -- {}", quote(text)), None) {
                Ok(out) if out.exit_code == 0 => {
                    Ok(format!("copied {bytes} bytes to tmux's buffer"))
                }
                Ok(out) => Ok(format!(
                    "not copied: tmux said: {}",
                    out.stderr.trim().chars().take(200).collect::<String>()
                )),
                Err(e) => refused(e),
            };
        }
        match ui::set_clipboard(text) {
            Ok(()) => Ok(format!("copied {bytes} bytes to the clipboard")),
            Err(e) => refused(e),
        }
    }
}

export_plugin!(Copy);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_answer_with_text_is_copied() {
        let messages = [
            Message::new("user", "hi"),
            Message::new("assistant", "first"),
            Message::new("user", "more"),
            Message::new("assistant", "second\n"),
            Message::new("assistant", "  "),
        ];
        assert_eq!(last_answer(&messages), Some("second"));
        assert_eq!(last_answer(&messages[..1]), None);
        assert_eq!(quote("it's"), r"'it'\''s'");
    }
}
