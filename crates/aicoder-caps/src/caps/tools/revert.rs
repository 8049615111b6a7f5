//! The undo of a `tools.manage` `set-auto-approved`: the old auto-approval put
//! back, unless its target changed since (see `caps::undo`, which dispatches on
//! the host function the audit line names).

use super::*;

/// The undo of a `tools.manage` `set-auto-approved` (see `caps::undo`).
#[derive(Debug, Clone)]
pub(crate) struct Revert {
    name: String,
    now: bool,
    back: bool,
}

/// The revert of a `tools.manage` write the audit log recorded.
pub(crate) fn revert(
    function: HostFn,
    old: &serde_json::Value,
    new: &serde_json::Value,
) -> Result<Revert, crate::caps::undo::NoRevert> {
    use crate::caps::undo::NoRevert;
    // register-tool, register-command and remove-tool change what only
    // lives for the session; undo puts back only an auto-approval.
    if function != HostFn::ToolsSetAutoApproved {
        return Err(NoRevert::NoUndo);
    }
    (|| {
        Some(Revert {
            name: new.get("name")?.as_str()?.to_string(),
            now: new.get("auto_approved")?.as_bool()?,
            back: old.get("auto_approved")?.as_bool()?,
        })
    })()
    .ok_or(NoRevert::Malformed)
}

/// Why a `set-auto-approved` was not reverted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RevertError {
    /// The tool was removed since.
    #[error("tool {name} no longer exists")]
    Gone { name: String },
    /// Its auto-approval was changed since.
    #[error("tool {name} changed since")]
    Changed { name: String },
}

impl Revert {
    /// What undoing it changes.
    pub(crate) fn describe(&self) -> String {
        format!(
            "tool {} auto-approved {} -> {}",
            self.name, self.now, self.back
        )
    }

    /// Put the old auto-approval back, unless it changed since.
    pub(crate) fn apply(&self, state: &mut crate::state::AppState) -> Result<(), RevertError> {
        let Revert { name, now, back } = self;
        let tool = state
            .tools
            .get_mut(name)
            .ok_or_else(|| RevertError::Gone { name: name.clone() })?;
        if tool.auto_approved != *now {
            return Err(RevertError::Changed { name: name.clone() });
        }
        tool.auto_approved = *back;
        Ok(())
    }
}
