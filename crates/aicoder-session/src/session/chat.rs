//! One chat turn: send the conversation, stream the answer, run the tools the
//! model asked for (after approval), send the results back, until the model
//! answers without tool calls.

use super::call_error::{CallError, CallResult};
use super::{Input, Session};
use crate::model::{Completion, ModelError, Progress};
use crate::state::SessionEvent;
use crate::state::{Message, ToolSource};
use crate::ui::markdown::MarkdownStream;
use crate::ui::sanitize::visible;
use crate::ui::spinner::Spinner;
use serde_json::{json, Value};
use std::io::Write;
use std::time::Instant;

/// Why a turn ended without a finished answer.
#[derive(Debug, thiserror::Error)]
pub enum TurnError {
    /// Shown sanitised: the error may quote what the server sent.
    #[error("{}", crate::ui::sanitize::visible(&.0.to_string()))]
    Model(#[from] ModelError),
    #[error("cancelled; the conversation so far is kept")]
    Cancelled,
    #[error("stopped {0} (Ctrl-C); the model is told it was interrupted; type to go on")]
    Stopped(String),
}

/// What a call's outcome line shows besides an error.
enum Shown {
    /// The result's first line.
    Result,
    /// The plugin's summary of its result.
    Summary(String),
    /// The call ran but failed (`exit 3 · why`): marked as a failure.
    Failed(String),
}

impl Session {
    /// Run a turn. `user` is the new user message; `None` re-asks the model
    /// about the conversation as it stands (/retry).
    pub fn turn(&mut self, user: Option<&str>, input: &mut Input) -> Result<(), TurnError> {
        let client = self.model_client()?;
        if let Some(text) = user {
            let mut state = self.state();
            state.messages.push(Message::new("user", text));
            state.stats.messages_sent += 1;
            drop(state);
            self.autosave();
            self.emit_simple(SessionEvent::AfterUserMessageAdded);
        }
        loop {
            self.settle_interrupt();
            self.add_injected();
            self.mcp_before_request();
            let body = self.request_body();
            let body = self.transform(body);
            self.emit_simple(SessionEvent::BeforeApiRequest);
            self.state().stats.api_requests += 1;
            let started = Instant::now();
            let mut printed = false;
            let interactive = input.interactive;
            let mut render = MarkdownStream::new(
                crate::ui::style::stdout_styled(),
                crate::ui::terminal_width(),
            );
            let mut spinner = interactive.then(|| Spinner::start("thinking"));
            let show_reasoning = self.state().config.params.show_reasoning;
            let mut reasoning = super::reasoning::Shown::default();
            let events = self.headless.as_ref().filter(|h| h.json());
            let result = self.runtime.block_on(async {
                let mut progress = |p: Progress<'_>| match p {
                    Progress::Text(_) | Progress::Reasoning(_) | Progress::Retrying { .. }
                        if events.is_some() =>
                    {
                        super::exec::progress_event(events, p);
                    }
                    Progress::Reasoning(t) if show_reasoning => {
                        if let Some(mut s) = spinner.take() {
                            s.stop();
                        }
                        reasoning.feed(t);
                    }
                    Progress::Reasoning(_) => {}
                    Progress::Text(t) => {
                        if let Some(mut s) = spinner.take() {
                            s.stop();
                        }
                        reasoning.close();
                        printed = true;
                        print!("{}", render.feed(&visible(t)));
                        let _ = std::io::stdout().flush();
                    }
                    Progress::Retrying {
                        attempt,
                        delay,
                        reason,
                    } => {
                        crate::ui::spinner::eprint_line(&format!(
                            "\naicoder: {}; retry {attempt} in {} ms",
                            visible(&reason.to_string()),
                            delay.as_millis()
                        ));
                    }
                };
                tokio::select! {
                    r = client.chat(&body, &mut progress) => r.map_err(TurnError::from),
                    _ = tokio::signal::ctrl_c() => Err(TurnError::Cancelled),
                    _ = super::socket::stopped() => Err(TurnError::Cancelled),
                }
            });
            drop(spinner);
            reasoning.close();
            if printed {
                println!("{}", render.finish());
            }
            let elapsed = started.elapsed().as_millis() as u64;
            let completion = match result {
                Ok(c) => c,
                Err(e) => {
                    let mut state = self.state();
                    state.stats.api_errors += 1;
                    state.stats.api_time_ms += elapsed;
                    return Err(e);
                }
            };
            self.answer_events(&completion);
            let calls = self.record(completion, elapsed);
            self.autosave();
            if calls.is_empty() {
                return Ok(());
            }
            // Ctrl-C during a tool call (crate::interrupt) ends the turn
            // after it; the calls after it are answered as not run.
            let mut stopped: Option<String> = None;
            for call in calls {
                let result = match &stopped {
                    Some(first) => Err(CallError::failed(format!(
                        "not run: the user pressed Ctrl-C to stop {first}"
                    ))),
                    None => {
                        crate::interrupt::clear();
                        self.tool_call_event(&call);
                        let result = self.run_tool_call(&call.name, &call.arguments, input);
                        if crate::interrupt::requested() {
                            stopped = Some(call.name.clone());
                            match result {
                                Ok(text) => Err(CallError::Text(format!(
                                    "{text}\n(interrupted: the user pressed Ctrl-C during this call)"
                                ))),
                                Err(text) => Err(text),
                            }
                        } else {
                            result
                        }
                    }
                };
                self.tool_result_event(&call, &result);
                let mut state = self.state();
                state.stats.tool_calls += 1;
                let content = match result {
                    Ok(text) => text,
                    Err(e) => {
                        state.stats.tool_errors += 1;
                        e.for_model()
                    }
                };
                state.messages.push(Message {
                    tool_call_id: Some(call.id.clone()),
                    name: Some(call.name.clone()),
                    ..Message::new("tool", content)
                });
                drop(state);
                self.autosave();
            }
            self.emit_simple(SessionEvent::AfterToolResults);
            if let Some(name) = stopped {
                // The flag stays raised: the next turn lets tokio take the
                // queued Ctrl-C first (see the top of the loop).
                return Err(TurnError::Stopped(name));
            }
        }
    }

