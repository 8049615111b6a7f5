//! git_aware: the branch and the latest commits of the project's git
//! repository in the system prompt (AI Coder v3's git_aware plugin, ported
//! without a subprocess). It reads `.git/HEAD` and the reflog
//! `.git/logs/HEAD` through `fs.read`, and refreshes its section when the
//! user sends a message and after tool results (a commit made by a tool
//! shows up before the next request). `/git` shows what the model sees.
//!
//! Ceiling: `fs` (fs.read on `.git/HEAD` and `.git/logs/HEAD`; importing `fs`
//! also puts fs.write in the ceiling, never used), `prompt` (its `git`
//! section), `hooks` (the refresh; it brings history.read/write into the
//! ceiling, never used). Changed files need git's binary index, which
//! `fs.read` (UTF-8 text only) cannot read: they are not shown.

use aicoder_plugin_sdk::{
    export_plugin, fs, prompt, Event, EventOutcome, HostError, Manifest, Plugin, PluginError,
};

struct GitAware;

/// How many recent commits the section lists.
pub const COMMITS_SHOWN: usize = 5;

/// The branch named by `.git/HEAD`'s text, or `detached at <hash>`.
pub fn branch(head: &str) -> String {
    let head = head.trim();
    match head.strip_prefix("ref: ") {
        Some(reference) => reference
            .strip_prefix("refs/heads/")
            .unwrap_or(reference)
            .to_string(),
        None => format!("detached at {}", head.chars().take(12).collect::<String>()),
    }
}

/// The latest commits from the reflog text, newest first: `hash message`.
/// Reflog lines are `old new name <mail> time zone\tkind: message`.
pub fn recent_commits(reflog: &str, count: usize) -> Vec<String> {
    reflog
        .lines()
        .rev()
        .filter_map(|line| {
            let (head, message) = line.split_once('\t')?;
            let new = head.split_whitespace().nth(1)?;
            let (kind, text) = message.split_once(": ")?;
            (kind.starts_with("commit") || kind.starts_with("merge")).then(|| {
                format!(
                    "{} {}",
                    new.chars().take(8).collect::<String>(),
                    text.trim()
                )
            })
        })
        .take(count)
        .collect()
}

/// The prompt section.
pub fn section(branch: &str, commits: &[String]) -> String {
    let mut out = format!("Git repository: on branch {branch}.\n");
    if !commits.is_empty() {
        out.push_str("Recent commits (newest first):\n");
        for c in commits {
            out.push_str(&format!("- {c}\n"));
        }
    }
    out
}

/// The section for this project, or `None` when it is not a git repository
/// whose `.git` folder lies inside the project.
fn read_state() -> Result<Option<String>, HostError> {
    let head = match fs::read_file(".git/HEAD") {
        Ok(h) => h,
        Err(HostError::AccessDenied(d)) => return Err(HostError::AccessDenied(d)),
        Err(_) => return Ok(None),
    };
    let commits = match fs::read_file(".git/logs/HEAD") {
        Ok(log) => recent_commits(&log, COMMITS_SHOWN),
        Err(HostError::AccessDenied(d)) => return Err(HostError::AccessDenied(d)),
        Err(_) => Vec::new(),
    };
    Ok(Some(section(&branch(&head), &commits)))
}

fn refresh() -> Result<Option<String>, HostError> {
    let state = read_state()?;
    match &state {
        Some(text) => prompt::set_section("git", text)?,
        None => match prompt::clear_section("git") {
            Ok(()) | Err(HostError::NotFound(_)) => {}
            Err(e) => return Err(e),
        },
    }
    Ok(state)
}

impl Plugin for GitAware {
    fn manifest() -> Manifest {
        Manifest::new(
            "git_aware",
            "0.1.0",
            "The git branch and recent commits in the system prompt, kept current",
        )
        .command("git", "Show the git context the model is given")
        .hook("after_user_message_added")
        .hook("after_tool_results")
    }

    fn run_command(_name: &str, _args: &str) -> Result<String, PluginError> {
        Ok(refresh()?.unwrap_or_else(|| {
            "not a git repository (no readable .git/HEAD in the project)".into()
        }))
    }

    fn on_event(_event: Event) -> Result<EventOutcome, PluginError> {
        refresh()?;
        Ok(EventOutcome::Unchanged)
    }
}

export_plugin!(GitAware);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn branch_from_head() {
        assert_eq!(branch("ref: refs/heads/main\n"), "main");
        assert_eq!(branch("ref: refs/heads/feat/x\n"), "feat/x");
        assert_eq!(branch("0123456789abcdef0123\n"), "detached at 0123456789ab");
    }

    #[test]
    fn commits_from_reflog_newest_first() {
        let log = "0000 1111aaaa2222 A <a@b> 1 +0000\tcommit (initial): first\n\
                   1111 3333bbbb4444 A <a@b> 2 +0000\tcheckout: moving from main to x\n\
                   3333 5555cccc6666 A <a@b> 3 +0000\tcommit: second: with colon\n\
                   garbage line\n";
        assert_eq!(
            recent_commits(log, 5),
            ["5555cccc second: with colon", "1111aaaa first"]
        );
        assert_eq!(recent_commits(log, 1).len(), 1);
    }
}
