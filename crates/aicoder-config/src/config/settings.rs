//! The settings a running session exposes by name (plugins' `config`
//! capability, undo): reading and changing one, and which only the user's
//! own file may set.

use super::*;

/// The settings a running session exposes by name (to plugins through the
/// `config` capability, and to undo), in `keys()` order. The API key is not
/// among them.
pub const SETTING_KEYS: [&str; 11] = [
    "model",
    "api-base-url",
    "yolo-mode",
    "max-retries",
    "total-timeout-secs",
    "context-size",
    "temperature",
    "web-search-providers",
    // v3's TOP_P and penalties, for presets; an empty value is "not sent".
    "top-p",
    "frequency-penalty",
    "presence-penalty",
];

/// Why a named setting could not be read or changed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SettingError {
    #[error("setting `{key}`; known: {}", SETTING_KEYS.join(", "))]
    Unknown { key: String },
    #[error("{0}")]
    Invalid(String),
}

/// An optional number as a setting: empty when not set (not sent).
fn optional(value: Option<f64>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

/// An optional number from a setting's text: empty unsets it.
fn parse_optional(key: &str, value: &str) -> Result<Option<f64>, SettingError> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    value.parse().map(Some).map_err(|_| {
        SettingError::Invalid(format!(
            "{key} must be a number or empty (not sent), got {value:?}"
        ))
    })
}

/// Settings a plugin may read but never change, and why.
const USER_ONLY_SETTINGS: [(&str, &str); 3] = [
    (
        "yolo-mode",
        "it decides whether tools run without asking you; only you can turn it on (/yolo, YOLO_MODE=1)",
    ),
    (
        "api-base-url",
        "it decides where your conversation is sent; set API_BASE_URL yourself",
    ),
    (
        "model",
        "it decides which model (and account) your conversation goes to; set API_MODEL yourself",
    ),
];

/// Why a plugin may not change `key`, if it may not.
pub fn user_only_setting(key: &str) -> Option<&'static str> {
    USER_ONLY_SETTINGS
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, why)| *why)
}

impl Config {
    /// One setting as a string (as plugins see it).
    pub fn setting(&self, key: &str) -> Result<String, SettingError> {
        Ok(match key {
            "model" => self.model.clone(),
            "api-base-url" => self.api_base_url.clone().unwrap_or_default(),
            "yolo-mode" => self.yolo_mode.to_string(),
            "max-retries" => self.max_retries.to_string(),
            "total-timeout-secs" => self.total_timeout_secs.to_string(),
            "context-size" => self.context_size.to_string(),
            "temperature" => self.temperature.to_string(),
            // v3's WEB_SEARCH_PROVIDERS (`Name,URL;...`), for the web plugin.
            "web-search-providers" => std::env::var("WEB_SEARCH_PROVIDERS").unwrap_or_default(),
            "top-p" => optional(self.params.top_p),
            "frequency-penalty" => optional(self.params.frequency_penalty),
            "presence-penalty" => optional(self.params.presence_penalty),
            _ => return Err(SettingError::Unknown { key: key.into() }),
        })
    }

    /// Change one setting from a string; `api-base-url` is refused.
    pub fn set_setting(&mut self, key: &str, value: &str) -> Result<(), SettingError> {
        fn parse<T: std::str::FromStr>(
            key: &str,
            value: &str,
            expected: &str,
        ) -> Result<T, SettingError> {
            value.trim().parse().map_err(|_| {
                SettingError::Invalid(format!("{key} must be {expected}, got {value:?}"))
            })
        }
        match key {
            "model" if !value.trim().is_empty() => self.model = value.trim().to_string(),
            "model" => return Err(SettingError::Invalid("model must not be empty".into())),
            "api-base-url" => {
                return Err(SettingError::Invalid(
                    "api-base-url cannot be changed by plugins (it decides where your conversation is sent)".into(),
                ))
            }
            "yolo-mode" => self.yolo_mode = parse(key, value, "true or false")?,
            "max-retries" => self.max_retries = parse(key, value, "a whole number")?,
            "total-timeout-secs" => self.total_timeout_secs = parse(key, value, "a whole number")?,
            "context-size" => self.context_size = parse(key, value, "a whole number")?,
            "temperature" => self.temperature = parse(key, value, "a number")?,
            "web-search-providers" => {
                return Err(SettingError::Invalid(
                    "web-search-providers is read from WEB_SEARCH_PROVIDERS; plugins cannot change it".into(),
                ))
            }
            "top-p" => self.params.top_p = parse_optional(key, value)?,
            "frequency-penalty" => self.params.frequency_penalty = parse_optional(key, value)?,
            "presence-penalty" => self.params.presence_penalty = parse_optional(key, value)?,
            _ => return Err(SettingError::Unknown { key: key.into() }),
        }
        Ok(())
    }
}
