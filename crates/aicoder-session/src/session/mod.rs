//! The terminal session: opening it (config, grants, audit log, plugins),
//! the chat turn (model → tools → approval → results → model), slash commands
//! and the session file.

mod approval;
pub mod autoexec;
mod call_error;
mod chat;
mod commands;
mod connect;
mod control;
mod escalate;
pub mod exec;
mod input;
mod mcp;
mod mcp_ask;
mod mcp_extras;
mod mcp_form;
mod mcp_http;
mod mcp_reach;
pub mod prompt;
mod reasoning;
mod recover;
pub mod socket;
mod socket_bridge;
mod socket_error;
mod socket_run;
pub mod store;
mod task;

use crate::app::App;
use crate::config::Paths;
use crate::model::{ModelClient, ModelError};
use crate::state::SessionEvent;
use anyhow::{bail, Context, Result};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

pub(crate) use crate::app::{above_ceiling, parse_capability};

pub use input::{Candidates, CompletionSource, Input};
pub use task::{offer_task_tool, DEFAULT_MAX_AGENTS};

/// The session ends: its background jobs (interface `process`) end with it,
/// even if a plugin instance still holds the shared services.
impl Drop for Session {
    fn drop(&mut self) {
        self.host.services().jobs.stop_all();
    }
}

/// Everything a running aicoder holds.
pub struct Session {
    /// The app (paths, services, plugins) the conversation runs in; the
    /// session reads through to it (`session.host`, `session.paths`).
    pub app: App,
    client: Result<ModelClient, ModelError>,
    /// Loopback was probed for a local server (once per session).
    probed: bool,
    runtime: tokio::runtime::Runtime,
    /// The session file /save and /load use by default.
    pub session_file: PathBuf,
    /// Session files found damaged: never written over.
    damaged_files: HashSet<PathBuf>,
    /// This process's autosave journal, brought up to date after every message.
    autosave: std::cell::RefCell<store::Autosave>,
    /// An autosave failure is reported once, not after every message.
    autosave_failed: std::cell::Cell<bool>,
    /// Set while /compact asks for its summary: the conversation is then
    /// partly set aside, and the autosave keeps the whole one.
    pub(crate) autosave_paused: std::cell::Cell<bool>,
    /// The system prompt this session started with (and /new starts over
    /// with): the base prompt and AGENTS.md, listed by /context.
    pub system_prompt: prompt::SystemPrompt,
    /// The built-in file tools stay beneath the workspace root (off with
    /// MINI_SANDBOX=0, as in AI Coder v3).
    pub(crate) sandbox: bool,
    /// Tokens of the last request and its answer, from the server's usage
    /// (automatic compaction compares them with CONTEXT_SIZE).
    pub(crate) last_usage_tokens: std::cell::Cell<u64>,
    /// Questions piped mode had no one to ask, answered no: the run exits
    /// non-zero and its last line says how to allow them.
    pub(crate) unasked: Vec<approval::Unasked>,
    /// Set in a headless run (`aicoder exec`, session/exec.rs): its events
    /// and who answers its questions.
    pub(crate) headless: Option<crate::headless::Headless>,
    /// The MCP servers of this session (session/mcp.rs).
    pub(crate) mcp: crate::mcp::McpHost,
}

impl Session {
    /// Open the session for the current directory: load config, grants and
    /// plugins. Problems that should not stop the session (a refused plugin,
    /// an unreadable grants file) are printed and skipped. The folder's own
    /// plugins load only if already trusted; the count of the others is
    /// printed with how to trust them.
    pub fn open(session_grants: &[String]) -> Result<Self> {
        Self::open_with(session_grants, None)
    }

