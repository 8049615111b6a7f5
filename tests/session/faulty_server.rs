//! A faulty model server (local, scripted): error storms, broken and
//! truncated streams, answers that never end or never stop growing. The
//! session survives each, and never loses a message the user typed or a tool
//! result: the autosaved conversation holds them and `--resume` goes on.

#![allow(clippy::unwrap_used)]

use aicoder_tests::server::{answer_text, finish, text, tool_call, Reply, ScriptedServer};
use aicoder_tests::{autosaved, Project};
use serde_json::Value;

/// `(role, content)` of each message.
fn roles_and_text(messages: &[Value]) -> Vec<(String, String)> {
    messages
        .iter()
        .map(|m| {
            (
                m["role"].as_str().unwrap().to_string(),
                m["content"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

fn read_notes_call() -> Reply {
    Reply::Stream(vec![
        tool_call(0, "c1", "read_file", r#"{"path":"notes.txt"}"#),
        finish("tool_calls", 10, 2),
    ])
}

#[test]
fn an_error_storm_then_success_loses_nothing() {
    let server = ScriptedServer::start(vec![
        read_notes_call(),
        // Backoff waits 250 ms, then 500 ms; Retry-After: 0 is believed.
        Reply::Drop(vec![text("half an ans")]),
        Reply::Truncated(vec![text("a truncated ans")]),
        Reply::Busy(500),
        Reply::Busy(503),
        Reply::Busy(502),
        Reply::Busy(429),
        answer_text("all done"),
    ]);
    let mut p = Project::with_model(&server);
    p.env("MAX_RETRIES", "6").env("YOLO_MODE", "1");
    std::fs::write(p.work().join("notes.txt"), "the notes").unwrap();
    let run = p.run_with_stdin(&[], "summarise notes.txt\n");
    let out = run.ok();
    assert!(out.contains("all done"), "{out}");
    let err = run.stderr();
    for status in ["500", "503", "502", "429"] {
        assert!(err.contains(&format!("answered {status}")), "{err}");
    }
    assert!(err.contains("connection lost mid-answer"), "{err}");
    assert!(
        err.contains("ended before the answer was complete"),
        "{err}"
    );
    assert!(err.contains("retry 2 in 500 ms"), "{err}");
    assert!(
        err.contains("retry 6 in 0 ms"),
        "Retry-After: 0 ignored: {err}"
    );
    assert_eq!(server.requests().len(), 8);
    // Every retry sent the same conversation, tool result included.
    for request in &server.requests()[1..] {
        assert_eq!(request["messages"], server.requests()[1]["messages"]);
    }

    let saved = roles_and_text(&autosaved(&p));
    let expected = [
        ("user", "summarise notes.txt"),
        ("assistant", ""),
        ("tool", "the notes"),
        ("assistant", "all done"),
    ];
    assert_eq!(saved.len(), 5, "{saved:?}");
    for ((role, content), (want_role, want_content)) in saved[1..].iter().zip(expected) {
        assert_eq!((role.as_str(), content.as_str()), (want_role, want_content));
    }
}

#[test]
fn when_the_server_gives_up_the_message_and_tool_result_survive_and_resume_goes_on() {
    let server = ScriptedServer::start(vec![
        read_notes_call(),
        Reply::Status(500, "down".into()),
        Reply::Status(500, "still down".into()),
        answer_text("back again"),
    ]);
    let mut p = Project::with_model(&server);
    p.env("MAX_RETRIES", "1").env("YOLO_MODE", "1");
    std::fs::write(p.work().join("notes.txt"), "the notes").unwrap();
    let err = p.run_with_stdin(&[], "task one\n").fails();
    assert!(err.contains("answered 500: still down"), "{err}");
    let saved = roles_and_text(&autosaved(&p));
    assert_eq!(saved[1], ("user".into(), "task one".into()));
    assert_eq!(saved[3], ("tool".into(), "the notes".into()));

    let run = p.run_with_stdin(&["--resume"], "and now?\n");
    assert!(run.ok().contains("back again"));
    assert!(
        run.stderr().contains("resumed 4 messages"),
        "{}",
        run.stderr()
    );
    let last = server.requests().pop().unwrap();
    let sent = roles_and_text(last["messages"].as_array().unwrap());
    assert_eq!(sent[1], ("user".into(), "task one".into()));
    assert_eq!(sent[3], ("tool".into(), "the notes".into()));
    assert_eq!(sent[4], ("user".into(), "and now?".into()));
    // The resumed run wrote its own autosave; the first one is unchanged.
    let files = std::fs::read_dir(p.work().join(".aicoder/sessions")).unwrap();
    assert_eq!(files.count(), 2);
    assert_eq!(autosaved(&p).len(), 6);
}

#[test]
fn an_answer_that_never_ends_is_stopped_by_the_timeout_and_the_message_kept() {
    let server = ScriptedServer::start(vec![Reply::Endless {
        text: "more ".into(),
        pause_ms: 20,
    }]);
    let mut p = Project::with_model(&server);
    p.env("TOTAL_TIMEOUT", "2");
    let run = p.run_with_stdin(&[], "never stop\n");
    let err = run.fails();
    assert!(
        err.contains("did not finish within TOTAL_TIMEOUT (2 s)"),
        "{err}"
    );
    assert!(
        run.stdout().contains("more more"),
        "the partial answer was shown"
    );
    let saved = roles_and_text(&autosaved(&p));
    assert_eq!(saved.last().unwrap(), &("user".into(), "never stop".into()));
}

#[test]
fn a_gigantic_answer_is_kept_whole_and_a_runaway_one_is_cut() {
    let piece = "0123456789abcdef".repeat(64); // 1 KiB
    let mut events: Vec<Value> = (0..8192).map(|_| text(&piece)).collect();
    events.push(finish("stop", 1, 8192));
    let server = ScriptedServer::start(vec![
        Reply::Stream(events),
        Reply::Endless {
            text: piece.repeat(16),
            pause_ms: 0,
        },
    ]);
    let p = Project::with_model(&server);
    let out = p.run_with_stdin(&[], "write a lot\n").ok();
    assert!(out.len() >= 8 << 20, "{}", out.len());
    let saved = autosaved(&p);
    assert_eq!(saved[2]["content"].as_str().unwrap().len(), 8 << 20);

    // A stream that would grow without end is cut at 64 MiB, not retried.
    let run = p.run_with_stdin(&[], "and more\n");
    let err = run.fails();
    assert!(err.contains("passed 64 MiB; reading stopped"), "{err}");
    assert_eq!(server.requests().len(), 2);
    let saved = roles_and_text(&autosaved(&p));
    assert_eq!(saved.last().unwrap(), &("user".into(), "and more".into()));
}
