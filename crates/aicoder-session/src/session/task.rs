//! The built-in `task` tool: subagents. Each task is a child
//! `aicoder exec --json` (crate::headless::agents) with its own prompt,
//! optional system prompt, and tools, plugins and grants that the host
//! checks are a subset of this session's: a task asking for more is refused
//! before anything starts. The children's questions come to this terminal
//! labelled with the child (or, in a headless parent, to its policy); a
//! child's capability question is granted only when this session holds it.

use super::call_error::{CallError, CallResult};
use super::{Input, Session};
use crate::caps::grants::{Decision, Scope};
use crate::headless::agents::{self, AgentSpec, Question};
use crate::headless::events::{ApprovalKind, Decider};
use crate::headless::{settings, Event};
use crate::state::{ToolEntry, ToolSource};
use crate::ui::sanitize::visible;
use serde::Deserialize;
use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The tool's name.
pub(super) const TOOL: &str = "task";
/// Subagents at once unless AICODER_MAX_AGENTS or `--max-agents` says.
pub const DEFAULT_MAX_AGENTS: usize = 3;
/// The most tasks one call may start.
const MAX_TASKS: usize = 16;

static MAX_AGENTS: AtomicUsize = AtomicUsize::new(DEFAULT_MAX_AGENTS);
/// `--grant task` on a piped run.
static OFFERED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// `--grant task`: offer the task tool in a piped run too (it is off there
/// otherwise; an interactive session always offers it, asking each call).
pub fn offer_task_tool() {
    OFFERED.store(true, Ordering::SeqCst);
}

pub(super) fn task_tool_offered() -> bool {
    OFFERED.load(Ordering::SeqCst)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TaskArgs {
    tasks: Vec<OneTask>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct OneTask {
    prompt: String,
    #[serde(default)]
    system_prompt: Option<String>,
    #[serde(default)]
    tools: Option<Vec<String>>,
    #[serde(default)]
    plugins: Option<Vec<String>>,
    #[serde(default)]
    grants: Vec<String>,
}

fn parameters() -> serde_json::Value {
    serde_json::json!({
        "type": "object",
        "properties": {
            "tasks": {
                "type": "array",
                "description": "The subagents to run, in parallel.",
                "items": {
                    "type": "object",
                    "properties": {
                        "prompt": {"type": "string", "description": "The subagent's task."},
                        "system_prompt": {"type": "string", "description": "Replaces the subagent's system prompt."},
                        "tools": {"type": "array", "items": {"type": "string"}, "description": "Tools it may use (default: all of yours but task)."},
                        "plugins": {"type": "array", "items": {"type": "string"}, "description": "Plugins it loads (default: yours)."},
                        "grants": {"type": "array", "items": {"type": "string"}, "description": "PLUGIN:CAPABILITY grants it gets; only ones this session holds."}
                    },
                    "required": ["prompt"]
                }
            }
        },
        "required": ["tasks"]
    })
}

/// The approval preview of a `task` call.
pub(super) fn preview(raw: &str) -> String {
    match serde_json::from_str::<TaskArgs>(raw) {
        Ok(args) => {
            let mut out = format!("Start {} subagent(s):", args.tasks.len());
            for (i, t) in args.tasks.iter().enumerate() {
                let (prompt, _) = crate::util::truncate_text(&t.prompt, 200);
                out.push_str(&format!("\n  [agent {}] {prompt}", i + 1));
                if let Some(tools) = &t.tools {
                    out.push_str(&format!("\n    tools: {}", tools.join(", ")));
                }
                if !t.grants.is_empty() {
                    out.push_str(&format!("\n    grants: {}", t.grants.join(", ")));
                }
            }
            out
        }
        Err(e) => format!("task (arguments not understood: {e})"),
    }
}

/// Why a subagent's task is refused before it starts.
#[derive(Debug, thiserror::Error)]
enum TaskRefused {
    #[error("it asks for the tool {0}, which this session does not have")]
    Tool(String),
    #[error("it asks for the plugin {0}, which this session has not loaded")]
    Plugin(String),
    #[error("grant {0:?} is not PLUGIN:CAPABILITY")]
    GrantForm(String),
    #[error("it asks for a grant to {0}, a plugin it does not load")]
    GrantUnloaded(String),
    #[error("no plugin {0}")]
    NoPlugin(String),
    #[error("no capability {0}")]
    NoCapability(String),
    #[error(
        "it asks for the grant {0}, which this session does not hold (a subagent never gets \
         more than its parent)"
    )]
    NotHeld(String),
}

impl Session {
    /// Offer the `task` tool (at most `max` subagents at once).
    pub fn enable_task_tool(&mut self, max: usize) {
        let max = std::env::var("AICODER_MAX_AGENTS")
            .ok()
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(max);
        MAX_AGENTS.store(max.max(1), Ordering::SeqCst);
        let entry = ToolEntry::new(
            TOOL,
            "Run subagents: separate aicoder runs, in parallel, each with its own prompt \
             (and optional system prompt, tools, plugins and grants, never more than yours). \
             Their final answers come back. Use it for independent pieces of work.",
            parameters(),
            false,
            ToolSource::Internal,
            true,
        );
        self.state().tools.insert(TOOL.to_string(), entry);
    }

