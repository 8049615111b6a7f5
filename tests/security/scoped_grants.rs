//! Scoped grants through the real binary and the real python_runtime
//! component: a path glob for fs.write, a command pattern for shell.exec,
//! persisted and shown by `/grants`, with the audit line naming the scope.

#![allow(clippy::unwrap_used)]

use aicoder_tests::Project;

#[test]
fn a_path_glob_allows_inside_and_denies_outside_with_the_scope_audited() {
    let p = Project::new();
    std::fs::create_dir_all(p.work().join("src")).unwrap();
    std::fs::create_dir_all(p.work().join("docs")).unwrap();

    p.run(&[
        "py",
        "--grant",
        "fs.write:src/**",
        "-c",
        "ctx.write_file('src/a.txt', 'inside')",
    ])
    .ok();
    assert_eq!(
        std::fs::read_to_string(p.work().join("src/a.txt")).unwrap(),
        "inside"
    );

    let err = p
        .run(&[
            "py",
            "--grant",
            "fs.write:src/**",
            "-c",
            "ctx.write_file('docs/b.txt', 'outside')",
        ])
        .fails();
    assert!(err.contains("PermissionError"), "{err}");
    assert!(
        err.contains("src/**"),
        "the error names the scope held: {err}"
    );
    assert!(
        err.contains("fs.write:docs/b.txt"),
        "and the scope it lacked: {err}"
    );
    assert!(!p.work().join("docs/b.txt").exists(), "the write happened");
    // Climbing out of the glob with `..` is not inside it.
    p.run(&[
        "py",
        "--grant",
        "fs.write:src/**",
        "-c",
        "ctx.write_file('src/../docs/c.txt', 'x')",
    ])
    .fails();
    assert!(!p.work().join("docs/c.txt").exists());

    let lines = p.audit_for("fs.write");
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert_eq!(lines[0]["outcome"], "allowed");
    assert_eq!(lines[0]["within"], "src/**");
    assert_eq!(lines[1]["outcome"], "denied");
    assert_eq!(lines[1]["within"], "src/**", "the denial names the scope");
    assert_eq!(lines[1]["args"]["path"], "docs/b.txt");
    assert_eq!(lines[2]["outcome"], "denied");
}

#[test]
fn a_command_pattern_allows_its_commands_and_refuses_control_operators() {
    let mut p = Project::new();
    // A stand-in `cargo` first on PATH: the test never runs the real one.
    let bin = p.work().join("fakebin");
    std::fs::create_dir_all(&bin).unwrap();
    let cargo = bin.join("cargo");
    std::fs::write(&cargo, "#!/bin/sh\necho \"fake cargo: $*\"\n").unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&cargo, std::fs::Permissions::from_mode(0o755)).unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    p.env("PATH", &path);
    let victim = p.work().join("victim");
    std::fs::create_dir_all(&victim).unwrap();
    std::fs::write(victim.join("keep"), "data").unwrap();

    let out = p
        .run(&[
            "py",
            "--grant",
            "shell.exec:cargo test*",
            "-c",
            "print(ctx.run_shell('cargo test -p x')['stdout'])",
        ])
        .ok();
    assert!(out.contains("fake cargo: test -p x"), "{out}");

    for attack in [
        "cargo test; rm -rf victim",
        "cargo test && rm -rf victim",
        "cargo test | rm -rf victim",
        "cargo test $(rm -rf victim)",
        "cargo test `rm -rf victim`",
        "cargo test\nrm -rf victim",
    ] {
        let code = format!("ctx.run_shell({attack:?})");
        let err = p
            .run(&["py", "--grant", "shell.exec:cargo test*", "-c", &code])
            .fails();
        assert!(err.contains("PermissionError"), "{attack}: {err}");
        assert!(err.contains("cargo test*"), "{attack}: {err}");
        assert!(victim.join("keep").exists(), "{attack} ran");
    }

    let lines = p.audit_for("shell.exec");
    assert_eq!(lines.len(), 7, "{lines:?}");
    assert_eq!(lines[0]["outcome"], "allowed");
    assert_eq!(lines[0]["within"], "cargo test*");
    for line in &lines[1..] {
        assert_eq!(line["outcome"], "denied", "{line}");
        assert_eq!(line["within"], "cargo test*", "{line}");
    }
}

#[test]
fn persisted_scoped_grants_are_listed_used_and_revoked() {
    let p = Project::new();
    std::fs::create_dir_all(p.work().join("docs")).unwrap();
    std::fs::write(p.work().join("docs/a.md"), "doc").unwrap();
    std::fs::write(p.work().join("secret.txt"), "s").unwrap();

    let out = p
        .run(&[
            "plugin",
            "grant",
            "python_runtime",
            "fs.read",
            "--scope",
            "docs/**",
        ])
        .ok();
    assert!(out.contains("fs.read:docs/**"), "{out}");
    // A bad scope is refused with what to write.
    let err = p
        .run(&["plugin", "grant", "python_runtime", "fs.read:/etc/**"])
        .fails();
    assert!(err.contains("relative to the root"), "{err}");

    let grants = p.run_with_stdin(&[], "/grants\n").ok();
    assert!(grants.contains("fs.read:docs/**"), "{grants}");

    let out = p
        .run(&["py", "-c", "print(ctx.read_file('docs/a.md'))"])
        .ok();
    assert!(out.contains("doc"), "{out}");
    let err = p
        .run(&["py", "-c", "print(ctx.read_file('secret.txt'))"])
        .fails();
    assert!(err.contains("docs/**"), "{err}");

    p.run(&["plugin", "revoke", "python_runtime", "fs.read"])
        .ok();
    let err = p
        .run(&["py", "-c", "print(ctx.read_file('docs/a.md'))"])
        .fails();
    assert!(err.contains("no grant for fs.read"), "{err}");
}

