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
