//! presets: named bundles of model settings (v3's presets): `/preset` lists
//! them, `/preset NAME` applies one, `/preset set KEY VALUE` changes one
//! setting. A preset sets `temperature` and sends `top-p` and the penalties
//! only when it names them (the others are cleared, so the bundle is whole).
//!
//! Beside the built-in presets, lines `NAME KEY=VALUE ... [# description]`
//! in `presets` of its data folder (`.aicoder/presets/presets`, then
//! `~/.config/aicoder/presets/presets`) add presets or replace one by name.
//!
//! Ceiling: `config.read`, `config.write` (which never reaches the model,
//! endpoint or YOLO mode), `data.read` (the presets file).

use aicoder_plugin_sdk::{config, data, export_plugin, HostError, Manifest, Plugin, PluginError};

/// The settings a preset may hold.
pub const KEYS: [&str; 4] = [
    "temperature",
    "top-p",
    "frequency-penalty",
    "presence-penalty",
];

/// Built-in presets: name, settings, what it is for.
const BUILT_IN: &[(&str, &str, &str)] = &[
    (
        "creative",
        "temperature=1.0 top-p=0.95",
        "brainstorming, open questions",
    ),
    ("balanced", "temperature=0.7 top-p=0.9", "general use"),
    (
        "stable",
        "temperature=0.0",
        "deterministic: coding and precise tasks",
    ),
    ("code", "temperature=0.2", "code generation"),
    (
        "analysis",
        "temperature=0.1 top-p=0.8",
        "debugging and inspection",
    ),
    (
        "writing",
        "temperature=0.6 top-p=0.88 presence-penalty=0.1",
        "documentation",
    ),
];

/// One preset.
#[derive(Debug, Clone, PartialEq)]
pub struct Preset {
    pub name: String,
    pub settings: Vec<(String, f64)>,
    pub description: String,
}

/// `KEY=VALUE` words into settings (`top_p` is read as `top-p`).
pub fn parse_settings(words: &str) -> Result<Vec<(String, f64)>, String> {
    words
        .split_whitespace()
        .map(|w| {
            let (key, value) = w
                .split_once('=')
                .ok_or_else(|| format!("`{w}` is not KEY=VALUE"))?;
            let key = key.trim().replace('_', "-").to_ascii_lowercase();
            if !KEYS.contains(&key.as_str()) {
                return Err(format!("`{key}` is not one of {}", KEYS.join(", ")));
            }
            let value: f64 = value
                .trim()
                .parse()
                .map_err(|_| format!("`{key}` needs a number, got `{value}`"))?;
            Ok((key, value))
        })
        .collect()
}

/// The presets: built in, then a file's lines (a bad line is named, skipped).
pub fn presets(file: Option<&str>) -> (Vec<Preset>, Vec<String>) {
    let mut all: Vec<Preset> = BUILT_IN
        .iter()
        .filter_map(|(name, settings, description)| {
            Some(Preset {
                name: name.to_string(),
                settings: parse_settings(settings).ok()?,
                description: description.to_string(),
            })
        })
        .collect();
    let mut problems = Vec::new();
    for (n, line) in file.unwrap_or_default().lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (body, description) = line.split_once(" #").unwrap_or((line, ""));
        let (name, settings) = body.split_once(char::is_whitespace).unwrap_or((body, ""));
        match parse_settings(settings) {
            Ok(settings) if !settings.is_empty() => {
                let preset = Preset {
                    name: name.to_ascii_lowercase(),
                    settings,
                    description: description.trim().to_string(),
                };
                all.retain(|p| p.name != preset.name);
                all.push(preset);
            }
            Ok(_) => problems.push(format!("line {}: `{name}` sets nothing", n + 1)),
            Err(e) => problems.push(format!("line {}: {e}", n + 1)),
        }
    }
    (all, problems)
}

/// The presets file: the project's, else the user's.
fn file() -> Option<String> {
    [data::Area::Project, data::Area::User]
        .into_iter()
        .find_map(|area| data::read_file(area, "presets").ok())
}

