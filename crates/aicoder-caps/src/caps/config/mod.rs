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

/// The undo of its writes (`caps::undo` drives it).
mod revert;
pub(crate) use revert::{revert, Revert, RevertError};


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

#[cfg(test)]
mod tests;
