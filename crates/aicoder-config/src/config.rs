//! Configuration: the environment (the variables AI Coder v3 users know),
//! then the project's `.aicoder/config.toml`, then the user's
//! `~/.config/aicoder/config.toml` (the first that sets a value wins), and the
//! directories aicoder owns.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

mod model_params;
mod paths;
pub mod prices;
mod settings;
mod v3_names;
pub use model_params::{parse_headers, ModelParams, Thinking};
pub use paths::Paths;
pub use settings::{user_only_setting, SettingError, SETTING_KEYS};
pub use v3_names::{v3_status, V3Status, V3_SETTINGS};

/// A configuration variable had a value that could not be used.
#[derive(Debug, thiserror::Error)]
#[error("{var}{origin} must be {expected} (got {value:?}); fix or unset it")]
pub struct ConfigError {
    /// The environment variable (or config file key).
    pub var: &'static str,
    /// What was expected, e.g. "a positive integer".
    pub expected: &'static str,
    /// The rejected value.
    pub value: String,
    /// Where the value came from: empty for the environment, else
    /// ` (FILE line N)`.
    pub origin: String,
}

/// Which API the model server speaks (API_PROVIDER).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Provider {
    /// OpenAI-compatible `/chat/completions` (the default).
    #[default]
    OpenAi,
    /// Anthropic's Messages API, `/messages` (`API_PROVIDER=anthropic`).
    Anthropic,
}

/// OpenAI's API, used when only OPENAI_API_KEY is set.
pub const OPENAI_BASE_URL: &str = "https://api.openai.com/v1";
/// The model asked of OpenAI's API when none is configured (it needs one).
pub const OPENAI_DEFAULT_MODEL: &str = "gpt-4o-mini";
/// Anthropic's API, used with `API_PROVIDER=anthropic` and only a key.
pub const ANTHROPIC_BASE_URL: &str = "https://api.anthropic.com/v1";
/// Loopback ports probed for a local OpenAI-compatible server when nothing
/// is configured: Ollama, LM Studio, llama.cpp's server.
pub const DEFAULT_PROBE_PORTS: [(u16, &str); 3] =
    [(11434, "Ollama"), (1234, "LM Studio"), (8080, "llama.cpp")];

/// Settings a project's config file may not set: a folder someone else wrote
/// must not turn approvals off or loosen the sandbox.
const NOT_FROM_PROJECT: [&str; 8] = [
    "YOLO_MODE",
    "SHELL_SANDBOX_DENY_READ",
    "MINI_SANDBOX",
    "PLUGIN_TIMEOUT_MS",
    "PLUGIN_MEMORY_MB",
    "PLUGIN_OUTPUT_KB",
    "SHELL_TIMEOUT_MS",
    "AICODER_PROBE_PORTS",
];

/// Settings a project's config file may make only once the user trusts
/// that file (`aicoder trust`): where the conversation, code included, is
/// sent, and which model gets it. A cloned folder must not redirect it.
const TRUSTED_PROJECT_ONLY: [&str; 6] = [
    "API_BASE_URL",
    "OPENAI_BASE_URL",
    "API_ENDPOINT",
    "API_PROVIDER",
    "API_MODEL",
    "OPENAI_MODEL",
];

/// The name trust.json keeps a project's config file under.
pub const PROJECT_CONFIG_TRUST_NAME: &str = ".aicoder/config.toml";

/// Whether the user trusts this content of the project's config file:
/// trust.json (see plugins/trust.rs, read here without it, a layer above)
/// has an entry for `folder`, [`PROJECT_CONFIG_TRUST_NAME`] and the file's
/// hash.
pub fn project_config_trusted(paths: &Paths, folder: &Path) -> bool {
    let Some(hash) = project_config_hash(paths) else {
        return false;
    };
    let Ok(bytes) = std::fs::read(paths.user_config_dir.join("trust.json")) else {
        return false;
    };
    let Ok(file) = serde_json::from_slice::<serde_json::Value>(&bytes) else {
        return false;
    };
    let folder = folder.to_string_lossy();
    file["trusted"].as_array().is_some_and(|entries| {
        entries.iter().any(|e| {
            e["folder"].as_str() == Some(&folder)
                && e["file"].as_str() == Some(PROJECT_CONFIG_TRUST_NAME)
                && e["hash"].as_str() == Some(hash.as_str())
        })
    })
}

