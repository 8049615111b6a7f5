//! The undo of a `history.write` (`set-message`, `append`, `clear`): the
//! conversation put back, unless its target changed since (see `caps::undo`,
//! which dispatches on the host function the audit line names).

use super::*;

/// The undo of a `history.write` (see `caps::undo`).
#[derive(Debug, Clone)]
pub(crate) enum Revert {
    SetMessage {
        index: usize,
        now: Message,
        back: Message,
    },
    RemoveAppended {
        index: usize,
        now: Message,
    },
    RestoreMessages {
        now: Vec<Message>,
        back: Vec<Message>,
    },
}

fn logged_message(v: &Value) -> Option<Message> {
    serde_json::from_value(v.get("message")?.clone()).ok()
}

fn logged_messages(v: &Value) -> Option<Vec<Message>> {
    serde_json::from_value(v.clone()).ok()
}

fn logged_index(v: &Value) -> Option<usize> {
    usize::try_from(v.get("index")?.as_u64()?).ok()
}

/// The revert of a `history.write` the audit log recorded.
pub(crate) fn revert(
    function: HostFn,
    old: &Value,
    new: &Value,
) -> Result<Revert, crate::caps::undo::NoRevert> {
    use crate::caps::undo::NoRevert;
    let revert = match function {
        HostFn::HistorySetMessage => (|| {
            Some(Revert::SetMessage {
                index: logged_index(new)?,
                now: logged_message(new)?,
                back: logged_message(old)?,
            })
        })(),
        HostFn::HistoryAppend => (|| {
            Some(Revert::RemoveAppended {
                index: logged_index(new)?,
                now: logged_message(new)?,
            })
        })(),
        HostFn::HistoryClear => (|| {
            Some(Revert::RestoreMessages {
                now: logged_messages(new)?,
                back: logged_messages(old)?,
            })
        })(),
        _ => return Err(NoRevert::NoUndo),
    };
    revert.ok_or(NoRevert::Malformed)
}

/// Why a `history.write` was not reverted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RevertError {
    /// The conversation is now shorter than the message's place.
    #[error("message {index} no longer exists")]
    MessageGone { index: usize },
    /// The message is no longer what the write left.
    #[error("message {index} changed since")]
    MessageChanged { index: usize },
    /// The conversation is no longer the one the clear left.
    #[error("the conversation changed since the clear")]
    ConversationChanged,
}

/// The start of a message, for one line.
fn short(text: &str) -> String {
    let mut s: String = text.chars().take(60).collect();
    if text.chars().count() > 60 {
        s.push('…');
    }
    s
}

impl Revert {
    /// What undoing it changes.
    pub(crate) fn describe(&self) -> String {
        match self {
            Revert::SetMessage { index, now, back } => format!(
                "message {index} ({}) {:?} -> {:?}",
                back.role,
                short(&now.content),
                short(&back.content)
            ),
            Revert::RemoveAppended { index, now } => format!(
                "remove message {index} ({}) {:?}",
                now.role,
                short(&now.content)
            ),
            Revert::RestoreMessages { now, back } => format!(
                "restore the {} message(s) a clear removed ({} now)",
                back.len(),
                now.len()
            ),
        }
    }

    /// Revert in the conversation, unless the message changed since.
    pub(crate) fn apply(&self, state: &mut crate::state::AppState) -> Result<(), RevertError> {
        match self {
            Revert::SetMessage { index, now, back } => {
                let index = *index;
                let slot = state
                    .messages
                    .get_mut(index)
                    .ok_or(RevertError::MessageGone { index })?;
                if slot.role != now.role || slot.content != now.content {
                    return Err(RevertError::MessageChanged { index });
                }
                slot.role.clone_from(&back.role);
                slot.content.clone_from(&back.content);
            }
            Revert::RemoveAppended { index, now } => {
                match state.messages.get(*index) {
                    Some(m) if m.role == now.role && m.content == now.content => {}
                    _ => return Err(RevertError::MessageChanged { index: *index }),
                }
                state.messages.remove(*index);
            }
            Revert::RestoreMessages { now, back } => {
                if *state.messages != *now {
                    return Err(RevertError::ConversationChanged);
                }
                // Through DerefMut: the journal sees a whole new conversation.
                *state.messages = back.clone();
            }
        }
        Ok(())
    }
}
