use super::*;

fn id(hash: &str) -> PluginId {
    PluginId {
        name: "p".into(),
        hash: hash.into(),
        source: PluginSource::User,
    }
}

#[test]
fn nothing_is_granted_by_default_except_log() {
    let store = GrantStore::in_memory();
    assert_eq!(
        store.check(&id("h"), Capability::FsRead),
        Decision::Denied(DenyReason::NotGranted)
    );
    assert_eq!(
        store.check(&id("h"), Capability::Log),
        Decision::Allowed(Scope::Always)
    );
}

#[test]
fn once_grants_end_with_the_call() {
    let mut store = GrantStore::in_memory();
    store
        .grant(&id("h"), Capability::FsRead, Scope::Once)
        .expect("grant");
    assert_eq!(
        store.check(&id("h"), Capability::FsRead),
        Decision::Allowed(Scope::Once)
    );
    store.end_call();
    assert_eq!(
        store.check(&id("h"), Capability::FsRead),
        Decision::Denied(DenyReason::NotGranted)
    );
}

#[test]
fn always_persists_binds_to_the_hash_and_revoke_removes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("grants.json");
    let mut store = GrantStore::load(&path).expect("empty");
    store
        .grant(&id("h1"), Capability::ShellExec, Scope::Always)
        .expect("grant");

    let mut reloaded = GrantStore::load(&path).expect("reload");
    assert_eq!(
        reloaded.check(&id("h1"), Capability::ShellExec),
        Decision::Allowed(Scope::Always)
    );
    assert_eq!(
        reloaded.check(&id("h2"), Capability::ShellExec),
        Decision::Denied(DenyReason::NotGranted),
        "a new plugin version must not inherit grants"
    );
    assert_eq!(
        reloaded.revoke("p", Capability::ShellExec).expect("revoke"),
        1
    );
    let again = GrantStore::load(&path).expect("reload");
    assert_eq!(
        again.check(&id("h1"), Capability::ShellExec),
        Decision::Denied(DenyReason::NotGranted)
    );
}

#[test]
fn two_processes_granting_at_once_keep_each_others_grants() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("grants.json");
    // Both load the (empty) file before either saves, as two aicoder
    // sessions started in one folder would; each then grants from its
    // own thread.
    let caps = [Capability::ShellExec, Capability::FsRead];
    let stores: Vec<GrantStore> = caps
        .iter()
        .map(|_| GrantStore::load(&path).expect("load"))
        .collect();
    std::thread::scope(|s| {
        for (mut store, cap) in stores.into_iter().zip(caps) {
            s.spawn(move || {
                for i in 0..20 {
                    let plugin = PluginId {
                        name: format!("p{i}"),
                        hash: "h".into(),
                        source: PluginSource::User,
                    };
                    store.grant(&plugin, cap, Scope::Always).expect("grant");
                }
            });
        }
    });
    let merged = GrantStore::load(&path).expect("reload");
    assert_eq!(merged.list().len(), 40, "a grant was lost");
}

#[test]
fn deny_wins_and_session_answers_override_persisted_ones() {
    let mut store = GrantStore::in_memory();
    store
        .grant(&id("h"), Capability::FsWrite, Scope::Deny)
        .expect("deny");
    assert_eq!(
        store.check(&id("h"), Capability::FsWrite),
        Decision::Denied(DenyReason::DeniedByUser)
    );
    store
        .grant(&id("h"), Capability::FsWrite, Scope::Session)
        .expect("session");
    assert_eq!(
        store.check(&id("h"), Capability::FsWrite),
        Decision::Allowed(Scope::Session)
    );
    store.deny_for_session(&id("h"), Capability::FsWrite);
    assert_eq!(
        store.check(&id("h"), Capability::FsWrite),
        Decision::Denied(DenyReason::DeniedByUser)
    );
}

#[test]
fn a_corrupt_file_is_reported_and_never_overwritten() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("grants.json");
    std::fs::write(&path, b"{not json").expect("write");
    let (mut store, err) = GrantStore::load_or_read_only(&path);
    let err = err.expect("corrupt file must be reported");
    assert!(err.to_string().contains("grants.json"), "{err}");
    assert!(store
        .grant(&id("h"), Capability::FsRead, Scope::Always)
        .is_err());
    assert_eq!(std::fs::read(&path).expect("read"), b"{not json");
}

#[test]
fn version_1_files_are_read_and_never_reach_project_plugins() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("grants.json");
    let v1 = r#"{"version":1,"grants":[{"plugin":"p","hash":"h","capability":"fs.read","scope":"always","granted_at":"t"}]}"#;
    std::fs::write(&path, v1).expect("write");
    let mut store = GrantStore::load(&path).expect("a version-1 file loads");
    assert_eq!(
        store.check(&id("h"), Capability::FsRead),
        Decision::Allowed(Scope::Always)
    );
    let project = PluginId {
        source: PluginSource::Project,
        ..id("h")
    };
    assert_eq!(
        store.check(&project, Capability::FsRead),
        Decision::Denied(DenyReason::NotGranted),
        "a project plugin never inherits another source's grants"
    );
    store.approve_tool(&id("h"), "greet").expect("approve");
    let saved: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&path).expect("read")).expect("json");
    assert_eq!(saved["version"], 3);
    assert_eq!(
        saved["grants"][0]["capability"], "fs.read",
        "old grants kept"
    );
}