/// Hex blake3 of the project's config file, if it exists.
pub fn project_config_hash(paths: &Paths) -> Option<String> {
    std::fs::read(paths.project_config_file())
        .ok()
        .map(|b| blake3::hash(&b).to_hex().to_string())
}

/// Settings that decide where the conversation is sent.
const ENDPOINT_KEYS: [&str; 3] = ["API_BASE_URL", "OPENAI_BASE_URL", "API_ENDPOINT"];

/// Model and session settings. `api_key` is a secret: no capability reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// The API the server speaks (API_PROVIDER).
    pub provider: Provider,
    /// OPENAI_BASE_URL or API_BASE_URL, e.g. `https://api.openai.com/v1`.
    pub api_base_url: Option<String>,
    /// API_ENDPOINT: the full URL requests go to, overriding the base URL.
    pub api_endpoint: Option<String>,
    /// OPENAI_API_KEY or API_KEY.
    pub api_key: Option<String>,
    /// OPENAI_MODEL or API_MODEL; empty means none: no model name is sent and
    /// the server uses its default.
    pub model: String,
    /// MAX_TOKENS: the answer's length limit, sent when set (the Messages API
    /// needs one and gets 8192 otherwise).
    pub max_tokens: Option<u64>,
    pub yolo_mode: bool,
    pub debug: bool,
    /// Retries of a failed request (MAX_RETRIES, 10 as in v3).
    pub max_retries: u32,
    pub total_timeout_secs: u64,
    pub context_size: u64,
    pub temperature: f64,
    pub sandbox: SandboxLimits,
    /// Loopback ports probed for a local server when no API is configured
    /// (AICODER_PROBE_PORTS, comma-separated; `off` for none).
    pub probe_ports: Vec<u16>,
    /// SHELL_SANDBOX_DENY_READ as written (environment or the user's config
    /// file only): the paths hidden from confined commands.
    pub shell_sandbox_deny_read: Option<String>,
    /// v3's model and request settings (TOP_P, THINKING, headers, ...).
    pub params: ModelParams,
}

/// A loaded configuration and what the user should be told about it
/// (problems in config files, settings a project file may not make).
#[derive(Debug, Clone)]
pub struct Loaded {
    pub config: Config,
    /// One line each, for stderr.
    pub notices: Vec<String>,
}

/// Per-call limits applied to every plugin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SandboxLimits {
    /// Wall-clock deadline of one call into a plugin (PLUGIN_TIMEOUT_MS).
    pub call_timeout: Duration,
    /// Ceiling on a plugin instance's linear memory (PLUGIN_MEMORY_MB).
    pub memory_bytes: usize,
    /// Cap on what one call may print and return (PLUGIN_OUTPUT_KB).
    pub output_bytes: usize,
    /// Default and maximum duration of a `shell.exec` command (SHELL_TIMEOUT_MS).
    pub shell_timeout: Duration,
}

impl Default for SandboxLimits {
    fn default() -> Self {
        SandboxLimits {
            call_timeout: Duration::from_secs(30),
            memory_bytes: 512 << 20,
            output_bytes: 1 << 20,
            shell_timeout: Duration::from_secs(60),
        }
    }
}

/// One `config.toml`: its settings by upper-case key, each with its line.
#[derive(Debug, Clone, Default)]
struct ConfigFile {
    path: PathBuf,
    values: BTreeMap<String, (String, usize)>,
}

/// Why a config file was not used.
#[derive(Debug, thiserror::Error)]
enum FileError {
    #[error("{path}: cannot read it ({source}); it is ignored")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{path} line {line}: {message}; the file is ignored until this is fixed")]
    Syntax {
        path: String,
        line: usize,
        message: String,
    },
}

/// The line (from 1) of byte `offset` in `text`.
fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

