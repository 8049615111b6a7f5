use super::*;
use crate::caps::Capability;
use crate::caps::testing::{assert_denied, TestEnv};

#[test]
fn reads_and_writes_inside_with_grants() {
    let mut env = TestEnv::new();
    assert_denied(
        env.ctx.write_file("a/b.txt".into(), "hi".into()),
        Capability::FsWrite,
    );
    assert!(!env.root().join("a").exists());
    env.grant(Capability::FsWrite);
    env.grant(Capability::FsRead);
    env.ctx
        .write_file("a/b.txt".into(), "hi".into())
        .expect("write");
    assert_eq!(env.ctx.read_file("a/b.txt".into()).expect("read"), "hi");
    assert_eq!(env.ctx.list_dir("a".into()).expect("ls")[0].name, "b.txt");
}

#[test]
fn escapes_are_refused() {
    let mut env = TestEnv::new();
    env.grant(Capability::FsWrite);
    env.grant(Capability::FsRead);
    let outside = tempfile::tempdir().expect("outside");
    std::fs::write(outside.path().join("secret"), "s").expect("secret");
    std::os::unix::fs::symlink(outside.path(), env.root().join("link")).expect("symlink");
    std::fs::create_dir_all(env.root().join(".aicoder")).expect("own folder");
    std::os::unix::fs::symlink(".aicoder", env.root().join("own")).expect("symlink");
    for bad in [
        "../x",
        "/etc/passwd",
        "link/secret",
        "a/../../x",
        ".aicoder/audit.jsonl",
        "own/audit.jsonl",
        "./.aicoder/../.aicoder/x",
    ] {
        assert!(
            matches!(
                env.ctx.read_file(bad.into()),
                Err(HostError::InvalidArgument(_))
            ),
            "{bad}"
        );
    }
    assert!(matches!(
        env.ctx.write_file("link/new".into(), "x".into()),
        Err(HostError::InvalidArgument(_))
    ));
    assert!(!outside.path().join("new").exists());
    for bad in [".aicoder/audit.jsonl", "own/audit.jsonl", "link/new"] {
        assert!(
            matches!(
                env.ctx.write_file(bad.into(), "x".into()),
                Err(HostError::InvalidArgument(_))
            ),
            "{bad}"
        );
    }
    assert!(!env.root().join(".aicoder/audit.jsonl").exists());
}
