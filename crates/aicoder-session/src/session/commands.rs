//! Slash commands: built in, then those registered by plugins.

use super::{Input, Session};
use crate::state::builtins::{builtin, builtin_help, Builtin};
use crate::state::SessionEvent;
use crate::state::{Message, Stats};
use std::path::PathBuf;

/// What the loop does after a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    Continue,
    /// The command failed (piped mode exits non-zero).
    Failed,
    Quit,
}

impl Session {
    /// Run one `/command` line.
    pub fn command(&mut self, line: &str, input: &mut Input) -> Flow {
        let line = line.trim_start_matches('/');
        let (name, args) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
        let args = args.trim();
        // `/models` lists; with words after it, it is no built-in.
        let builtin = builtin(name).filter(|b| *b != Builtin::Models || args.is_empty());
        let result: anyhow::Result<()> = match builtin {
            Some(Builtin::Quit) => return Flow::Quit,
            Some(Builtin::Help) => {
                println!("{}", builtin_help());
                // From the registry: manifest commands and those registered since.
                let commands: Vec<String> = self
                    .state()
                    .commands
                    .iter()
                    .map(|c| format!("  /{:<20} {} [{}]", c.name, c.description, c.plugin))
                    .collect();
                if !commands.is_empty() {
                    println!("Plugin commands:\n{}", commands.join("\n"));
                }
                Ok(())
            }
            Some(Builtin::Save) => {
                let path = self.file_arg(args);
                self.save_file(&path)
                    .map(|n| println!("saved {n} messages to {}", path.display()))
            }
            Some(Builtin::Load) => {
                let path = self.file_arg(args);
                self.load_file(&path)
                    .map(|n| println!("loaded {n} messages from {}", path.display()))
                    .map_err(Into::into)
            }
            Some(Builtin::New) => {
                let mut state = self.state();
                *state.messages = vec![Message::new("system", self.system_prompt.text.clone())];
                state.stats = Stats::default();
                drop(state);
                self.emit_simple(SessionEvent::OnSessionChange);
                println!("new session");
                Ok(())
            }
            Some(Builtin::Stats) => {
                let s = self.state().stats.clone();
                println!(
                    "API requests: {} ({} ok, {} failed), time {:.1} s\ntokens sent: {}, received: {}\ntool calls: {} ({} failed)\nmessages typed: {}",
                    s.api_requests,
                    s.api_success,
                    s.api_errors,
                    s.api_time_ms as f64 / 1000.0,
                    s.prompt_tokens,
                    s.completion_tokens,
                    s.tool_calls,
                    s.tool_errors,
                    s.messages_sent
                );
                println!("{}", super::reasoning::stats_lines(&s));
                Ok(())
            }
            Some(Builtin::Context) => {
                println!("{}", self.context_listing());
                Ok(())
            }
            Some(Builtin::Yolo) => {
                let mut state = self.state();
                // `/yolo off` must never turn it on: only a bare `/yolo`
                // (or `toggle`) flips it, as in v3.
                let on = match args {
                    "" | "toggle" => Some(!state.config.yolo_mode),
                    "on" => Some(true),
                    "off" => Some(false),
                    "status" => Some(state.config.yolo_mode),
                    _ => None,
                };
                match on {
                    Some(on) => {
                        state.config.yolo_mode = on;
                        println!("YOLO mode {}", if on { "on" } else { "off" });
                        Ok(())
                    }
                    None => Err(anyhow::anyhow!(
                        "/yolo {args}: use on, off, status or toggle"
                    )),
                }
            }
            Some(Builtin::Retry) => self.retry(input),
            Some(Builtin::Thinking) => self.thinking_command(args),
            Some(Builtin::Compact) => self.compact(input),
            Some(Builtin::Model) => self.model_command(args),
            // What a person types to see the list (`/model` alone lists too).
            Some(Builtin::Models) => self.model_command(""),
            Some(Builtin::Sessions) => self.sessions_command(args),
            Some(Builtin::Edit) => self.edit_command(args, input),
            Some(Builtin::Plugins) if args == "reload" => self.reload_plugins(input),
            Some(Builtin::Plugins) => {
                crate::ui::tables::print_plugins(&self.host);
                Ok(())
            }
            Some(Builtin::Grants) => self.grants_command(args),
            Some(Builtin::Mcp) => self.mcp_command(args),
            Some(Builtin::Audit) => match args.strip_prefix("undo") {
                Some(n) => self.undo_command(n.trim(), input),
                None if args == "verify" => {
                    self.host.services().audit.flush();
                    crate::ui::tables::verify_report(&self.paths.audit_log())
                        .map(|(_, report)| println!("{report}"))
                }
                None => {
                    self.host.services().audit.flush();
                    crate::ui::tables::print_recent(
                        &self.paths.audit_log(),
                        args.parse().unwrap_or(20),
                        None,
                    )
                }
            },
            None => match self.host.command_owner(name) {
                Some(plugin) => self
                    .host
                    .run_command(&plugin, name, args)
                    .map(|out| println!("{}", crate::ui::sanitize::visible(&out)))
                    .map_err(Into::into),
                // `/SERVER:PROMPT` (session/mcp_extras.rs).
                None => self
                    .mcp_prompt_command(name, args, input)
                    .unwrap_or_else(|| {
                        Err(anyhow::anyhow!(
                            "unknown command /{name}; /help lists the commands"
                        ))
                    }),
            },
        };
        match result {
            Ok(()) => Flow::Continue,
            Err(e) => {
                eprintln!(
                    "aicoder: {}",
                    crate::ui::sanitize::visible(&format!("{e:#}"))
                );
                Flow::Failed
            }
        }
    }

