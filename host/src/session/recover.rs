//! After a crash, the last conversation is offered for resuming (v3's
//! shutdown_recovery plugin). A session that ends as it should (`/quit`,
//! end of input, a piped run finishing) leaves `<autosave>.clean` beside its
//! journal; the newest journal without one, whose process is gone, ended
//! some other way: killed, a closed terminal, a crash.

use super::store;
use std::path::{Path, PathBuf};

/// The marker a clean exit leaves beside `journal`.
fn marker(journal: &Path) -> PathBuf {
    let mut name = journal.as_os_str().to_owned();
    name.push(".clean");
    PathBuf::from(name)
}

/// Record that the session writing `journal` ended cleanly. A journal
/// never written needs no marker.
pub(super) fn mark_clean(journal: &Path) {
    if journal.exists() {
        let _ = std::fs::write(marker(journal), b"");
    }
}

/// The process id in an autosave's name (`<time>-<pid>.jsonl`).
fn pid_of(journal: &Path) -> Option<u32> {
    journal.file_stem()?.to_str()?.rsplit('-').next()?.parse().ok()
}

/// The newest autosave of `project_dir` left by a session that did not end
/// cleanly, with how many messages the user typed into it.
pub(super) fn crashed(project_dir: &Path) -> Option<(PathBuf, usize)> {
    let journal = store::newest_autosave(project_dir)?;
    if marker(&journal).exists() || journal.extension().is_some_and(|x| x != "jsonl") {
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
        assert_eq!(marker(p), Path::new("/x/2026-12-06T21-00-00Z-4242.jsonl.clean"));
    }
}
