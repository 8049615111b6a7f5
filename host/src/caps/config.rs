//! Interface `config`, capabilities `config.read` / `config.write`: session
//! settings. The API key is not among the keys, so no plugin can read it.
//! `config.write` never reaches the settings that decide what runs unasked or
//! where the conversation goes (YOLO mode, the endpoint, the model): those are
//! the user's alone, like grants, which are not settings at all.

use super::{Access, CapCtx, Capability};
use crate::config::Config;
use crate::plugins::bindings::aicoder::plugin::config::Host;
use crate::plugins::bindings::aicoder::plugin::types::{Denial, HostError};
use serde_json::json;

pub(crate) const INTERFACE: &str = "config";
pub(crate) const CAPABILITIES: &[Capability] = &[Capability::ConfigRead, Capability::ConfigWrite];

/// The settings plugins may see, in `keys()` order.
const KEYS: [&str; 8] = [
    "model",
    "api-base-url",
    "yolo-mode",
    "max-retries",
    "total-timeout-secs",
    "context-size",
    "temperature",
    "web-search-providers",
];

/// One setting as a string (as plugins see it).
pub fn get(config: &Config, key: &str) -> Result<String, HostError> {
    Ok(match key {
        "model" => config.model.clone(),
        "api-base-url" => config.api_base_url.clone().unwrap_or_default(),
        "yolo-mode" => config.yolo_mode.to_string(),
        "max-retries" => config.max_retries.to_string(),
        "total-timeout-secs" => config.total_timeout_secs.to_string(),
        "context-size" => config.context_size.to_string(),
        "temperature" => config.temperature.to_string(),
        // v3's WEB_SEARCH_PROVIDERS (`Name,URL;...`), for the web plugin.
        "web-search-providers" => std::env::var("WEB_SEARCH_PROVIDERS").unwrap_or_default(),
        _ => {
            return Err(HostError::NotFound(format!(
                "setting `{key}`; known: {}",
                KEYS.join(", ")
            )))
        }
    })
}

/// Settings a plugin may read but never change, and why.
const USER_ONLY: [(&str, &str); 3] = [
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
fn user_only(key: &str) -> Option<&'static str> {
    USER_ONLY
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, why)| *why)
}

fn parse<T: std::str::FromStr>(key: &str, value: &str, expected: &str) -> Result<T, HostError> {
    value
        .trim()
        .parse()
        .map_err(|_| HostError::InvalidArgument(format!("{key} must be {expected}, got {value:?}")))
}

/// Change one setting from a string; `api-base-url` is refused.
pub fn set(config: &mut Config, key: &str, value: &str) -> Result<(), HostError> {
    match key {
        "model" if !value.trim().is_empty() => config.model = value.trim().to_string(),
        "model" => return Err(HostError::InvalidArgument("model must not be empty".into())),
        "api-base-url" => {
            return Err(HostError::InvalidArgument(
                "api-base-url cannot be changed by plugins (it decides where your conversation is sent)".into(),
            ))
        }
        "yolo-mode" => config.yolo_mode = parse(key, value, "true or false")?,
        "max-retries" => config.max_retries = parse(key, value, "a whole number")?,
        "total-timeout-secs" => config.total_timeout_secs = parse(key, value, "a whole number")?,
        "context-size" => config.context_size = parse(key, value, "a whole number")?,
        "temperature" => config.temperature = parse(key, value, "a number")?,
        "web-search-providers" => {
            return Err(HostError::InvalidArgument(
                "web-search-providers is read from WEB_SEARCH_PROVIDERS; plugins cannot change it".into(),
            ))
        }
        _ => return Err(HostError::NotFound(format!("setting `{key}`; known: {}", KEYS.join(", ")))),
    }
    Ok(())
}

impl Host for CapCtx {
    fn keys(&mut self) -> Result<Vec<String>, HostError> {
        self.gate(Capability::ConfigRead, "keys", json!({}), || {
            Ok(Access::read(KEYS.iter().map(|k| k.to_string()).collect()))
        })
    }

    fn get(&mut self, key: String) -> Result<String, HostError> {
        self.gate(Capability::ConfigRead, "get", json!({ "key": key }), || {
            Ok(Access::read(get(&self.services.state().config, &key)?))
        })
    }

    fn set(&mut self, key: String, value: String) -> Result<(), HostError> {
        self.gate(
            Capability::ConfigWrite,
            "set",
            json!({ "key": key, "value": value }),
            || {
                if let Some(why) = user_only(&key) {
                    return Err(HostError::AccessDenied(Denial {
                        capability: Capability::ConfigWrite.name().to_string(),
                        hint: format!(
                            "config.write cannot change `{key}`: {why}. Neither can any plugin change the API key or grants"
                        ),
                    }));
                }
                let mut state = self.services.state();
                let old = get(&state.config, &key)?;
                set(&mut state.config, &key, &value)?;
                let new = get(&state.config, &key)?;
                Ok(Access::write(
                    (),
                    json!({ "key": key, "value": old }),
                    json!({ "key": key, "value": new }),
                ))
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::caps::testing::{assert_denied, TestEnv};

    #[test]
    fn the_api_key_is_not_a_readable_setting() {
        let mut env = TestEnv::new();
        env.ctx.services.state().config.api_key = Some("sk-secret".into());
        env.grant(Capability::ConfigRead);
        for key in env.ctx.keys().expect("keys") {
            assert!(!env.ctx.get(key).expect("get").contains("sk-secret"));
        }
        assert!(matches!(
            env.ctx.get("api-key".into()),
            Err(HostError::NotFound(_))
        ));
    }

    #[test]
    fn set_parses_and_audits() {
        let mut env = TestEnv::new();
        assert_denied(
            env.ctx.set("yolo-mode".into(), "true".into()),
            Capability::ConfigWrite,
        );
        env.grant(Capability::ConfigWrite);
        assert!(matches!(
            env.ctx.set("max-retries".into(), "lots".into()),
            Err(HostError::InvalidArgument(_))
        ));
        for key in ["yolo-mode", "model", "api-base-url"] {
            assert!(matches!(
                env.ctx.set(key.into(), "true".into()),
                Err(HostError::AccessDenied(d)) if d.hint.contains(key)
            ));
            let entry = env.audit().pop().expect("entry");
            assert!(matches!(entry.outcome, crate::caps::audit::Outcome::Denied));
        }
        assert!(!env.ctx.services.state().config.yolo_mode);
        env.ctx
            .set("temperature".into(), "0.5".into())
            .expect("granted");
        let entry = env.audit().pop().expect("entry");
        assert_eq!(entry.old, Some(json!({"key": "temperature", "value": "0"})));
    }
}
