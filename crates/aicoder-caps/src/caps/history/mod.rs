//! Interface `history`, capabilities `history.read` / `history.write`: the
//! conversation.

use super::{Access, CapCtx, HostFn};
use crate::bindings::aicoder::plugin::history::Host;
use crate::bindings::aicoder::plugin::types::{HostError, Message as WitMessage};
use crate::state::Message;
use serde_json::{json, Value};

/// The undo of its writes (`caps::undo` drives it).
mod revert;
pub(crate) use revert::{revert, Revert, RevertError};


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

#[cfg(test)]
mod tests;
