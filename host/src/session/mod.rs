//! The terminal session: opening it (config, grants, audit log, plugins),
//! the chat turn (model → tools → approval → results → model), slash commands
//! and the session file.

mod approval;
mod chat;
mod commands;
pub mod store;

use crate::caps::audit::AuditLog;
use crate::caps::grants::{GrantStore, Scope};
use crate::caps::{Capability, Services};
use crate::config::{Config, Paths};
use crate::model::{ModelClient, ModelError};
use crate::plugins::discovery::{discover, NameFilter};
use crate::plugins::PluginHost;
use crate::state::AppState;
use anyhow::{bail, Context, Result};
use std::collections::HashSet;
use std::io::{BufRead, IsTerminal};
use std::path::PathBuf;
use std::process::ExitCode;

/// Where typed lines come from: a line editor with history when stdin is a
/// terminal, plain lines otherwise.
pub struct Input {
    source: Source,
    /// Stdin is a terminal: prompts are shown and answered.
    pub interactive: bool,
}

enum Source {
    Editor {
        editor: Box<rustyline::DefaultEditor>,
        history: Option<PathBuf>,
    },
    Lines(Box<dyn Iterator<Item = std::io::Result<String>>>),
}

impl Input {
    /// Stdin; `history` is where the line editor keeps typed lines.
    pub fn stdin(history: Option<PathBuf>) -> Self {
        if std::io::stdin().is_terminal() {
            if let Ok(mut editor) = rustyline::DefaultEditor::new() {
                if let Some(path) = &history {
                    let _ = editor.load_history(path);
                }
                return Input {
                    source: Source::Editor {
                        editor: Box::new(editor),
                        history,
                    },
                    interactive: true,
                };
            }
        }
        Input {
            source: Source::Lines(Box::new(std::io::stdin().lock().lines())),
            interactive: false,
        }
    }

    /// Show `prompt` and read one line; `None` at end of input (Ctrl-D).
    /// Ctrl-C at a prompt gives an empty line.
    pub fn ask(&mut self, prompt: &str) -> Option<String> {
        match &mut self.source {
            Source::Editor { editor, .. } => match editor.readline(prompt) {
                Ok(line) => Some(line),
                Err(rustyline::error::ReadlineError::Interrupted) => Some(String::new()),
                Err(_) => None,
            },
            Source::Lines(lines) => lines.next().and_then(Result::ok),
        }
    }

    /// Remember a typed line in the editor history (and its file).
    pub fn remember(&mut self, line: &str) {
        if let Source::Editor { editor, history } = &mut self.source {
            let _ = editor.add_history_entry(line);
            if let Some(path) = history {
                if let Some(dir) = path.parent() {
                    let _ = std::fs::create_dir_all(dir);
                }
                let _ = editor.save_history(path);
            }
        }
    }
}

/// Everything a running aicoder holds.
pub struct Session {
    pub paths: Paths,
    pub host: PluginHost,
    client: Result<ModelClient, ModelError>,
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
    /// The plugin files as last loaded (for PLUGINS_WATCH).
    pub(crate) plugin_files: Vec<(PathBuf, u64, i64, i64)>,
}

