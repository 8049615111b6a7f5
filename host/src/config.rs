//! Configuration from the environment (the variables AI Coder v3 users know)
//! and the directories aicoder owns.

use std::path::PathBuf;
use std::time::Duration;

/// A configuration variable had a value that could not be used.
#[derive(Debug, thiserror::Error)]
#[error("{var} must be {expected} (got {value:?}); fix or unset it")]
pub struct ConfigError {
    /// The environment variable.
    pub var: &'static str,
    /// What was expected, e.g. "a positive integer".
    pub expected: &'static str,
    /// The rejected value.
    pub value: String,
}

/// Model and session settings. `api_key` is a secret: no capability reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub api_base_url: Option<String>,
    pub api_key: Option<String>,
    pub model: String,
    pub yolo_mode: bool,
    pub debug: bool,
    pub max_retries: u32,
    pub total_timeout_secs: u64,
    pub context_size: u64,
    pub temperature: f64,
    pub sandbox: SandboxLimits,
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

impl Config {
    /// Read the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|k| std::env::var(k).ok().filter(|v| !v.is_empty()))
    }

    /// Build from any variable lookup (tests pass a map).
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let either = |a: &str, b: &str| get(a).or_else(|| get(b));
        let defaults = SandboxLimits::default();
        Ok(Config {
            api_base_url: either("API_BASE_URL", "OPENAI_BASE_URL"),
            api_key: either("API_KEY", "OPENAI_API_KEY"),
            model: either("API_MODEL", "OPENAI_MODEL").unwrap_or_else(|| "gpt-4o-mini".to_string()),
            yolo_mode: flag(get("YOLO_MODE")),
            debug: flag(get("DEBUG")),
            max_retries: number(&get, "MAX_RETRIES", 3)?,
            total_timeout_secs: number(&get, "TOTAL_TIMEOUT", 300)?,
            context_size: number(&get, "CONTEXT_SIZE", 128_000)?,
            temperature: match get("TEMPERATURE") {
                None => 0.0,
                Some(v) => v.parse().map_err(|_| ConfigError {
                    var: "TEMPERATURE",
                    expected: "a number",
                    value: v.clone(),
                })?,
            },
            sandbox: SandboxLimits {
                call_timeout: Duration::from_millis(positive(
                    &get,
                    "PLUGIN_TIMEOUT_MS",
                    defaults.call_timeout.as_millis() as u64,
                )?),
                memory_bytes: (positive(
                    &get,
                    "PLUGIN_MEMORY_MB",
                    (defaults.memory_bytes >> 20) as u64,
                )? as usize)
                    << 20,
                output_bytes: (positive(
                    &get,
                    "PLUGIN_OUTPUT_KB",
                    (defaults.output_bytes >> 10) as u64,
                )? as usize)
                    << 10,
                shell_timeout: Duration::from_millis(positive(
                    &get,
                    "SHELL_TIMEOUT_MS",
                    defaults.shell_timeout.as_millis() as u64,
                )?),
            },
        })
    }
}

fn flag(value: Option<String>) -> bool {
    matches!(
        value.as_deref().map(str::to_ascii_lowercase).as_deref(),
        Some("1" | "true" | "yes" | "on")
    )
}

fn number<T: std::str::FromStr>(
    get: &impl Fn(&str) -> Option<String>,
    var: &'static str,
    default: T,
) -> Result<T, ConfigError> {
    match get(var) {
        None => Ok(default),
        Some(v) => v.trim().parse().map_err(|_| ConfigError {
            var,
            expected: "a whole number",
            value: v,
        }),
    }
}

fn positive(
    get: &impl Fn(&str) -> Option<String>,
    var: &'static str,
    default: u64,
) -> Result<u64, ConfigError> {
    let n: u64 = number(get, var, default)?;
    if n == 0 {
        return Err(ConfigError {
            var,
            expected: "greater than zero",
            value: "0".into(),
        });
    }
    Ok(n)
}

