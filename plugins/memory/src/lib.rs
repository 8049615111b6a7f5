//! memory: persistent notes across sessions, kept in `.aicoder/memory/`
//! (AI Coder v3's memory plugin, ported). `autoload.md` joins the system
//! prompt in every request with the list of the other notes; the model saves,
//! reads and deletes notes with tools; `/memory` shows the state.
//!
//! Ceiling: `data` (its own `.aicoder/memory/` folder: read, write, delete),
//! `prompt` (its `memory` section of the system prompt), `hooks` (refresh the
//! section when the user sends a message; importing `hooks` also puts
//! history.read/write in the ceiling, which memory never uses).

use aicoder_plugin_sdk::{
    data, export_plugin, prompt, Args, Event, EventOutcome, HostError, Manifest, Plugin,
    PluginError, Preview, ToolOutput, ToolSpec,
};

struct Memory;

/// The note loaded into every prompt.
pub const AUTOLOAD: &str = "autoload.md";
/// The most of `autoload.md` that joins the prompt (v3's default).
pub const AUTOLOAD_MAX: usize = 4096;
/// The largest note the model may save.
pub const NOTE_MAX: usize = 64 << 10;

const SAVE_SCHEMA: &str = r#"{"type":"object","properties":{"file":{"type":"string","description":"Note file name, e.g. index.md or build.md (autoload.md is loaded into every session's prompt)"},"content":{"type":"string","description":"The whole new content of the note"}},"required":["file","content"]}"#;
const FILE_SCHEMA: &str = r#"{"type":"object","properties":{"file":{"type":"string","description":"Note file name, e.g. index.md"}},"required":["file"]}"#;

/// A note name: a plain file name ending in `.md`, no folders.
pub fn check_note_name(file: &str) -> Result<(), PluginError> {
    let ok = file.ends_with(".md")
        && file.len() > 3
        && file.len() <= 80
        && !file.starts_with('.')
        && file
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    if ok {
        Ok(())
    } else {
        Err(PluginError::InvalidArguments(format!(
            "note name {file:?} must be a plain file name ending in .md (letters, digits, `_`, `-`, `.`)"
        )))
    }
}

