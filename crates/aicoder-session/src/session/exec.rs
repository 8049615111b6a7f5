//! `aicoder exec "TASK"` (and `echo TASK | aicoder --json`): one task run
//! to its answer with nobody at a terminal. With `--json`, every step is an
//! event on stdout (crate::headless::events); every question is answered by
//! the `--approve` policy, as an event; the exit code says how it ended
//! (docs/headless.md).

use super::approval::Need;
use super::call_error::CallResult;
use super::{commands, Input, Session};
use crate::headless::events::{ApprovalKind, Decider, PluginRef, EVENTS_VERSION};
use crate::headless::output::OutputSchema;
use crate::headless::{settings, Event, Exit, Headless, Policy};
use crate::model::{Completion, Progress, ToolCall};
use crate::state::{ToolEntry, ToolSource};
use crate::ui::sanitize::visible;
use anyhow::Result;
use std::path::PathBuf;
use std::process::ExitCode;

/// What `aicoder exec` was asked.
#[derive(Debug, Clone)]
pub struct ExecOptions {
    /// The task; `None` reads stdin as piped mode does (`/commands` first).
    pub task: Option<String>,
    /// Events as JSON lines on stdout.
    pub json: bool,
    pub approve: Policy,
    pub output_schema: Option<PathBuf>,
    /// `--grant PLUGIN:CAPS` (a `task` grant offers the task tool).
    pub grants: Vec<String>,
    /// Offer the `task` tool (subagents).
    pub subagents: bool,
    /// How many subagents run at once.
    pub max_agents: usize,
}

/// Stdout becomes the event stream alone: a copy of descriptor 1 is kept
/// for the events and descriptor 1 is pointed at stderr, so that nothing
/// else aicoder or a plugin prints can break the JSON lines.
fn split_stdout() -> std::io::Result<std::fs::File> {
    // SAFETY: dup and dup2 on the process's own standard descriptors; the
    // new descriptor is owned by the returned File alone.
    unsafe {
        let events = libc::fcntl(1, libc::F_DUPFD_CLOEXEC, 3);
        if events < 0 {
            return Err(std::io::Error::last_os_error());
        }
        if libc::dup2(2, 1) < 0 {
            return Err(std::io::Error::last_os_error());
        }
        Ok(<std::fs::File as std::os::fd::FromRawFd>::from_raw_fd(
            events,
        ))
    }
}

/// End the run: the `done` event and the exit code.
fn finish(headless: &Headless, exit: Exit) -> ExitCode {
    headless.emit(&Event::Done {
        exit_code: exit.code(),
        reason: exit.reason().into(),
    });
    ExitCode::from(exit.code() as u8)
}

fn fatal(headless: &Headless, kind: &str, message: String) {
    headless.emit(&Event::Error {
        kind: kind.into(),
        message,
        fatal: true,
    });
}

/// Run the task; the exit code is the table of docs/headless.md.
pub fn run(opts: ExecOptions) -> Result<ExitCode> {
    let sink = if opts.json {
        Some(split_stdout()?)
    } else {
        None
    };
    let needs_json = matches!(opts.approve, Policy::AskFd(_)) && !opts.json;
    let mut headless = match Headless::new(opts.approve.clone(), sink) {
        Ok(h) => h,
        Err(e) => {
            eprintln!("aicoder: {e}");
            return Ok(ExitCode::from(Exit::Usage.code() as u8));
        }
    };
    if needs_json {
        eprintln!("aicoder: --approve ask-fd asks its questions as events: add --json");
        return Ok(ExitCode::from(Exit::Usage.code() as u8));
    }
    let schema = match opts.output_schema.as_deref().map(OutputSchema::load) {
        Some(Err(e)) => {
            fatal(&headless, "config", e.to_string());
            return Ok(finish(&headless, Exit::Usage));
        }
        Some(Ok(s)) => Some(s),
        None => None,
    };
    let mut session = match Session::open(&opts.grants) {
        Ok(s) => s,
        Err(e) => {
            fatal(&headless, "config", format!("{e:#}"));
            return Ok(finish(&headless, Exit::Failed));
        }
    };
    // Ctrl-C stops a running tool or answer; the run then ends with 130.
    crate::interrupt::install();
    let session_file = session.autosave_file();
    headless.session_id = session_file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    if opts.subagents {
        session.enable_task_tool(opts.max_agents);
    }
    if let Some(schema) = &schema {
        let mut state = session.state();
        if let Some(first) = state.messages.first_mut().filter(|m| m.role == "system") {
            first.content.push_str(&schema.instruction());
        }
    }
    headless.emit(&session.started_event(&headless, &session_file));
    session.headless = Some(headless);

    let mut input = if opts.task.is_some() {
        Input::none()
    } else {
        Input::stdin_lines()
    };
    let (command_lines, task) = match opts.task {
        Some(task) => (Vec::new(), task.trim().to_string()),
        None => read_piped(&mut input),
    };
    let exit = session.exec_steps(&command_lines, &task, schema.as_ref(), &mut input);
    let headless = session.headless.take();
    let Some(headless) = headless else {
        return Ok(ExitCode::from(exit.code() as u8));
    };
    Ok(finish(&headless, exit))
}