/// Where aicoder keeps its files.
#[derive(Debug, Clone)]
pub struct Paths {
    /// `<project>/.aicoder`: session, audit log, project plugins.
    pub project_dir: PathBuf,
    /// `$XDG_CONFIG_HOME/aicoder` or `~/.config/aicoder`: grants, user plugins.
    pub user_config_dir: PathBuf,
    /// `$XDG_CACHE_HOME/aicoder` or `~/.cache/aicoder`: compiled components.
    pub cache_dir: PathBuf,
    /// Folders holding the plugins that ship with aicoder.
    pub shipped_plugin_dirs: Vec<PathBuf>,
}

impl Paths {
    /// Paths for a project rooted at `project_root`, from the environment.
    pub fn for_project(project_root: &std::path::Path) -> Self {
        let home = std::env::var_os("HOME")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("."));
        let xdg = |var: &str, fallback: &str| {
            std::env::var_os(var)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
                .unwrap_or_else(|| home.join(fallback))
                .join("aicoder")
        };
        Paths {
            project_dir: project_root.join(".aicoder"),
            user_config_dir: xdg("XDG_CONFIG_HOME", ".config"),
            cache_dir: xdg("XDG_CACHE_HOME", ".cache"),
            shipped_plugin_dirs: shipped_plugin_dirs(),
        }
    }

    /// The audit log of this project.
    pub fn audit_log(&self) -> PathBuf {
        self.project_dir.join("audit.jsonl")
    }

    /// The persisted (always / deny) grants of this user.
    pub fn grants_file(&self) -> PathBuf {
        self.user_config_dir.join("grants.json")
    }

    /// Project plugins folder.
    pub fn project_plugins(&self) -> PathBuf {
        self.project_dir.join("plugins")
    }

    /// User plugins folder.
    pub fn user_plugins(&self) -> PathBuf {
        self.user_config_dir.join("plugins")
    }
}

/// AICODER_SHIPPED_PLUGINS if set, else `plugins/` beside the executable and,
/// for a build tree, `target/wasm32-wasip2/release` next to `target/release`.
fn shipped_plugin_dirs() -> Vec<PathBuf> {
    if let Some(dir) = std::env::var_os("AICODER_SHIPPED_PLUGINS") {
        return std::env::split_paths(&dir).collect();
    }
    let Some(exe_dir) = std::env::current_exe()
        .ok()
        .and_then(|p| p.parent().map(PathBuf::from))
    else {
        return Vec::new();
    };
    let mut dirs = vec![exe_dir.join("plugins")];
    if let Some(target) = exe_dir.parent() {
        dirs.push(target.join("wasm32-wasip2").join("release"));
    }
    dirs
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn lookup(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k| map.get(k).cloned()
    }

    #[test]
    fn reads_v3_variable_names_and_limits() {
        let c = Config::from_lookup(lookup(&[
            ("OPENAI_BASE_URL", "http://x"),
            ("API_MODEL", "m"),
            ("YOLO_MODE", "1"),
            ("PLUGIN_TIMEOUT_MS", "250"),
            ("PLUGIN_MEMORY_MB", "32"),
        ]))
        .expect("valid");
        assert_eq!(c.api_base_url.as_deref(), Some("http://x"));
        assert_eq!(c.model, "m");
        assert!(c.yolo_mode);
        assert_eq!(c.sandbox.call_timeout, Duration::from_millis(250));
        assert_eq!(c.sandbox.memory_bytes, 32 << 20);
    }

    #[test]
    fn bad_numbers_name_the_variable() {
        let err =
            Config::from_lookup(lookup(&[("PLUGIN_TIMEOUT_MS", "soon")])).expect_err("invalid");
        assert!(err.to_string().contains("PLUGIN_TIMEOUT_MS"), "{err}");
        let err = Config::from_lookup(lookup(&[("PLUGIN_MEMORY_MB", "0")])).expect_err("zero");
        assert!(err.to_string().contains("greater than zero"), "{err}");
    }
}