/// The approval prompt in a real terminal: the narrowest scope, a wider one
/// or the whole capability is offered; the wider one chosen for the session
/// then covers the next call without asking, and `/grants` shows it.
#[test]
fn the_approval_prompt_offers_scopes_and_the_chosen_one_holds() {
    use aicoder_tests::server::{answer_text, finish, tool_call, Reply, ScriptedServer};
    use expectrl::Eof;

    let call = |id: &str, code: &str| {
        Reply::Stream(vec![
            tool_call(
                0,
                id,
                "run_inline_python",
                &serde_json::json!({ "code": code }).to_string(),
            ),
            finish("tool_calls", 3, 2),
        ])
    };
    let server = ScriptedServer::start(vec![
        call("c1", "ctx.write_file('src/a.txt', 'one')"),
        answer_text("first done"),
        call("c2", "ctx.write_file('src/sub/b.txt', 'two')"),
        answer_text("second done"),
    ]);
    let mut p = Project::new();
    std::fs::create_dir_all(p.work().join("src/sub")).unwrap();
    p.env("API_BASE_URL", &server.url)
        .env("API_KEY", "k")
        .env("API_MODEL", "scripted");

    let mut term = aicoder_tests::terminal::spawn_with(&p, &["--python-runtime"]);
    term.send_line("write a").unwrap();
    term.expect("needs fs.write (src/a.txt): not granted")
        .unwrap();
    term.expect("Approve [Y/n]: ").unwrap();
    term.send_line("y").unwrap();
    term.expect(
        "grant fs.write to python_runtime for: [1] src/a.txt [2] src/** [3] all of fs.write",
    )
    .unwrap();
    term.send_line("2").unwrap();
    term.expect("grant fs.write:src/** to python_runtime? [o]nce [s]ession")
        .unwrap();
    term.send_line("s").unwrap();
    term.expect("first done").unwrap();
    term.expect("> ").unwrap();
    term.send_line("write b").unwrap();
    term.expect("needs fs.write (src/sub/b.txt): granted (session, within src/**)")
        .unwrap();
    term.expect("Approve [Y/n]: ").unwrap();
    term.send_line("y").unwrap();
    term.expect("second done").unwrap();
    term.expect("> ").unwrap();
    term.send_line("/grants").unwrap();
    term.expect("fs.write:src/**").unwrap();
    term.send_line("/quit").unwrap();
    term.expect(Eof).unwrap();

    assert_eq!(
        std::fs::read_to_string(p.work().join("src/a.txt")).unwrap(),
        "one"
    );
    assert_eq!(
        std::fs::read_to_string(p.work().join("src/sub/b.txt")).unwrap(),
        "two"
    );
    let lines = p.audit_for("fs.write");
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(lines
        .iter()
        .all(|l| l["within"] == "src/**" && l["outcome"] == "allowed"));
}

/// A capability denied for good (`plugin grant ... --scope deny`) is not
/// asked about again at the approval prompt: the user's deny stands.
#[test]
fn a_persisted_deny_is_not_asked_again_at_the_prompt() {
    use aicoder_tests::server::{answer_text, finish, tool_call, Reply, ScriptedServer};
    use expectrl::Eof;

    let code = serde_json::json!({ "code": "ctx.write_file('a.txt', 'one')" }).to_string();
    let server = ScriptedServer::start(vec![
        Reply::Stream(vec![
            tool_call(0, "c1", "run_inline_python", &code),
            finish("tool_calls", 3, 2),
        ]),
        answer_text("refused then"),
    ]);
    let p = Project::with_model(&server);
    p.run(&[
        "plugin",
        "grant",
        "python_runtime",
        "fs.write",
        "--scope",
        "deny",
    ])
    .ok();
    let mut term = aicoder_tests::terminal::spawn_with(&p, &["--python-runtime"]);
    term.send_line("write a").unwrap();
    term.expect("needs fs.write (a.txt): denied").unwrap();
    term.expect("Approve [Y/n]: ").unwrap();
    term.send_line("y").unwrap();
    let seen = term.expect("refused then").unwrap();
    let seen = String::from_utf8_lossy(seen.before()).into_owned();
    assert!(!seen.contains("[o]nce"), "asked again: {seen}");
    assert!(!seen.contains("grant fs.write to"), "asked again: {seen}");
    assert!(
        seen.contains("fs.write stays denied to python_runtime"),
        "{seen}"
    );
    term.expect("> ").unwrap();
    term.send_line("/quit").unwrap();
    term.expect(Eof).unwrap();
    assert!(!p.work().join("a.txt").exists());
}
