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