impl ConfigFile {
    /// Read `path`; a missing file is an empty one.
    fn read(path: &Path) -> Result<Self, FileError> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(ConfigFile {
                    path: path.to_path_buf(),
                    values: BTreeMap::new(),
                })
            }
            Err(source) => {
                return Err(FileError::Read {
                    path: path.display().to_string(),
                    source,
                })
            }
        };
        Self::parse(path, &text)
    }

    fn parse(path: &Path, text: &str) -> Result<Self, FileError> {
        let syntax = |line: usize, message: String| FileError::Syntax {
            path: path.display().to_string(),
            line,
            message,
        };
        let table: BTreeMap<String, toml::Spanned<toml::Value>> =
            toml::from_str(text).map_err(|e| {
                let line = e.span().map_or(1, |s| line_of(text, s.start));
                syntax(line, e.message().trim().to_string())
            })?;
        let mut values = BTreeMap::new();
        for (key, value) in table {
            let line = line_of(text, value.span().start);
            let text = match value.into_inner() {
                toml::Value::String(s) => s,
                toml::Value::Integer(n) => n.to_string(),
                toml::Value::Float(f) => f.to_string(),
                toml::Value::Boolean(b) => b.to_string(),
                other => {
                    return Err(syntax(
                        line,
                        format!(
                            "{key} must be a string, number or true/false, not a {}",
                            other.type_str()
                        ),
                    ))
                }
            };
            values.insert(key.to_ascii_uppercase(), (text, line));
        }
        Ok(ConfigFile {
            path: path.to_path_buf(),
            values,
        })
    }

    fn origin(&self, key: &str) -> String {
        match self.values.get(key) {
            Some((_, line)) => format!(" ({} line {line})", self.path.display()),
            None => String::new(),
        }
    }
}

/// Where a setting came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Layer {
    Environment,
    Project,
    User,
}

/// The sources in precedence order, and which keys were asked for.
struct Sources<'a> {
    env: &'a dyn Fn(&str) -> Option<String>,
    project: ConfigFile,
    user: ConfigFile,
    asked: Mutex<BTreeSet<String>>,
    /// The user trusts the project file (see [`TRUSTED_PROJECT_ONLY`]).
    project_trusted: bool,
}

impl Sources<'_> {
    /// The value of `key` and the layer it came from.
    fn get(&self, key: &str) -> Option<(String, Layer)> {
        if let Ok(mut asked) = self.asked.lock() {
            asked.insert(key.to_string());
        }
        if let Some(v) = (self.env)(key).filter(|v| !v.is_empty()) {
            return Some((v, Layer::Environment));
        }
        let from_file = |f: &ConfigFile| {
            f.values
                .get(key)
                .map(|(v, _)| v.clone())
                .filter(|v| !v.is_empty())
        };
        if !NOT_FROM_PROJECT.contains(&key)
            && (self.project_trusted || !TRUSTED_PROJECT_ONLY.contains(&key))
        {
            if let Some(v) = from_file(&self.project) {
                return Some((v, Layer::Project));
            }
        }
        from_file(&self.user).map(|v| (v, Layer::User))
    }

    /// The first of `names` set in the highest layer: OPENAI_* before API_*
    /// within a layer, the environment before the files.
    fn first_of(&self, names: &[&str]) -> Option<(String, Layer)> {
        let found: Vec<_> = names.iter().filter_map(|n| self.get(n)).collect();
        for layer in [Layer::Environment, Layer::Project, Layer::User] {
            if let Some(hit) = found.iter().find(|(_, l)| *l == layer) {
                return Some(hit.clone());
            }
        }
        None
    }

    fn origin(&self, key: &str) -> String {
        match self.get(key) {
            Some((_, Layer::Project)) => self.project.origin(key),
            Some((_, Layer::User)) => self.user.origin(key),
            _ => String::new(),
        }
    }
}

impl Config {
    /// Read the process environment and the config files of the current
    /// directory and user; notices (a malformed file, a setting a project
    /// file may not make) are printed on stderr.
    pub fn from_env() -> Result<Self, ConfigError> {
        let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
        let paths = Paths::for_project(&cwd);
        let loaded = Self::load(
            &|k| std::env::var(k).ok(),
            &paths.project_config_file(),
            &paths.user_config_file(),
            project_config_trusted(&paths, &cwd),
        )?;
        for notice in &loaded.notices {
            eprintln!("aicoder: {notice}");
        }
        Ok(loaded.config)
    }

