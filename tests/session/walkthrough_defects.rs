//! Defects a person found walking through the session, each checked through
//! the real binary: `/model` alone lists the models without taking the next
//! line, a shell command that fails or times out is marked as failed, a
//! piped run with a denied tool exits non-zero and says how to allow it, the
//! approval prompt and the grant question ask again on an answer they do
//! not know (Ctrl-C denies), and the tool-call line is one compact line
//! (not the whole file being written).

#![allow(clippy::unwrap_used)]

use aicoder_tests::server::{
    answer_text, finish, last_user_text, tool_call, tool_results, Reply, ScriptedServer,
};
use aicoder_tests::terminal::{project, quit, spawn};
use aicoder_tests::{wasm, Project};
use expectrl::ControlCode;

/// A reply asking for one tool call.
fn call(name: &str, args: &str) -> Reply {
    Reply::Stream(vec![
        tool_call(0, "c1", name, args),
        finish("tool_calls", 5, 5),
    ])
}

#[test]
fn model_alone_lists_the_models_and_leaves_the_next_line_alone() {
    let server = ScriptedServer::start(vec![answer_text("hello back")]);
    let p = project(&server);
    let mut term = spawn(&p);
    term.send_line("/model").unwrap();
    term.expect("2. other").unwrap();
    term.expect("/model NAME or /model N").unwrap();
    // Back at the prompt: the next line is a message, not a model name.
    term.expect("> ").unwrap();
    term.send_line("hello there").unwrap();
    term.expect("hello back").unwrap();
    term.expect("> ").unwrap();
    // `/models` lists too; `/model N` picks from the list.
    term.send_line("/models").unwrap();
    term.expect("1. scripted-local").unwrap();
    term.expect("> ").unwrap();
    term.send_line("/model 2").unwrap();
    term.expect("model for the next request: other").unwrap();
    term.expect("> ").unwrap();
    quit(term);
    let requests = server.requests();
    assert_eq!(requests.len(), 1, "one message was sent");
    assert_eq!(
        requests[0]["model"], "scripted",
        "the model was not changed"
    );
    assert_eq!(last_user_text(&requests[0]), "hello there");
}

