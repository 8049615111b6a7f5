//! Interface `history`, capabilities `history.read` / `history.write`: the
//! conversation.

use super::{Access, CapCtx, HostFn};
use crate::bindings::aicoder::plugin::history::Host;
use crate::bindings::aicoder::plugin::types::{HostError, Message as WitMessage};
use crate::state::Message;
use serde_json::{json, Value};


/// A message of the conversation as the contract's record (both types live
/// in lower crates, so a function rather than `From`).
fn to_wit(m: &Message) -> WitMessage {
    WitMessage {
        role: m.role.clone(),
        content: m.content.clone(),
        tool_call_id: m.tool_call_id.clone(),
        name: m.name.clone(),
    }
}

/// The contract's record as a message of the conversation.
fn from_wit(m: WitMessage) -> Message {
    Message {
        role: m.role,
        content: m.content,
        tool_call_id: m.tool_call_id,
        name: m.name,
        tool_calls: Vec::new(),
    }
}

const ROLES: [&str; 4] = ["system", "user", "assistant", "tool"];

/// The largest message text a plugin may put into the conversation: far
/// beyond any model's context, and a bound on what one audited write costs.
pub const MAX_CONTENT_BYTES: usize = 1 << 20;

fn validate(m: &WitMessage) -> Result<(), HostError> {
    if !ROLES.contains(&m.role.as_str()) {
        let role = crate::util::truncate_text(&m.role, 64).0;
        return Err(HostError::InvalidArgument(format!(
            "role must be one of {ROLES:?}, got {role:?}"
        )));
    }
    if m.content.len() > MAX_CONTENT_BYTES {
        return Err(HostError::InvalidArgument(format!(
            "the message is {} bytes; a plugin may write at most {MAX_CONTENT_BYTES}",
            m.content.len()
        )));
    }
    Ok(())
}

fn to_json(m: &Message) -> Value {
    serde_json::to_value(m).unwrap_or(Value::Null)
}

impl Host for CapCtx {
    fn get_messages(&mut self) -> Result<Vec<WitMessage>, HostError> {
        self.gate_fn(HostFn::HistoryGetMessages, json!({}), || {
            Ok(Access::read(
                self.services
                    .state()
                    .messages
                    .iter()
                    .map(to_wit)
                    .collect(),
            ))
        })
    }

    fn count(&mut self) -> Result<u32, HostError> {
        self.gate_fn(HostFn::HistoryCount, json!({}), || {
            Ok(Access::read(self.services.state().messages.len() as u32))
        })
    }

    fn set_message(&mut self, index: u32, message: WitMessage) -> Result<(), HostError> {
        let args = json!({ "index": index, "role": message.role, "content": message.content });
        self.gate_fn(HostFn::HistorySetMessage, args, || {
            validate(&message)?;
            let mut state = self.services.state();
            let len = state.messages.len();
            let slot = state
                .messages
                .get_mut(index as usize)
                .ok_or_else(|| HostError::NotFound(format!("message {index} (there are {len})")))?;
            let mut new: Message = from_wit(message);
            // The WIT message has no tool calls; an edit of an assistant
            // message keeps the calls it made, so the tool results still match.
            if new.role == slot.role {
                new.tool_calls = slot.tool_calls.clone();
            }
            let old = std::mem::replace(slot, new.clone());
            Ok(Access::write(
                (),
                json!({ "index": index, "message": to_json(&old) }),
                json!({ "index": index, "message": to_json(&new) }),
            ))
        })
    }

    fn append(&mut self, message: WitMessage) -> Result<(), HostError> {
        let args = json!({ "role": message.role, "content": message.content });
        self.gate_fn(HostFn::HistoryAppend, args, || {
            validate(&message)?;
            let mut state = self.services.state();
            let new: Message = from_wit(message);
            state.messages.push(new.clone());
            let index = state.messages.len() - 1;
            Ok(Access::write(
                (),
                json!({ "index": index, "message": null }),
                json!({ "index": index, "message": to_json(&new) }),
            ))
        })
    }

    fn clear(&mut self) -> Result<(), HostError> {
        self.gate_fn(HostFn::HistoryClear, json!({}), || {
            let mut state = self.services.state();
            let old: Vec<Value> = state.messages.iter().map(to_json).collect();
            state.messages.retain(|m| m.role == "system");
            let new: Vec<Value> = state.messages.iter().map(to_json).collect();
            Ok(Access::write((), Value::Array(old), Value::Array(new)))
        })
    }
}

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
) -> Result<Revert, super::undo::NoRevert> {
    use super::undo::NoRevert;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::caps::Capability;
    use crate::caps::audit::Outcome;
    use crate::caps::testing::{assert_denied, TestEnv};

    fn msg(role: &str, content: &str) -> WitMessage {
        WitMessage {
            role: role.into(),
            content: content.into(),
            tool_call_id: None,
            name: None,
        }
    }

    #[test]
    fn read_is_denied_then_allowed_and_audited() {
        let mut env = TestEnv::new();
        assert_denied(env.ctx.get_messages(), Capability::HistoryRead);
        env.grant(Capability::HistoryRead);
        let messages = env.ctx.get_messages().expect("granted");
        assert_eq!(messages[0].role, "system");
        let audit = env.audit();
        assert_eq!(audit.len(), 2);
        assert_eq!(
            (audit[0].outcome, audit[1].outcome),
            (Outcome::Denied, Outcome::Allowed)
        );
    }

    #[test]
    fn set_message_records_old_and_new_and_denial_changes_nothing() {
        let mut env = TestEnv::new();
        assert_denied(
            env.ctx.set_message(0, msg("system", "debug mode")),
            Capability::HistoryWrite,
        );
        assert_ne!(env.ctx.services.state().messages[0].content, "debug mode");

        env.grant(Capability::HistoryWrite);
        env.ctx
            .set_message(0, msg("system", "debug mode"))
            .expect("granted");
        assert_eq!(env.ctx.services.state().messages[0].content, "debug mode");
        let last = env.audit().pop().expect("entry");
        assert_eq!(
            last.new
                .as_ref()
                .and_then(|v| v["message"]["content"].as_str()),
            Some("debug mode")
        );
        assert_eq!(
            last.old
                .as_ref()
                .and_then(|v| v["message"]["role"].as_str()),
            Some("system")
        );
    }

    #[test]
    fn bad_index_and_role_are_typed_errors() {
        let mut env = TestEnv::new();
        env.grant(Capability::HistoryWrite);
        assert!(matches!(
            env.ctx.set_message(99, msg("user", "x")),
            Err(HostError::NotFound(_))
        ));
        assert!(matches!(
            env.ctx.append(msg("root", "x")),
            Err(HostError::InvalidArgument(_))
        ));
        env.ctx.append(msg("user", "hi")).expect("append");
        env.ctx.clear().expect("clear");
        assert_eq!(
            env.ctx.services.state().messages.len(),
            1,
            "clear keeps the system prompt"
        );
    }
}
