//! Subagents: child `aicoder exec --json --approve ask-fd 3` processes,
//! run in parallel up to a limit. Each child's events are read from its
//! stdout; its questions come to the parent through [`Asker`] (the parent's
//! terminal or the parent's own policy) and the answers go back on the
//! child's descriptor 3. What a child may hold (tools, plugins, grants) was
//! checked by the parent before it starts ([`AgentSpec`] is already the
//! subset); the child also never gets YOLO_MODE.

use serde_json::Value;
use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The most of a child's stderr kept (its last lines) for the result.
const STDERR_TAIL_LINES: usize = 8;
/// How long a stopped child has to end before it is killed.
const STOP_GRACE: Duration = Duration::from_secs(3);
/// The longest event line read from a child.
const MAX_EVENT_BYTES: u64 = 1 << 20;

/// One subagent to start, already checked against the parent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentSpec {
    /// `agent 1`, ...: how the parent's terminal names it.
    pub label: String,
    pub prompt: String,
    /// AICODER_SYSTEM_PROMPT of the child.
    pub system_prompt: Option<String>,
    /// TOOLS_ALLOW of the child (never empty: at least one tool, or `-`).
    pub tools: Vec<String>,
    /// PLUGINS_ALLOW of the child.
    pub plugins: Vec<String>,
    /// `--grant PLUGIN:CAP` arguments of the child.
    pub grants: Vec<String>,
}

/// A question a child asks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Question {
    /// `approval_asked`: a tool call (or a path outside the root).
    Approval {
        tool: String,
        preview: String,
        outside: bool,
    },
    /// `capability_asked`.
    Capability {
        plugin: String,
        capability: String,
        target: Option<String>,
    },
}

/// The parent's side: who answers a child's questions, and where the live
/// status goes.
pub trait Asker {
    /// Answer `question` of the agent labelled `label`: for an approval,
    /// `Some("yes")`/`None`; for a capability, the scope (`once`,
    /// `session`, `always`) or `None`.
    fn answer(&mut self, label: &str, question: &Question) -> Option<String>;
    /// One line per agent, as it stands now.
    fn status(&mut self, lines: &[String]);
    /// Whether the user asked to stop everything (Ctrl-C).
    fn stop_requested(&self) -> bool;
}

/// How one subagent ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentOutcome {
    pub label: String,
    /// The child's exit code (`None`: killed by a signal, or never started).
    pub exit_code: Option<i32>,
    /// Its last answer.
    pub answer: String,
    /// Its `session_file`.
    pub session_file: String,
    /// Why it failed or was stopped, if so (errors from its events, the
    /// end of its stderr).
    pub problem: Option<String>,
}

struct Running {
    spec: AgentSpec,
    child: Child,
    answers: Option<std::io::PipeWriter>,
    status: String,
    answer: String,
    session_file: String,
    errors: Vec<String>,
    done: bool,
    stderr: Arc<Mutex<VecDeque<String>>>,
    stopped: bool,
}

enum Message {
    Event(usize, Value),
    Closed(usize),
}

