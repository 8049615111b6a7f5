//! Session control from the prompt: `/model`, `/sessions`, `/edit`, `@path`
//! mentions attached to a typed message, and automatic compaction when the
//! context window fills (as AI Coder v3 does).

use super::{store, Candidates, CompletionSource, Input, Session};
use std::path::PathBuf;

/// The most of a file an `@path` mention attaches (the rest is cut, with a note).
const MAX_ATTACH_BYTES: usize = 100 * 1024;
/// The largest file an `@path` mention reads at all.
const MAX_ATTACH_READ: u64 = 1 << 20;
/// How many autosaved conversations `/sessions` lists.
const MAX_SESSIONS_LISTED: usize = 20;
/// Compaction starts when the last request and its answer used this share
/// of CONTEXT_SIZE (CONTEXT_COMPACT_PERCENTAGE; 0 turns it off), as in v3.
const DEFAULT_COMPACT_PERCENT: u64 = 95;

impl Session {
    /// Where Tab's candidates come from: read at each Tab from what the
    /// session dispatches from (the built-in table, the plugin registry with
    /// the commands registered at run time, the MCP servers as they stand),
    /// so a command added while the prompt waits completes at once.
    pub fn completions(&self) -> CompletionSource {
        let services = self.host.services().clone();
        let mcp = self.mcp_watch();
        Box::new(move || {
            let mut commands: Vec<String> = crate::state::BUILTIN_COMMANDS
                .iter()
                .map(|s| s.to_string())
                .collect();
            commands.extend(services.state().commands.iter().map(|c| c.name.clone()));
            let (prompts, resources) = super::mcp_extras::mcp_completions(&mcp);
            commands.extend(prompts);
            Candidates {
                commands,
                resources,
            }
        })
    }

    /// Send a typed message (its `@path` mentions attached), then compact
    /// the conversation if the window is nearly full.
    pub fn send_typed(&mut self, typed: &str, input: &mut Input) {
        let message = self.attach_mentions(typed);
        if let Err(e) = self.turn(Some(&message), input) {
            eprintln!("aicoder: {e}");
        }
        self.compact_if_full(input);
    }

    /// `typed` with the content of each file it mentions as `@path` appended
    /// (read through the same fence as the read tool, always confined to the
    /// workspace root, at most [`MAX_ATTACH_BYTES`] each). A mention that
    /// cannot be attached is named, with why, and left as typed.
    pub fn attach_mentions(&self, typed: &str) -> String {
        let fence = {
            let state = self.state();
            crate::tools::Fence::new(state.root(), &state.cwd, true)
        };
        let mut message = typed.to_string();
        let mut seen: Vec<&str> = Vec::new();
        for word in typed.split_whitespace() {
            let Some(path) = word.strip_prefix('@') else {
                continue;
            };
            let path = path.trim_end_matches([',', ';', ':', '!', '?', ')', '"', '\'']);
            // `@SERVER:URI`: a resource of an MCP server (session/mcp_extras.rs).
            if self.attach_mcp_resource(path, &mut message) {
                continue;
            }
            let path = if path.ends_with('.')
                && fence.outside(path).is_none()
                && !fence.cwd().join(path).exists()
            {
                path.trim_end_matches('.')
            } else {
                path
            };
            if path.is_empty() || seen.contains(&path) {
                continue;
            }
            seen.push(path);
            if fence.outside(path).is_some() {
                eprintln!(
                    "aicoder: @{path} not attached: it is outside the workspace root {}; mention files beneath it",
                    fence.root().display()
                );
                continue;
            }
            match fence.read_text(path, MAX_ATTACH_READ) {
                Ok(text) => {
                    let (text, cut) = crate::util::truncate_text(&text, MAX_ATTACH_BYTES);
                    let note = if cut {
                        format!(" (first {} KiB)", MAX_ATTACH_BYTES >> 10)
                    } else {
                        String::new()
                    };
                    message.push_str(&format!("\n\nContent of @{path}{note}:\n```\n{text}\n```"));
                    println!("attached @{path} ({} bytes{note})", text.len());
                }
                Err(e) => eprintln!("aicoder: @{path} not attached: {e}"),
            }
        }
        message
    }