    /// Build from any variable lookup, without config files (tests pass a map).
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let sources = Sources {
            env: &get,
            project: ConfigFile::default(),
            user: ConfigFile::default(),
            asked: Mutex::new(BTreeSet::new()),
            project_trusted: false,
        };
        Self::build(&sources, &mut Vec::new())
    }

    /// The environment (`get`) over the project file over the user file;
    /// the project file chooses the model server and model only when
    /// `project_trusted`.
    pub fn load(
        get: &dyn Fn(&str) -> Option<String>,
        project_file: &Path,
        user_file: &Path,
        project_trusted: bool,
    ) -> Result<Loaded, ConfigError> {
        let mut notices = Vec::new();
        let mut read = |path: &Path| {
            ConfigFile::read(path).unwrap_or_else(|e| {
                notices.push(e.to_string());
                ConfigFile::default()
            })
        };
        let sources = Sources {
            env: get,
            project: read(project_file),
            user: read(user_file),
            asked: Mutex::new(BTreeSet::new()),
            project_trusted,
        };
        let untrusted: Vec<&str> = TRUSTED_PROJECT_ONLY
            .into_iter()
            .filter(|k| !project_trusted && sources.project.values.contains_key(*k))
            .collect();
        if !untrusted.is_empty() {
            notices.push(format!(
                "{}: {} ignored: this folder's config file is not trusted to choose the model \
                 server or model (run `aicoder trust` here to use it)",
                project_file.display(),
                untrusted.join(", ")
            ));
        }
        for key in NOT_FROM_PROJECT {
            if let Some((_, line)) = sources.project.values.get(key) {
                notices.push(format!(
                    "{} line {line}: {key} is ignored in a project's config file (a folder may not \
                     loosen approvals or the sandbox); set it in the environment or {}",
                    project_file.display(),
                    user_file.display()
                ));
            }
        }
        let config = Self::build(&sources, &mut notices)?;
        notices.extend(v3_names::notices(&sources));
        let asked = sources.asked.lock().map(|a| a.clone()).unwrap_or_default();
        for file in [&sources.project, &sources.user] {
            for (key, (_, line)) in &file.values {
                if !asked.contains(key) && !NOT_FROM_PROJECT.contains(&key.as_str()) {
                    notices.push(format!(
                        "{} line {line}: unknown setting {key}; it is ignored (settings use the \
                         environment variables' names, e.g. API_BASE_URL)",
                        file.path.display()
                    ));
                }
            }
        }
        Ok(Loaded { config, notices })
    }

    fn build(sources: &Sources<'_>, notices: &mut Vec<String>) -> Result<Self, ConfigError> {
        let get = |k: &str| sources.get(k).map(|(v, _)| v);
        let bad = |var: &'static str, expected: &'static str, value: String| ConfigError {
            var,
            expected,
            value,
            origin: sources.origin(var),
        };
        let provider = match get("API_PROVIDER").map(|v| v.trim().to_ascii_lowercase()) {
            None => Provider::OpenAi,
            Some(v) if v == "openai" => Provider::OpenAi,
            Some(v) if v == "anthropic" => Provider::Anthropic,
            Some(v) => return Err(bad("API_PROVIDER", "openai or anthropic", v)),
        };
        let base = sources.first_of(&["OPENAI_BASE_URL", "API_BASE_URL"]);
        let endpoint = sources.get("API_ENDPOINT");
        let key = sources.first_of(&["OPENAI_API_KEY", "API_KEY"]);
        let mut model = sources
            .first_of(&["OPENAI_MODEL", "API_MODEL"])
            .map(|(v, _)| v.trim().to_string())
            .unwrap_or_default();
        let mut api_base_url = base.as_ref().map(|(v, _)| v.trim().to_string());
        let api_endpoint = endpoint.as_ref().map(|(v, _)| v.trim().to_string());
        // OPENAI_API_KEY alone means OpenAI's API (v3 wants a base URL), and
        // a key with API_PROVIDER=anthropic Anthropic's; a plain API_KEY
        // could be any provider's, so it is not sent to OpenAI on a guess.
        if api_base_url.is_none() && api_endpoint.is_none() {
            api_base_url = match provider {
                Provider::OpenAi if sources.get("OPENAI_API_KEY").is_some() => {
                    Some(OPENAI_BASE_URL.to_string())
                }
                Provider::Anthropic if key.is_some() => Some(ANTHROPIC_BASE_URL.to_string()),
                _ => None,
            };
        }
        // OpenAI's own API refuses a request without a model.
        if model.is_empty()
            && provider == Provider::OpenAi
            && api_endpoint.is_none()
            && api_base_url
                .as_deref()
                .is_some_and(|u| u.trim_end_matches('/') == OPENAI_BASE_URL)
        {
            model = OPENAI_DEFAULT_MODEL.to_string();
        }
        // A project's config file may point aicoder at a server (a local
        // one, say), but a key from elsewhere is never sent where a folder
        // chose: the folder may be someone else's.
        let mut api_key = key.as_ref().map(|(v, _)| v.clone());
        let project_endpoint = ENDPOINT_KEYS
            .iter()
            .find(|k| matches!(sources.get(k), Some((_, Layer::Project))));
        if let (Some(endpoint_key), Some((_, key_layer))) = (project_endpoint, &key) {
            if *key_layer != Layer::Project {
                api_key = None;
                notices.push(format!(
                    "{}: {endpoint_key} comes from this project's config file, so your API key is \
                     not sent there; put the key in that file too, or set {endpoint_key} in the \
                     environment or your own config file",
                    sources.project.path.display()
                ));
            }
        }
        let defaults = SandboxLimits::default();
        let number = |var: &'static str, default: u64| -> Result<u64, ConfigError> {
            match get(var) {
                None => Ok(default),
                Some(v) => v.trim().parse().map_err(|_| bad(var, "a whole number", v)),
            }
        };
        let positive = |var: &'static str, default: u64| -> Result<u64, ConfigError> {
            let n = number(var, default)?;
            if n == 0 {
                return Err(bad(var, "greater than zero", "0".into()));
            }
            Ok(n)
        };
        let probe_ports = match get("AICODER_PROBE_PORTS") {
            None => DEFAULT_PROBE_PORTS.iter().map(|(p, _)| *p).collect(),
            Some(v) if matches!(v.trim(), "off" | "none" | "0") => Vec::new(),
            Some(v) => v
                .split(',')
                .map(|p| p.trim().parse::<u16>())
                .collect::<Result<_, _>>()
                .map_err(|_| {
                    bad(
                        "AICODER_PROBE_PORTS",
                        "ports separated by commas, or off",
                        v,
                    )
                })?,
        };
        Ok(Config {
            provider,
            api_base_url,
            api_endpoint,
            api_key,
            model,
            max_tokens: match get("MAX_TOKENS") {
                None => None,
                Some(_) => Some(positive("MAX_TOKENS", 1)?),
            },
            yolo_mode: flag(get("YOLO_MODE")),
            debug: flag(get("DEBUG")),
            max_retries: u32::try_from(number("MAX_RETRIES", 10)?).unwrap_or(u32::MAX),
            total_timeout_secs: number("TOTAL_TIMEOUT", 300)?,
            context_size: number("CONTEXT_SIZE", 128_000)?,
            temperature: match get("TEMPERATURE") {
                None => 0.0,
                Some(v) => v
                    .trim()
                    .parse()
                    .map_err(|_| bad("TEMPERATURE", "a number", v))?,
            },
            sandbox: SandboxLimits {
                call_timeout: Duration::from_millis(positive(
                    "PLUGIN_TIMEOUT_MS",
                    defaults.call_timeout.as_millis() as u64,
                )?),
                memory_bytes: (positive("PLUGIN_MEMORY_MB", (defaults.memory_bytes >> 20) as u64)?
                    as usize)
                    << 20,
                output_bytes: (positive("PLUGIN_OUTPUT_KB", (defaults.output_bytes >> 10) as u64)?
                    as usize)
                    << 10,
                shell_timeout: Duration::from_millis(positive(
                    "SHELL_TIMEOUT_MS",
                    defaults.shell_timeout.as_millis() as u64,
                )?),
            },
            probe_ports,
            shell_sandbox_deny_read: get("SHELL_SANDBOX_DENY_READ"),
            params: ModelParams::read(sources, notices)?,
        })
    }

    /// Whether a model API is configured (a base URL or an endpoint).
    pub fn has_api(&self) -> bool {
        self.api_base_url.is_some() || self.api_endpoint.is_some()
    }
}

fn flag(value: Option<String>) -> bool {
    matches!(
        value.as_deref().map(str::to_ascii_lowercase).as_deref(),
        Some("1" | "true" | "yes" | "on")
    )
}

#[cfg(test)]
mod tests;
