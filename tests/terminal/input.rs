//! Input and session control in a real pseudo-terminal, through the real
//! binary and the scripted model server: Ctrl-C stopping a running shell
//! command, multi-line input and bracketed paste, the external editor, Tab
//! completion and `@path` attachments, history search, `/model`,
//! `/sessions` and automatic compaction.

#![allow(clippy::unwrap_used)]

use aicoder_tests::server::{
    answer_text, finish, last_user_text, text, tool_call, tool_results, Reply, ScriptedServer,
};
use aicoder_tests::terminal::{project, quit, spawn};
use aicoder_tests::Project;
use expectrl::ControlCode;
use std::path::Path;
use std::time::Duration;

/// Whether process `pid` is gone (or a zombie: dead, not yet reaped).
fn process_gone(pid: &str) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat")).map_or(true, |s| s.contains(") Z "))
}

/// Whether process `pid` is gone within a few seconds (SIGKILL lands
/// asynchronously).
fn process_ends(pid: &str) -> bool {
    (0..500).any(|_| {
        let gone = process_gone(pid);
        if !gone {
            std::thread::sleep(Duration::from_millis(10));
        }
        gone
    })
}

/// The host pid of the one process whose command line matches `pattern`.
fn host_pid(pattern: &str) -> String {
    for _ in 0..500 {
        let out = std::process::Command::new("pgrep")
            .args(["-f", pattern])
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout).to_string();
        if let Some(pid) = text.lines().next() {
            return pid.trim().to_string();
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    panic!("no process matches {pattern}");
}

fn wait_for_file(path: &Path) {
    for _ in 0..1500 {
        if path.is_file() && !std::fs::read_to_string(path).unwrap().trim().is_empty() {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!("{} never appeared", path.display());
}

#[test]
fn ctrl_c_stops_a_running_shell_command_and_its_group() {
    let command = r#"{"command":"sleep 617 & echo $! > sleep.pid; echo begun; wait; echo done"}"#;
    let server = ScriptedServer::start(vec![
        Reply::Stream(vec![
            tool_call(0, "c1", "run_shell_command", command),
            finish("tool_calls", 10, 5),
        ]),
        answer_text("understood, it was stopped"),
    ]);
    let mut p = Project::with_model(&server);
    p.env("YOLO_MODE", "1")
        // The command's own timeout is far away: only Ctrl-C can end it.
        .env("SHELL_TIMEOUT_MS", "3600000");
    let mut term = spawn(&p);
    term.send_line("start the long job").unwrap();
    let pid_file = p.work().join("sleep.pid");
    wait_for_file(&pid_file);
    // The pid the command wrote is its PID namespace's (the process
    // sandbox): the host's pid of that sleep is found by its command line.
    let pid = host_pid("^sleep 617$");
    assert!(!process_gone(&pid), "the command is running");
    std::thread::sleep(Duration::from_millis(200));
    term.send(ControlCode::EndOfText).unwrap();
    term.expect("stopped run_shell_command (Ctrl-C)").unwrap();
    term.expect("> ").unwrap();
    assert!(
        process_ends(&pid),
        "the background sleep of the command's process group was killed"
    );
    // The session goes on; the model sees the call as interrupted.
    term.send_line("what happened?").unwrap();
    term.expect("understood, it was stopped").unwrap();
    quit(term);
    let requests = server.requests();
    assert_eq!(requests.len(), 2, "no request was made after the Ctrl-C");
    let content = &tool_results(&requests[1])[0];
    assert!(
        content.contains("stopped by the user (Ctrl-C)") && content.contains("begun"),
        "{content}"
    );
    assert!(!content.contains("done"), "{content}");
}

#[test]
fn ctrl_c_stops_a_running_plugin_call_and_the_session_goes_on() {
    let server = ScriptedServer::start(vec![
        Reply::Stream(vec![
            tool_call(0, "c1", "spin", "{}"),
            finish("tool_calls", 10, 5),
        ]),
        answer_text("understood, the plugin was stopped"),
    ]);
    let mut p = Project::with_model(&server);
    p.env("YOLO_MODE", "1")
        // The plugin's own deadline is far away: only Ctrl-C can end it.
        .env("PLUGIN_TIMEOUT_MS", "3600000");
    p.install(&aicoder_tests::wasm("misbehave"), "misbehave.wasm");
    let mut term = spawn(&p);
    term.send_line("spin for ever").unwrap();
    // The model's reply has arrived and the spin is under way.
    while server.requests().is_empty() {
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(1500));
    term.send(ControlCode::EndOfText).unwrap();
    term.expect("stopped spin (Ctrl-C)").unwrap();
    term.expect("> ").unwrap();
    term.send_line("what happened?").unwrap();
    term.expect("understood, the plugin was stopped").unwrap();
    quit(term);
    let requests = server.requests();
    let content = &tool_results(&requests[1])[0];
    assert!(content.contains("Ctrl-C"), "{content}");
    assert!(!content.contains("deadline"), "{content}");
}

#[test]
fn alt_enter_inserts_a_newline_and_a_paste_stays_one_message() {
    let server = ScriptedServer::start(vec![
        answer_text("first answer"),
        answer_text("second answer"),
    ]);
    let p = project(&server);
    let mut term = spawn(&p);
    term.send("line one\x1b\rline two").unwrap();
    term.send("\r").unwrap();
    term.expect("first answer").unwrap();
    term.expect("> ").unwrap();
    term.send("\x1b[200~pasted one\npasted two\x1b[201~")
        .unwrap();
    term.send("\r").unwrap();
    term.expect("second answer").unwrap();
    term.expect("> ").unwrap();
    quit(term);
    assert_eq!(server.requests().len(), 2);
    assert_eq!(last_user_text(&server.requests()[0]), "line one\nline two");
    assert_eq!(
        last_user_text(&server.requests()[1]),
        "pasted one\npasted two"
    );
}

#[test]
fn the_draft_opens_in_the_editor_with_ctrl_x_ctrl_e_and_edit() {
    let server = ScriptedServer::start(vec![
        answer_text("got the draft"),
        answer_text("got the edit"),
    ]);
    let mut p = project(&server);
    let editor = p.work().join("../editor.sh");
    std::fs::write(
        &editor,
        "#!/bin/sh\ndraft=$(cat \"$1\")\nprintf '%s, edited' \"$draft\" > \"$1\"\n",
    )
    .unwrap();
    std::fs::set_permissions(&editor, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    p.env("EDITOR", editor.to_str().unwrap());
    let mut term = spawn(&p);
    term.send("my draft").unwrap();
    term.send("\x18\x05").unwrap();
    term.expect("my draft, edited").unwrap();
    term.send("\r").unwrap();
    term.expect("got the draft").unwrap();
    term.expect("> ").unwrap();
    term.send_line("/edit a note").unwrap();
    term.expect("got the edit").unwrap();
    term.expect("> ").unwrap();
    quit(term);
    assert_eq!(last_user_text(&server.requests()[0]), "my draft, edited");
    assert_eq!(last_user_text(&server.requests()[1]), "a note, edited");
}

#[test]
fn tab_completes_commands_and_paths_and_a_mention_attaches_the_file() {
    let server = ScriptedServer::start(vec![answer_text("read it")]);
    let p = project(&server);
    std::fs::create_dir(p.work().join("src")).unwrap();
    std::fs::write(p.work().join("src/notes_file.txt"), "the secret is 42\n").unwrap();
    std::fs::write(p.work().join("../outside.txt"), "not yours\n").unwrap();
    let mut term = spawn(&p);
    // A plugin command (the shipped python_runtime's).
    term.send("/python_r\t").unwrap();
    term.expect("untime").unwrap();
    term.send(ControlCode::EndOfText).unwrap();
    term.expect("> ").unwrap();
    // A built-in command, then its choice.
    term.send("/mod\t").unwrap();
    term.expect("el").unwrap();
    term.send("\r").unwrap();
    term.expect("scripted-local").unwrap();
    term.expect("switch with /model NAME or /model N").unwrap();
    term.expect("> ").unwrap();
    term.send_line("/model 1").unwrap();
    term.expect("model for the next request: scripted-local")
        .unwrap();
    term.expect("> ").unwrap();
    // A path beneath the root, completed and attached; one outside refused.
    term.send("look at @src/no\t").unwrap();
    term.expect("tes_file.txt").unwrap();
    term.send("and @../outside.txt\r").unwrap();
    term.expect("attached @src/notes_file.txt").unwrap();
    term.expect("@../outside.txt not attached: it is outside the workspace root")
        .unwrap();
    term.expect("read it").unwrap();
    term.expect("> ").unwrap();
    quit(term);
    let requests = server.requests();
    assert_eq!(
        requests[0]["model"], "scripted-local",
        "/model switched the model"
    );
    let sent = last_user_text(&server.requests()[0]);
    assert!(
        sent.starts_with("look at @src/notes_file.txt and @../outside.txt"),
        "{sent}"
    );
    assert!(sent.contains("the secret is 42"), "{sent}");
    assert!(!sent.contains("not yours"), "{sent}");
}

#[test]
fn ctrl_r_finds_an_earlier_message() {
    let server = ScriptedServer::start(vec![
        answer_text("one"),
        answer_text("two"),
        answer_text("three"),
    ]);
    let p = project(&server);
    let mut term = spawn(&p);
    term.send_line("remember the alpha plan").unwrap();
    term.expect("one").unwrap();
    term.expect("> ").unwrap();
    term.send_line("something else").unwrap();
    term.expect("two").unwrap();
    term.expect("> ").unwrap();
    term.send("\x12alph").unwrap();
    term.expect("remember the alpha plan").unwrap();
    term.send("\r").unwrap();
    term.expect("three").unwrap();
    term.expect("> ").unwrap();
    quit(term);
    assert_eq!(
        last_user_text(&server.requests()[2]),
        "remember the alpha plan"
    );
}

#[test]
fn sessions_lists_autosaved_conversations_and_resumes_one() {
    let server = ScriptedServer::start(vec![
        answer_text("noted the old one"),
        answer_text("welcome back"),
    ]);
    let p = project(&server);
    let mut term = spawn(&p);
    term.send_line("the old conversation").unwrap();
    term.expect("noted the old one").unwrap();
    term.expect("> ").unwrap();
    quit(term);
    let mut term = spawn(&p);
    term.send_line("/sessions").unwrap();
    term.expect("1. ").unwrap();
    term.expect("3 messages: the old conversation").unwrap();
    // It never reads the next line as its answer (as /model once did).
    term.expect("resume one with /sessions N").unwrap();
    term.expect("> ").unwrap();
    term.send_line("/sessions 1").unwrap();
    term.expect("resumed 3 messages").unwrap();
    // The conversation goes on where it stopped, and the screen says where.
    term.expect("you: the old conversation").unwrap();
    term.expect("assistant: noted the old one").unwrap();
    term.expect("> ").unwrap();
    term.send_line("and now?").unwrap();
    term.expect("welcome back").unwrap();
    quit(term);
    let requests = server.requests();
    let contents: Vec<&str> = requests[1]["messages"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|m| m["content"].as_str())
        .collect();
    assert!(contents.contains(&"the old conversation"), "{contents:?}");
    assert!(contents.contains(&"and now?"), "{contents:?}");
}

#[test]
fn a_nearly_full_window_is_compacted_with_a_message() {
    let server = ScriptedServer::start(vec![
        answer_text("first answer"),
        Reply::Stream(vec![text("second answer"), finish("stop", 990, 5)]),
        answer_text("the summary of it all"),
        answer_text("third answer"),
    ]);
    let mut p = project(&server);
    p.env("CONTEXT_SIZE", "1000");
    let mut term = spawn(&p);
    term.send_line("first question").unwrap();
    term.expect("first answer").unwrap();
    term.expect("> ").unwrap();
    term.send_line("second question").unwrap();
    term.expect("second answer").unwrap();
    term.expect("995 of 1000 tokens").unwrap();
    term.expect("compacted 2 messages into a summary").unwrap();
    term.expect("> ").unwrap();
    term.send_line("third question").unwrap();
    term.expect("third answer").unwrap();
    quit(term);
    let requests = server.requests();
    assert_eq!(requests.len(), 4);
    let messages = requests[3]["messages"].as_array().unwrap();
    let summary = messages[1]["content"].as_str().unwrap();
    assert!(summary.contains("the summary of it all"), "{summary}");
    assert!(
        !messages.iter().any(|m| m["content"] == "first question"),
        "the older messages were replaced by the summary"
    );
}
