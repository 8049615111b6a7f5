//! The shipped plugins bg_jobs, ask_user and auto_pruner (issue 17 part B)
//! end to end: the real binary, the real components, the scripted model
//! server, a pty where the user is asked.

#![allow(clippy::unwrap_used)]

use aicoder_tests::server::{self, answer_text, finish, tool_call, Reply, ScriptedServer};
use aicoder_tests::Project;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

/// The content of every tool message of request `n`.
fn tool_results(server: &ScriptedServer, n: usize) -> Vec<String> {
    server::tool_results(&server.requests()[n])
}

/// One model turn calling `tool` with `args`, then a closing answer.
fn calls(tool: &str, args: &Value, then: &str) -> Vec<Reply> {
    vec![
        Reply::Stream(vec![
            tool_call(0, "c1", tool, &args.to_string()),
            finish("tool_calls", 3, 2),
        ]),
        answer_text(then),
    ]
}

fn eventually(mut done: impl FnMut() -> bool) -> bool {
    let until = Instant::now() + Duration::from_secs(20);
    while Instant::now() < until {
        if done() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

#[test]
fn plugin_list_shows_each_exact_ceiling() {
    let out = Project::new().run(&["plugin", "list"]).ok();
    let row = |name: &str| {
        out.lines()
            .find(|l| l.starts_with(&format!("{name} ")))
            .unwrap_or_else(|| panic!("{name} is not listed:\n{out}"))
            .to_string()
    };
    assert!(
        row("bg_jobs").contains(" process.spawn, process.read "),
        "{}",
        row("bg_jobs")
    );
    assert!(row("ask_user").contains(" ui.ask "), "{}", row("ask_user"));
    assert!(
        row("auto_pruner").contains(" log, history.read, history.write, hooks.register "),
        "{}",
        row("auto_pruner")
    );
    for name in ["bg_jobs", "ask_user", "auto_pruner"] {
        assert!(row(name).contains(" shipped "), "{}", row(name));
    }
}

#[test]
fn a_background_job_runs_its_output_is_read_and_it_dies_with_the_session() {
    let start = json!({"command": "sleep 1019 & echo $! > sleeper.pid; echo server ready; wait"});
    let server = ScriptedServer::start(vec![
        Reply::Stream(vec![
            tool_call(0, "c1", "job_start", &start.to_string()),
            finish("tool_calls", 3, 2),
        ]),
        // The session would otherwise end (and kill the job) before a loaded
        // machine has run the job's first line: wait for it with the shell.
        Reply::Stream(vec![
            tool_call(
                0,
                "c2",
                "run_shell_command",
                r#"{"command":"while [ ! -s sleeper.pid ]; do sleep 0.05; done; sleep 0.3"}"#,
            ),
            finish("tool_calls", 3, 2),
        ]),
        Reply::Stream(vec![
            tool_call(0, "c3", "job_tail", r#"{"id":1}"#),
            finish("tool_calls", 3, 2),
        ]),
        answer_text("the server runs"),
    ]);
    let mut p = Project::with_model(&server);
    p.env("YOLO_MODE", "1");
    let run = p.run_with_stdin(
        &["--grant", "bg_jobs:process.spawn,process.read"],
        "start the dev server\n",
    );
    run.ok();
    let started = tool_results(&server, 1);
    assert!(
        started[0].starts_with("started job 1 [running]"),
        "{started:?}"
    );
    let pid_file = p.work().join("sleeper.pid");
    assert!(eventually(
        || std::fs::read_to_string(&pid_file).is_ok_and(|s| s.ends_with('\n'))
    ));
    let tail = &tool_results(&server, 3)[2];
    assert!(tail.contains("server ready"), "{tail}");
    // aicoder has exited: what the job left running must be gone too. (The
    // pid the job wrote is its PID namespace's under the process sandbox:
    // the sleep is looked for by its command line.)
    let left = || {
        let out = std::process::Command::new("pgrep")
            .args(["-f", "^sleep 1019$"])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    };
    assert!(
        eventually(|| left().is_empty()),
        "job process {} outlived the session",
        left()
    );
    let audit = p.audit();
    assert!(audit.iter().any(|e| e["capability"] == "process.spawn"
        && e["operation"] == "start"
        && e["outcome"] == "allowed"));
}

#[test]
fn a_job_start_without_the_grant_is_denied_cleanly_and_runs_nothing() {
    let server = ScriptedServer::start(calls(
        "job_start",
        &json!({"command": "touch made"}),
        "could not",
    ));
    let mut p = Project::with_model(&server);
    p.env("YOLO_MODE", "1");
    p.run_with_stdin(&[], "start it\n");
    let result = &tool_results(&server, 1)[0];
    assert!(
        result.contains("permission denied: process.spawn"),
        "{result}"
    );
    assert!(result.contains("--grant bg_jobs:process.spawn"), "{result}");
    std::thread::sleep(Duration::from_millis(200));
    assert!(!p.work().join("made").exists());
}

#[test]
fn ask_user_is_refused_in_piped_mode_and_without_its_grant() {
    let args = json!({"question": "Which database?", "choices": ["postgres", "sqlite"]});
    let server = ScriptedServer::start(calls("ask_user", &args, "ok"));
    let mut p = Project::with_model(&server);
    p.env("YOLO_MODE", "1");
    p.run_with_stdin(&["--grant", "ask_user:ui.ask"], "choose\n");
    let result = &tool_results(&server, 1)[0];
    assert!(
        result.contains("without a terminal (piped input)"),
        "{result}"
    );

    let server = ScriptedServer::start(calls("ask_user", &args, "ok"));
    let mut p = Project::with_model(&server);
    p.env("YOLO_MODE", "1");
    p.run_with_stdin(&[], "choose\n");
    let result = &tool_results(&server, 1)[0];
    assert!(result.contains("permission denied: ui.ask"), "{result}");
}

#[test]
fn ask_user_asks_at_the_terminal_with_escapes_made_visible() {
    use expectrl::Eof;
    let args = json!({"question": "Which \u{1b}[2Jdatabase?", "choices": ["postgres", "sqlite"]});
    let server = ScriptedServer::start(calls("ask_user", &args, "sqlite it is"));
    let p = Project::with_model(&server);
    let mut term = aicoder_tests::terminal::spawn_with(&p, &["--grant", "ask_user:ui.ask"]);
    term.send_line("pick a database").unwrap();
    term.expect("Approve [Y/n]: ").unwrap();
    term.send_line("y").unwrap();
    term.expect("[ask_user] asks:").unwrap();
    // One sanitizer (term::sanitize): ESC shown as `^[`.
    term.expect("? Which ^[[2Jdatabase?").unwrap();
    term.expect("2. sqlite").unwrap();
    term.expect("empty line declines): ").unwrap();
    // The session's question loop: a number that is no choice is asked again.
    term.send_line("7").unwrap();
    term.expect("answer with a number 1-2 or text").unwrap();
    term.send_line("2").unwrap();
    term.expect("sqlite it is").unwrap();
    term.expect("> ").unwrap();
    term.send_line("/quit").unwrap();
    term.expect(Eof).unwrap();
    assert_eq!(tool_results(&server, 1), ["The user answered: sqlite"]);
}

/// A saved conversation with two old rounds of large tool results.
fn long_session(p: &Project) -> std::path::PathBuf {
    let big = |c: &str| c.repeat(200_000);
    let mut messages = vec![json!({"role": "system", "content": "You are aicoder."})];
    for (i, c) in ["a", "b"].iter().enumerate() {
        messages.push(json!({"role": "user", "content": format!("task {i}")}));
        messages.push(json!({"role": "assistant", "content": "", "tool_calls": [
            {"id": format!("old{i}"), "name": "read_file", "arguments": "{}"}]}));
        messages.push(json!({"role": "tool", "content": big(c), "tool_call_id": format!("old{i}"), "name": "read_file"}));
        messages.push(json!({"role": "assistant", "content": "read it"}));
    }
    let path = p.work().join(".aicoder/long.json");
    std::fs::write(
        &path,
        json!({"version": 1, "messages": messages}).to_string(),
    )
    .unwrap();
    path
}

#[test]
fn auto_pruner_prunes_old_tool_results_and_keeps_the_newest_round() {
    let server = ScriptedServer::start(vec![
        Reply::Stream(vec![
            tool_call(0, "new1", "job_list", "{}"),
            finish("tool_calls", 3, 2),
        ]),
        answer_text("done"),
    ]);
    let mut p = Project::with_model(&server);
    p.env("YOLO_MODE", "1");
    let session = long_session(&p);
    let session = session.to_str().unwrap();
    p.run_with_stdin(
        &[
            "--session",
            session,
            "--grant",
            "auto_pruner:hooks.register,history.read,history.write",
            "--grant",
            "bg_jobs:process.read",
        ],
        "go on\n",
    )
    .ok();
    let before = tool_results(&server, 0);
    assert_eq!(
        before.iter().map(String::len).collect::<Vec<_>>(),
        [200_000, 200_000]
    );
    let after = tool_results(&server, 1);
    assert_eq!(after.len(), 3);
    assert!(
        after[0].starts_with("[pruned by auto_pruner: 200000 characters of read_file output"),
        "the oldest result is pruned: {:?}",
        &after[0][..80.min(after[0].len())]
    );
    // 200,000 characters are still over PRUNE_TO_CHARS (150,000): the next
    // old one goes too (the unit tests show it stopping under the target).
    assert!(
        after[1].starts_with("[pruned by auto_pruner: 200000"),
        "{}",
        &after[1][..80.min(after[1].len())]
    );
    assert_eq!(after[2], "no background jobs", "the newest round is kept");
}

#[test]
fn auto_pruner_without_its_grants_changes_nothing() {
    let server = ScriptedServer::start(vec![
        Reply::Stream(vec![
            tool_call(0, "new1", "job_list", "{}"),
            finish("tool_calls", 3, 2),
        ]),
        answer_text("done"),
    ]);
    let mut p = Project::with_model(&server);
    p.env("YOLO_MODE", "1");
    let session = long_session(&p);
    p.run_with_stdin(
        &[
            "--session",
            session.to_str().unwrap(),
            "--grant",
            "bg_jobs:process.read",
        ],
        "go on\n",
    );
    let after = tool_results(&server, 1);
    assert_eq!(after[0].len(), 200_000);
    assert_eq!(after[1].len(), 200_000);
}

#[test]
fn auto_pruner_rule_passes_its_python_unit_tests() {
    let dir = aicoder_tests::root().join("plugins/auto_pruner");
    let out = std::process::Command::new("python3")
        .args(["-B", "-m", "unittest", "-q", "test_prune"])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// notify (issue #28 item 7): when the session waits at its prompt the host
/// rings the bell for the plugin (a BEL byte on the pty), audited.
#[test]
fn notify_rings_the_bell_when_the_session_waits_for_the_user() {
    use expectrl::Eof;
    let server = ScriptedServer::start(vec![]);
    let p = Project::with_model(&server);
    let mut term =
        aicoder_tests::terminal::start(&p, &["--grant", "notify:hooks.register,ui.bell"]);
    term.expect("\u{7}").unwrap();
    term.expect("> ").unwrap();
    term.send_line("/quit").unwrap();
    term.expect(Eof).unwrap();
    assert!(p.audit().iter().any(|e| e["plugin"] == "notify"
        && e["capability"] == "ui.bell"
        && e["outcome"] == "allowed"));
}

/// notify's configured command runs through a scoped shell.exec: a
/// project's `command` file (a cloned repository's) runs only what the
/// user's grant covers.
#[test]
fn notify_runs_its_command_only_within_the_grant() {
    let server = ScriptedServer::start(vec![]);
    let p = Project::with_model(&server);
    let dir = p.home().join(".config/aicoder/notify");
    std::fs::create_dir_all(&dir).unwrap();
    let grant = [
        "--grant",
        "notify:data.read",
        "--grant",
        "notify:shell.exec:touch notified*",
    ];
    std::fs::write(dir.join("command"), "# how\ntouch notified\n").unwrap();
    let out = p.run_with_stdin(&grant, "/notify test\n").ok();
    assert!(out.contains("notified: runs `touch notified`"), "{out}");
    assert!(p.work().join("notified").exists());
    // The file names a command the grant does not cover.
    std::fs::write(dir.join("command"), "touch pwned; touch notified\n").unwrap();
    let run = p.run_with_stdin(&grant, "/notify test\n");
    assert!(
        run.stdout().contains("not notified: shell.exec"),
        "{}",
        run.stdout()
    );
    assert!(!p.work().join("pwned").exists());
    // A command that fails is not reported as a notification.
    std::fs::write(dir.join("command"), "touch notified/x\n").unwrap();
    let out = p.run_with_stdin(&grant, "/notify test\n").ok();
    assert!(
        out.contains("not notified: the command failed (exit code 1"),
        "{out}"
    );
    // Attack: a cloned project's own command file, with a grant as wide as
    // an approval suggestion (`touch*` covers `touch=1 sh -c ...` too). The
    // project's file is never read: nothing of it runs.
    std::fs::remove_file(dir.join("command")).unwrap();
    let project = p.work().join(".aicoder/notify");
    std::fs::create_dir_all(&project).unwrap();
    std::fs::write(project.join("command"), "touch=1 sh -c 'touch pwned'\n").unwrap();
    let wide = [
        "--grant",
        "notify:data.read",
        "--grant",
        "notify:shell.exec:touch*",
    ];
    p.run_with_stdin(&wide, "/notify test\n");
    assert!(
        !p.work().join("pwned").exists(),
        "a project's notify command ran"
    );
}

/// copy (issue #28 item 7): `/copy` puts the last answer on the clipboard
/// with OSC 52 the host writes, the text base64-encoded: an answer carrying
/// its own OSC 52 sequence (to plant a command on the clipboard) never
/// reaches the terminal as a sequence.
#[test]
fn copy_puts_the_last_answer_on_the_clipboard_as_base64_only() {
    use base64::Engine;
    use expectrl::Eof;
    let evil = "\u{1b}]52;c;cm0gLXJmIH4K\u{7}";
    let answer = format!("run make{evil} then test");
    let server = ScriptedServer::start(vec![answer_text(&answer)]);
    let p = Project::with_model(&server);
    let mut term =
        aicoder_tests::terminal::spawn_with(&p, &["--grant", "copy:history.read,ui.clipboard"]);
    term.send_line("how to build?").unwrap();
    term.expect("then test").unwrap();
    term.expect("> ").unwrap();
    term.send_line("/copy").unwrap();
    let encoded = base64::engine::general_purpose::STANDARD.encode(answer.as_bytes());
    let sequence = format!("\u{1b}]52;c;{encoded}\u{7}");
    let seen = term.expect("to the clipboard").unwrap();
    let before = String::from_utf8_lossy(seen.before()).into_owned();
    assert!(before.contains(&sequence), "{before:?}");
    assert!(!before.contains(evil), "{before:?}");
    term.expect("> ").unwrap();
    term.send_line("/quit").unwrap();
    let rest = term.expect(Eof).unwrap();
    assert!(!String::from_utf8_lossy(rest.before()).contains(evil));
    assert!(p.audit().iter().any(|e| e["plugin"] == "copy"
        && e["capability"] == "ui.clipboard"
        && e["outcome"] == "allowed"));
}