    /// `/edit [DRAFT]`: write a message in `$VISUAL`/`$EDITOR`, then send it.
    pub(super) fn edit_command(&mut self, draft: &str, input: &mut Input) -> anyhow::Result<()> {
        let text = super::input::edit_text(draft)?;
        let text = text.trim();
        if text.is_empty() {
            println!("nothing written; nothing sent");
            return Ok(());
        }
        input.remember(text);
        self.send_typed(text, input);
        Ok(())
    }

    /// The base URL whose `/models` lists the configured server's models.
    fn models_base_url(&self) -> Option<String> {
        let state = self.state();
        let config = &state.config;
        match (&config.api_base_url, &config.api_endpoint) {
            (Some(base), _) => Some(base.clone()),
            (None, Some(endpoint)) => endpoint
                .trim_end_matches('/')
                .strip_suffix("/chat/completions")
                .or_else(|| endpoint.trim_end_matches('/').strip_suffix("/messages"))
                .map(String::from),
            (None, None) => None,
        }
    }

    /// `/model [NAME|NUMBER]`: without an argument, list the server's
    /// models (`GET /models`) and say how to pick one; with one, switch the
    /// model used from the next request on. It never reads the next line:
    /// what is typed after `/model` is a message, not a model name.
    pub(super) fn model_command(&mut self, args: &str) -> anyhow::Result<()> {
        // Probes loopback for a local server when nothing is configured.
        let _ = self.model_client();
        let listed = match self.models_base_url() {
            Some(base) => {
                let key = self.state().config.api_key.clone();
                self.runtime
                    .block_on(crate::model::probe::server_models(&base, key.as_deref()))
            }
            None => None,
        };
        let current = self.state().config.model.clone();
        let choice = args.to_string();
        if choice.is_empty() {
            println!("now: {}", super::connect::model_label(&current));
            match &listed {
                Some(models) if !models.is_empty() => {
                    println!("the server lists:");
                    for (n, model) in models.iter().enumerate() {
                        let mark = if *model == current { "  (now)" } else { "" };
                        // Names come from the server: shown, never obeyed.
                        println!("  {}. {}{mark}", n + 1, crate::ui::sanitize::visible(model));
                    }
                    println!("switch with /model NAME or /model N (a number above)");
                }
                _ => {
                    println!("the server does not list its models; /model NAME switches to NAME");
                }
            }
            return Ok(());
        }
        let models = listed.unwrap_or_default();
        let name = match choice.parse::<usize>() {
            Ok(n) if !models.is_empty() => {
                models.get(n.wrapping_sub(1)).cloned().ok_or_else(|| {
                    anyhow::anyhow!("no model number {n}; /model lists 1 to {}", models.len())
                })?
            }
            _ => choice,
        };
        if !models.is_empty() && !models.contains(&name) {
            println!("note: the server does not list {name}; using it anyway");
        }
        self.state().config.model = name.clone();
        println!("model for the next request: {name}");
        Ok(())
    }

    /// `/sessions [N]`: the autosaved conversations of this folder, newest
    /// first; with a number, resume that one and show where it stopped. It
    /// goes on in this process's own autosave file. Like `/model`, it never
    /// reads the next line: what is typed after it is a message.
    pub(super) fn sessions_command(&mut self, args: &str) -> anyhow::Result<()> {
        let own = self.autosave_file();
        let found = list_autosaves(&self.paths.project_dir, &own);
        if found.is_empty() {
            println!(
                "no other autosaved conversation in {}",
                self.paths.project_dir.join("sessions").display()
            );
            return Ok(());
        }
        let choice = args.trim();
        if choice.is_empty() {
            for (n, (path, when)) in found.iter().enumerate() {
                println!("  {}. {when}  {}", n + 1, describe_saved(path));
            }
            println!("resume one with /sessions N (a number above)");
            return Ok(());
        }
        let n: usize = choice
            .parse()
            .map_err(|_| anyhow::anyhow!("usage: /sessions [NUMBER] (got {choice:?})"))?;
        let (path, _) = found.get(n.wrapping_sub(1)).ok_or_else(|| {
            anyhow::anyhow!(
                "no session number {n}; /sessions lists 1 to {}",
                found.len()
            )
        })?;
        let loaded = self.load_file(path)?;
        self.autosave_snapshot();
        println!("resumed {loaded} messages from {}", path.display());
        self.show_where_it_stopped();
        Ok(())
    }