    /// Store the answer and its usage; returns the tool calls to run.
    fn record(&mut self, completion: Completion, elapsed_ms: u64) -> Vec<crate::model::ToolCall> {
        let mut state = self.state();
        state.stats.api_success += 1;
        state.stats.api_time_ms += elapsed_ms;
        if let Some(u) = completion.usage {
            self.last_usage_tokens
                .set(u.prompt_tokens + u.completion_tokens);
            state.stats.prompt_tokens += u.prompt_tokens;
            state.stats.completion_tokens += u.completion_tokens;
            state.stats.context_tokens = u.prompt_tokens + u.completion_tokens;
            state.stats.cache_read_tokens += u.cache_read_tokens;
            state.stats.cache_write_tokens += u.cache_write_tokens;
            match crate::config::prices::lookup(&state.config.model, &state.config.params.prices) {
                Some(price) => {
                    let tokens = crate::config::prices::Usage {
                        prompt_tokens: u.prompt_tokens,
                        completion_tokens: u.completion_tokens,
                        cache_read_tokens: u.cache_read_tokens,
                        cache_write_tokens: u.cache_write_tokens,
                    };
                    state.stats.cost_micros += crate::config::prices::cost_micros(&tokens, &price)
                }
                None => state.stats.unpriced_answers += 1,
            }
        }
        let calls = completion.tool_calls.clone();
        state.messages.push(Message {
            tool_calls: completion.tool_calls,
            ..Message::new("assistant", completion.content)
        });
        calls
    }

    /// The request: conversation, tools and model settings.
    fn request_body(&self) -> Value {
        let state = self.state();
        // MCP tools (session/mcp.rs) win over a plugin tool of the same name.
        let mcp_names = self.mcp.offered_names();
        let mut tools: Vec<Value> = state
            .tools
            .values()
            .filter(|t| {
                t.offered
                    && !mcp_names.contains(&t.name)
                    && crate::headless::settings::ToolFilter::get().allows(&t.name)
            })
            .map(|t| json!({"type": "function", "function": {"name": t.name, "description": t.description, "parameters": t.parameters}}))
            .collect();
        tools.extend(self.mcp.request_tools());
        let mut messages: Vec<Value> = state.messages.iter().map(Message::to_api).collect();
        // Plugins' prompt sections (interface `prompt`) follow the system
        // prompt in the request only: the stored conversation keeps its own.
        let sections = state.prompt_text();
        if !sections.is_empty() {
            if let Some(content) = messages
                .first_mut()
                .filter(|m| m["role"] == "system")
                .and_then(|m| m.get_mut("content"))
            {
                if let Some(text) = content.as_str() {
                    *content = Value::from(format!("{text}{sections}"));
                }
            }
        }
        let mut body = json!({
            "messages": messages,
            "tools": tools,
            "temperature": state.config.temperature,
            "stream": true,
            "stream_options": {"include_usage": true},
        });
        // No model name unless one is configured or was discovered: local
        // servers refuse names they do not have.
        if !state.config.model.is_empty() {
            body["model"] = state.config.model.clone().into();
        }
        if let Some(max) = state.config.max_tokens {
            body["max_tokens"] = max.into();
        }
        state.config.params.apply(&mut body, &state.config.model);
        body
    }