/// Piped input: `/command` lines, and the other lines as the task.
fn read_piped(input: &mut Input) -> (Vec<String>, String) {
    let mut command_lines = Vec::new();
    let mut task = String::new();
    while let Some(line) = input.ask("") {
        if line.trim_start().starts_with('/') {
            command_lines.push(line.trim().to_string());
        } else {
            task.push_str(&line);
            task.push('\n');
        }
    }
    (command_lines, task.trim().to_string())
}

/// A model progress report as an event (JSON runs only).
pub(super) fn progress_event(events: Option<&Headless>, p: Progress<'_>) {
    let Some(h) = events else { return };
    match p {
        Progress::Text(t) => h.emit(&Event::AssistantDelta { text: t.into() }),
        Progress::Reasoning(t) => h.emit(&Event::Reasoning { text: t.into() }),
        Progress::Retrying {
            attempt,
            delay,
            reason,
        } => h.emit(&Event::Error {
            kind: "retrying".into(),
            message: format!(
                "{}; retry {attempt} in {} ms",
                visible(&reason),
                delay.as_millis()
            ),
            fatal: false,
        }),
    }
}

impl Session {
    fn emit(&self, event: Event) {
        if let Some(h) = &self.headless {
            h.emit(&event);
        }
    }

    /// The `session_started` event.
    fn started_event(&self, headless: &Headless, session_file: &std::path::Path) -> Event {
        let state = self.state();
        let root = state
            .root()
            .map(|r| r.path().display().to_string())
            .unwrap_or_else(|_| state.cwd.display().to_string());
        let filter = settings::ToolFilter::get();
        let tools = state
            .tools
            .values()
            .filter(|t| t.offered && filter.allows(&t.name))
            .map(|t| t.name.clone())
            .collect();
        let model = state.config.model.clone();
        drop(state);
        Event::SessionStarted {
            version: EVENTS_VERSION,
            session_id: headless.session_id.clone(),
            parent_session_id: std::env::var(settings::PARENT_SESSION_ENV)
                .ok()
                .filter(|v| !v.is_empty()),
            root,
            model,
            plugins: self
                .host
                .plugins()
                .map(|p| PluginRef {
                    name: p.id.name.clone(),
                    version: p.manifest.version.clone(),
                    hash: p.id.hash.clone(),
                })
                .collect(),
            tools,
            approve: headless.policy.name().into(),
            session_file: session_file.display().to_string(),
        }
    }

    /// The commands, the task, the schema check: how the run ended.
    fn exec_steps(
        &mut self,
        command_lines: &[String],
        task: &str,
        schema: Option<&OutputSchema>,
        input: &mut Input,
    ) -> Exit {
        if command_lines.is_empty() && task.is_empty() {
            self.emit(Event::Error {
                kind: "config".into(),
                message: "no task: give one (aicoder exec \"TASK\") or pipe it on stdin".into(),
                fatal: true,
            });
            return Exit::Usage;
        }
        let mut failed = false;
        for line in command_lines {
            match self.command(line, input) {
                commands::Flow::Quit => return self.exit_now(failed),
                commands::Flow::Failed => {
                    failed = true;
                    self.emit(Event::Error {
                        kind: "command".into(),
                        message: format!("{line} failed"),
                        fatal: false,
                    });
                }
                commands::Flow::Continue => {}
            }
        }
        if !task.is_empty() {
            if let Some(exit) = self.exec_turn(task, input) {
                return exit;
            }
            self.compact_if_full(input);
            if let Some(schema) = schema {
                if let Some(exit) = self.check_output(schema, input) {
                    return exit;
                }
            }
        }
        self.exit_now(failed)
    }

