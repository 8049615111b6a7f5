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
//! ceiling, never used), `shell` (changed files: git's index is binary,
//! which `fs.read` cannot read, so they come from `git status --porcelain`,
//! and only with a grant the user chose, best scoped:
//! `--grant 'git_aware:shell.exec:git status*'`; without it the section
//! says how to get them).

use aicoder_plugin_sdk::{
    export_plugin, fs, prompt, shell, Event, EventOutcome, HostError, Manifest, Plugin, PluginError,
};

struct GitAware;

/// How many recent commits the section lists.
pub const COMMITS_SHOWN: usize = 5;

/// How many changed files the section lists.
pub const CHANGES_SHOWN: usize = 20;

/// The command whose output lists the changed files.
pub const STATUS_COMMAND: &str = "git status --porcelain";

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

/// Changed files from `git status --porcelain` output: `M src/a.rs`,
/// `?? notes.md`, at most [`CHANGES_SHOWN`], plus how many more.
pub fn changed_files(porcelain: &str) -> Vec<String> {
    let lines: Vec<(&str, &str)> = porcelain
        .lines()
        .filter_map(|l| Some((l.get(..2)?, l.get(3..)?)))
        .filter(|(_, path)| !path.is_empty())
        .collect();
    let mut out: Vec<String> = lines
        .iter()
        .take(CHANGES_SHOWN)
        .map(|(status, path)| format!("{} {path}", status.trim()))
        .collect();
    if lines.len() > CHANGES_SHOWN {
        out.push(format!("... and {} more", lines.len() - CHANGES_SHOWN));
    }
    out
}

/// What the section says about changed files.
pub enum Changes {
    /// The list (empty: a clean tree).
    Files(Vec<String>),
    /// Not granted: the section says how to get them.
    NotGranted,
    /// `git` could not tell (not installed, not a real repository).
    Unknown,
}

/// The prompt section.
pub fn section(branch: &str, commits: &[String], changes: &Changes) -> String {
    let mut out = format!("Git repository: on branch {branch}.\n");
    if !commits.is_empty() {
        out.push_str("Recent commits (newest first):\n");
        for c in commits {
            out.push_str(&format!("- {c}\n"));
        }
    }
    match changes {
        Changes::Files(files) if files.is_empty() => {
            out.push_str("Working tree: clean.\n");
        }
        Changes::Files(files) => {
            out.push_str("Changed files (git status --porcelain):\n");
            for f in files {
                out.push_str(&format!("- {f}\n"));
            }
        }
        Changes::NotGranted | Changes::Unknown => {}
    }
    out
}

/// The changed files, when the user granted the status command.
fn read_changes() -> Changes {
    match shell::exec(STATUS_COMMAND, Some(5_000)) {
        Ok(out) if out.exit_code == 0 && !out.timed_out => {
            Changes::Files(changed_files(&out.stdout))
        }
        Ok(_) => Changes::Unknown,
        Err(HostError::AccessDenied(_)) => Changes::NotGranted,
        Err(_) => Changes::Unknown,
    }
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
    Ok(Some(section(&branch(&head), &commits, &read_changes())))
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
    fn new() -> Self {
        GitAware
    }

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

    fn run_command(&mut self, _name: &str, _args: &str) -> Result<String, PluginError> {
        let state = match refresh() {
            Ok(state) => state,
            // Outside a session (`aicoder plugin command`) there is no
            // prompt to keep a section in and the host refuses it: show
            // what a session's prompt would get all the same.
            Err(HostError::Failed(_)) => read_state()?,
            Err(e) => return Err(e.into()),
        };
        let Some(text) = state else {
            return Ok("not a git repository (no readable .git/HEAD in the project)".into());
        };
        Ok(match read_changes() {
            Changes::NotGranted => format!(
                "{text}(changed files are not shown: `aicoder plugin grant git_aware \
                 'shell.exec:{STATUS_COMMAND}*'` lets it run `{STATUS_COMMAND}`)"
            ),
            _ => text,
        })
    }

    fn on_event(&mut self, _event: Event) -> Result<EventOutcome, PluginError> {
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
    fn changed_files_from_porcelain_status() {
        let status = " M src/a.rs\n?? notes.md\nA  new file.txt\nx\n";
        assert_eq!(
            changed_files(status),
            ["M src/a.rs", "?? notes.md", "A new file.txt"]
        );
        let many: String = (0..25).map(|i| format!(" M f{i}\n")).collect();
        let listed = changed_files(&many);
        assert_eq!(listed.len(), CHANGES_SHOWN + 1);
        assert_eq!(listed[CHANGES_SHOWN], "... and 5 more");
        let text = section("main", &[], &Changes::Files(changed_files(status)));
        assert!(text.contains("- ?? notes.md"), "{text}");
        assert!(section("main", &[], &Changes::Files(vec![])).contains("clean"));
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
