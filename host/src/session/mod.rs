//! The terminal session: opening it (config, grants, audit log, plugins),
//! the chat turn (model → tools → approval → results → model), slash commands
//! and the session file.

mod approval;
mod chat;
mod commands;
mod connect;
pub mod prompt;
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

/// The root moves named with `--allow-root` in this run (canonical).
static ALLOWED_ROOTS: std::sync::OnceLock<Vec<PathBuf>> = std::sync::OnceLock::new();

/// Remember this run's `--allow-root` folders (canonicalised; `/proc`, `/sys`
/// and `/dev` refused) for every session this process opens.
pub fn set_allowed_roots(roots: &[PathBuf]) -> Result<()> {
    let mut canonical = Vec::new();
    for root in roots {
        let path = root
            .canonicalize()
            .with_context(|| format!("--allow-root {}", root.display()))?;
        if !path.is_dir() {
            bail!("--allow-root {}: not a folder", root.display());
        }
        crate::workspace::check_root_allowed(&path)
            .map_err(|e| anyhow::anyhow!("--allow-root {}: {e}", root.display()))?;
        canonical.push(path);
    }
    let _ = ALLOWED_ROOTS.set(canonical);
    Ok(())
}

/// The session ends: its background jobs (interface `process`) end with it,
/// even if a plugin instance still holds the shared services.
impl Drop for Session {
    fn drop(&mut self) {
        self.host.services().jobs.stop_all();
    }
}

