//! check_after_edit: after each round of tool results, the files the model
//! wrote or edited in that round are checked by the command configured for
//! their extension (a linter, a compiler), and what it reports goes to the
//! model as a message before its next request, so it fixes its own mistakes
//! (in the spirit of AI Coder v3's ruff plugin).
//!
//! The checks are lines `EXT COMMAND` in `checks` of its data folder
//! (`.aicoder/check_after_edit/checks`, else
//! `~/.config/aicoder/check_after_edit/checks`), e.g.
//! `py ruff check --output-format concise`; the files are appended,
//! shell-quoted. Without a file: `py ruff check --output-format concise`.
//! The command runs through `shell.exec`, which the user grants scoped to
//! it (`--grant 'check_after_edit:shell.exec:ruff check*'`): a project's
//! `checks` file can only choose among the commands the grant covers.
//! Without the grant nothing runs and `/check` says how to allow it.
//!
//! Ceiling: `hooks` (after_tool_results; brings history.read/write, used:
//! the round's results are read, the findings appended), `shell.exec`,
//! `data.read` (the checks file).

use aicoder_plugin_sdk::{
    data, export_plugin, history, log, shell, Event, EventOutcome, HostError, Manifest, Message,
    Plugin, PluginError,
};

struct CheckAfterEdit;

/// The checks when no file configures them.
pub const DEFAULT_CHECKS: &str = "py ruff check --output-format concise\n";

/// The most characters of a checker's output given to the model.
pub const MAX_FINDINGS: usize = 6_000;

/// The file a built-in file tool's result says it wrote or edited:
/// `wrote PATH (N bytes)` (write_file), `edited PATH` (edit_file).
pub fn edited_path(tool: &str, result: &str) -> Option<String> {
    let first = result.lines().next()?;
    let path = match tool {
        "write_file" => first.strip_prefix("wrote ")?.rsplit_once(" (")?.0,
        "edit_file" => first.strip_prefix("edited ")?,
        _ => return None,
    };
    (!path.is_empty()).then(|| path.to_string())
}

/// `EXT COMMAND` lines; `#` starts a comment.
pub fn parse_checks(text: &str) -> Vec<(String, String)> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| {
            let (ext, command) = l.split_once(char::is_whitespace)?;
            let command = command.trim();
            (!command.is_empty())
                .then(|| (ext.trim_start_matches('.').to_string(), command.to_string()))
        })
        .collect()
}

/// `text` as one shell word.
pub fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// The commands to run for `files`: one per configured extension that has
/// files, with them appended (in order, each once).
pub fn commands(checks: &[(String, String)], files: &[String]) -> Vec<String> {
    checks
        .iter()
        .filter_map(|(ext, command)| {
            let mut mine: Vec<&String> = files
                .iter()
                .filter(|f| f.rsplit_once('.').is_some_and(|(_, e)| e == ext))
                .collect();
            mine.dedup();
            (!mine.is_empty()).then(|| {
                let args: Vec<String> = mine.iter().map(|f| quote(f)).collect();
                format!("{command} {}", args.join(" "))
            })
        })
        .collect()
}

/// The files written or edited since the model's last answer (this round).
fn edited_this_round(messages: &[Message]) -> Vec<String> {
    let start = messages
        .iter()
        .rposition(|m| m.role == "assistant")
        .map_or(0, |i| i + 1);
    messages[start..]
        .iter()
        .filter(|m| m.role == "tool")
        .filter_map(|m| edited_path(m.name.as_deref()?, &m.content))
        .collect()
}

/// The configured checks: the project's file, the user's, or the default.
fn checks() -> Vec<(String, String)> {
    for area in [data::Area::Project, data::Area::User] {
        if let Ok(text) = data::read_file(area, "checks") {
            return parse_checks(&text);
        }
    }
    parse_checks(DEFAULT_CHECKS)
}

