//! Shipped plugins that touch only their own data and the session work on
//! first use, as in AI Coder v3 (issue #28 item 8): in a fresh HOME,
//! `/plugins` and `/grants` show their default grants, a memory call runs
//! without a capability question; after `/grants revoke` it is not given
//! again, a denial refuses it, and the plugins that reach the shell,
//! processes or the network get none.

#![allow(clippy::unwrap_used)]

use aicoder_tests::server::{answer_text, finish, tool_call, Reply, ScriptedServer};
use aicoder_tests::terminal;
use expectrl::Regex;

#[test]
fn defaults_on_first_use_shown_revocable_and_deniable() {
    let server = ScriptedServer::start(vec![
        Reply::Stream(vec![
            tool_call(
                0,
                "m1",
                "memory_save",
                r#"{"file":"notes.md","content":"first"}"#,
            ),
            finish("tool_calls", 10, 5),
        ]),
        answer_text("Saved."),
    ]);
    let mut p = terminal::project(&server);
    // The harness turns defaults off for the other tests; a user has them.
    p.env("AICODER_DEFAULT_GRANTS", "1");
    let mut term = terminal::spawn(&p);
    term.send_line("/plugins").unwrap();
    term.expect(Regex("data\\.write\\(default\\)")).unwrap();
    term.expect("> ").unwrap();
    term.send_line("/grants").unwrap();
    // Sorted by plugin: git_aware before memory.
    term.expect(Regex("git_aware\\s+fs\\.read:\\.git/\\*\\*\\s+default"))
        .unwrap();
    term.expect(Regex("memory\\s+data\\.write\\s+default"))
        .unwrap();
    term.expect("> ").unwrap();

    // A memory call: the tool is approved as any tool, its capabilities are
    // already granted, so no capability question follows.
    term.send_line("remember this").unwrap();
    term.expect("needs data.write: granted (always)").unwrap();
    term.expect("Approve [Y/n]: ").unwrap();
    term.send_line("y").unwrap();
    let seen = term.expect("Saved.").unwrap();
    let seen = String::from_utf8_lossy(seen.before()).to_string();
    assert!(!seen.contains("[o]nce"), "a capability question: {seen}");
    assert_eq!(
        std::fs::read_to_string(p.work().join(".aicoder/memory/notes.md")).unwrap(),
        "first"
    );
    terminal::quit(term);

    // Revoked: not given again at the next start; the call is refused.
    p.run_with_stdin(&[], "/grants revoke memory data.write\n")
        .ok();
    let err = p
        .run(&[
            "plugin",
            "call",
            "memory",
            "memory_save",
            r#"{"file":"x.md","content":"y"}"#,
        ])
        .fails();
    assert!(err.contains("permission denied: data.write"), "{err}");
    assert!(!p.work().join(".aicoder/memory/x.md").exists());

    // Denied for good: refused, and the default does not come back.
    p.run(&["plugin", "grant", "memory", "data.read", "--scope", "deny"])
        .ok();
    let err = p
        .run(&[
            "plugin",
            "call",
            "memory",
            "memory_read",
            r#"{"file":"notes.md"}"#,
        ])
        .fails();
    assert!(err.contains("permission denied: data.read"), "{err}");
    let grants = p.run_with_stdin(&[], "/grants\n").ok();
    let memory: Vec<&str> = grants
        .lines()
        .filter(|l| l.starts_with("memory "))
        .collect();
    assert!(
        memory
            .iter()
            .any(|l| l.contains("data.read") && l.contains("deny")),
        "{grants}"
    );
    assert!(!memory.iter().any(|l| l.contains("data.write")), "{grants}");
    assert!(
        memory
            .iter()
            .any(|l| l.contains("prompt.write") && l.contains("default")),
        "{grants}"
    );
    // Nothing that runs programs or reaches the network is given.
    for l in grants.lines() {
        assert!(
            !l.contains("shell.exec") && !l.contains("process.") && !l.contains("net."),
            "{l}"
        );
        assert!(
            !l.starts_with("bg_jobs ")
                && !l.starts_with("web ")
                && !l.starts_with("python_runtime "),
            "{l}"
        );
    }
}