/// Everything a running aicoder holds.
pub struct Session {
    pub paths: Paths,
    pub host: PluginHost,
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
    /// The plugin files as last loaded (for PLUGINS_WATCH).
    pub(crate) plugin_files: Vec<(PathBuf, u64, i64, i64)>,
    /// The system prompt this session started with (and /new starts over
    /// with): the base prompt and AGENTS.md, listed by /context.
    pub system_prompt: prompt::SystemPrompt,
    /// The built-in file tools stay beneath the workspace root (off with
    /// MINI_SANDBOX=0, as in AI Coder v3).
    pub(crate) sandbox: bool,
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
        let root_dir = root.clone();
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
        let (system_prompt, notes) =
            prompt::build(crate::state::SYSTEM_PROMPT, &root, &paths.user_config_dir);
        for note in &notes {
            eprintln!("aicoder: {note}");
        }
        let mut state = AppState::new(root, config);
        if let Some(first) = state.messages.first_mut() {
            first.content = system_prompt.text.clone();
        }
        state.allowed_roots = ALLOWED_ROOTS.get().cloned().unwrap_or_default();
        let sandbox = !std::env::var("MINI_SANDBOX")
            .is_ok_and(|v| matches!(v.trim(), "0" | "false" | "no" | "off"));
        let services = Services::new(state, grants, AuditLog::new(paths.audit_log()), limits);
        let mut host = PluginHost::new(services, paths.cache_dir.clone())
            .map_err(|e| anyhow::anyhow!("cannot start the plugin engine: {e}"))?;
        let (candidates, skipped) = discover(&paths, &NameFilter::from_env());
        for s in &skipped {
            if s.refused {
                eprintln!("aicoder: plugin {} {}", s.path.display(), s.reason);
            } else if debug {
                eprintln!("[aicoder] skipped {}: {}", s.path.display(), s.reason);
            }
        }
        let plugin_files = crate::plugins::discovery::fingerprint(&candidates);
        let trust_file = crate::plugins::trust::TrustStore::file(&paths);
        let (candidates, trusted) = trusted_candidates(&trust_file, &root_dir, candidates, ask);
        for err in host.load_all(&candidates) {
            eprintln!("aicoder: {err}");
        }
        unload_untrusted(&mut host, &trusted);
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
            probed: false,
            runtime,
            autosave,
            session_file,
            damaged_files: HashSet::new(),
            autosave_failed: std::cell::Cell::new(false),
            autosave_paused: std::cell::Cell::new(false),
            plugin_files,
            system_prompt,
            sandbox,
        };
        for spec in session_grants {
            session.grant_spec(spec, Scope::Session)?;
        }
        Ok(session)
    }

    /// The folder aicoder started in (whose `.aicoder` this session uses).
    pub fn project_root(&self) -> PathBuf {
        self.paths
            .project_dir
            .parent()
            .map(PathBuf::from)
            .unwrap_or_default()
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
        let caps = caps
            .split(',')
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(parse_capability)
            .collect::<Result<Vec<_>>>()?;
        // A denial is always allowed; a grant only within the ceiling.
        if scope != Scope::Deny {
            for cap in &caps {
                if let Some(refusal) = above_ceiling(info, *cap) {
                    bail!("{refusal}");
                }
            }
        }
        for cap in caps {
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

/// The project plugins trusted for this session: (file path, content hash).
pub(crate) type TrustedFiles = Vec<(PathBuf, String)>;

/// The candidates to load: every user and shipped plugin, and the project
/// plugins trusted in `folder` (by file name and hash), which are also
/// returned with their hashes. With `ask` (a terminal), the untrusted ones
/// are listed and the user asked once whether to trust them; otherwise one
/// line says how many were left out and how to load them.
pub(crate) fn trusted_candidates(
    trust_file: &std::path::Path,
    folder: &std::path::Path,
    candidates: Vec<crate::plugins::discovery::Candidate>,
    ask: Option<&mut Input>,
) -> (Vec<crate::plugins::discovery::Candidate>, TrustedFiles) {
    use crate::plugins::discovery::{Candidate, PluginSource};
    use crate::plugins::trust::{ProjectPlugin, TrustStore};
    let mut trusted: TrustedFiles = Vec::new();
    if !candidates.iter().any(|c| c.source == PluginSource::Project) {
        return (candidates, trusted);
    }
    let mut store = match TrustStore::load(trust_file) {
        Ok(store) => Some(store),
        Err(err) => {
            eprintln!("aicoder: {err}");
            None
        }
    };
    let mut untrusted: Vec<ProjectPlugin> = Vec::new();
    let mut keep = Vec::new();
    for c in candidates {
        if c.source != PluginSource::Project {
            keep.push(c);
            continue;
        }
        match ProjectPlugin::read(&c.path) {
            Ok(p)
                if store
                    .as_ref()
                    .is_some_and(|s| s.is_trusted(folder, &p.file, &p.hash)) =>
            {
                trusted.push((p.path, p.hash));
                keep.push(c);
            }
            Ok(p) => untrusted.push(p),
            Err(err) => eprintln!("aicoder: {err}"),
        }
    }
    if untrusted.is_empty() {
        return (keep, trusted);
    }
    let n = untrusted.len();
    let trust_now = match (ask, store.as_mut()) {
        (Some(input), Some(store)) => {
            println!(
                "This folder has {n} plugin(s) of its own in .aicoder/plugins, not loaded until you trust them:"
            );
            for p in &untrusted {
                println!("  {}", p.describe());
            }
            let answer = input
                .ask("Trust and load them (remembered for this folder and these files)? [y/N]: ")
                .unwrap_or_default();
            let yes = matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes");
            if yes {
                if let Err(err) = store.trust(folder, &untrusted) {
                    eprintln!("aicoder: {err}; they are trusted for this session only");
                }
            }
            yes
        }
        _ => false,
    };
    if trust_now {
        for p in untrusted {
            keep.push(Candidate {
                path: p.path.clone(),
                source: PluginSource::Project,
            });
            trusted.push((p.path, p.hash));
        }
    } else {
        eprintln!(
            "aicoder: {n} project plugin(s) not loaded: this folder is not trusted; run `aicoder trust` to load them"
        );
    }
    (keep, trusted)
}

/// Unload a project plugin whose loaded content is not the one trusted (the
/// file changed between the trust check and the load).
pub(crate) fn unload_untrusted(host: &mut PluginHost, trusted: &TrustedFiles) {
    use crate::plugins::discovery::PluginSource;
    let stray: Vec<(String, PathBuf)> = host
        .plugins()
        .filter(|p| p.source == PluginSource::Project)
        .filter(|p| {
            !trusted
                .iter()
                .any(|(path, hash)| *path == p.path && *hash == p.id.hash)
        })
        .map(|p| (p.manifest.name.clone(), p.path.clone()))
        .collect();
    for (name, path) in stray {
        host.unload(&name);
        eprintln!(
            "aicoder: project plugin {} changed while loading and this version is not trusted; run `aicoder trust`",
            path.display()
        );
    }
}

/// Why `capability` cannot be granted to `plugin`, if it is above the
/// plugin's ceiling (the capabilities of the interfaces it imports): such a
/// grant could never be used, and accepting it would only hide a plugin
/// asking for more than it declared.
pub(crate) fn above_ceiling(
    plugin: &crate::plugins::PluginInfo,
    capability: Capability,
) -> Option<String> {
    let ceiling = plugin.ceiling();
    if ceiling.contains(&capability) {
        return None;
    }
    let ceiling: Vec<&str> = ceiling
        .iter()
        .filter(|c| **c != Capability::Log)
        .map(|c| c.name())
        .collect();
    Some(format!(
        "{capability} is above the ceiling of plugin `{}`: it imports no `{}` interface, so its ceiling \
         (what its imports and hook subscriptions allow) is {}; the grant was refused",
        plugin.manifest.name,
        capability.interface(),
        if ceiling.is_empty() {
            "log only".to_string()
        } else {
            ceiling.join(", ")
        }
    ))
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
    let root = std::env::current_dir().context("cannot read the current directory")?;
    let mut input = Input::stdin(Some(Paths::for_project(&root).project_dir.join("history")));
    // Only a person at a terminal can trust this folder's plugins; piped
    // runs never do it implicitly.
    let mut session = if input.interactive {
        Session::open_with(session_grants, Some(&mut input))?
    } else {
        Session::open(session_grants)?
    };
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
    if !input.interactive {
        return piped(&mut session, &mut input);
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

/// Piped mode, as in AI Coder v3: lines starting with `/` run as commands,
/// in order; the other lines together are the task, run to its first
/// finished answer after the commands. Exit code 0 only if all of it worked.
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
                return Ok(exit_code(ok));
            }
            commands::Flow::Failed => ok = false,
            commands::Flow::Continue => {}
        }
    }
    if !task.is_empty() {
        if let Err(e) = session.turn(Some(task), input) {
            eprintln!("aicoder: {e}");
            ok = false;
        }
    }
    Ok(exit_code(ok))
}

fn exit_code(ok: bool) -> ExitCode {
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
