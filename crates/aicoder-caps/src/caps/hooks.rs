//! Interface `hooks`, capability `hooks.register`: run plugin code on session
//! events. The plugin host delivers an event only while this grant holds.

use super::{Access, CapCtx, HostFn};
use crate::bindings::aicoder::plugin::hooks::Host;
use crate::bindings::aicoder::plugin::types::HostError;
use serde_json::json;


pub use crate::state::KNOWN_EVENTS;

fn known(event: &str) -> Result<(), HostError> {
    if KNOWN_EVENTS.contains(&event) {
        Ok(())
    } else {
        Err(HostError::InvalidArgument(format!(
            "unknown event `{event}`; known: {}",
            KNOWN_EVENTS.join(", ")
        )))
    }
}

impl Host for CapCtx {
    fn known_events(&mut self) -> Vec<String> {
        KNOWN_EVENTS.iter().map(|e| e.to_string()).collect()
    }

    fn subscribe(&mut self, event: String) -> Result<(), HostError> {
        self.gate_fn(HostFn::HooksSubscribe,
            json!({ "event": event }),
            || {
                known(&event)?;
                let mut state = self.services.state();
                let set = state
                    .hook_subscriptions
                    .entry(self.plugin.name.clone())
                    .or_default();
                let was = set.contains(&event);
                set.insert(event.clone());
                Ok(Access::write(
                    (),
                    json!({ "event": event, "subscribed": was }),
                    json!({ "event": event, "subscribed": true }),
                ))
            },
        )
    }

    fn unsubscribe(&mut self, event: String) -> Result<(), HostError> {
        self.gate_fn(HostFn::HooksUnsubscribe,
            json!({ "event": event }),
            || {
                known(&event)?;
                let mut state = self.services.state();
                let was = state
                    .hook_subscriptions
                    .get_mut(&self.plugin.name)
                    .is_some_and(|s| s.remove(&event));
                Ok(Access::write(
                    (),
                    json!({ "event": event, "subscribed": was }),
                    json!({ "event": event, "subscribed": false }),
                ))
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::caps::Capability;
    use crate::caps::testing::{assert_denied, TestEnv};

    #[test]
    fn subscribe_needs_grant_and_a_known_event() {
        let mut env = TestEnv::new();
        assert_denied(
            env.ctx.subscribe("on_session_change".into()),
            Capability::HooksRegister,
        );
        env.grant(Capability::HooksRegister);
        assert!(matches!(
            env.ctx.subscribe("on_everything".into()),
            Err(HostError::InvalidArgument(_))
        ));
        env.ctx
            .subscribe("on_session_change".into())
            .expect("granted");
        assert!(env.ctx.services.state().hook_subscriptions["tester"].contains("on_session_change"));
        env.ctx
            .unsubscribe("on_session_change".into())
            .expect("granted");
        assert!(env.ctx.services.state().hook_subscriptions["tester"].is_empty());
    }
}
