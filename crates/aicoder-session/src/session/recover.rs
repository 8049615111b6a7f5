//! After a crash, the last conversation is offered for resuming (v3's
//! shutdown_recovery plugin). A session that ends as it should (`/quit`,
//! end of input, a piped run finishing) adds its journal's name to
//! `.aicoder/sessions.clean`; the newest journal not listed, whose process
//! is gone, ended some other way: killed, a closed terminal, a crash.

use super::store;
use std::path::{Path, PathBuf};

/// The list of journals whose sessions ended cleanly: beside the
/// `sessions` folder (whose every file is a conversation), under a name no
/// plugin's data folder can have (plugin names have no dot).
fn clean_list(journal: &Path) -> Option<PathBuf> {
    let sessions = journal.parent()?;
    Some(sessions.parent()?.join("sessions.clean"))
}

/// How many names the list keeps (the newest).
const KEEP: usize = 200;

fn is_clean(journal: &Path) -> bool {
    let (Some(list), Some(name)) = (clean_list(journal), journal.file_name()) else {
        return true;
    };
    let name = name.to_string_lossy();
    std::fs::read_to_string(list).is_ok_and(|text| text.lines().any(|l| l == name))
}

/// Record that the session writing `journal` ended cleanly (written
/// atomically). A journal never written needs no entry.
pub(super) fn mark_clean(journal: &Path) {
    let (Some(list), Some(name)) = (clean_list(journal), journal.file_name()) else {
        return;
    };
    if !journal.exists() {
        return;
    }
    let text = std::fs::read_to_string(&list).unwrap_or_default();
    let mut names: Vec<&str> = text.lines().filter(|l| !l.is_empty()).collect();
    let name = name.to_string_lossy();
    names.push(&name);
    let skip = names.len().saturating_sub(KEEP);
    let mut out = names[skip..].join("\n");
    out.push('\n');
    let _ = crate::util::replace_file(&list, out.as_bytes(), false);
}

/// The process id in an autosave's name (`<time>-<pid>.jsonl`).
fn pid_of(journal: &Path) -> Option<u32> {
    journal
        .file_stem()?
        .to_str()?
        .rsplit('-')
        .next()?
        .parse()
        .ok()
}

/// The newest autosave of `project_dir` left by a session that did not end
/// cleanly, with how many messages the user typed into it.
pub(super) fn crashed(project_dir: &Path) -> Option<(PathBuf, usize)> {
    let journal = store::newest_autosave(project_dir)?;
    if is_clean(&journal) || journal.extension().is_some_and(|x| x != "jsonl") {
        return None;
    }
    let pid = pid_of(&journal)?;
    // Still running (another aicoder in this folder): not a crash.
    if pid == std::process::id() || Path::new(&format!("/proc/{pid}")).exists() {
        return None;
    }
    let loaded = store::load(&journal).ok()?;
    let typed = loaded
        .session
        .messages
        .iter()
        .filter(|m| m.role == "user")
        .count();
    (typed > 0).then_some((journal, typed))
}

impl super::Session {
    /// Ask whether to resume the conversation a crash left behind; asked
    /// once: either answer marks it.
    pub(super) fn offer_recovery(&mut self, input: &mut super::Input) {
        let Some((journal, typed)) = crashed(&self.paths.project_dir) else {
            return;
        };
        let question = format!(
            "aicoder: the last session here ({typed} messages typed, {}) did not end with /quit; \
             resume it? [y/N] ",
            journal.display()
        );
        let yes = input
            .ask(&question)
            .is_some_and(|a| matches!(a.trim().to_ascii_lowercase().as_str(), "y" | "yes"));
        mark_clean(&journal);
        if !yes {
            return;
        }
        match self.load_file(&journal) {
            Ok(n) => {
                eprintln!("aicoder: resumed {n} messages from {}", journal.display());
                self.show_where_it_stopped();
            }
            Err(e) => eprintln!("aicoder: cannot resume {}: {e}", journal.display()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pid_comes_from_the_name() {
        let p = Path::new("/x/2026-12-06T21-00-00Z-4242.jsonl");
        assert_eq!(pid_of(p), Some(4242));
    }

    #[test]
    fn a_clean_exit_is_listed_once_per_journal() {
        let dir = tempfile::tempdir().expect("tempdir");
        let sessions = dir.path().join("sessions");
        std::fs::create_dir(&sessions).expect("mkdir");
        let journal = sessions.join("2026-12-06T21-00-00Z-1.jsonl");
        mark_clean(&journal);
        assert!(!is_clean(&journal), "never written: nothing recorded");
        std::fs::write(&journal, "{}").expect("write");
        mark_clean(&journal);
        assert!(is_clean(&journal));
        assert_eq!(std::fs::read_dir(&sessions).expect("dir").count(), 1);
    }
}