/// Run the checks on `files`; the findings of the commands that failed.
fn run(files: &[String]) -> Result<Vec<String>, HostError> {
    let mut findings = Vec::new();
    for command in commands(&checks(), files) {
        let out = shell::exec(&command, None)?;
        if out.exit_code != 0 {
            let mut text = format!("{}{}", out.stdout, out.stderr);
            if text.len() > MAX_FINDINGS {
                let mut cut = MAX_FINDINGS;
                while !text.is_char_boundary(cut) {
                    cut -= 1;
                }
                text.truncate(cut);
                text.push_str("\n[... cut]");
            }
            findings.push(format!(
                "`{command}` exited with {}:\n{}",
                out.exit_code,
                text.trim_end()
            ));
        }
    }
    Ok(findings)
}

impl Plugin for CheckAfterEdit {
    fn new() -> Self {
        CheckAfterEdit
    }

    fn manifest() -> Manifest {
        Manifest::new(
            "check_after_edit",
            "0.1.0",
            "Checks the files the model edited with a configured linter and tells the model",
        )
        .command("check", "Show the checks, or run them on FILES")
        .hook("after_tool_results")
    }

    fn run_command(&mut self, _name: &str, args: &str) -> Result<String, PluginError> {
        let files: Vec<String> = args.split_whitespace().map(str::to_string).collect();
        if files.is_empty() {
            let lines: Vec<String> = checks()
                .iter()
                .map(|(ext, command)| format!(".{ext}: {command} FILES"))
                .collect();
            return Ok(format!(
                "checks after an edit (data folder file `checks`, lines EXT COMMAND):\n{}",
                lines.join("\n")
            ));
        }
        match run(&files) {
            Ok(findings) if findings.is_empty() => Ok("no findings".into()),
            Ok(findings) => Ok(findings.join("\n\n")),
            Err(HostError::AccessDenied(d)) => Ok(format!(
                "not run: {} (grant it scoped to the checker: `aicoder plugin grant \
                 check_after_edit 'shell.exec:ruff check*'`)",
                d.capability
            )),
            Err(e) => Err(e.into()),
        }
    }

    fn on_event(&mut self, event: Event) -> Result<EventOutcome, PluginError> {
        if event.name != "after_tool_results" {
            return Ok(EventOutcome::Unchanged);
        }
        let files = edited_this_round(&history::get_messages()?);
        if files.is_empty() {
            return Ok(EventOutcome::Unchanged);
        }
        let findings = match run(&files) {
            Ok(f) => f,
            Err(HostError::AccessDenied(d)) => {
                log::info(&format!(
                    "edited files not checked: {} not granted ({})",
                    d.capability, d.hint
                ));
                return Ok(EventOutcome::Unchanged);
            }
            Err(e) => return Err(e.into()),
        };
        if !findings.is_empty() {
            history::append(&Message::new(
                "user",
                format!(
                    "[check_after_edit] The files you just changed have problems; fix them:\n\n{}",
                    findings.join("\n\n")
                ),
            ))?;
        }
        Ok(EventOutcome::Unchanged)
    }
}

export_plugin!(CheckAfterEdit);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_from_the_file_tools_results() {
        assert_eq!(
            edited_path("write_file", "wrote src/a b.py (12 bytes)").as_deref(),
            Some("src/a b.py")
        );
        assert_eq!(
            edited_path("edit_file", "edited x.py").as_deref(),
            Some("x.py")
        );
        assert_eq!(edited_path("read_file", "wrote x (1 bytes)"), None);
        assert_eq!(edited_path("write_file", "Error: no"), None);
    }

    #[test]
    fn commands_per_extension_with_quoted_files() {
        let checks = parse_checks("# c\npy ruff check\n.rs  rustfmt --check\nbad\n");
        assert_eq!(checks.len(), 2);
        let files = [
            "a.py".to_string(),
            "it's.py".into(),
            "m.rs".into(),
            "n.txt".into(),
        ];
        assert_eq!(
            commands(&checks, &files),
            [r"ruff check 'a.py' 'it'\''s.py'", "rustfmt --check 'm.rs'"]
        );
        assert!(commands(&checks, &["x.md".to_string()]).is_empty());
    }
}