    /// This session's id: its autosave file's name.
    fn session_id(&self) -> String {
        self.autosave_file()
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
    }

    /// Check a task against this session: the spec the child gets, or why
    /// it is refused.
    fn check_task(&self, n: usize, task: OneTask) -> Result<AgentSpec, TaskRefused> {
        let filter = settings::ToolFilter::get();
        let own_tools: Vec<String> = self
            .state()
            .tools
            .values()
            .filter(|t| t.offered && t.name != TOOL && filter.allows(&t.name))
            .map(|t| t.name.clone())
            .collect();
        let own_plugins: Vec<String> = self.host.plugins().map(|p| p.id.name.clone()).collect();
        let tools = match task.tools {
            None => own_tools.clone(),
            Some(asked) => {
                if let Some(extra) = asked.iter().find(|t| !own_tools.contains(t)) {
                    return Err(TaskRefused::Tool(extra.clone()));
                }
                asked
            }
        };
        let plugins = match task.plugins {
            None => own_plugins.clone(),
            Some(asked) => {
                if let Some(extra) = asked.iter().find(|p| !own_plugins.contains(p)) {
                    return Err(TaskRefused::Plugin(extra.clone()));
                }
                asked
            }
        };
        let mut grants = Vec::new();
        for grant in &task.grants {
            let (plugin, caps) = grant
                .split_once(':')
                .ok_or_else(|| TaskRefused::GrantForm(grant.clone()))?;
            if !plugins.iter().any(|p| p == plugin) {
                return Err(TaskRefused::GrantUnloaded(plugin.to_string()));
            }
            let id = self
                .host
                .plugin(plugin)
                .map(|i| i.id.clone())
                .ok_or_else(|| TaskRefused::NoPlugin(plugin.to_string()))?;
            for cap_name in caps.split(',').map(str::trim) {
                let cap = crate::caps::Capability::parse(cap_name)
                    .ok_or_else(|| TaskRefused::NoCapability(cap_name.to_string()))?;
                let held = self.host.services().grants().check(&id, cap);
                if !matches!(held, Decision::Allowed(Scope::Session | Scope::Always)) {
                    return Err(TaskRefused::NotHeld(format!("{plugin}:{cap_name}")));
                }
                grants.push(format!("{plugin}:{cap_name}"));
            }
        }
        Ok(AgentSpec {
            label: format!("agent {n}"),
            prompt: task.prompt,
            system_prompt: task.system_prompt.filter(|s| !s.is_empty()),
            tools: if tools.is_empty() {
                vec!["-".into()]
            } else {
                tools
            },
            plugins,
            grants,
        })
    }

    /// Run the `task` tool: check each task, run the allowed ones, and give
    /// the model every answer (and every refusal).
    pub(super) fn run_task_tool(&mut self, raw: &str, input: &mut Input) -> CallResult {
        let args: TaskArgs = serde_json::from_str(raw)
            .map_err(|e| CallError::failed(format!("task: arguments not understood: {e}")))?;
        if args.tasks.is_empty() || args.tasks.len() > MAX_TASKS {
            return Err(CallError::failed(format!(
                "task: give 1 to {MAX_TASKS} tasks"
            )));
        }
        let exe = std::env::current_exe()
            .map_err(|e| CallError::failed(format!("task: cannot find the aicoder binary: {e}")))?;
        let mut specs = Vec::new();
        let mut report = Vec::new();
        for (i, task) in args.tasks.into_iter().enumerate() {
            match self.check_task(i + 1, task) {
                Ok(spec) => specs.push(spec),
                Err(why) => {
                    let line = format!("[agent {}] refused: {why}", i + 1);
                    eprintln!("{}", visible(&line));
                    if let Some(h) = &mut self.headless {
                        h.refuse(line.clone());
                    }
                    report.push(line);
                }
            }
        }
        let max = MAX_AGENTS.load(Ordering::SeqCst);
        let parent = self.session_id();
        let outcomes = {
            let mut asker = TaskAsker {
                session: self,
                input,
                drawn: 0,
                tty: std::io::stderr().is_terminal(),
            };
            agents::run(&exe, &specs, max, &parent, &mut asker)
        };
        let mut any_ok = false;
        for o in &outcomes {
            let mut line = format!("[{}]", o.label);
            match (&o.problem, o.exit_code) {
                (None, Some(0)) => {
                    any_ok = true;
                    line.push_str(" finished");
                }
                (Some(p), code) => line.push_str(&format!(
                    " failed (exit {}): {p}",
                    code.map_or("none".into(), |c| c.to_string())
                )),
                (None, code) => line.push_str(&format!(" ended with exit {code:?}")),
            }
            if !o.session_file.is_empty() {
                line.push_str(&format!(" · session {}", o.session_file));
            }
            if !o.answer.is_empty() {
                line.push_str(&format!("\n{}", o.answer));
            }
            report.push(line);
        }
        let text = report.join("\n\n");
        if any_ok {
            Ok(text)
        } else {
            Err(CallError::failed(format!("no subagent finished\n{text}")))
        }
    }
}