    /// Let `transform_request` subscribers rewrite the body; a plugin that
    /// returns something that is not JSON is ignored with a warning.
    fn transform(&mut self, body: Value) -> Value {
        let (payload, errors) = self
            .host
            .emit(SessionEvent::TransformRequest, &body.to_string());
        for e in errors {
            eprintln!("aicoder: {}", visible(&e.to_string()));
        }
        match serde_json::from_str(&payload) {
            Ok(v) => v,
            Err(e) => {
                eprintln!("aicoder: a transform_request hook returned invalid JSON ({e}); sending the original request");
                body
            }
        }
    }

    /// Run one tool call and show the user its outcome in a line; `Err`
    /// carries the error text for the model.
    fn run_tool_call(&mut self, name: &str, raw_args: &str, input: &mut Input) -> CallResult {
        let mut summary = Shown::Result;
        let result = self.run_tool_call_quietly(name, raw_args, input, &mut summary);
        // A call that ran but failed (a shell command's non-zero exit) is
        // marked failed for the user; the model gets its output all the same.
        let shown = match (&result, &summary) {
            (Ok(_), Shown::Summary(summary)) => Ok(summary.as_str()),
            (Ok(_), Shown::Failed(why)) => Err(why.as_str()),
            (Ok(text), Shown::Result) => Ok(text.as_str()),
            (Err(e), _) => Err(e.for_user()),
        };
        crate::ui::spinner::eprint_line(&crate::ui::outcome::line(
            name,
            shown,
            crate::ui::terminal_width(),
            crate::ui::style::stderr_styled(),
        ));
        result
    }