    /// [`Session::open`], asking at `input` (a terminal) whether to trust the
    /// folder's plugins that are not trusted yet.
    pub fn open_with(session_grants: &[String], ask: Option<&mut Input>) -> Result<Self> {
        let root = std::env::current_dir().context("cannot read the current directory")?;
        let config = crate::config::Config::from_env()?;
        let client = ModelClient::new(&config);
        let paths = Paths::for_project(&root);
        let session_file = default_session_file(&paths);
        let (system_prompt, notes) =
            prompt::build(crate::state::SYSTEM_PROMPT, &root, &paths.user_config_dir);
        for note in &notes {
            eprintln!("aicoder: {note}");
        }
        let sandbox = !std::env::var("MINI_SANDBOX")
            .is_ok_and(|v| matches!(v.trim(), "0" | "false" | "no" | "off"));
        let mut ask_line = ask.map(|input| move |q: &str| input.ask(q));
        let app = App::open_in(
            root,
            config,
            session_grants,
            ask_line
                .as_mut()
                .map(|f| f as &mut dyn FnMut(&str) -> Option<String>),
        )?;
        // Servers start in the background: the prompt does not wait.
        let mut mcp = mcp::open_mcp(
            &app.paths,
            &app.project_root(),
            ask_line
                .as_mut()
                .map(|f| f as &mut dyn FnMut(&str) -> Option<String>),
        );
        // HTTP servers need a grant for their host (session/mcp_http.rs).
        mcp_http::check_hosts(
            &mut mcp,
            app.host.services(),
            &app.project_root(),
            ask_line
                .as_mut()
                .map(|f| f as &mut dyn FnMut(&str) -> Option<String>),
        );
        let noted = mcp.notes.len();
        mcp.start(
            &app.project_root(),
            &app.paths.project_dir.join("mcp"),
            std::sync::Arc::clone(app.host.services()),
        );
        // An entry that cannot start (an unset ${VAR}): one line now.
        for note in mcp.notes.iter().skip(noted) {
            eprintln!("aicoder: {}", crate::term::sanitize::visible(note));
        }
        if let Some(first) = app.state().messages.first_mut() {
            first.content = system_prompt.text.clone();
        }
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .context("cannot start the async runtime")?;
        let autosave = std::cell::RefCell::new(store::Autosave::new(store::autosave_path(
            &app.paths.project_dir,
        )));
        Ok(Session {
            app,
            client,
            probed: false,
            runtime,
            autosave,
            session_file,
            damaged_files: HashSet::new(),
            autosave_failed: std::cell::Cell::new(false),
            autosave_paused: std::cell::Cell::new(false),
            system_prompt,
            sandbox,
            last_usage_tokens: std::cell::Cell::new(0),
            unasked: Vec::new(),
            headless: None,
            mcp,
        })
    }

    /// Load a session file into the live state (history, stats).
    pub fn load_file(&mut self, path: &std::path::Path) -> Result<usize, store::SessionFileError> {
        match load_conversation(&mut self.app, path) {
            Ok(n) => {
                self.damaged_files.remove(path);
                Ok(n)
            }
            Err(err) => {
                if err.is_damaged() {
                    self.damaged_files.insert(path.to_path_buf());
                }
                Err(err)
            }
        }
    }

    /// Save the live state to a session file; a file found damaged is never overwritten.
    pub fn save_file(&self, path: &std::path::Path) -> Result<usize> {
        if self.damaged_files.contains(path) {
            bail!(
                "{} was damaged when loaded and is kept as it is; /save OTHER_FILE instead",
                path.display()
            );
        }
        let n = save_conversation(&self.app, path)?;
        // The autosave journal is folded into one snapshot too.
        self.autosave_snapshot();
        Ok(n)
    }

    /// Write the conversation to this process's autosave file, so that no
    /// typed message or tool result is lost if aicoder is killed or the model
    /// fails. A failure is reported once and the session goes on.
    /// Appends what was added since the last call; a conversation changed
    /// otherwise (a plugin's history.write, /compact, /new, /load) is
    /// rewritten whole.
    pub(crate) fn autosave(&self) {
        if self.autosave_paused.get() {
            return;
        }
        let result = {
            let state = self.state();
            let cwd = state.cwd.display().to_string();
            self.autosave.borrow_mut().record(
                state.messages.revision(),
                &state.messages,
                &state.stats,
                &cwd,
            )
        };
        self.autosave_result(result);
    }

    /// Rewrite the autosave as one snapshot of the conversation.
    pub(crate) fn autosave_snapshot(&self) {
        let result = {
            let state = self.state();
            let cwd = state.cwd.display().to_string();
            self.autosave.borrow_mut().snapshot(
                state.messages.revision(),
                &state.messages,
                &state.stats,
                &cwd,
            )
        };
        self.autosave_result(result);
    }

    fn autosave_result(&self, result: Result<(), store::SessionFileError>) {
        if let Err(err) = result {
            if !self.autosave_failed.replace(true) {
                eprintln!("aicoder: autosave failed, the session is only in memory: {err}");
            }
        }
    }

    /// This process's autosave file.
    pub fn autosave_file(&self) -> PathBuf {
        self.autosave.borrow().path().to_path_buf()
    }
}

// The session is the app plus a conversation: what the app offers (its
// plugins, paths and state) is reached through it directly.
impl std::ops::Deref for Session {
    type Target = App;
    fn deref(&self) -> &App {
        &self.app
    }
}

impl std::ops::DerefMut for Session {
    fn deref_mut(&mut self) -> &mut App {
        &mut self.app
    }
}