    fn exit_now(&self, failed: bool) -> Exit {
        let refused = self
            .headless
            .as_ref()
            .is_some_and(|h| !h.refused.is_empty());
        if failed {
            Exit::Failed
        } else if refused {
            Exit::Refused
        } else {
            Exit::Answered
        }
    }

    /// One turn; `Some(exit)` when it failed.
    fn exec_turn(&mut self, text: &str, input: &mut Input) -> Option<Exit> {
        self.emit(Event::UserMessage { text: text.into() });
        match self.turn(Some(text), input) {
            Ok(()) => None,
            Err(e) => {
                let interrupted = matches!(
                    e,
                    super::chat::TurnError::Cancelled | super::chat::TurnError::Stopped(_)
                );
                let (kind, exit) = if interrupted {
                    ("interrupted", Exit::Interrupted)
                } else {
                    ("model", Exit::Failed)
                };
                if self.headless.as_ref().is_some_and(|h| !h.json()) {
                    eprintln!("aicoder: {e}");
                }
                self.emit(Event::Error {
                    kind: kind.into(),
                    message: e.to_string(),
                    fatal: true,
                });
                Some(exit)
            }
        }
    }

    /// `--output-schema`: check the answer, ask once more on a mismatch.
    fn check_output(&mut self, schema: &OutputSchema, input: &mut Input) -> Option<Exit> {
        for attempt in 0..2 {
            let answer = self
                .state()
                .messages
                .last()
                .filter(|m| m.role == "assistant")
                .map(|m| m.content.clone())
                .unwrap_or_default();
            match schema.check(&answer) {
                Ok(value) => {
                    self.emit(Event::Output { value });
                    return None;
                }
                Err(why) if attempt == 0 => {
                    self.emit(Event::Error {
                        kind: "output_schema".into(),
                        message: format!("{why}; asking the model once more"),
                        fatal: false,
                    });
                    let retry = schema.retry_message(&why.to_string());
                    if let Some(exit) = self.exec_turn(&retry, input) {
                        return Some(exit);
                    }
                }
                Err(why) => {
                    let message = format!(
                        "{why} (asked twice); the answer is in the session file and the events"
                    );
                    if self.headless.as_ref().is_some_and(|h| !h.json()) {
                        eprintln!("aicoder: {message}");
                    }
                    self.emit(Event::Error {
                        kind: "output_schema".into(),
                        message,
                        fatal: true,
                    });
                    return Some(Exit::OutputSchema);
                }
            }
        }
        None
    }

    /// After an answer: its usage and the whole answer as events, and the
    /// answer appended to SESSION_OUTPUT_FILE (v3's setting; any run).
    pub(super) fn answer_events(&self, completion: &Completion) {
        if settings::session_output_file().is_some() {
            let mut message =
                serde_json::json!({"role": "assistant", "content": completion.content});
            if !completion.tool_calls.is_empty() {
                message["tool_calls"] = completion
                    .tool_calls
                    .iter()
                    .map(|c| serde_json::json!({"id": c.id, "type": "function", "function": {"name": c.name, "arguments": c.arguments}}))
                    .collect();
            }
            settings::append_session_output(&message);
        }
        if self.headless.is_none() {
            return;
        }
        if let Some(u) = &completion.usage {
            self.emit(Event::Usage {
                prompt_tokens: u.prompt_tokens,
                completion_tokens: u.completion_tokens,
            });
        }
        self.emit(Event::AssistantMessage {
            text: completion.content.clone(),
            tool_calls: completion.tool_calls.len(),
            finish_reason: completion.finish_reason.clone(),
        });
        // Without --json the answer is printed as in piped mode (by the turn).
    }

    pub(super) fn tool_call_event(&self, call: &ToolCall) {
        self.emit(Event::ToolCall {
            id: call.id.clone(),
            name: call.name.clone(),
            arguments: call.arguments.clone(),
        });
    }

    pub(super) fn tool_result_event(&self, call: &ToolCall, result: &CallResult) {
        if self.headless.is_none() {
            return;
        }
        let (ok, text) = match result {
            Ok(t) => (true, t.clone()),
            Err(e) => (false, e.for_model()),
        };
        self.emit(Event::tool_result(&call.id, &call.name, ok, &text));
    }

