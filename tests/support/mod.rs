//! Helpers for the end-to-end tests: where the built binary and components
//! are, and a throw-away project with its own HOME so tests never touch the
//! user's grants, cache or audit log.
//!
//! `make test` builds the binary and the components before running these.

#![allow(clippy::unwrap_used)]

pub mod http;
pub mod mcp;
pub mod server;
pub mod terminal;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// The release `aicoder` binary (AICODER_BIN overrides).
pub fn bin() -> PathBuf {
    let path = std::env::var_os("AICODER_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target/release/aicoder"));
    assert!(
        path.is_file(),
        "{} is missing: run `make test`, which builds it first",
        path.display()
    );
    path
}

/// The folder with the built plugin components.
pub fn wasm_dir() -> PathBuf {
    root().join("target/wasm32-wasip2/release")
}

/// A built plugin component, e.g. `wasm("example")`.
pub fn wasm(name: &str) -> PathBuf {
    let path = wasm_dir().join(format!("{name}.wasm"));
    assert!(
        path.is_file(),
        "{} is missing: run `make test`, which builds the plugins first",
        path.display()
    );
    path
}

/// A plugin host in this process (no binary): fresh app state in `dir`,
/// in-memory grants, an audit log at `dir/audit.jsonl`, compiled components
/// cached in `cache`, and the named built components loaded.
pub fn in_process_host(
    dir: &Path,
    cache: &Path,
    limits: aicoder::config::SandboxLimits,
    plugins: &[&str],
) -> aicoder::plugins::PluginHost {
    use aicoder::caps::{audit::AuditLog, grants::GrantStore, Services};
    let config = aicoder::config::Config::from_lookup(|_| None).unwrap();
    let state = aicoder::state::AppState::new(dir.to_path_buf(), config);
    let services = Services::new(
        state,
        GrantStore::in_memory(),
        AuditLog::new(dir.join("audit.jsonl")),
        limits,
    );
    let mut host = aicoder::plugins::PluginHost::new(services, cache.to_path_buf()).unwrap();
    for name in plugins {
        host.load(&wasm(name), aicoder::plugins::discovery::PluginSource::File)
            .unwrap();
    }
    host
}

/// [`in_process_host`] with the default sandbox limits and the shared cache.
pub fn default_host(dir: &Path, plugins: &[&str]) -> aicoder::plugins::PluginHost {
    let limits = aicoder::config::Config::from_lookup(|_| None)
        .unwrap()
        .sandbox;
    in_process_host(dir, &shared_cache().join("aicoder"), limits, plugins)
}

/// The compile cache the tests share (python_runtime takes seconds to compile).
pub fn shared_cache() -> PathBuf {
    root().join("target/test-cache")
}

/// A temporary project folder with its own HOME.
pub struct Project {
    pub dir: tempfile::TempDir,
    env: Vec<(String, String)>,
}

impl Default for Project {
    fn default() -> Self {
        Self::new()
    }
}

impl Project {
    /// An empty project; the shipped plugins come from the build tree.
    pub fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("home")).unwrap();
        std::fs::create_dir_all(dir.path().join("work/.aicoder/plugins")).unwrap();
        std::fs::create_dir_all(dir.path().join("home/.config/aicoder/plugins")).unwrap();
        Project {
            dir,
            env: Vec::new(),
        }
    }

    /// A project whose model API is `server`.
    pub fn with_model(server: &server::ScriptedServer) -> Self {
        let mut p = Project::new();
        p.env("API_BASE_URL", &server.url)
            .env("API_KEY", "test-key")
            .env("API_MODEL", "scripted");
        p
    }

    /// A project whose `plugin new` builds Rust plugins against this
    /// checkout's SDK (`AICODER_SDK_PATH`; the crates.io release may lag).
    pub fn with_local_sdk() -> Self {
        let mut p = Project::new();
        p.env(
            "AICODER_SDK_PATH",
            root().join("guest-sdk").to_str().unwrap(),
        );
        p
    }

    /// The project folder (the working directory of every command).
    pub fn work(&self) -> PathBuf {
        self.dir.path().join("work").canonicalize().unwrap()
    }

    /// HOME of every command.
    pub fn home(&self) -> PathBuf {
        self.dir.path().join("home")
    }

    /// The user's plugin folder (`$HOME/.config/aicoder/plugins`).
    pub fn user_plugins(&self) -> PathBuf {
        self.home().join(".config/aicoder/plugins")
    }

    /// Copy a component into the user's plugin folder under `file_name`:
    /// installed by the user, so it loads without the folder-trust question
    /// (project plugins in `.aicoder/plugins` load only once trusted; see
    /// [`Project::install_project`]).
    pub fn install(&self, component: &Path, file_name: &str) -> PathBuf {
        let dest = self.user_plugins().join(file_name);
        std::fs::copy(component, &dest).unwrap();
        dest
    }

    /// Write raw bytes as a user plugin file.
    pub fn install_bytes(&self, bytes: &[u8], file_name: &str) -> PathBuf {
        let dest = self.user_plugins().join(file_name);
        std::fs::write(&dest, bytes).unwrap();
        dest
    }

    /// Copy a component into the project's own plugin folder, as a cloned
    /// repository would carry it: it does not load until the folder is
    /// trusted (`aicoder trust`).
    pub fn install_project(&self, component: &Path, file_name: &str) -> PathBuf {
        let dest = self.work().join(".aicoder/plugins").join(file_name);
        std::fs::copy(component, &dest).unwrap();
        dest
    }

    /// Set an environment variable for every later command.
    pub fn env(&mut self, key: &str, value: &str) -> &mut Self {
        self.env.push((key.to_string(), value.to_string()));
        self
    }

    /// The command `run` would start, for callers that drive it themselves
    /// (the pty tests).
    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(bin());
        cmd.args(args)
            .current_dir(self.work())
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("HOME", self.home())
            .env("TERM", "dumb")
            // Compiled components are shared between tests (python_runtime
            // takes seconds to compile); the cache test sets its own.
            .env("XDG_CACHE_HOME", shared_cache())
            .env("AICODER_SHIPPED_PLUGINS", wasm_dir())
            // No test depends on a model server this machine happens to run.
            .env("AICODER_PROBE_PORTS", "off")
            // Shipped plugins get no default grants in tests unless one asks
            // (tests/plugins/default_grants.rs): the rest assert what a grant changes.
            .env("AICODER_DEFAULT_GRANTS", "0");
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        cmd
    }

    /// Run `aicoder ARGS` in the project, with a clean environment.
    pub fn run(&self, args: &[&str]) -> Run {
        self.run_with_stdin(args, "")
    }

    /// Run with `stdin` piped in.
    pub fn run_with_stdin(&self, args: &[&str], stdin: &str) -> Run {
        use std::io::Write;
        let mut cmd = self.command(args);
        cmd.stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        let mut child = cmd.spawn().unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stdin.as_bytes())
            .unwrap();
        Run(child.wait_with_output().unwrap())
    }

    /// Every audit entry of the project, parsed.
    pub fn audit(&self) -> Vec<serde_json::Value> {
        let path = self.work().join(".aicoder/audit.jsonl");
        let text = std::fs::read_to_string(path).unwrap_or_default();
        text.lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    /// The project's audit entries for one capability, in order.
    pub fn audit_for(&self, capability: &str) -> Vec<serde_json::Value> {
        self.audit()
            .into_iter()
            .filter(|e| e["capability"] == capability)
            .collect()
    }
}

