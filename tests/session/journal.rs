//! The autosave journal: one line per message, so saving after each message
//! costs the message. A crash mid-append loses at most that line, and
//! `--resume` after many messages (and a compaction) goes on with the same
//! conversation.

#![allow(clippy::unwrap_used)]

use aicoder_tests::server::{answer_text, finish, tool_call, Reply, ScriptedServer};
use aicoder_tests::{autosaved, Project};
use serde_json::Value;

/// The newest autosave file of the project.
fn newest_autosave(p: &Project) -> std::path::PathBuf {
    std::fs::read_dir(p.work().join(".aicoder/sessions"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .max_by_key(|path| std::fs::metadata(path).unwrap().modified().unwrap())
        .unwrap()
}

/// What a message says, in the session file and in a request alike.
fn said(messages: &[Value]) -> Vec<String> {
    messages
        .iter()
        .map(|m| format!("{} {} {}", m["role"], m["tool_call_id"], m["content"]))
        .collect()
}

/// One turn asking for `n` reads of `notes.txt`, then an answer.
fn reads_then_answer(n: usize, answer: &str) -> Vec<Reply> {
    let mut calls: Vec<Value> = (0..n)
        .map(|i| {
            tool_call(
                i as u32,
                &format!("c{i}"),
                "read_file",
                r#"{"path":"notes.txt"}"#,
            )
        })
        .collect();
    calls.push(finish("tool_calls", 10, 2));
    vec![Reply::Stream(calls), answer_text(answer)]
}

#[test]
fn a_torn_last_line_is_ignored_and_resume_goes_on_with_everything_before_it() {
    let mut script = reads_then_answer(2, "read them");
    script.push(answer_text("resumed fine"));
    let server = ScriptedServer::start(script);
    let mut p = Project::with_model(&server);
    p.env("YOLO_MODE", "1");
    std::fs::write(p.work().join("notes.txt"), "the notes").unwrap();
    p.run_with_stdin(&[], "read the notes twice\n").ok();
    let saved = autosaved(&p);
    assert_eq!(saved.len(), 6, "system, user, call, 2 results, answer");

    // aicoder killed while appending the answer: its line is cut short.
    let file = newest_autosave(&p);
    let bytes = std::fs::read(&file).unwrap();
    let cut = bytes.len() - bytes.len().min(20);
    std::fs::write(&file, &bytes[..cut]).unwrap();

    let run = p.run_with_stdin(&["--resume"], "go on\n");
    assert!(run.ok().contains("resumed fine"));
    let err = run.stderr();
    assert!(
        err.contains("was cut off") && err.contains("resumed 5 messages"),
        "{err}"
    );
    let sent = server.requests().pop().unwrap();
    let sent = sent["messages"].as_array().unwrap();
    assert_eq!(said(&sent[..5]), said(&saved[..5]));
    assert_eq!(sent[5]["content"], "go on");
}

#[test]
fn resume_after_many_messages_gives_the_same_conversation() {
    // 700 tool results of 2 KiB: the journal passes 1 MiB and is folded
    // into a new snapshot on the way.
    let mut script = reads_then_answer(700, "all read");
    script.push(answer_text("still here"));
    let server = ScriptedServer::start(script);
    let mut p = Project::with_model(&server);
    p.env("YOLO_MODE", "1");
    std::fs::write(p.work().join("notes.txt"), "n".repeat(2048)).unwrap();
    p.run_with_stdin(&[], "read the notes many times\n").ok();
    let last_request = server.requests().pop().unwrap();
    let mut conversation = last_request["messages"].as_array().unwrap().clone();
    assert_eq!(conversation.len(), 703);
    let saved = autosaved(&p);
    assert_eq!(saved.len(), 704);
    conversation.push(saved[703].clone());
    assert_eq!(saved[703]["content"], "all read");
    assert_eq!(said(&saved), said(&conversation));
    // Folded at least once: fewer lines than messages.
    let lines = std::fs::read_to_string(newest_autosave(&p))
        .unwrap()
        .lines()
        .count();
    assert!(lines < 704, "{lines} lines");

    let run = p.run_with_stdin(&["--resume"], "one more\n");
    assert!(run.ok().contains("still here"));
    assert!(
        run.stderr().contains("resumed 704 messages"),
        "{}",
        run.stderr()
    );
    let sent = server.requests().pop().unwrap();
    let sent = sent["messages"].as_array().unwrap();
    assert_eq!(said(&sent[..704]), said(&conversation));
    assert_eq!(sent[704]["content"], "one more");
}