impl Session {
    /// Open the session for the current directory: load config, grants and
    /// plugins. Problems that should not stop the session (a refused plugin,
    /// an unreadable grants file) are printed and skipped.
    pub fn open(session_grants: &[String]) -> Result<Self> {
        let root = std::env::current_dir().context("cannot read the current directory")?;
        let config = Config::from_env()?;
        let debug = config.debug;
        let paths = Paths::for_project(&root);
        let (grants, grant_error) = GrantStore::load_or_read_only(&paths.grants_file());
        if let Some(err) = grant_error {
            eprintln!("aicoder: {err}");
        }
        let limits = config.sandbox;
        let client = ModelClient::new(&config);
        let session_file = std::env::var_os("SESSION_JSON_FILE")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .unwrap_or_else(|| paths.project_dir.join("session.json"));
        let services = Services::new(
            AppState::new(root, config),
            grants,
            AuditLog::new(paths.audit_log()),
            limits,
        );
        let mut host = PluginHost::new(services, paths.cache_dir.clone())
            .map_err(|e| anyhow::anyhow!("cannot start the plugin engine: {e}"))?;
        let (candidates, skipped) = discover(&paths, &NameFilter::from_env());
        if debug {
            for s in &skipped {
                eprintln!("[aicoder] skipped {}: {}", s.path.display(), s.reason);
            }
        }
        let plugin_files = crate::plugins::discovery::fingerprint(&candidates);
        for err in host.load_all(&candidates) {
            eprintln!("aicoder: {err}");
        }
        if debug {
            for p in host.plugins() {
                let how = match p.cache {
                    crate::plugins::cache::CacheEvent::Deferred => {
                        "from cache, loaded on first use".to_string()
                    }
                    crate::plugins::cache::CacheEvent::Hit => "component from cache".to_string(),
                    crate::plugins::cache::CacheEvent::Compiled { millis } => {
                        format!("compiled in {millis} ms")
                    }
                };
                let manifest = if p.manifest_cached {
                    "manifest from cache"
                } else {
                    "manifest read"
                };
                eprintln!(
                    "[aicoder] plugin {} {}: {how}, {manifest}",
                    p.manifest.name,
                    p.id.short_hash()
                );
            }
        }
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .context("cannot start the async runtime")?;
        let autosave = std::cell::RefCell::new(store::Autosave::new(store::autosave_path(
            &paths.project_dir,
        )));
        let session = Session {
            paths,
            host,
            client,
            runtime,
            autosave,
            session_file,
            damaged_files: HashSet::new(),
            autosave_failed: std::cell::Cell::new(false),
            autosave_paused: std::cell::Cell::new(false),
            plugin_files,
        };
        for spec in session_grants {
            session.grant_spec(spec, Scope::Session)?;
        }
        Ok(session)
    }