    pub(super) fn compaction_event(&self, before: usize) {
        let after = self.state().messages.len();
        if after < before {
            self.emit(Event::Compaction {
                messages_before: before,
                messages_after: after,
            });
        }
    }

    /// The approval of a headless run: auto-approved and YOLO calls are
    /// said so; the others asked of the policy; then, for a plugin call, one
    /// question per capability its preview declares that is not granted.
    pub(super) fn headless_approve(
        &mut self,
        tool: &ToolEntry,
        preview: &str,
        needed: &[String],
    ) -> bool {
        let Some(mut h) = self.headless.take() else {
            return false;
        };
        let yolo = self.state().config.yolo_mode;
        let approved = if tool.auto_approved || yolo {
            let id = h.next_id("a");
            h.emit(&Event::ApprovalDecided {
                id,
                tool: tool.name.clone(),
                approved: true,
                by: if tool.auto_approved {
                    Decider::AutoApproved
                } else {
                    Decider::Yolo
                },
                reason: None,
            });
            true
        } else {
            let id = h.next_id("a");
            h.emit(&Event::ApprovalAsked {
                id: id.clone(),
                kind: ApprovalKind::Tool,
                tool: tool.name.clone(),
                preview: visible(preview).into_owned(),
                path: None,
                agent: None,
            });
            h.decide_approval(&id, &tool.name, true)
        };
        if approved {
            if let ToolSource::Plugin(owner) = &tool.source {
                if let Some(id) = self.host.plugin(owner).map(|i| i.id.clone()) {
                    let needs = self.parse_needs(needed);
                    for need in &needs {
                        self.headless_capability(&mut h, &id, need);
                    }
                }
            }
        }
        self.headless = Some(h);
        approved
    }

    fn headless_capability(
        &mut self,
        h: &mut Headless,
        id: &crate::caps::grants::PluginId,
        need: &Need,
    ) {
        use crate::caps::grants::Decision;
        let Some(cap) = need.capability else {
            return;
        };
        let target = need.target();
        let held = self
            .host
            .services()
            .grants()
            .check_target(id, cap, &target)
            .decision;
        if matches!(held, Decision::Allowed(_)) {
            return;
        }
        let qid = h.next_id("c");
        let shown_target = match &target {
            crate::caps::scope::Target::Whole => None,
            _ => Some(
                need.name
                    .split_once(':')
                    .map(|x| x.1)
                    .unwrap_or("")
                    .to_string(),
            ),
        };
        h.emit(&Event::CapabilityAsked {
            id: qid.clone(),
            plugin: id.name.clone(),
            capability: cap.name().into(),
            target: shown_target,
        });
        if let Some(refusal) = self.ceiling_refusal(id, cap) {
            h.emit(&Event::CapabilityDecided {
                id: qid,
                plugin: id.name.clone(),
                capability: cap.name().into(),
                granted: false,
                scope: None,
                by: Decider::Host,
                reason: Some(refusal.clone()),
            });
            h.refused
                .push(format!("{}:{}: {refusal}", id.name, cap.name()));
            return;
        }
        let scope = h.decide_capability(&qid, &id.name, cap.name());
        let mut grants = self.host.services().grants();
        let result = match scope {
            Some(scope) => grants.grant_within(id, cap, scope, None),
            None => {
                grants.deny_for_session(id, cap);
                Ok(())
            }
        };
        if let Err(e) = result {
            eprintln!("aicoder: {e}");
        }
    }

    /// A built-in tool reaching outside the workspace root in a headless
    /// run: asked of the policy (`--approve all` never allows it).
    pub(super) fn headless_outside(
        &mut self,
        tool: &str,
        path: &std::path::Path,
        question: &str,
    ) -> bool {
        let Some(mut h) = self.headless.take() else {
            return false;
        };
        let id = h.next_id("a");
        h.emit(&Event::ApprovalAsked {
            id: id.clone(),
            kind: ApprovalKind::OutsidePath,
            tool: tool.into(),
            preview: question.into(),
            path: Some(visible(&path.display().to_string()).into_owned()),
            agent: None,
        });
        let approved = h.decide_approval(&id, tool, false);
        self.headless = Some(h);
        approved
    }
}
