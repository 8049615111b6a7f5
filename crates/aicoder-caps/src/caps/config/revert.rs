//! The undo of a `config.write` `set`: the old value of the setting put back,
//! unless its target changed since (see `caps::undo`, which dispatches on the
//! host function the audit line names).

use super::*;

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
) -> Result<Revert, crate::caps::undo::NoRevert> {
    use crate::caps::undo::NoRevert;
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