/// Start `exe exec --json --approve ask-fd 3 ...` for `spec`.
fn start(
    exe: &std::path::Path,
    spec: &AgentSpec,
    parent_session: &str,
    index: usize,
    tx: &mpsc::Sender<Message>,
) -> std::io::Result<Running> {
    let (answers_read, answers_write) = std::io::pipe()?;
    let mut cmd = Command::new(exe);
    cmd.arg("exec")
        .arg("--json")
        .arg("--approve")
        .arg("ask-fd:3");
    for grant in &spec.grants {
        cmd.arg("--grant").arg(grant);
    }
    cmd.arg("--").arg(&spec.prompt);
    // Never more than the parent: no YOLO, and only the listed tools and
    // plugins exist in the child.
    cmd.env_remove("YOLO_MODE")
        .env("TOOLS_ALLOW", spec.tools.join(","))
        .env_remove("TOOLS_DENY")
        .env(
            "PLUGINS_ALLOW",
            if spec.plugins.is_empty() {
                // PLUGINS_ALLOW empty would mean "all"; `_` names no plugin
                // (a file starting with `_` is disabled).
                "_".to_string()
            } else {
                spec.plugins.join(",")
            },
        )
        .env(super::settings::PARENT_SESSION_ENV, parent_session)
        .env_remove("AICODER_SYSTEM_PROMPT_APPEND")
        .env_remove("SESSION_OUTPUT_FILE")
        .env_remove("AICODER_SESSION_OUTPUT");
    match &spec.system_prompt {
        Some(p) => cmd.env("AICODER_SYSTEM_PROMPT", p),
        None => cmd.env_remove("AICODER_SYSTEM_PROMPT"),
    };
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // Its own process group: the terminal's Ctrl-C reaches the parent only,
    // which stops every child itself.
    std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
    let read_fd = std::os::fd::AsRawFd::as_raw_fd(&answers_read);
    // SAFETY: between fork and exec only dup2 is called (async-signal-safe).
    unsafe {
        std::os::unix::process::CommandExt::pre_exec(&mut cmd, move || {
            if read_fd == 3 {
                // dup2 onto itself would keep close-on-exec set.
                if libc::fcntl(3, libc::F_SETFD, 0) < 0 {
                    return Err(std::io::Error::last_os_error());
                }
            } else if libc::dup2(read_fd, 3) < 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let mut child = cmd.spawn()?;
    drop(answers_read);
    let stdout = child.stdout.take();
    let stderr = child.stderr.take();
    let tx = tx.clone();
    std::thread::spawn(move || {
        if let Some(out) = stdout {
            let mut reader = BufReader::new(out);
            loop {
                let mut line = String::new();
                match (&mut reader).take(MAX_EVENT_BYTES).read_line(&mut line) {
                    Ok(0) | Err(_) => break,
                    Ok(_) => {
                        if let Ok(event) = serde_json::from_str::<Value>(line.trim()) {
                            if tx.send(Message::Event(index, event)).is_err() {
                                break;
                            }
                        }
                    }
                }
            }
        }
        let _ = tx.send(Message::Closed(index));
    });
    let tail = Arc::new(Mutex::new(VecDeque::new()));
    let keep = tail.clone();
    std::thread::spawn(move || {
        if let Some(err) = stderr {
            for line in BufReader::new(err).lines().map_while(Result::ok) {
                if let Ok(mut tail) = keep.lock() {
                    if tail.len() == STDERR_TAIL_LINES {
                        tail.pop_front();
                    }
                    tail.push_back(line);
                }
            }
        }
    });
    Ok(Running {
        spec: spec.clone(),
        child,
        answers: Some(answers_write),
        status: "starting".into(),
        answer: String::new(),
        session_file: String::new(),
        errors: Vec::new(),
        done: false,
        stderr: tail,
        stopped: false,
    })
}

fn text(v: &Value, key: &str) -> String {
    v.get(key).and_then(Value::as_str).unwrap_or("").to_string()
}

/// What one event of a child changes; a question is answered by `asker`.
fn on_event(agent: &mut Running, event: &Value, asker: &mut dyn Asker) {
    match event.get("type").and_then(Value::as_str).unwrap_or("") {
        "session_started" => {
            agent.session_file = text(event, "session_file");
            agent.status = "thinking".into();
        }
        "assistant_delta" => agent.status = "answering".into(),
        "tool_call" => agent.status = format!("running {}", text(event, "name")),
        "assistant_message" => {
            agent.answer = text(event, "text");
            agent.status = "thinking".into();
        }
        "error" if event.get("kind").and_then(Value::as_str) != Some("retrying") => {
            agent.errors.push(text(event, "message"));
        }
        "approval_asked" => {
            agent.status = "asking".into();
            let question = Question::Approval {
                tool: text(event, "tool"),
                preview: text(event, "preview"),
                outside: text(event, "kind") == "outside_path",
            };
            let yes = asker.answer(&agent.spec.label, &question).is_some();
            reply(
                agent,
                serde_json::json!({"id": text(event, "id"), "approve": yes}),
            );
        }
        "capability_asked" => {
            agent.status = "asking".into();
            let question = Question::Capability {
                plugin: text(event, "plugin"),
                capability: text(event, "capability"),
                target: event
                    .get("target")
                    .and_then(Value::as_str)
                    .map(String::from),
            };
            let scope = asker
                .answer(&agent.spec.label, &question)
                .unwrap_or_else(|| "deny".into());
            reply(
                agent,
                serde_json::json!({"id": text(event, "id"), "grant": scope}),
            );
        }
        "done" => {
            agent.done = true;
            agent.status = format!("done (exit {})", event["exit_code"]);
        }
        _ => {}
    }
}

fn reply(agent: &mut Running, answer: Value) {
    if let Some(pipe) = &mut agent.answers {
        let line = format!("{answer}\n");
        if pipe.write_all(line.as_bytes()).is_err() {
            agent.answers = None;
        }
    }
}

/// Ask every running child to stop (SIGINT to its process group), then kill
/// those still there after the grace period.
fn stop_all(running: &mut [Option<Running>]) {
    for agent in running.iter_mut().flatten() {
        agent.stopped = true;
        agent.answers = None;
        let pid = agent.child.id() as i32;
        // SAFETY: a signal to the child's own process group.
        unsafe { libc::kill(-pid, libc::SIGINT) };
    }
    let until = Instant::now() + STOP_GRACE;
    for agent in running.iter_mut().flatten() {
        loop {
            match agent.child.try_wait() {
                Ok(Some(_)) | Err(_) => break,
                Ok(None) if Instant::now() < until => std::thread::sleep(Duration::from_millis(20)),
                Ok(None) => {
                    let pid = agent.child.id() as i32;
                    // SAFETY: as above.
                    unsafe { libc::kill(-pid, libc::SIGKILL) };
                    let _ = agent.child.wait();
                    break;
                }
            }
        }
    }
}

fn outcome(mut agent: Running) -> AgentOutcome {
    let status = agent.child.wait().ok();
    let exit_code = status.and_then(|s| s.code());
    let mut problem = None;
    if agent.stopped {
        problem = Some("stopped by Ctrl-C".to_string());
    } else if exit_code != Some(0) {
        let mut why = agent.errors.join("; ");
        if why.is_empty() {
            if let Ok(tail) = agent.stderr.lock() {
                why = tail.iter().cloned().collect::<Vec<_>>().join(" | ");
            }
        }
        problem = Some(if why.is_empty() {
            "it ended without saying why".into()
        } else {
            why
        });
    }
    AgentOutcome {
        label: agent.spec.label,
        exit_code,
        answer: agent.answer,
        session_file: agent.session_file,
        problem,
    }
}

/// Run `specs` with at most `max` at once; returns their outcomes in order.
/// `exe` is the aicoder binary; `parent_session` goes to each child
/// (AICODER_PARENT_SESSION: its session_started and audit lines carry it).
pub fn run(
    exe: &std::path::Path,
    specs: &[AgentSpec],
    max: usize,
    parent_session: &str,
    asker: &mut dyn Asker,
) -> Vec<AgentOutcome> {
    let max = max.max(1);
    let (tx, rx) = mpsc::channel();
    let mut running: Vec<Option<Running>> = specs.iter().map(|_| None).collect();
    let mut outcomes: Vec<Option<AgentOutcome>> = specs.iter().map(|_| None).collect();
    let mut closed = vec![false; specs.len()];
    let mut next = 0;
    let mut stopping = false;
    let mut last_status: Vec<String> = Vec::new();
    loop {
        // Start more while under the limit.
        let active = running.iter().filter(|r| r.is_some()).count();
        if !stopping && active < max && next < specs.len() {
            let spec = &specs[next];
            match start(exe, spec, parent_session, next, &tx) {
                Ok(agent) => running[next] = Some(agent),
                Err(e) => {
                    closed[next] = true;
                    outcomes[next] = Some(AgentOutcome {
                        label: spec.label.clone(),
                        exit_code: None,
                        answer: String::new(),
                        session_file: String::new(),
                        problem: Some(format!("could not start: {e}")),
                    });
                }
            }
            next += 1;
            continue;
        }
        if stopping && next < specs.len() {
            for (i, spec) in specs.iter().enumerate().skip(next) {
                outcomes[i] = Some(AgentOutcome {
                    label: spec.label.clone(),
                    exit_code: None,
                    answer: String::new(),
                    session_file: String::new(),
                    problem: Some("not started: stopped by Ctrl-C".into()),
                });
                closed[i] = true;
            }
            next = specs.len();
        }
        if outcomes.iter().all(Option::is_some) {
            break;
        }
        let status: Vec<String> = specs
            .iter()
            .enumerate()
            .map(|(i, spec)| {
                let state = match (&running[i], &outcomes[i]) {
                    (Some(agent), _) => agent.status.clone(),
                    (None, Some(o)) => match (&o.problem, o.exit_code) {
                        (Some(p), _) => format!("failed: {p}"),
                        (None, code) => format!("done (exit {})", code.unwrap_or(-1)),
                    },
                    (None, None) => "waiting".into(),
                };
                let (prompt, _) = crate::util::truncate_text(&spec.prompt, 40);
                format!("[{}] {state} · {}", spec.label, prompt.replace('\n', " "))
            })
            .collect();
        if status != last_status {
            asker.status(&status);
            last_status = status;
        }
        if !stopping && asker.stop_requested() {
            stopping = true;
            stop_all(&mut running);
        }
        match rx.recv_timeout(Duration::from_millis(100)) {
            Ok(Message::Event(i, event)) => {
                if let Some(agent) = running[i].as_mut() {
                    on_event(agent, &event, asker);
                }
            }
            Ok(Message::Closed(i)) => closed[i] = true,
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => {}
        }
        // A child whose output closed has ended (or will): collect it.
        for i in 0..specs.len() {
            if closed[i] && outcomes[i].is_none() {
                if let Some(agent) = running[i].take() {
                    outcomes[i] = Some(outcome(agent));
                }
            }
        }
    }
    let outcomes: Vec<AgentOutcome> = outcomes.into_iter().flatten().collect();
    let last: Vec<String> = outcomes
        .iter()
        .zip(specs)
        .map(|(o, spec)| {
            let state = match (&o.problem, o.exit_code) {
                (Some(p), _) => format!("failed: {p}"),
                (None, code) => format!("done (exit {})", code.unwrap_or(-1)),
            };
            let (prompt, _) = crate::util::truncate_text(&spec.prompt, 40);
            format!("[{}] {state} · {}", spec.label, prompt.replace('\n', " "))
        })
        .collect();
    if last != last_status {
        asker.status(&last);
    }
    outcomes
}