/// A finished command.
pub struct Run(pub Output);

impl Run {
    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.0.stdout).into_owned()
    }
    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.0.stderr).into_owned()
    }
    /// Assert success and return stdout.
    pub fn ok(&self) -> String {
        assert!(
            self.0.status.success(),
            "command failed: {:?}\nstdout:\n{}\nstderr:\n{}",
            self.0.status,
            self.stdout(),
            self.stderr()
        );
        self.stdout()
    }
    /// Assert a clean failure (exit code 1, not a signal) and return stderr.
    pub fn fails(&self) -> String {
        assert_eq!(
            self.0.status.code(),
            Some(1),
            "expected exit code 1\nstdout:\n{}\nstderr:\n{}",
            self.stdout(),
            self.stderr()
        );
        self.stderr()
    }
}

/// `bytes` with a custom section appended: a valid component with new content,
/// hence a new hash — "the same plugin, changed".
pub fn with_custom_section(bytes: &[u8], note: &str) -> Vec<u8> {
    let mut payload = vec![u8::try_from(4).unwrap()];
    payload.extend_from_slice(b"note");
    payload.extend_from_slice(note.as_bytes());
    let mut out = bytes.to_vec();
    out.push(0); // custom section id
    let mut len = payload.len();
    loop {
        let byte = (len & 0x7f) as u8;
        len >>= 7;
        if len == 0 {
            out.push(byte);
            break;
        }
        out.push(byte | 0x80);
    }
    out.extend_from_slice(&payload);
    out
}

/// The conversation this project's newest aicoder process autosaved, as the
/// session file's `messages`.
pub fn autosaved(p: &Project) -> Vec<serde_json::Value> {
    let dir = p.work().join(".aicoder/sessions");
    let newest = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .max_by_key(|path| std::fs::metadata(path).unwrap().modified().unwrap())
        .expect("an autosave file");
    saved_messages(&newest)
}

/// The messages of a session file or autosave journal, as JSON, loaded the
/// way `--resume` and `/load` load them.
pub fn saved_messages(path: &Path) -> Vec<serde_json::Value> {
    let loaded =
        aicoder::session::store::load(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    loaded
        .session
        .messages
        .iter()
        .map(|m| serde_json::to_value(m).unwrap())
        .collect()
}

/// The events of a headless run (`aicoder exec --json`): every stdout line
/// parsed and validated against docs/events.schema.json (the `jsonschema`
/// crate); a line that is not a valid event fails the test, naming it.
pub fn headless_events(run: &Run) -> Vec<serde_json::Value> {
    static VALIDATOR: std::sync::OnceLock<jsonschema::Validator> = std::sync::OnceLock::new();
    let validator = VALIDATOR.get_or_init(|| {
        let text = std::fs::read_to_string(root().join("docs/events.schema.json")).unwrap();
        let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
        jsonschema::validator_for(&schema).unwrap()
    });
    let stdout = run.stdout();
    let events: Vec<serde_json::Value> = stdout
        .lines()
        .map(|line| {
            let event: serde_json::Value = serde_json::from_str(line).unwrap_or_else(|e| {
                panic!(
                    "not a JSON line on stdout ({e}): {line}\nstderr:\n{}",
                    run.stderr()
                )
            });
            let errors: Vec<String> = validator
                .iter_errors(&event)
                .map(|e| e.to_string())
                .collect();
            assert!(
                errors.is_empty(),
                "event not valid against docs/events.schema.json: {line}\n{errors:?}"
            );
            event
        })
        .collect();
    assert!(
        events.last().is_some_and(|e| e["type"] == "done"),
        "a headless run ends with a done event\nstdout:\n{stdout}\nstderr:\n{}",
        run.stderr()
    );
    events
}

/// Run a tool the test needs (cargo, wkg, a language's build) and return its
/// stdout; a failure shows `what` with the exit status and both streams.
pub fn run_ok(what: &str, cmd: &mut Command) -> String {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{what} failed: {:?}\nstdout:\n{}\nstderr:\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}