    /// The last thing the user said and the last answer, one line each, so a
    /// resumed conversation does not start from a blank screen.
    pub(super) fn show_where_it_stopped(&mut self) {
        let state = self.state();
        let last = |role: &str| {
            state
                .messages
                .iter()
                .rev()
                .find(|m| m.role == role && !m.content.trim().is_empty())
                .map(|m| {
                    let line = m.content.trim().lines().next().unwrap_or("").to_string();
                    let (line, _) = crate::util::truncate_text(&line, 100);
                    // Saved text is shown, never obeyed.
                    crate::ui::sanitize::visible(&line).into_owned()
                })
        };
        if let Some(you) = last("user") {
            println!("  you: {you}");
        }
        if let Some(answer) = last("assistant") {
            println!("  assistant: {answer}");
        }
    }

    /// Forget an earlier Ctrl-C, so that it stops nothing started later. One
    /// that came while no answer streamed (it stopped a tool) is still
    /// queued for tokio: the runtime takes it now, so that it does not cancel
    /// the next answer.
    pub(crate) fn settle_interrupt(&self) {
        if crate::interrupt::requested() {
            self.runtime.block_on(async {
                tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            });
            crate::interrupt::clear();
        }
    }

    /// After a turn: if the last request and its answer used more than
    /// CONTEXT_COMPACT_PERCENTAGE of CONTEXT_SIZE (by the server's usage),
    /// summarise the older messages, saying so.
    pub(super) fn compact_if_full(&mut self, input: &mut Input) {
        let percent = std::env::var("CONTEXT_COMPACT_PERCENTAGE")
            .ok()
            .and_then(|v| v.trim().parse::<u64>().ok())
            .unwrap_or(DEFAULT_COMPACT_PERCENT)
            .min(100);
        let size = self.state().config.context_size;
        let used = self.last_usage_tokens.get();
        if percent == 0 || size == 0 || used.saturating_mul(100) <= size.saturating_mul(percent) {
            return;
        }
        println!(
            "context nearly full: {used} of {size} tokens (CONTEXT_SIZE) used, over {percent}%; \
             compacting older messages into a summary"
        );
        let before = self.state().messages.len();
        if let Err(e) = self.compact(input) {
            eprintln!("aicoder: automatic compaction failed: {e:#}");
        } else {
            self.compaction_event(before);
        }
        self.last_usage_tokens.set(0);
    }
}

/// Autosave files of the project but `own`, newest first, with their times.
fn list_autosaves(project_dir: &std::path::Path, own: &std::path::Path) -> Vec<(PathBuf, String)> {
    let Ok(entries) = std::fs::read_dir(project_dir.join("sessions")) else {
        return Vec::new();
    };
    let mut found: Vec<(std::time::SystemTime, PathBuf)> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p != own)
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl" || x == "json"))
        .filter_map(|p| Some((p.metadata().ok()?.modified().ok()?, p)))
        .collect();
    found.sort_by_key(|(when, _)| std::cmp::Reverse(*when));
    found.truncate(MAX_SESSIONS_LISTED);
    found
        .into_iter()
        .map(|(when, path)| (path, humantime::format_rfc3339_seconds(when).to_string()))
        .collect()
}

/// `N messages: first typed line` for a listed session file.
fn describe_saved(path: &std::path::Path) -> String {
    match store::load(path) {
        Ok(loaded) => {
            let messages = &loaded.session.messages;
            let first = messages
                .iter()
                .find(|m| m.role == "user")
                .map(|m| m.content.lines().next().unwrap_or("").to_string())
                .unwrap_or_default();
            let (first, _) = crate::util::truncate_text(&first, 60);
            format!("{} messages: {first}", messages.len())
        }
        Err(e) => format!("(unreadable: {e})"),
    }
}
