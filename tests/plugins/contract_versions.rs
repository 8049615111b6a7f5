//! The contract is versioned for real: a component built against the frozen
//! `aicoder:plugin@0.1.0` (tests/fixtures/contract_v0_1_0/legacy.wasm,
//! committed, its source beside it) still loads and runs in this aicoder,
//! whose contract is 0.2.0, through the same grants and audit.

#![allow(clippy::unwrap_used)]

use aicoder_tests::server::{answer_text, finish, tool_call, tool_results, Reply, ScriptedServer};
use aicoder_tests::{root, Project};
use std::path::PathBuf;

fn legacy() -> PathBuf {
    root().join("tests/fixtures/contract_v0_1_0/legacy.wasm")
}

#[test]
fn the_fixture_is_built_against_0_1_0() {
    let bytes = std::fs::read(legacy()).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    assert!(text.contains("aicoder:plugin/guest@0.1.0"));
    assert!(
        !text.contains("aicoder:plugin/guest@0.2.0") && !text.contains("aicoder:plugin/prompt"),
        "the fixture must not know 0.2.0"
    );
    let p = Project::new();
    let out = p
        .run(&["plugin", "inspect", legacy().to_str().unwrap()])
        .ok();
    for needle in [
        "contract:    aicoder:plugin@0.1.0",
        "legacy 0.1.0",
        "legacy_read",
        "/legacy",
        "fs.read",
        "workspace.read",
        "history.read",
    ] {
        assert!(out.contains(needle), "{needle:?} in:\n{out}");
    }
}

#[test]
fn its_tool_and_command_run_through_the_current_gate() {
    let p = Project::new();
    p.install(&legacy(), "legacy.wasm");
    std::fs::write(p.work().join("note.txt"), "from the workspace").unwrap();
    let args = r#"{"path":"note.txt"}"#;
    // 0.1.0's fs.read-file is the current one: refused without the grant...
    let err = p
        .run(&["plugin", "call", "legacy", "legacy_read", args])
        .fails();
    assert!(err.contains("fs.read"), "{err}");
    // ...and served with it.
    let out = p
        .run(&[
            "--grant",
            "legacy:fs.read",
            "plugin",
            "call",
            "--detail",
            "legacy",
            "legacy_read",
            args,
        ])
        .ok();
    assert_eq!(out.trim(), "legacy 0.1.0 read note.txt: from the workspace");
    let out = p
        .run(&[
            "--grant",
            "legacy:workspace.read,history.read",
            "plugin",
            "command",
            "legacy",
            "legacy",
        ])
        .ok();
    assert_eq!(
        out.trim(),
        // history.count through 0.1.0: the system prompt is the one message.
        format!("legacy 0.1.0 in {} with 1 messages", p.work().display())
    );
    // Both reads are in the audit log, denied then allowed, by the plugin.
    let audit = p.audit();
    let reads: Vec<&str> = audit
        .iter()
        .filter(|e| e["plugin"] == "legacy" && e["capability"] == "fs.read")
        .map(|e| e["outcome"].as_str().unwrap())
        .collect();
    assert_eq!(reads, ["denied", "allowed"], "{audit:#?}");
}

#[test]
fn the_model_calls_it_in_a_session_and_its_hook_is_delivered() {
    let server = ScriptedServer::start(vec![
        Reply::Stream(vec![
            tool_call(0, "c1", "legacy_read", r#"{"path":"note.txt"}"#),
            finish("tool_calls", 1, 1),
        ]),
        answer_text("done"),
    ]);
    let mut p = Project::with_model(&server);
    p.env("YOLO_MODE", "1");
    p.install(&legacy(), "legacy.wasm");
    std::fs::write(p.work().join("note.txt"), "from the workspace").unwrap();
    let run = p.run_with_stdin(
        &["--grant", "legacy:fs.read,hooks.register"],
        "read the note\n",
    );
    let out = run.ok();
    assert!(out.contains("done"), "{out}");
    let requests = server.requests();
    let offered: Vec<&str> = requests[0]["tools"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|t| t["function"]["name"].as_str())
        .collect();
    assert!(offered.contains(&"legacy_read"), "{offered:?}");
    assert_eq!(
        tool_results(&requests[1]),
        ["legacy 0.1.0 read note.txt: from the workspace"]
    );
    // on-event through the 0.1.0 export; its log line through 0.1.0's log.
    assert!(
        run.stderr().contains("legacy saw after_tool_results"),
        "{}",
        run.stderr()
    );
}
