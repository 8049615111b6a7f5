//! The undo of a `workspace.write` `set-cwd`: the old working directory put
//! back, unless its target changed since (see `caps::undo`, which dispatches on
//! the host function the audit line names).

use super::*;

/// The undo of a `set-cwd` (see `caps::undo`).
#[derive(Debug, Clone)]
pub(crate) struct Revert {
    now: String,
    back: String,
}

/// The revert of a `workspace.write` the audit log recorded.
pub(crate) fn revert(
    function: HostFn,
    old: &serde_json::Value,
    new: &serde_json::Value,
) -> Result<Revert, crate::caps::undo::NoRevert> {
    use crate::caps::undo::NoRevert;
    if function != HostFn::WorkspaceSetCwd {
        return Err(NoRevert::NoUndo);
    }
    Ok(Revert {
        now: new.as_str().ok_or(NoRevert::Malformed)?.to_string(),
        back: old.as_str().ok_or(NoRevert::Malformed)?.to_string(),
    })
}

/// Why a `set-cwd` was not reverted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RevertError {
    /// The working directory moved since the write.
    #[error("the working directory is now {current}, not {now}")]
    Moved { current: String, now: String },
    /// The directory to go back to is gone.
    #[error("{back} is no longer a directory")]
    Gone { back: String },
}

impl Revert {
    /// What undoing it changes.
    pub(crate) fn describe(&self) -> String {
        format!("working directory {} -> {}", self.now, self.back)
    }

    /// Put the old working directory back, unless it moved since.
    pub(crate) fn apply(&self, state: &mut AppState) -> Result<(), RevertError> {
        let (now, back) = (&self.now, &self.back);
        let current = state.cwd.display().to_string();
        if current != *now {
            return Err(RevertError::Moved {
                current,
                now: now.clone(),
            });
        }
        let back_path = std::path::PathBuf::from(back);
        if !back_path.is_dir() {
            return Err(RevertError::Gone { back: back.clone() });
        }
        state.cwd = back_path;
        Ok(())
    }
}