/// The parent's side of the children's questions and status.
struct TaskAsker<'a> {
    session: &'a mut Session,
    input: &'a mut Input,
    /// Status lines drawn last (redrawn in place on a terminal).
    drawn: usize,
    tty: bool,
}

impl TaskAsker<'_> {
    /// A question put to the parent's own policy (a headless parent).
    fn headless_answer(&mut self, label: &str, question: &Question) -> Option<String> {
        let h = self.session.headless.as_mut()?;
        match question {
            Question::Approval {
                tool,
                preview,
                outside,
            } => {
                let id = h.next_id("a");
                h.emit(&Event::ApprovalAsked {
                    id: id.clone(),
                    kind: if *outside {
                        ApprovalKind::OutsidePath
                    } else {
                        ApprovalKind::Tool
                    },
                    tool: tool.clone(),
                    preview: preview.clone(),
                    path: None,
                    agent: Some(label.to_string()),
                });
                h.decide_approval(&id, tool, !outside)
                    .then(|| "yes".to_string())
            }
            Question::Capability { .. } => None,
        }
    }

    /// A child's capability question: yes only when this session holds it.
    fn capability(&mut self, label: &str, plugin: &str, capability: &str) -> Option<String> {
        let held = self
            .session
            .host
            .plugin(plugin)
            .map(|i| i.id.clone())
            .zip(crate::caps::Capability::parse(capability))
            .map(|(id, cap)| self.session.host.services().grants().check(&id, cap));
        let ok = matches!(
            held,
            Some(Decision::Allowed(Scope::Session | Scope::Always))
        );
        let line = if ok {
            format!("[{label}] {plugin} needs {capability}: granted for its session (this session holds it)")
        } else {
            format!(
                "[{label}] {plugin} needs {capability}: refused, this session does not hold it \
                 (a subagent never gets more than its parent)"
            )
        };
        self.say(&line);
        if let Some(h) = &mut self.session.headless {
            let id = h.next_id("c");
            h.emit(&Event::CapabilityAsked {
                id: id.clone(),
                plugin: plugin.into(),
                capability: capability.into(),
                target: None,
            });
            h.emit(&Event::CapabilityDecided {
                id,
                plugin: plugin.into(),
                capability: capability.into(),
                granted: ok,
                scope: ok.then(|| "session".into()),
                by: Decider::Host,
                reason: (!ok).then(|| format!("{label}: the parent does not hold it")),
            });
            if !ok {
                h.refused.push(line.clone());
            }
        }
        ok.then(|| "session".to_string())
    }

    /// A line below the status block (which is drawn anew after it).
    fn say(&mut self, line: &str) {
        eprintln!("{}", visible(line));
        self.drawn = 0;
    }
}

impl agents::Asker for TaskAsker<'_> {
    fn answer(&mut self, label: &str, question: &Question) -> Option<String> {
        if let Question::Capability {
            plugin, capability, ..
        } = question
        {
            return self.capability(label, plugin, capability);
        }
        if self.session.headless.is_some() {
            return self.headless_answer(label, question);
        }
        let Question::Approval { tool, preview, .. } = question else {
            return None;
        };
        if !self.input.interactive {
            self.say(&format!(
                "[{label}] {tool} needs approval and there is no terminal to ask: refused"
            ));
            return None;
        }
        self.say(&format!("[{label}] asks to run {tool}:\n{preview}"));
        let prompt = format!("[{}] Approve [Y/n]: ", visible(label));
        let yes = self
            .input
            .ask_until(
                &prompt,
                "answer y (yes) or n (no); Enter means yes",
                |answer| match answer {
                    "" | "y" | "yes" => Some(true),
                    "n" | "no" => Some(false),
                    _ => None,
                },
            )
            .unwrap_or(false);
        self.drawn = 0;
        yes.then(|| "yes".to_string())
    }

    fn status(&mut self, lines: &[String]) {
        let mut err = std::io::stderr().lock();
        if self.tty {
            if self.drawn > 0 {
                let _ = write!(err, "\x1b[{}A", self.drawn);
            }
            let width = crate::ui::terminal_width().max(20);
            for line in lines {
                let (line, _) = crate::util::truncate_text(&visible(line), width - 1);
                let _ = write!(err, "\r\x1b[2K{line}\n");
            }
            self.drawn = lines.len();
        } else {
            for line in lines {
                let _ = writeln!(err, "{}", visible(line));
            }
        }
        let _ = err.flush();
    }

    fn stop_requested(&self) -> bool {
        crate::interrupt::requested()
    }
}