    /// `/context`: the parts of the system prompt and their sizes, then the
    /// conversation and the tools offered.
    fn context_listing(&self) -> String {
        let state = self.state();
        let messages: usize = state.messages.iter().map(|m| m.content.len()).sum();
        let tools = state.tools.values().filter(|t| t.offered).count();
        let mut prompt = self.system_prompt.describe();
        for ((plugin, name), text) in &state.prompt_sections {
            prompt.push_str(&format!(
                "\n  {:<60} {} bytes",
                format!("plugin {plugin}: section {name}"),
                text.len()
            ));
        }
        format!(
            "{}
messages: {} ({} bytes, ~{} tokens)
tools offered: {tools}",
            prompt,
            state.messages.len(),
            messages,
            messages / 4
        )
    }

    /// `/plugins reload`: pick up added, changed and removed plugin files.
    /// A changed plugin is a new version: its grants are offered, one by one,
    /// never carried over silently.
    pub(super) fn reload_plugins(&mut self, input: &mut Input) -> anyhow::Result<()> {
        let filter = crate::plugins::discovery::NameFilter::from_env();
        let (candidates, _) = crate::plugins::discovery::discover(&self.paths, &filter);
        self.plugin_files = crate::plugins::discovery::fingerprint(&candidates);
        // A new or changed project plugin file is not trusted yet: asked
        // about at a terminal, left out (and unloaded) otherwise.
        let trust_file = crate::plugins::trust::TrustStore::file(&self.paths);
        let folder = self.project_root();
        let interactive = input.interactive;
        let (candidates, trusted) = {
            let mut ask_line = |q: &str| input.ask(q);
            let ask: Option<crate::app::Ask<'_>> = interactive.then_some(&mut ask_line);
            crate::app::trusted_candidates(&trust_file, &folder, candidates, ask)
        };
        let report = self.host.reload(&candidates);
        crate::app::unload_untrusted(&mut self.app.host, &trusted);
        for name in &report.added {
            println!("added {name}");
        }
        for name in &report.removed {
            println!("removed {name}");
        }
        for e in &report.errors {
            eprintln!("aicoder: {e}");
        }
        for (old, new) in &report.updated {
            println!(
                "updated {} ({} -> {})",
                new.name,
                old.short_hash(),
                new.short_hash()
            );
            let held = self.host.services().grants().held_by(old);
            for (cap, scope) in held {
                let question = format!(
                    "  carry over {cap} ({}) to the new version of {}? [y/N]: ",
                    scope.name(),
                    new.name
                );
                let answer = if input.interactive {
                    input.ask(&question).unwrap_or_default()
                } else {
                    String::new()
                };
                if matches!(answer.trim(), "y" | "Y" | "yes") {
                    self.host.services().grants().grant(new, cap, scope)?;
                    println!("  {cap} granted to the new version");
                } else {
                    println!("  {cap} not carried over (grant it again when asked)");
                }
            }
        }
        let nothing =
            report.added.is_empty() && report.updated.is_empty() && report.removed.is_empty();
        if nothing && report.errors.is_empty() {
            println!("no plugin changed");
        }
        self.emit_simple(SessionEvent::OnSessionChange);
        Ok(())
    }