/// Cut `text` to at most `max` bytes on a character boundary.
pub fn cut(text: &str, max: usize) -> (&str, bool) {
    if text.len() <= max {
        return (text, false);
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    (&text[..end], true)
}

/// The prompt section from the notes (name, size) and autoload's text.
pub fn section(notes: &[(String, u64)], autoload: Option<&str>) -> String {
    let mut out = String::from(
        "Persistent memory for this project (.aicoder/memory/), kept across sessions. \
         Read a note with memory_read, save one with memory_save (the whole content), \
         delete one with memory_delete. Save what you learn that will matter next time: \
         facts, conventions, decisions; keep autoload.md short, it is loaded here every time.\n",
    );
    if notes.is_empty() {
        out.push_str("\nNo notes yet.\n");
    } else {
        out.push_str("\nNotes:\n");
        for (name, size) in notes {
            out.push_str(&format!("- {name} ({size} bytes)\n"));
        }
    }
    if let Some(text) = autoload.filter(|t| !t.trim().is_empty()) {
        let (text, was_cut) = cut(text, AUTOLOAD_MAX);
        out.push_str("\nautoload.md:\n\n");
        out.push_str(text);
        if was_cut {
            out.push_str(&format!("\n[autoload.md cut at {AUTOLOAD_MAX} bytes]"));
        }
        out.push('\n');
    }
    out
}

/// The notes in the folder, sorted by name.
fn notes() -> Result<Vec<(String, u64)>, HostError> {
    Ok(data::list_dir(data::Area::Project, "")?
        .into_iter()
        .filter(|e| !e.is_dir && e.name.ends_with(".md"))
        .map(|e| (e.name, e.size))
        .collect())
}

/// A file's text, `None` when it does not exist.
fn read_optional(file: &str) -> Result<Option<String>, HostError> {
    match data::read_file(data::Area::Project, file) {
        Ok(text) => Ok(Some(text)),
        Err(HostError::NotFound(_)) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Rebuild the `memory` section of the system prompt from the folder.
fn refresh() -> Result<String, HostError> {
    let text = section(&notes()?, read_optional(AUTOLOAD)?.as_deref());
    prompt::set_section("memory", &text)?;
    Ok(text)
}

impl Plugin for Memory {
    fn new() -> Self {
        Memory
    }

    fn manifest() -> Manifest {
        Manifest::new(
            "memory",
            "0.1.0",
            "Persistent project notes across sessions (.aicoder/memory/), autoloaded into the prompt",
        )
        .tool(ToolSpec::new(
            "memory_save",
            "Save a persistent memory note (replaces its content). autoload.md is loaded into every session's prompt.",
            SAVE_SCHEMA,
        ))
        .tool(
            ToolSpec::new("memory_read", "Read a persistent memory note.", FILE_SCHEMA)
                .auto_approved(),
        )
        .tool(ToolSpec::new(
            "memory_delete",
            "Delete a persistent memory note.",
            FILE_SCHEMA,
        ))
        .command(
            "memory",
            "Persistent memory: /memory (status), /memory show (the prompt section)",
        )
        .hook("after_user_message_added")
    }

    fn call_tool(&mut self, name: &str, args: Args) -> Result<ToolOutput, PluginError> {
        let file = args.str("file")?;
        check_note_name(file)?;
        let out = match name {
            "memory_save" => {
                let content = args.str("content")?;
                if content.len() > NOTE_MAX {
                    return Err(PluginError::InvalidArguments(format!(
                        "a note holds at most {NOTE_MAX} bytes; this one is {}",
                        content.len()
                    )));
                }
                data::write_file(file, content)?;
                ToolOutput::text(format!("saved {file} ({} bytes)", content.len()))
            }
            "memory_read" => match read_optional(file)? {
                Some(text) => ToolOutput {
                    summary: format!("read {file} ({} bytes)", text.len()),
                    detail: text,
                },
                None => {
                    return Err(PluginError::InvalidArguments(format!(
                        "there is no note {file}"
                    )))
                }
            },
            "memory_delete" => {
                data::delete_file(file)?;
                ToolOutput::text(format!("deleted {file}"))
            }
            other => {
                return Err(PluginError::InvalidArguments(format!(
                    "unknown tool `{other}`"
                )))
            }
        };
        // The prompt shows the new state at once; without prompt.write the
        // note is still saved.
        if let Err(e) = refresh() {
            aicoder_plugin_sdk::log::warn(&format!("prompt not refreshed: {}", e.message()));
        }
        Ok(out)
    }

    fn preview_tool(&mut self, name: &str, args: Args) -> Result<Preview, PluginError> {
        let file = args.str("file")?;
        let (text, capability) = match name {
            "memory_save" => (
                format!(
                    "save memory note .aicoder/memory/{file} ({} bytes)",
                    args.str("content")?.len()
                ),
                "data.write",
            ),
            "memory_delete" => (
                format!("delete memory note .aicoder/memory/{file}"),
                "data.write",
            ),
            _ => (
                format!("read memory note .aicoder/memory/{file}"),
                "data.read",
            ),
        };
        Ok(Preview {
            text,
            capabilities: vec![capability.into(), "prompt.write".into()],
        })
    }

    fn run_command(&mut self, _name: &str, args: &str) -> Result<String, PluginError> {
        if args.trim() == "show" {
            return match refresh() {
                Ok(text) => Ok(text),
                // Outside a session (`aicoder plugin command`) there is no
                // prompt to keep the section in and the host refuses it:
                // show what a session's prompt would get all the same.
                Err(HostError::Failed(_)) => {
                    Ok(section(&notes()?, read_optional(AUTOLOAD)?.as_deref()))
                }
                Err(e) => Err(e.into()),
            };
        }
        let notes = notes()?;
        if notes.is_empty() {
            return Ok(
                "memory: no notes yet in .aicoder/memory/ (the model saves them with memory_save)"
                    .into(),
            );
        }
        let total: u64 = notes.iter().map(|(_, s)| s).sum();
        let mut out = format!(
            "memory: {} notes, {total} bytes in .aicoder/memory/",
            notes.len()
        );
        for (name, size) in &notes {
            out.push_str(&format!("\n  {name:<30} {size} bytes"));
        }
        Ok(out)
    }

    fn on_event(&mut self, event: Event) -> Result<EventOutcome, PluginError> {
        if event.name == "after_user_message_added" {
            refresh()?;
        }
        Ok(EventOutcome::Unchanged)
    }
}

export_plugin!(Memory);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn note_names_are_plain_markdown_files() {
        assert!(check_note_name("index.md").is_ok());
        assert!(check_note_name("build-notes_2.md").is_ok());
        for bad in ["../x.md", "a/b.md", ".md", "x.txt", ".hidden.md", ""] {
            assert!(check_note_name(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn section_lists_notes_and_bounds_autoload() {
        let s = section(&[], None);
        assert!(s.contains("No notes yet"));
        let long = "é".repeat(AUTOLOAD_MAX);
        let s = section(
            &[
                ("autoload.md".into(), long.len() as u64),
                ("index.md".into(), 3),
            ],
            Some(&long),
        );
        assert!(s.contains("- index.md (3 bytes)"));
        assert!(s.contains("cut at 4096 bytes"));
        assert!(s.len() < AUTOLOAD_MAX + 1024);
    }
}