#[test]
fn a_failing_or_timed_out_shell_command_is_marked_failed() {
    let server = ScriptedServer::start(vec![
        call(
            "run_shell_command",
            r#"{"command":"echo partial; echo broke >&2; exit 3"}"#,
        ),
        call("run_shell_command", r#"{"command":"sleep 30"}"#),
        call("run_shell_command", r#"{"command":"echo fine"}"#),
        answer_text("all three ran"),
    ]);
    let mut p = project(&server);
    p.env("YOLO_MODE", "1").env("SHELL_TIMEOUT_MS", "1500");
    let run = p.run_with_stdin(&[], "run them\n");
    let out = run.ok();
    assert!(out.contains("all three ran"), "{out}");
    let err = run.stderr();
    assert!(
        err.contains("✗ run_shell_command · exit 3 · broke"),
        "a non-zero exit is a failure:\n{err}"
    );
    assert!(
        err.contains("✗ run_shell_command · timed out after 1.5 s"),
        "a timeout is a failure:\n{err}"
    );
    assert!(
        err.contains("✓ run_shell_command · exit code: 0"),
        "exit 0 is a success:\n{err}"
    );
    assert!(!err.contains("✓ run_shell_command · exit code: 3"), "{err}");
    // The model still gets the whole output.
    let requests = server.requests();
    let failed = &tool_results(&requests[1])[0];
    assert!(
        failed.starts_with("exit code: 3\nstdout:\npartial"),
        "{failed}"
    );
    assert!(failed.contains("stderr:\nbroke"), "{failed}");
    let timed_out = &tool_results(&requests[2])[1];
    assert!(
        timed_out.contains("(killed at the 1.5 s timeout)"),
        "{timed_out}"
    );
}

#[test]
fn a_piped_run_with_a_denied_tool_exits_non_zero_and_says_how_to_allow_it() {
    let server = ScriptedServer::start(vec![
        call("write_file", r#"{"path":"out.txt","content":"x\n"}"#),
        answer_text("could not write it"),
    ]);
    let p = project(&server);
    let run = p.run_with_stdin(&[], "write it\n");
    let err = run.fails();
    assert!(
        run.stdout().contains("could not write it"),
        "{}",
        run.stdout()
    );
    assert!(!p.work().join("out.txt").exists());
    assert_eq!(
        tool_results(&server.requests()[1]),
        ["Error: the user did not approve this call of write_file"]
    );
    let last = err.lines().last().unwrap_or_default();
    assert!(
        last.contains("not approved: write_file") && last.contains("YOLO_MODE=1"),
        "the last line names the tool and the way to allow it:\n{err}"
    );

    // A plugin tool: its capabilities are named as --grant arguments.
    let server = ScriptedServer::start(vec![call("probe", "{}"), answer_text("probed")]);
    let p = project(&server);
    p.install(&wasm("misbehave"), "misbehave.wasm");
    let run = p.run_with_stdin(&[], "probe it\n");
    let err = run.fails();
    assert!(run.stdout().contains("probed"), "{}", run.stdout());
    assert!(
        err.contains("not approved: probe")
            && err.contains("--grant misbehave:workspace.read")
            && err.contains("--grant misbehave:history.read"),
        "{err}"
    );

    // Approved by YOLO mode: the run succeeds.
    let server = ScriptedServer::start(vec![
        call("write_file", r#"{"path":"out.txt","content":"x\n"}"#),
        answer_text("written"),
    ]);
    let mut p = project(&server);
    p.env("YOLO_MODE", "1");
    p.run_with_stdin(&[], "write it\n").ok();
    assert!(p.work().join("out.txt").exists());
}

#[test]
fn the_approval_prompt_asks_again_on_an_answer_it_does_not_know() {
    let server = ScriptedServer::start(vec![
        call("write_file", r#"{"path":"a.txt","content":"a\n"}"#),
        answer_text("first done"),
        call("write_file", r#"{"path":"b.txt","content":"b\n"}"#),
        answer_text("second done"),
        call("write_file", r#"{"path":"c.txt","content":"c\n"}"#),
        answer_text("third done"),
    ]);
    let p = project(&server);
    let mut term = spawn(&p);
    // A typo, then yes: written.
    term.send_line("write a").unwrap();
    term.expect("Approve [Y/n]: ").unwrap();
    term.send_line("ys").unwrap();
    term.expect("answer y (yes), n (no) or yolo").unwrap();
    term.expect("Approve [Y/n]: ").unwrap();
    term.send_line("y").unwrap();
    term.expect("first done").unwrap();
    term.expect("> ").unwrap();
    assert!(
        p.work().join("a.txt").exists(),
        "approved after asking again"
    );
    // An explicit no denies.
    term.send_line("write b").unwrap();
    term.expect("Approve [Y/n]: ").unwrap();
    term.send_line("no").unwrap();
    term.expect("second done").unwrap();
    term.expect("> ").unwrap();
    // Ctrl-C at the prompt denies too.
    term.send_line("write c").unwrap();
    term.expect("Approve [Y/n]: ").unwrap();
    term.send(ControlCode::EndOfText).unwrap();
    term.expect("third done").unwrap();
    term.expect("> ").unwrap();
    quit(term);
    assert!(!p.work().join("b.txt").exists(), "no denies");
    assert!(!p.work().join("c.txt").exists(), "Ctrl-C denies");
    let requests = server.requests();
    assert_eq!(
        tool_results(&requests[3]).last().unwrap(),
        "Error: the user did not approve this call of write_file"
    );
    assert_eq!(
        tool_results(&requests[5]).last().unwrap(),
        "Error: the user did not approve this call of write_file"
    );
}

#[test]
fn the_tool_call_line_is_one_compact_line() {
    let content: String = (1..=40)
        .map(|n| format!("line number {n} of the file\n"))
        .collect();
    let write = serde_json::json!({"path": "src/a.rs", "content": content}).to_string();
    let edit = serde_json::json!({
        "path": "src/a.rs",
        "old_string": "line number 2 of the file\n",
        "new_string": "second\nthird\n",
    })
    .to_string();
    let long_pattern = format!("needle\u{1b}[2J{}", "x".repeat(300));
    let grep = serde_json::json!({"pattern": long_pattern, "path": "."}).to_string();
    let server = ScriptedServer::start(vec![
        call("write_file", &write),
        call("edit_file", &edit),
        call("grep", &grep),
        answer_text("done"),
    ]);
    let mut p = project(&server);
    p.env("YOLO_MODE", "1");
    std::fs::create_dir(p.work().join("src")).unwrap();
    let run = p.run_with_stdin(&[], "go\n");
    run.ok();
    let err = run.stderr();
    let calls: Vec<&str> = err.lines().filter(|l| l.starts_with("→ ")).collect();
    assert_eq!(calls.len(), 3, "{err}");
    assert_eq!(
        calls[0], "→ write_file src/a.rs (1.0 KiB, 40 lines)",
        "{err}"
    );
    assert_eq!(
        calls[1], "→ edit_file src/a.rs (26 B, 1 line → 13 B, 2 lines)",
        "{err}"
    );
    assert!(calls[2].starts_with("→ grep {"), "{err}");
    assert!(calls[2].ends_with('…'), "cut: {err}");
    assert!(
        calls[2].chars().count() <= 80,
        "one line of 80 columns: {err}"
    );
    assert!(calls[2].contains("needle"), "{err}");
    assert!(!calls[2].contains('\u{1b}'), "sanitised: {err:?}");
    // The approval preview (here shown with the YOLO note) keeps its diff.
    assert!(
        err.contains("+second") && err.contains("-line number 2 of the file"),
        "{err}"
    );
}

#[test]
fn the_grant_question_asks_again_on_an_answer_it_does_not_know() {
    let server = ScriptedServer::start(vec![call("probe", "{}"), answer_text("probed")]);
    let p = project(&server);
    p.install(&wasm("misbehave"), "misbehave.wasm");
    let mut term = spawn(&p);
    term.send_line("probe it").unwrap();
    term.expect("Approve [Y/n]: ").unwrap();
    term.send_line("y").unwrap();
    term.expect("grant workspace.read to misbehave?").unwrap();
    // A typo is not a denial for the session: asked again.
    term.send_line("sesion").unwrap();
    term.expect("answer o (once), s (session), a (always) or d (deny)")
        .unwrap();
    term.expect("grant workspace.read to misbehave?").unwrap();
    term.send_line("s").unwrap();
    // Ctrl-C denies (it used to be an empty answer: the default, once).
    term.expect("grant history.read to misbehave?").unwrap();
    term.send(ControlCode::EndOfText).unwrap();
    term.expect("probed").unwrap();
    term.expect("> ").unwrap();
    quit(term);
    assert_eq!(
        tool_results(&server.requests()[1]),
        ["workspace.read: ok; history.read: denied"]
    );
}

/// `/yolo off` leaves YOLO off: the command used to flip it whatever its
/// argument, so `/yolo off` typed to be safe turned tools loose.
#[test]
fn yolo_off_never_turns_yolo_on() {
    let p = Project::new();
    let run = p.run_with_stdin(&[], "/yolo off\n/yolo off\n/yolo status\n/yolo on\n/yolo\n");
    let out = run.ok();
    let said: Vec<&str> = out.lines().filter(|l| l.starts_with("YOLO mode")).collect();
    assert_eq!(
        said,
        [
            "YOLO mode off",
            "YOLO mode off",
            "YOLO mode off",
            "YOLO mode on",
            "YOLO mode off"
        ],
        "{out}"
    );
}