/// The session file /save, /load, `py` and `audit undo` use by default:
/// `SESSION_JSON_FILE`, or `.aicoder/session.json` of the project.
pub fn default_session_file(paths: &Paths) -> PathBuf {
    std::env::var_os("SESSION_JSON_FILE")
        .filter(|v| !v.is_empty())
        .or_else(|| std::env::var_os("AICODER_SESSION_FILE").filter(|v| !v.is_empty()))
        .map(PathBuf::from)
        .unwrap_or_else(|| paths.project_dir.join("session.json"))
}

/// Load a session file into the app's live state (history, stats) and tell
/// the plugins (`on_session_change`); a warning about the file is printed.
pub fn load_conversation(app: &mut App, path: &Path) -> Result<usize, store::SessionFileError> {
    let store::Loaded {
        session: saved,
        warning,
    } = store::load(path)?;
    if let Some(warning) = warning {
        eprintln!("aicoder: {warning}");
    }
    let n = saved.messages.len();
    let mut state = app.state();
    *state.messages = saved.messages;
    state.stats = saved.stats;
    drop(state);
    app.emit_simple(SessionEvent::OnSessionChange);
    Ok(n)
}

/// Save the app's live conversation (history, stats, cwd) to a session
/// file, atomically; returns how many messages it holds.
pub fn save_conversation(app: &App, path: &Path) -> Result<usize> {
    let saved = {
        let state = app.state();
        store::SavedSession {
            version: 1,
            messages: state.messages.to_vec(),
            stats: state.stats.clone(),
            cwd: Some(state.cwd.display().to_string()),
        }
    };
    store::save(path, &saved)?;
    Ok(saved.messages.len())
}

/// `aicoder` without a subcommand: interactive, or piped (`echo task | aicoder`).
pub fn run(
    session_grants: &[String],
    session_path: Option<PathBuf>,
    resume: bool,
    python_runtime: bool,
) -> Result<ExitCode> {
    let root = std::env::current_dir().context("cannot read the current directory")?;
    let mut input = Input::stdin(Some(Paths::for_project(&root).project_dir.join("history")));
    // A plugin's question (ui.ask) goes through this input's question loop.
    let _asking = crate::term::ask::install(input.asker());
    // Only a person at a terminal can trust this folder's plugins; piped
    // runs never do it implicitly.
    let mut session = if input.interactive {
        Session::open_with(session_grants, Some(&mut input))?
    } else {
        Session::open(session_grants)?
    };
    // A session named on the command line or in SESSION_JSON_FILE is what
    // the user chose to continue: no crashed one is offered then.
    let chose_file = session_path.is_some() || std::env::var_os("SESSION_JSON_FILE").is_some();
    if let Some(path) = session_path {
        session.session_file = path.clone();
        let n = session.load_file(&path)?;
        eprintln!("aicoder: loaded {n} messages from {}", path.display());
        if input.interactive {
            session.show_where_it_stopped();
        }
    }
    if resume {
        // The resumed conversation goes on in this process's own autosave
        // file; the one it came from is left as it was.
        let sessions = session.paths.project_dir.join("sessions");
        let Some(path) = store::newest_autosave(&session.paths.project_dir) else {
            bail!(
                "--resume: no autosaved conversation in {}; start a new one with plain `aicoder`",
                sessions.display()
            );
        };
        let n = session.load_file(&path)?;
        eprintln!("aicoder: resumed {n} messages from {}", path.display());
        if input.interactive {
            session.show_where_it_stopped();
        }
    }
    if input.interactive && !resume && !chose_file {
        session.offer_recovery(&mut input);
    }
    if python_runtime {
        let status = session
            .host
            .run_command("python_runtime", "python_runtime", "on")?;
        eprintln!("aicoder: {status}");
    }
    if input.interactive || task::task_tool_offered() {
        session.enable_task_tool(DEFAULT_MAX_AGENTS);
    }
    if !input.interactive {
        // As in v3, a piped run has its socket too: scripts watch it
        // (is_processing, stats, messages), stop it or inject into it.
        let _socket = match socket::start(session.host.services().clone(), session.sandbox) {
            // Not printed: stdout is the answer; AICODER_SOCKET_IPC_FILE
            // gives a script a path it knows.
            Ok(server) => Some(server),
            Err(e) => {
                eprintln!("aicoder: no socket API this run: {e}");
                None
            }
        };
        session.emit_simple(SessionEvent::OnSessionStart);
        let code = piped(&mut session, &mut input);
        recover::mark_clean(session.autosave.borrow().path());
        return code;
    }
    println!(
        "aicoder {} — /help for commands, /quit to leave",
        env!("CARGO_PKG_VERSION")
    );
    match session.model_client() {
        Ok(client) => println!(
            "{} at {}",
            connect::model_label(&session.state().config.model),
            client.url()
        ),
        Err(e) => println!("note: {e}"),
    }
    // v3's socket API, for scripts and editors (session/socket.rs).
    let _socket = match socket::start(session.host.services().clone(), session.sandbox) {
        Ok(server) => {
            println!("socket: {}", server.path().display());
            Some(server)
        }
        Err(e) => {
            eprintln!("aicoder: no socket API this session: {e}");
            None
        }
    };
    // PLUGINS_WATCH=1: look for changed plugin files before each prompt.
    let watch = std::env::var("PLUGINS_WATCH")
        .is_ok_and(|v| matches!(v.as_str(), "1" | "true" | "yes" | "on"));
    // Ctrl-C from now on stops a running tool (and a streaming answer).
    crate::interrupt::install();
    socket_bridge::set_mode(socket_bridge::Mode::Interactive);
    session.emit_simple(SessionEvent::OnSessionStart);
    // .aicoder/autoexec: typed at the first prompts, where trusted.
    let mut autoexec = match session.paths.project_dir.parent() {
        Some(folder) => autoexec::load(&session.paths, folder),
        None => Default::default(),
    };
    loop {
        if watch && session.plugins_changed_on_disk() {
            if let Err(e) = session.reload_plugins(&mut input) {
                eprintln!("aicoder: {e:#}");
            }
        }
        session.settle_interrupt();
        println!("{}", session.status_line());
        let cwd = session.state().cwd.clone();
        input.set_completions(session.completions(), cwd);
        // A request from the socket first (it woke the prompt if waiting).
        if let Some(request) = socket_bridge::next_or_prompt() {
            if session.socket_request(request, &mut input) == commands::Flow::Quit {
                break;
            }
            continue;
        }
        let line = if let Some(line) = autoexec.pop_front() {
            println!(
                "> {}  (.aicoder/autoexec)",
                crate::term::sanitize::visible(&line)
            );
            Some(line)
        } else {
            // The user is waited for now (notify rings).
            session.emit_simple(SessionEvent::BeforeUserPrompt);
            input.ask("> ")
        };
        socket_bridge::left_prompt();
        let Some(line) = line else { break };
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        input.remember(line);
        if line.starts_with('/') {
            if session.command(line, &mut input) == commands::Flow::Quit {
                break;
            }
            continue;
        }
        socket::set_processing(true);
        session.send_typed(line, &mut input);
        socket::set_processing(false);
    }
    recover::mark_clean(session.autosave.borrow().path());
    Ok(ExitCode::SUCCESS)
}