#[test]
fn tool_approvals_bind_to_the_version_and_source_and_can_be_withdrawn() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("grants.json");
    let mut store = GrantStore::load(&path).expect("empty");
    assert!(!store.tool_approved(&id("h1"), "greet"));
    store.approve_tool(&id("h1"), "greet").expect("approve");
    let mut reloaded = GrantStore::load(&path).expect("reload");
    assert!(reloaded.tool_approved(&id("h1"), "greet"));
    assert!(
        !reloaded.tool_approved(&id("h2"), "greet"),
        "new version asks again"
    );
    assert!(!reloaded.tool_approved(
        &PluginId {
            source: PluginSource::Project,
            ..id("h1")
        },
        "greet"
    ));
    assert_eq!(reloaded.unapprove_tool("p", "greet").expect("withdraw"), 1);
    assert!(!GrantStore::load(&path)
        .expect("reload")
        .tool_approved(&id("h1"), "greet"));
}

fn within(cap: Capability, s: &str) -> Option<ScopePattern> {
    Some(ScopePattern::parse(cap, s).expect("scope"))
}

#[test]
fn a_scoped_grant_covers_its_scope_only_and_names_it() {
    let mut store = GrantStore::in_memory();
    let cap = Capability::FsWrite;
    store
        .grant_within(&id("h"), cap, Scope::Session, within(cap, "src/**"))
        .expect("grant");
    let inside = store.check_target(&id("h"), cap, &Target::Path("src/a.rs"));
    assert_eq!(inside.decision, Decision::Allowed(Scope::Session));
    assert_eq!(inside.within.as_deref(), Some("src/**"));
    let outside = store.check_target(&id("h"), cap, &Target::Path("docs/a.md"));
    assert_eq!(outside.decision, Decision::Denied(DenyReason::OutOfScope));
    assert_eq!(outside.within.as_deref(), Some("src/**"));
    assert_eq!(
        store.check(&id("h"), cap),
        Decision::Denied(DenyReason::OutOfScope),
        "a scoped grant is not the whole capability"
    );
    // A scoped denial inside a wider grant wins.
    store
        .grant_within(&id("h"), cap, Scope::Session, None)
        .expect("whole");
    store
        .grant_within(&id("h"), cap, Scope::Deny, within(cap, "secrets/**"))
        .expect("deny");
    let denied = store.check_target(&id("h"), cap, &Target::Path("secrets/k"));
    assert_eq!(
        denied.decision,
        Decision::Allowed(Scope::Session),
        "live answers decide first"
    );
    store.end_call();
    let mut fresh = GrantStore::in_memory();
    fresh
        .grant_within(&id("h"), cap, Scope::Always, None)
        .expect("whole");
    fresh
        .grant_within(&id("h"), cap, Scope::Deny, within(cap, "secrets/**"))
        .expect("deny");
    assert_eq!(
        fresh
            .check_target(&id("h"), cap, &Target::Path("secrets/k"))
            .decision,
        Decision::Denied(DenyReason::DeniedByUser)
    );
    assert_eq!(
        fresh
            .check_target(&id("h"), cap, &Target::Path("src/a"))
            .decision,
        Decision::Allowed(Scope::Always)
    );
}

#[test]
fn scoped_grants_persist_as_names_older_versions_never_honour() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("grants.json");
    let mut store = GrantStore::load(&path).expect("empty");
    let cap = Capability::ShellExec;
    store
        .grant_within(&id("h"), cap, Scope::Always, within(cap, "cargo test*"))
        .expect("grant");
    let saved: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&path).expect("read")).expect("json");
    assert_eq!(saved["version"], 3);
    assert_eq!(saved["grants"][0]["capability"], "shell.exec:cargo test*");
    let reloaded = GrantStore::load(&path).expect("reload");
    assert_eq!(
        reloaded
            .check_target(&id("h"), cap, &Target::Command("cargo test -p x"))
            .decision,
        Decision::Allowed(Scope::Always)
    );
    assert_eq!(
        reloaded
            .check_target(&id("h"), cap, &Target::Command("cargo test; rm -rf ~"))
            .decision,
        Decision::Denied(DenyReason::OutOfScope)
    );
    assert_eq!(reloaded.list()[0].capability, "shell.exec:cargo test*");
    assert_eq!(
        reloaded.held_by(&id("h")),
        [],
        "scoped grants are not the whole capability"
    );
}
