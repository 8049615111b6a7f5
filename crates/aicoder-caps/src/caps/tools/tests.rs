use super::*;
use crate::caps::testing::{assert_denied, TestEnv};

#[test]
fn list_and_manage_need_separate_grants() {
    let mut env = TestEnv::new();
    env.grant(Capability::ToolsRead);
    let tools = env.ctx.list_tools().expect("granted");
    assert!(tools
        .iter()
        .any(|t| t.name == "read_file" && t.source == "internal"));
    assert_denied(
        env.ctx.set_auto_approved("write_file".into(), true),
        Capability::ToolsManage,
    );
    assert!(!env.ctx.services.state().tools["write_file"].auto_approved);

    env.grant(Capability::ToolsManage);
    let not_own = |r: Result<(), HostError>| matches!(r, Err(HostError::AccessDenied(d)) if d.hint.contains("only its own tools"));
    assert!(not_own(
        env.ctx.set_auto_approved("run_shell_command".into(), true)
    ));
    assert!(!env.ctx.services.state().tools["run_shell_command"].auto_approved);
    assert!(not_own(env.ctx.remove_tool("grep".into())));
    assert!(env.ctx.services.state().tools.contains_key("grep"));
    let denied = env.audit().pop().expect("entry");
    assert!(matches!(
        denied.outcome,
        crate::caps::audit::Outcome::Denied
    ));

    env.ctx
        .register_tool(NewTool {
            name: "mine".into(),
            description: "own tool".into(),
            parameters_json: r#"{"type":"object"}"#.into(),
            auto_approved: false,
        })
        .expect("granted");
    env.ctx
        .set_auto_approved("mine".into(), true)
        .expect("own tool");
    assert!(env.ctx.services.state().tools["mine"].auto_approved);
    env.ctx.remove_tool("mine".into()).expect("own tool");
    assert!(matches!(
        env.ctx.remove_tool("mine".into()),
        Err(HostError::NotFound(_))
    ));
}
