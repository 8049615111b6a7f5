//! Interface `config`, capabilities `config.read` / `config.write`: session
//! settings. The API key is not among the keys, so no plugin can read it.
//! `config.write` never reaches the settings that decide what runs unasked or
//! where the conversation goes (YOLO mode, the endpoint, the model): those are
//! the user's alone, like grants, which are not settings at all. The key
//! table itself is `crate::config`'s (`Config::setting`, `set_setting`).

use super::{Access, CapCtx, Capability, HostFn};
use crate::bindings::aicoder::plugin::config::Host;
use crate::bindings::aicoder::plugin::types::{Denial, HostError};
use crate::config::{user_only_setting, Config, SettingError, SETTING_KEYS};
use serde_json::json;


/// A setting refused, as the plugin sees it.
fn host_error(e: SettingError) -> HostError {
    match e {
        SettingError::Unknown { .. } => HostError::NotFound(e.to_string()),
        SettingError::Invalid(m) => HostError::InvalidArgument(m),
    }
}

/// One setting as a string (as plugins see it).
fn get(config: &Config, key: &str) -> Result<String, HostError> {
    config.setting(key).map_err(host_error)
}

impl Host for CapCtx {
    fn keys(&mut self) -> Result<Vec<String>, HostError> {
        self.gate_fn(HostFn::ConfigKeys, json!({}), || {
            Ok(Access::read(
                SETTING_KEYS.iter().map(|k| k.to_string()).collect(),
            ))
        })
    }

    fn get(&mut self, key: String) -> Result<String, HostError> {
        self.gate_fn(HostFn::ConfigGet, json!({ "key": key }), || {
            Ok(Access::read(get(&self.services.state().config, &key)?))
        })
    }

    fn set(&mut self, key: String, value: String) -> Result<(), HostError> {
        self.gate_fn(HostFn::ConfigSet,
            json!({ "key": key, "value": value }),
            || {
                if let Some(why) = user_only_setting(&key) {
                    return Err(HostError::AccessDenied(Denial {
                        capability: Capability::ConfigWrite.name().to_string(),
                        hint: format!(
                            "config.write cannot change `{key}`: {why}. Neither can any plugin change the API key or grants"
                        ),
                    }));
                }
                let mut state = self.services.state();
                let old = get(&state.config, &key)?;
                state
                    .config
                    .set_setting(&key, &value)
                    .map_err(host_error)?;
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

/// The undo of a `config.write` `set` (see `caps::undo`).
#[derive(Debug, Clone)]
pub(crate) struct Revert {
    key: String,
    now: String,
    back: String,
}

/// The revert of a `config.write` the audit log recorded.
pub(crate) fn revert(
    function: HostFn,
    old: &serde_json::Value,
    new: &serde_json::Value,
) -> Result<Revert, super::undo::NoRevert> {
    use super::undo::NoRevert;
    if function != HostFn::ConfigSet {
        return Err(NoRevert::NoUndo);
    }
    (|| {
        Some(Revert {
            key: new.get("key")?.as_str()?.to_string(),
            now: new.get("value")?.as_str()?.to_string(),
            back: old.get("value")?.as_str()?.to_string(),
        })
    })()
    .ok_or(NoRevert::Malformed)
}

/// Why a `config.write` `set` was not reverted.
#[derive(Debug, thiserror::Error)]
pub enum RevertError {
    /// The setting was changed since the write.
    #[error("{key} is now {current}, not {now}")]
    Changed {
        key: String,
        current: String,
        now: String,
    },
    /// The setting cannot be read or written back.
    #[error(transparent)]
    Setting(#[from] SettingError),
}

impl Revert {
    /// What undoing it changes.
    pub(crate) fn describe(&self) -> String {
        format!("setting {} {} -> {}", self.key, self.now, self.back)
    }

    /// Put the old value back, unless the setting changed since.
    pub(crate) fn apply(&self, state: &mut crate::state::AppState) -> Result<(), RevertError> {
        let Revert { key, now, back } = self;
        let current = state.config.setting(key)?;
        if current != *now {
            return Err(RevertError::Changed {
                key: key.clone(),
                current,
                now: now.clone(),
            });
        }
        Ok(state.config.set_setting(key, back)?)
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