    /// Run one tool call; what the outcome line shows in place of the
    /// result (a plugin's summary, why a call that ran failed) goes to `shown`.
    fn run_tool_call_quietly(
        &mut self,
        name: &str,
        raw_args: &str,
        input: &mut Input,
        shown: &mut Shown,
    ) -> CallResult {
        if let Err(e) = crate::tools::parse_arguments(raw_args) {
            return Err(CallError::failed(format!("{name}: {e}")));
        }
        if self.mcp.offered(name).is_some() {
            eprintln!(
                "{}",
                crate::ui::outcome::call_line(name, raw_args, crate::ui::terminal_width())
            );
            if let Some(result) = self.run_mcp_call(name, raw_args, input) {
                return result;
            }
        }
        let tool = self.state().tools.get(name).cloned();
        // TOOLS_ALLOW / TOOLS_DENY: a tool filtered out does not exist.
        let tool = tool.filter(|_| crate::headless::settings::ToolFilter::get().allows(name));
        let Some(tool) = tool else {
            return Err(CallError::failed(format!(
                "unknown tool `{name}`; use one of the tools listed in the request"
            )));
        };
        // One compact line: the approval preview below shows the detail.
        eprintln!(
            "{}",
            crate::ui::outcome::call_line(name, raw_args, crate::ui::terminal_width())
        );
        let mut fence = self.fence();
        if tool.source == ToolSource::Internal && fence.confined() {
            // A path outside the root is never auto-approved, not even in
            // YOLO mode: only the user, at the prompt, for this one call.
            for path in crate::tools::named_paths(name, raw_args) {
                if let Some(outside) = fence.outside(&path) {
                    // Shown where it really leads (a symlink followed).
                    let shown = outside.canonicalize().unwrap_or_else(|_| outside.clone());
                    if !self.approve_outside(name, &shown, &fence.root(), input) {
                        return Err(CallError::failed(fence.outside_error(&path).to_string()));
                    }
                    fence.approve(outside);
                }
            }
        }
        if !self.approve(&tool, raw_args, &fence, input) {
            return Err(CallError::failed(format!(
                "the user did not approve this call of {name}"
            )));
        }
        let mut spinner = Spinner::start(&format!("running {}", visible(name)));
        match &tool.source {
            ToolSource::Internal if name == super::task::TOOL => {
                spinner.stop();
                self.run_task_tool(raw_args, input)
            }
            ToolSource::Internal => {
                let limits = self.host.services().limits;
                // Hosts the user allowed the shell `always` (grants.json).
                let always = self.shell_hosts_always();
                let mut options = crate::tools::RunOptions {
                    hosts: always.clone(),
                    ..Default::default()
                };
                let mut ran = crate::tools::run_with(name, raw_args, &fence, &limits, &options);
                // A confined command the sandbox refused something: audited,
                // and the user may widen it for this call (session/escalate.rs).
                while let Ok(done) = &ran {
                    spinner.stop();
                    let command = crate::tools::parse_arguments(raw_args)
                        .ok()
                        .and_then(|v| v.get("command")?.as_str().map(str::to_string))
                        .unwrap_or_default();
                    let Some(next) = self.sandbox_escalation(&command, done, input) else {
                        break;
                    };
                    options = next;
                    options.hosts.extend(always.iter().cloned());
                    ran = crate::tools::run_with(name, raw_args, &fence, &limits, &options);
                }
                match ran {
                    Ok(ran) => {
                        if let Some(why) = ran.failure {
                            *shown = Shown::Failed(why);
                        }
                        Ok(ran.text)
                    }
                    Err(e) => Err(CallError::failed(e.to_string())),
                }
            }
            ToolSource::Plugin(plugin) => {
                let plugin = plugin.clone();
                // Only a move this call asks for is put to the user after it.
                self.state().root_move_request = None;
                let result = match self.host.call_tool(&plugin, name, raw_args) {
                    // The outcome line shows the summary (see `turn`).
                    Ok(out) => {
                        if !out.summary.trim().is_empty() {
                            *shown = Shown::Summary(out.summary);
                        }
                        Ok(out.detail)
                    }
                    Err(e) => Err(CallError::failed(e.to_string())),
                };
                spinner.stop();
                // A refused root move is put to the user, after the call.
                match (self.ask_root_move(&plugin, input), result) {
                    (Some(note), Ok(text)) => Ok(format!("{text}\n{note}")),
                    (Some(note), Err(e)) => Err(e.with_note(&note)),
                    (None, result) => result,
                }
            }
        }
    }

    /// Where the built-in file tools may reach now: beneath the workspace
    /// root, relative paths from the working directory.
    pub(crate) fn fence(&self) -> crate::tools::Fence {
        let state = self.state();
        crate::tools::Fence::new(state.root(), &state.cwd, self.sandbox)
    }

    /// `model · tokens used of the window · workspace root` for the
    /// interactive prompt; the tokens are the server's `usage` of the last
    /// answer (prompt + completion), not an estimate.
    pub fn status_line(&self) -> String {
        let state = self.state();
        let used = state.stats.context_tokens;
        let window = state.config.context_size.max(1);
        let pct = (used as f64 * 100.0 / window as f64).min(100.0);
        let model = if state.config.model.is_empty() {
            "server's default model".to_string()
        } else {
            visible(&state.config.model).into_owned()
        };
        let root = match state.root() {
            Ok(root) => root.path().to_path_buf(),
            Err(_) => state.cwd.clone(),
        };
        let root = match std::env::var_os("HOME").map(std::path::PathBuf::from) {
            Some(home) if home.as_os_str().len() > 1 && root.starts_with(&home) => {
                format!("~/{}", root.strip_prefix(&home).unwrap_or(&root).display())
            }
            _ => root.display().to_string(),
        };
        let root = visible(&root).into_owned();
        let cost = super::reasoning::cost_label(&state.stats);
        let head = format!("[{model} · {used}/{window} tokens ({pct:.0}%){cost} · ");
        let tail = if state.config.yolo_mode {
            " · YOLO]"
        } else {
            "]"
        };
        // On a narrow terminal the root loses its start, not the line its end.
        let room = crate::ui::terminal_width()
            .saturating_sub(head.chars().count() + tail.chars().count() + 1)
            .max(12);
        let count = root.chars().count();
        let root = if count > room {
            let skip = count - (room - 1);
            format!("…{}", root.chars().skip(skip).collect::<String>())
        } else {
            root
        };
        let line = format!("{head}{root}{tail}");
        crate::ui::style::paint(
            crate::ui::style::stdout_styled(),
            crate::ui::style::DIM,
            &line,
        )
    }
}
