//! The system prompt, built as AI Coder v3 builds it
//! (aicoder/core/prompt_builder.py): the base prompt, or the project's
//! PROMPT-OVERRIDE.md in its place, then each AGENTS.md after a `---`
//! separator: the user's (`~/.config/aicoder/AGENTS.md`) first, the
//! project's last, so the most specific instructions are read last.

use std::io::Read;
use std::path::{Path, PathBuf};

/// The most of one file that joins the system prompt.
pub const MAX_PART_BYTES: usize = 64 << 10;

/// The separator v3 puts before AGENTS.md.
const SEPARATOR: &str = "\n\n---\n\n";

/// One piece of the system prompt, for `/context`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PromptPart {
    /// "built-in base prompt" or the file it came from.
    pub source: String,
    /// Bytes of text this part adds (besides its `---` separator).
    pub bytes: usize,
    /// The file's size when it was cut to [`MAX_PART_BYTES`].
    pub cut_from: Option<u64>,
}

/// The system prompt and what it is made of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SystemPrompt {
    pub text: String,
    pub parts: Vec<PromptPart>,
}

/// A file that joins the prompt: its text (cut to the bound) and its size.
struct Loaded {
    text: String,
    size: u64,
}

/// Read an optional prompt file. A missing file is `Ok(None)`; a file that is
/// not a regular file or cannot be read is an error naming it.
fn load(path: &Path) -> Result<Option<Loaded>, String> {
    use std::os::unix::fs::OpenOptionsExt;
    // O_NONBLOCK: a FIFO named AGENTS.md must not hold the start forever.
    let file = match std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY)
        .open(path)
    {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
    };
    let meta = file
        .metadata()
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    if !meta.is_file() {
        return Err(format!("{} is not a regular file", path.display()));
    }
    let mut bytes = Vec::new();
    file.take(MAX_PART_BYTES as u64)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    // Cut on a character boundary: drop a partial UTF-8 sequence at the end.
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let mut bytes = e.into_bytes();
            if bytes.len() - valid < 4 && meta.len() > MAX_PART_BYTES as u64 {
                bytes.truncate(valid);
            }
            String::from_utf8_lossy(&bytes).into_owned()
        }
    };
    Ok(Some(Loaded {
        text,
        size: meta.len(),
    }))
}

/// Build the system prompt for a project rooted at `project_root`, with the
/// user's config folder `user_config_dir`. Returns the prompt and the
/// messages to show (a file cut or left out); a missing file says nothing.
pub fn build(
    base: &str,
    project_root: &Path,
    user_config_dir: &Path,
) -> (SystemPrompt, Vec<String>) {
    let mut notes = Vec::new();
    let mut parts = Vec::new();
    let take = |path: PathBuf, notes: &mut Vec<String>| match load(&path) {
        Ok(Some(loaded)) => {
            let cut = loaded.size > MAX_PART_BYTES as u64;
            if cut {
                notes.push(format!(
                    "{} is {} bytes; only its first {} KiB joins the system prompt",
                    path.display(),
                    loaded.size,
                    MAX_PART_BYTES >> 10
                ));
            }
            Some((path, loaded, cut))
        }
        Ok(None) => None,
        Err(e) => {
            notes.push(format!("{e}; it is left out of the system prompt"));
            None
        }
    };
    let (env_prompt, env_append) = crate::headless::settings::system_prompt_env();
    let mut text = match env_prompt {
        // AICODER_SYSTEM_PROMPT comes before PROMPT-OVERRIDE.md, as in v3.
        Some(prompt) => {
            parts.push(PromptPart {
                source: "AICODER_SYSTEM_PROMPT (replaces the base prompt)".into(),
                bytes: prompt.len(),
                cut_from: None,
            });
            prompt
        }
        None => match take(project_root.join("PROMPT-OVERRIDE.md"), &mut notes) {
            Some((path, loaded, cut)) => {
                parts.push(PromptPart {
                    source: format!("{} (replaces the base prompt)", path.display()),
                    bytes: loaded.text.len(),
                    cut_from: cut.then_some(loaded.size),
                });
                loaded.text
            }
            None => {
                parts.push(PromptPart {
                    source: "built-in base prompt".into(),
                    bytes: base.len(),
                    cut_from: None,
                });
                base.to_string()
            }
        },
    };
    for path in [
        user_config_dir.join("AGENTS.md"),
        project_root.join("AGENTS.md"),
    ] {
        if let Some((path, loaded, cut)) = take(path, &mut notes) {
            text.push_str(SEPARATOR);
            text.push_str(&loaded.text);
            parts.push(PromptPart {
                source: path.display().to_string(),
                bytes: loaded.text.len(),
                cut_from: cut.then_some(loaded.size),
            });
        }
    }
    if let Some(append) = env_append {
        text.push_str("\n\n");
        text.push_str(&append);
        parts.push(PromptPart {
            source: "AICODER_SYSTEM_PROMPT_APPEND".into(),
            bytes: append.len(),
            cut_from: None,
        });
    }
    (SystemPrompt { text, parts }, notes)
}

impl SystemPrompt {
    /// The `/context` listing: each part and its size.
    pub fn describe(&self) -> String {
        let mut out = format!(
            "system prompt: {} bytes (~{} tokens)",
            self.text.len(),
            self.text.len() / 4
        );
        for part in &self.parts {
            out.push_str(&format!("\n  {:<60} {} bytes", part.source, part.bytes));
            if let Some(size) = part.cut_from {
                out.push_str(&format!(
                    " (cut from {size} bytes at {} KiB)",
                    MAX_PART_BYTES >> 10
                ));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_in_order_missing_files_silent_huge_ones_cut() {
        let dir = tempfile::tempdir().expect("tempdir");
        let project = dir.path().join("p");
        let user = dir.path().join("u");
        std::fs::create_dir_all(&project).expect("mkdir");
        std::fs::create_dir_all(&user).expect("mkdir");
        let (prompt, notes) = build("BASE", &project, &user);
        assert_eq!((prompt.text.as_str(), notes.len()), ("BASE", 0));

        std::fs::write(user.join("AGENTS.md"), "user rules").expect("write");
        std::fs::write(project.join("AGENTS.md"), "é".repeat(MAX_PART_BYTES)).expect("write");
        let (prompt, notes) = build("BASE", &project, &user);
        assert!(prompt
            .text
            .starts_with("BASE\n\n---\n\nuser rules\n\n---\n\né"));
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert!(notes[0].contains("64 KiB"), "{notes:?}");
        assert_eq!(prompt.parts.len(), 3);
        assert_eq!(prompt.parts[2].cut_from, Some(2 * MAX_PART_BYTES as u64));
        assert!(prompt.text.len() <= 4 + 2 * SEPARATOR.len() + 10 + MAX_PART_BYTES);

        std::fs::write(project.join("PROMPT-OVERRIDE.md"), "OVERRIDE").expect("write");
        std::fs::remove_file(project.join("AGENTS.md")).expect("rm");
        std::fs::create_dir(project.join("AGENTS.md")).expect("mkdir");
        let (prompt, notes) = build("BASE", &project, &user);
        assert_eq!(prompt.text, "OVERRIDE\n\n---\n\nuser rules");
        assert!(notes[0].contains("not a regular file"), "{notes:?}");
        assert!(prompt.describe().contains("replaces the base prompt"));
    }
}
