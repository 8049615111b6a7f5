//! Headless runs that scripts can trust (`aicoder exec`): the event stream
//! ([`events`]), the approval policy that answers what no person is there
//! to answer (`--approve never|all|ask-fd N`, [`approve`]), the final
//! answer's schema (`--output-schema`, [`output`]), AI Coder v3's subagent
//! settings ([`settings`]) and the subagents themselves ([`agents`]).
//! Nothing here is decided silently: every refusal is an event and sets the
//! exit code ([`Exit`], the table in docs/headless.md).

pub mod agents;
pub mod approve;
pub mod events;
pub mod output;
pub mod settings;

pub use approve::Policy;
pub use events::Event;

use std::fs::File;
use std::io::Write;
use std::sync::Mutex;

/// How a headless run ends (docs/headless.md has the table).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// The task was answered (and the answer met `--output-schema`).
    Answered = 0,
    /// The model could not be reached or failed, a command failed, or the
    /// run could not start.
    Failed = 1,
    /// Bad arguments (clap's own code).
    Usage = 2,
    /// A tool call, a path outside the root or a capability was refused:
    /// the task may be undone.
    Refused = 3,
    /// The answer was not JSON valid against `--output-schema`, twice.
    OutputSchema = 4,
    /// Stopped by Ctrl-C (SIGINT) or SIGTERM.
    Interrupted = 130,
}

impl Exit {
    /// The process exit code.
    pub fn code(self) -> i32 {
        self as i32
    }

    /// Why, for the `done` event.
    pub fn reason(self) -> &'static str {
        match self {
            Exit::Answered => "answered",
            Exit::Failed => "failed",
            Exit::Usage => "usage",
            Exit::Refused => "refused",
            Exit::OutputSchema => "output_schema",
            Exit::Interrupted => "interrupted",
        }
    }
}

/// Where a headless run's events go, and how it answers questions.
pub struct Headless {
    /// The event stream (the real stdout, kept apart from anything else the
    /// process prints) when `--json`; `None` prints for a person.
    sink: Option<Mutex<File>>,
    /// Who answers approval and capability questions.
    pub policy: Policy,
    answers: approve::Answers,
    next_id: u32,
    /// What was refused (each also an event): the run exits [`Exit::Refused`].
    pub refused: Vec<String>,
    /// This run's session id (its autosave file's name).
    pub session_id: String,
}

impl Headless {
    /// A headless run answering by `policy`, its events to `sink` (JSON
    /// lines) or, without one, refusals printed to stderr.
    pub fn new(policy: Policy, sink: Option<File>) -> std::io::Result<Self> {
        let answers = approve::Answers::open(&policy)?;
        Ok(Headless {
            sink: sink.map(Mutex::new),
            policy,
            answers,
            next_id: 0,
            refused: Vec::new(),
            session_id: String::new(),
        })
    }

    /// Whether events are written as JSON lines.
    pub fn json(&self) -> bool {
        self.sink.is_some()
    }

    /// Write one event (a line, flushed). A closed stdout ends nothing: the
    /// run goes on and its exit code still tells.
    pub fn emit(&self, event: &Event) {
        if let Some(sink) = &self.sink {
            if let Ok(mut line) = serde_json::to_vec(event) {
                line.push(b'\n');
                if let Ok(mut out) = sink.lock() {
                    let _ = out.write_all(&line);
                    let _ = out.flush();
                }
            }
        } else if let Event::Error { message, .. } = event {
            eprintln!("aicoder: {message}");
        }
    }

    /// A fresh question id (`a1`, `a2`, ...).
    pub fn next_id(&mut self, prefix: &str) -> String {
        self.next_id += 1;
        format!("{prefix}{}", self.next_id)
    }

    /// Record a refusal: an `error` event (not fatal: the model is told and
    /// the run goes on) and the exit code [`Exit::Refused`].
    pub fn refuse(&mut self, message: String) {
        self.emit(&Event::Error {
            kind: "refused".into(),
            message: message.clone(),
            fatal: false,
        });
        self.refused.push(message);
    }

    /// Ask the policy about an approval already emitted as `approval_asked`
    /// with `id`; emits `approval_decided`. `may_approve_all` is false for
    /// what `--approve all` must not approve (a path outside the root).
    pub fn decide_approval(&mut self, id: &str, tool: &str, may_approve_all: bool) -> bool {
        let (approved, by, reason) = match &self.policy {
            Policy::Never => (
                false,
                events::Decider::Policy,
                Some("--approve never (the default of a headless run)".to_string()),
            ),
            Policy::All if may_approve_all => (true, events::Decider::Policy, None),
            Policy::All => (
                false,
                events::Decider::Policy,
                Some(
                    "--approve all never approves a path outside the workspace root; \
                     answer it with --approve ask-fd N or set MINI_SANDBOX=0"
                        .to_string(),
                ),
            ),
            Policy::AskFd(_) => match self.answers.approval(id) {
                Ok(yes) => (yes, events::Decider::AskFd, None),
                Err(why) => (false, events::Decider::AskFd, Some(why.to_string())),
            },
        };
        self.emit(&Event::ApprovalDecided {
            id: id.to_string(),
            tool: tool.to_string(),
            approved,
            by,
            reason: reason.clone(),
        });
        if !approved {
            let why = reason.unwrap_or_else(|| "answered no".into());
            self.refused.push(format!("{tool}: {why}"));
            if !self.json() {
                eprintln!("aicoder: {tool} not approved: {why}");
            }
        }
        approved
    }

    /// Ask the policy for capability `capability` of `plugin` (already
    /// emitted as `capability_asked` with `id`): the scope granted, or
    /// `None`. `--approve all` approves tools, never capabilities (as YOLO).
    pub fn decide_capability(
        &mut self,
        id: &str,
        plugin: &str,
        capability: &str,
    ) -> Option<crate::caps::grants::Scope> {
        use crate::caps::grants::Scope;
        let (scope, by, reason) = match &self.policy {
            Policy::AskFd(_) => match self.answers.grant(id) {
                Ok(scope) => (scope, events::Decider::AskFd, None),
                Err(why) => (None, events::Decider::AskFd, Some(why.to_string())),
            },
            _ => (
                None,
                events::Decider::Policy,
                Some(format!(
                    "not granted; --grant {plugin}:{capability} grants it for a run"
                )),
            ),
        };
        self.emit(&Event::CapabilityDecided {
            id: id.to_string(),
            plugin: plugin.to_string(),
            capability: capability.to_string(),
            granted: scope.is_some(),
            scope: scope.map(|s: Scope| s.name().to_string()),
            by,
            reason: reason.clone(),
        });
        if scope.is_none() {
            let why = reason.unwrap_or_else(|| "denied".into());
            self.refused.push(format!("{plugin}:{capability}: {why}"));
            if !self.json() {
                eprintln!("aicoder: {plugin} not granted {capability}: {why}");
            }
        }
        scope
    }
}