    /// `/audit undo [N]`: show what will change, ask (on a terminal), apply.
    fn undo_command(&mut self, n: &str, input: &mut Input) -> anyhow::Result<()> {
        let count = if n.is_empty() {
            1
        } else {
            n.parse()
                .map_err(|_| anyhow::anyhow!("usage: /audit undo [N]"))?
        };
        let interactive = input.interactive;
        let mut ask_line = |q: &str| input.ask(q);
        let confirm = if interactive {
            crate::ui::undo::Confirm::Ask(&mut ask_line)
        } else {
            crate::ui::undo::Confirm::Apply
        };
        let outcome =
            crate::ui::undo::run(&self.app, crate::caps::undo::Select::Last(count), confirm)?;
        if outcome.not_undone > 0 {
            anyhow::bail!("some writes changed since and were left as they are");
        }
        if outcome.refused > 0 && !outcome.declined {
            anyhow::bail!(
                "{} write(s) cannot be undone (listed above)",
                outcome.refused
            );
        }
        Ok(())
    }

    fn file_arg(&self, args: &str) -> PathBuf {
        if args.is_empty() {
            self.session_file.clone()
        } else {
            PathBuf::from(args)
        }
    }

    fn grants_command(&mut self, args: &str) -> anyhow::Result<()> {
        let words: Vec<&str> = args.split_whitespace().collect();
        match words.as_slice() {
            [] => {
                crate::ui::tables::print_grants(&self.host.services().grants());
                self.mcp_session_reach();
                Ok(())
            }
            ["revoke", plugin, cap] => {
                let cap = super::parse_capability(cap)?;
                let n = self.host.services().grants().revoke(plugin, cap)?;
                println!("removed {n} grant(s) of {cap} from {plugin}");
                Ok(())
            }
            _ => anyhow::bail!("usage: /grants or /grants revoke PLUGIN CAPABILITY"),
        }
    }

    /// Drop the answer to the last user message and ask again.
    fn retry(&mut self, input: &mut Input) -> anyhow::Result<()> {
        let mut state = self.state();
        let Some(last_user) = state.messages.iter().rposition(|m| m.role == "user") else {
            anyhow::bail!("nothing to retry: no user message yet");
        };
        state.messages.truncate(last_user + 1);
        drop(state);
        self.turn(None, input)?;
        Ok(())
    }

    /// Replace everything but the system prompt and the last exchange with a
    /// summary written by the model.
    pub(super) fn compact(&mut self, input: &mut Input) -> anyhow::Result<()> {
        let mut state = self.state();
        let keep_from = state
            .messages
            .iter()
            .rposition(|m| m.role == "user")
            .unwrap_or(state.messages.len());
        if keep_from <= 2 {
            println!("nothing to compact");
            return Ok(());
        }
        let system = state.messages[0].clone();
        let older: Vec<Message> = state.messages.drain(1..keep_from).collect();
        let recent: Vec<Message> = state.messages.drain(1..).collect();
        let transcript: String = older
            .iter()
            .map(|m| format!("{}: {}\n", m.role, m.content))
            .collect();
        *state.messages = vec![system.clone()];
        drop(state);
        let asked = format!("Summarise this conversation for your own later reference, keeping facts, decisions, file names and open tasks:\n\n{transcript}");
        self.autosave_paused.set(true);
        let outcome = self.turn(Some(&asked), input);
        self.autosave_paused.set(false);
        let mut state = self.state();
        let summary = state
            .messages
            .last()
            .filter(|m| m.role == "assistant")
            .map(|m| m.content.clone());
        match (outcome, summary) {
            (Ok(()), Some(summary)) => {
                *state.messages = vec![
                    system,
                    Message::new(
                        "user",
                        format!("Summary of the earlier conversation:\n{summary}"),
                    ),
                ];
                state.messages.extend(recent);
                drop(state);
                self.autosave();
                println!("compacted {} messages into a summary", older.len());
                Ok(())
            }
            (outcome, _) => {
                // Put everything back: a failed summary must not lose messages.
                *state.messages = vec![system];
                state.messages.extend(older);
                state.messages.extend(recent);
                outcome?;
                anyhow::bail!("the model gave no summary; nothing was changed")
            }
        }
    }
}
