use super::*;
use crate::caps::Capability;
use crate::caps::testing::{assert_denied, TestEnv};

#[test]
fn set_cwd_needs_its_grant_and_logs_old_and_new() {
    let mut env = TestEnv::new();
    let root = env.root();
    std::fs::create_dir(root.join("sub")).expect("mkdir");
    assert_denied(env.ctx.set_cwd("sub".into()), Capability::WorkspaceWrite);
    assert_eq!(
        env.ctx.services.state().cwd,
        root,
        "a denied write changes nothing"
    );

    env.grant(Capability::WorkspaceWrite);
    let new = env.ctx.set_cwd("sub".into()).expect("granted");
    assert_eq!(std::path::PathBuf::from(&new), root.join("sub"));
    let entry = env.audit().pop().expect("entry");
    assert_eq!(entry.old, Some(json!(root.display().to_string())));
    assert_eq!(entry.new, Some(json!(new)));
}

#[test]
fn missing_directory_and_file_are_refused() {
    let mut env = TestEnv::new();
    env.grant(Capability::WorkspaceWrite);
    std::fs::write(env.root().join("f"), "x").expect("file");
    assert!(matches!(
        env.ctx.set_cwd("nope".into()),
        Err(HostError::NotFound(_))
    ));
    assert!(matches!(
        env.ctx.set_cwd("f".into()),
        Err(HostError::InvalidArgument(_))
    ));
    assert_denied(env.ctx.get_cwd(), Capability::WorkspaceRead);
}

#[test]
fn a_move_outside_the_root_needs_the_user_and_is_used_up() {
    let mut env = TestEnv::new();
    env.grant(Capability::WorkspaceWrite);
    let elsewhere = tempfile::tempdir().expect("elsewhere");
    let target = elsewhere.path().canonicalize().expect("canonical");
    let shown = target.display().to_string();
    let err = env.ctx.set_cwd(shown.clone()).expect_err("a root move");
    assert!(
        matches!(&err, HostError::AccessDenied(d) if d.hint.contains(&format!("--allow-root {shown}"))),
        "{err:?}"
    );
    assert_eq!(
        env.ctx.services.state().root_move_request,
        Some(target.clone())
    );
    assert!(matches!(
        env.ctx.set_cwd("/proc".into()),
        Err(HostError::InvalidArgument(m)) if m.contains("never workspace roots")
    ));

    env.ctx.services.state().allowed_roots = vec![target.clone()];
    let old_root = env.root();
    assert_eq!(env.ctx.set_cwd(shown.clone()).expect("allowed"), shown);
    let state = env.ctx.services.state();
    assert_eq!(state.root().expect("root").path(), target);
    assert!(state.allowed_roots.is_empty(), "used up by the move");
    drop(state);
    // Back out is another root move, and the old root's .aicoder stays protected.
    assert!(matches!(
        env.ctx.set_cwd(old_root.display().to_string()),
        Err(HostError::AccessDenied(_))
    ));
}