/// Piped mode, as in AI Coder v3: lines starting with `/` run as commands,
/// in order; the other lines together are the task, run to its first
/// finished answer after the commands. Exit code 0 only if all of it worked:
/// a command failed, the turn failed, or a tool call needing approval was
/// refused (no terminal to ask) make it 1.
fn piped(session: &mut Session, input: &mut Input) -> Result<ExitCode> {
    let mut commands = Vec::new();
    let mut task = String::new();
    while let Some(line) = input.ask("") {
        if line.trim_start().starts_with('/') {
            commands.push(line.trim().to_string());
        } else {
            task.push_str(&line);
            task.push('\n');
        }
    }
    let task = task.trim();
    if commands.is_empty() && task.is_empty() {
        bail!("nothing on standard input: pipe a task (echo \"task\" | aicoder) or a /command");
    }
    let mut ok = true;
    for line in &commands {
        match session.command(line, input) {
            commands::Flow::Quit => {
                return Ok(piped_exit(session, ok));
            }
            commands::Flow::Failed => ok = false,
            commands::Flow::Continue => {}
        }
    }
    if !task.is_empty() {
        socket::set_processing(true);
        let result = session.turn(Some(task), input);
        socket::set_processing(false);
        if let Err(e) = result {
            eprintln!("aicoder: {e}");
            ok = false;
        }
    }
    Ok(piped_exit(session, ok))
}

/// The exit code of a piped run. A call refused for want of a terminal
/// leaves the task undone as asked: the model was told and its answer
/// printed, and the run fails, its last line saying how to allow the call.
fn piped_exit(session: &Session, ok: bool) -> ExitCode {
    match approval::unasked_report(&session.unasked) {
        Some(report) => {
            eprintln!("{report}");
            exit_code(false)
        }
        None => exit_code(ok),
    }
}

fn exit_code(ok: bool) -> ExitCode {
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
