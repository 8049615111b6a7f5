//! Scopes hold on what a call reaches, not on the path as written (issue
//! 24, item 0), through the real binary: a symlink inside a granted folder
//! leading elsewhere in the root is judged where it leads, and the audit
//! line names that place; a granted name that resolves to loopback does not
//! reach the machine's own services.

#![allow(clippy::unwrap_used)]

use aicoder_tests::Project;

#[test]
fn a_symlink_in_a_granted_folder_to_git_hooks_does_not_satisfy_the_write_scope() {
    let p = Project::new();
    std::fs::create_dir_all(p.work().join("src")).unwrap();
    std::fs::create_dir_all(p.work().join(".git/hooks")).unwrap();
    std::os::unix::fs::symlink("../.git/hooks", p.work().join("src/link")).unwrap();
    let err = p
        .run(&[
            "py",
            "--grant",
            "fs.write:src/**",
            "-c",
            "ctx.write_file('src/link/pre-commit', '#!/bin/sh\\necho owned')",
        ])
        .fails();
    assert!(err.contains("PermissionError"), "{err}");
    assert!(
        !p.work().join(".git/hooks/pre-commit").exists(),
        "the hook was planted through the symlink"
    );
    let lines = p.audit_for("fs.write");
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert_eq!(lines[0]["outcome"], "denied");
    assert_eq!(lines[0]["args"]["path"], "src/link/pre-commit");
    assert_eq!(
        lines[0]["args"]["resolved"], ".git/hooks/pre-commit",
        "the audit line names where the path leads: {}",
        lines[0]
    );

    // A symlink that stays inside the granted folder is still fine.
    std::fs::create_dir_all(p.work().join("src/real")).unwrap();
    std::os::unix::fs::symlink("real", p.work().join("src/alias")).unwrap();
    p.run(&[
        "py",
        "--grant",
        "fs.write:src/**",
        "-c",
        "ctx.write_file('src/alias/ok.txt', 'fine')",
    ])
    .ok();
    assert_eq!(
        std::fs::read_to_string(p.work().join("src/real/ok.txt")).unwrap(),
        "fine"
    );
}

#[test]
fn a_symlink_in_a_granted_folder_does_not_read_beyond_the_read_scope() {
    let p = Project::new();
    std::fs::create_dir_all(p.work().join("src")).unwrap();
    std::fs::write(p.work().join("private.txt"), "canary-7781").unwrap();
    std::os::unix::fs::symlink("../private.txt", p.work().join("src/peek")).unwrap();
    let err = p
        .run(&[
            "py",
            "--grant",
            "fs.read:src/**",
            "-c",
            "print(ctx.read_file('src/peek'))",
        ])
        .fails();
    assert!(!err.contains("canary-7781"), "{err}");
    assert!(err.contains("PermissionError"), "{err}");
    let lines = p.audit_for("fs.read");
    assert_eq!(lines.last().unwrap()["args"]["resolved"], "private.txt");
}

#[test]
fn a_granted_name_that_resolves_to_loopback_is_refused() {
    let p = Project::new();
    let port = aicoder_tests::server::serve_page("local-secret-4411");
    // `localhost` is a name (the resolver says 127.0.0.1), not the address.
    let grant = format!("web:net.fetch:localhost:{port}");
    let args = format!(r#"{{"url":"http://localhost:{port}/"}}"#);
    let err = p
        .run(&[
            "--grant",
            &grant,
            "plugin",
            "call",
            "web",
            "get_url_content",
            &args,
            "--detail",
        ])
        .fails();
    assert!(!err.contains("local-secret-4411"), "{err}");
    let lines = p.audit_for("net.fetch");
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert_eq!(lines[0]["outcome"], "denied", "{}", lines[0]);
    assert!(
        lines[0]["detail"]
            .as_str()
            .unwrap_or("")
            .contains("internal address"),
        "the refusal names the internal address: {}",
        lines[0]
    );
    // Granting the address itself reaches it.
    let grant = format!("web:net.fetch:127.0.0.1:{port}");
    let args = format!(r#"{{"url":"http://127.0.0.1:{port}/"}}"#);
    let out = p
        .run(&[
            "--grant",
            &grant,
            "plugin",
            "call",
            "web",
            "get_url_content",
            &args,
            "--detail",
        ])
        .ok();
    assert!(out.contains("local-secret-4411"), "{out}");
}