/// Apply `preset`: its settings, the others of [`KEYS`] cleared
/// (temperature is never cleared: it always has a value).
fn apply(preset: &Preset) -> Result<(), HostError> {
    for key in KEYS {
        match preset.settings.iter().find(|(k, _)| k == key) {
            Some((_, v)) => config::set(key, &v.to_string())?,
            None if key != "temperature" => config::set(key, "")?,
            None => {}
        }
    }
    Ok(())
}

/// The current values, as `key=value` words.
fn current() -> Result<String, HostError> {
    let mut words = Vec::new();
    for key in KEYS {
        let value = config::get(key)?;
        if !value.is_empty() {
            words.push(format!("{key}={value}"));
        }
    }
    Ok(words.join(" "))
}

fn words(settings: &[(String, f64)]) -> String {
    let w: Vec<String> = settings.iter().map(|(k, v)| format!("{k}={v}")).collect();
    w.join(" ")
}

struct Presets;

fn run(args: &str) -> Result<String, HostError> {
    let (all, problems) = presets(file().as_deref());
    let mut out = String::new();
    for p in &problems {
        out.push_str(&format!("presets file: {p}\n"));
    }
    let args = args.trim();
    if args.is_empty() || args == "list" {
        out.push_str(&format!("now: {}\n", current()?));
        for p in &all {
            out.push_str(&format!(
                "  {:<10} {:<45} {}\n",
                p.name,
                words(&p.settings),
                p.description
            ));
        }
        out.push_str("/preset NAME applies one; /preset set KEY VALUE changes one setting");
        return Ok(out);
    }
    if let Some(rest) = args.strip_prefix("set ") {
        let Some((key, value)) = rest.trim().split_once(char::is_whitespace) else {
            return Ok("usage: /preset set KEY VALUE".into());
        };
        let settings = match parse_settings(&format!("{key}={}", value.trim())) {
            Ok(s) => s,
            Err(e) => return Ok(format!("not changed: {e}")),
        };
        for (k, v) in &settings {
            config::set(k, &v.to_string())?;
        }
        out.push_str(&format!("custom: {}", current()?));
        return Ok(out);
    }
    let name = args.to_ascii_lowercase();
    let Some(preset) = all.iter().find(|p| p.name == name) else {
        let names: Vec<&str> = all.iter().map(|p| p.name.as_str()).collect();
        out.push_str(&format!(
            "no preset `{name}`; presets: {}",
            names.join(", ")
        ));
        return Ok(out);
    };
    apply(preset)?;
    out.push_str(&format!("preset {}: {}", preset.name, current()?));
    Ok(out)
}

impl Plugin for Presets {
    fn new() -> Self {
        Presets
    }

    fn manifest() -> Manifest {
        Manifest::new(
            "presets",
            "0.1.0",
            "Named bundles of model settings (temperature, top-p, penalties)",
        )
        .command(
            "preset",
            "List presets, apply one (/preset NAME), or /preset set KEY VALUE",
        )
    }

    fn run_command(&mut self, _name: &str, args: &str) -> Result<String, PluginError> {
        match run(args) {
            Ok(text) => Ok(text),
            Err(HostError::AccessDenied(d)) => Ok(format!(
                "not changed: {} is not granted ({})",
                d.capability, d.hint
            )),
            Err(e) => Err(e.into()),
        }
    }
}

export_plugin!(Presets);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_adds_and_replaces_presets_and_names_bad_lines() {
        let (all, problems) = presets(Some(
            "# mine\nfast temperature=0.3 top_p=0.5 # quick\ncode temperature=0.05\nbad tempo=1\nnone\n",
        ));
        let fast = all.iter().find(|p| p.name == "fast").expect("fast");
        assert_eq!(
            fast.settings,
            [("temperature".into(), 0.3), ("top-p".into(), 0.5)]
        );
        assert_eq!(fast.description, "quick");
        let code: Vec<_> = all.iter().filter(|p| p.name == "code").collect();
        assert_eq!(code.len(), 1);
        assert_eq!(code[0].settings, [("temperature".into(), 0.05)]);
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].starts_with("line 4:"), "{problems:?}");
        assert_eq!(all.iter().filter(|p| p.settings.is_empty()).count(), 0);
    }
}