    /// The shared app state.
    pub fn state(&self) -> std::sync::MutexGuard<'_, AppState> {
        self.host.services().state()
    }

    /// Apply `PLUGIN:CAP[,CAP...]` at `scope` to a loaded plugin.
    pub fn grant_spec(&self, spec: &str, scope: Scope) -> Result<()> {
        let Some((plugin, caps)) = spec.split_once(':') else {
            bail!("--grant takes PLUGIN:CAP[,CAP...], e.g. --grant example:workspace.read (got {spec:?})");
        };
        let info = self
            .host
            .plugin(plugin)
            .with_context(|| format!("--grant {spec}: no plugin named `{plugin}` is loaded"))?;
        let id = info.id.clone();
        for cap in caps.split(',').map(str::trim).filter(|c| !c.is_empty()) {
            let cap = parse_capability(cap)?;
            self.host.services().grants().grant(&id, cap, scope)?;
        }
        Ok(())
    }

    /// Load a session file into the live state (history, stats).
    pub fn load_file(&mut self, path: &std::path::Path) -> Result<usize, store::SessionFileError> {
        match store::load(path) {
            Ok(store::Loaded {
                session: saved,
                warning,
            }) => {
                if let Some(warning) = warning {
                    eprintln!("aicoder: {warning}");
                }
                let n = saved.messages.len();
                let mut state = self.state();
                *state.messages = saved.messages;
                state.stats = saved.stats;
                drop(state);
                self.damaged_files.remove(path);
                self.emit_simple("on_session_change");
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
        let saved = self.saved_session();
        store::save(path, &saved)?;
        // The autosave journal is folded into one snapshot too.
        self.autosave_snapshot();
        Ok(saved.messages.len())
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

    /// The live conversation as a session file holds it.
    fn saved_session(&self) -> store::SavedSession {
        let state = self.state();
        store::SavedSession {
            version: 1,
            messages: state.messages.to_vec(),
            stats: state.stats.clone(),
            cwd: Some(state.cwd.display().to_string()),
        }
    }

    /// Whether any plugin file was added, removed or rewritten since the last
    /// load: a directory scan and a `stat` per file, no reading or hashing.
    pub fn plugins_changed_on_disk(&self) -> bool {
        let (candidates, _) = discover(&self.paths, &NameFilter::from_env());
        crate::plugins::discovery::fingerprint(&candidates) != self.plugin_files
    }

    /// Revert audited writes in the live state (see `caps::undo`).
    pub fn undo(&mut self, steps: &[crate::caps::undo::UndoStep]) -> Vec<String> {
        let services = self.host.services().clone();
        let mut state = services.state();
        crate::caps::undo::apply_all(steps, &mut state, &services.audit)
    }

    /// Emit an event with an empty payload, reporting plugin failures.
    fn emit_simple(&mut self, event: &str) {
        let (_, errors) = self.host.emit(event, "{}");
        for e in errors {
            eprintln!("aicoder: {e}");
        }
    }
}

/// Parse a capability name, listing the valid ones on error.
pub(crate) fn parse_capability(name: &str) -> Result<Capability> {
    Capability::parse(name).with_context(|| {
        let all: Vec<_> = Capability::ALL.iter().map(|c| c.name()).collect();
        format!(
            "unknown capability `{name}`; capabilities are: {}",
            all.join(", ")
        )
    })
}

/// `aicoder` without a subcommand: interactive, or piped (`echo task | aicoder`).
pub fn run(
    session_grants: &[String],
    session_path: Option<PathBuf>,
    resume: bool,
    python_runtime: bool,
) -> Result<ExitCode> {
    let mut session = Session::open(session_grants)?;
    if let Some(path) = session_path {
        session.session_file = path.clone();
        let n = session.load_file(&path)?;
        eprintln!("aicoder: loaded {n} messages from {}", path.display());
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
    }
    if python_runtime {
        let status = session
            .host
            .run_command("python_runtime", "python_runtime", "on")?;
        eprintln!("aicoder: {status}");
    }
    let mut input = Input::stdin(Some(session.paths.project_dir.join("history")));
    if !input.interactive {
        return piped(&mut session, &mut input);
    }
    println!(
        "aicoder {} — /help for commands, /quit to leave",
        env!("CARGO_PKG_VERSION")
    );
    if let Err(e) = &session.client {
        println!("note: {e}");
    }
    // PLUGINS_WATCH=1: look for changed plugin files before each prompt.
    let watch = std::env::var("PLUGINS_WATCH")
        .is_ok_and(|v| matches!(v.as_str(), "1" | "true" | "yes" | "on"));
    loop {
        if watch && session.plugins_changed_on_disk() {
            if let Err(e) = session.reload_plugins(&mut input) {
                eprintln!("aicoder: {e:#}");
            }
        }
        println!("{}", session.status_line());
        let Some(line) = input.ask("> ") else { break };
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
        if let Err(e) = session.turn(Some(line), &mut input) {
            eprintln!("aicoder: {e}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Piped mode: slash commands run one per line; anything else is one task,
/// run to its first finished answer. Exit code 0 only if all of it worked.
fn piped(session: &mut Session, input: &mut Input) -> Result<ExitCode> {
    let mut text = String::new();
    while let Some(line) = input.ask("") {
        text.push_str(&line);
        text.push('\n');
    }
    let text = text.trim();
    if text.is_empty() {
        bail!("nothing on standard input: pipe a task (echo \"task\" | aicoder) or a /command");
    }
    if text.starts_with('/') {
        let mut ok = true;
        for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
            match session.command(line, input) {
                commands::Flow::Quit => break,
                commands::Flow::Failed => ok = false,
                commands::Flow::Continue => {}
            }
        }
        return Ok(if ok {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        });
    }
    match session.turn(Some(text), input) {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(e) => {
            eprintln!("aicoder: {e}");
            Ok(ExitCode::FAILURE)
        }
    }
}
