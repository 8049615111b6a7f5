//! The interactive session in a real pseudo-terminal: the approval prompt
//! grants one capability for the session and denies another, and the plugin
//! sees exactly that.

#![allow(clippy::unwrap_used)]

use aicoder_tests::server::{answer_text, finish, tool_call, tool_results, Reply, ScriptedServer};
use aicoder_tests::{wasm, Project};
use expectrl::Eof;
use std::time::Duration;

#[test]
fn approval_grants_per_capability_in_the_terminal() {
    let server = ScriptedServer::start(vec![
        Reply::Stream(vec![
            tool_call(0, "p1", "probe", "{}"),
            finish("tool_calls", 3, 2),
        ]),
        answer_text("all done"),
    ]);
    let mut p = Project::new();
    p.install(&wasm("misbehave"), "misbehave.wasm");
    p.env("API_BASE_URL", &server.url)
        .env("API_KEY", "k")
        .env("API_MODEL", "scripted");

    let mut term = aicoder_tests::terminal::spawn(&p);
    term.send_line("run the probe").unwrap();
    term.expect("needs workspace.read: not granted").unwrap();
    term.expect("needs history.read: not granted").unwrap();
    term.expect("Approve [Y/n]: ").unwrap();
    term.send_line("y").unwrap();
    term.expect("grant workspace.read to misbehave?").unwrap();
    term.send_line("s").unwrap();
    term.expect("grant history.read to misbehave?").unwrap();
    term.send_line("d").unwrap();
    term.expect("all done").unwrap();
    term.expect("> ").unwrap();
    term.send_line("/grants").unwrap();
    term.expect("workspace.read   session").unwrap();
    term.send_line("/quit").unwrap();
    term.expect(Eof).unwrap();

    let requests = server.requests();
    assert_eq!(
        tool_results(&requests[1])[0],
        "workspace.read: ok; history.read: denied"
    );
    let audit = p.audit();
    let outcome = |cap: &str| {
        audit
            .iter()
            .find(|e| e["capability"] == cap)
            .map(|e| e["outcome"].clone())
            .unwrap()
    };
    assert_eq!(outcome("workspace.read"), "allowed");
    assert_eq!(outcome("history.read"), "denied");
}

#[test]
fn ctrl_c_cancels_the_answer_not_the_program() {
    // First an answer that never ends, then one that hangs without a byte.
    let endless = Reply::Endless {
        text: "on and on ".into(),
        pause_ms: 50,
    };
    let server = ScriptedServer::start(vec![endless, Reply::Hang, answer_text("second try works")]);
    let p = Project::with_model(&server);
    let mut term = aicoder_tests::terminal::spawn_with(&p, &[]);
    term.send_line("this will hang").unwrap();
    term.expect("on and on").unwrap();
    term.send(expectrl::ControlCode::EndOfText).unwrap();
    term.expect("cancelled; the conversation so far is kept")
        .unwrap();
    term.expect("> ").unwrap();
    // The typed message was autosaved before the answer started.
    let saved = aicoder_tests::autosaved(&p);
    assert_eq!(saved.last().unwrap()["content"], "this will hang");
    term.send_line("/retry").unwrap();
    // Wait until the request is in flight, then interrupt.
    for _ in 0..200 {
        if server.requests().len() == 2 {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(200));
    term.send(expectrl::ControlCode::EndOfText).unwrap();
    term.expect("cancelled; the conversation so far is kept")
        .unwrap();
    term.expect("> ").unwrap();
    term.send_line("/retry").unwrap();
    term.expect("second try works").unwrap();
    term.send_line("/quit").unwrap();
    term.expect(Eof).unwrap();
    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    assert_eq!(
        requests[2]["messages"][1]["content"], "this will hang",
        "the typed message survived both cancels"
    );
}

#[test]
fn undo_in_the_session_restores_the_working_directory_and_the_session_moves_with_it() {
    let server = ScriptedServer::start(vec![
        Reply::Stream(vec![
            tool_call(
                0,
                "c",
                "run_inline_python",
                r#"{"code":"app.input_handler.cwd = \"sub\""}"#,
            ),
            finish("tool_calls", 1, 1),
        ]),
        Reply::Stream(vec![
            tool_call(0, "l", "list_directory", "{}"),
            finish("tool_calls", 1, 1),
        ]),
        answer_text("moved"),
    ]);
    let mut p = Project::new();
    p.install(&wasm("example"), "example.wasm");
    std::fs::create_dir(p.work().join("sub")).unwrap();
    std::fs::write(p.work().join("sub/inside.txt"), "x").unwrap();
    p.env("API_BASE_URL", &server.url)
        .env("API_KEY", "k")
        .env("YOLO_MODE", "1");
    let grants = [
        "--python-runtime",
        "--grant",
        "python_runtime:workspace.write",
        "--grant",
        "example:workspace.read",
    ];
    let mut term = aicoder_tests::terminal::spawn_with(&p, &grants);
    term.send_line("go to sub").unwrap();
    term.expect("moved").unwrap();
    term.send_line("/where").unwrap();
    term.expect(format!("{}/sub", p.work().display()).as_str())
        .unwrap();
    term.send_line("/audit undo 1").unwrap();
    term.expect("working directory").unwrap();
    term.expect("Apply? [y/N]: ").unwrap();
    term.send_line("y").unwrap();
    term.expect("undone: ").unwrap();
    term.send_line("/where").unwrap();
    term.expect(format!("{}\r\n", p.work().display()).as_str())
        .unwrap();
    term.send_line("/quit").unwrap();
    term.expect(Eof).unwrap();
    // The tool call after the move ran in the new directory.
    let listing = server.requests()[2]["messages"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()["content"]
        .clone();
    assert_eq!(listing, "inside.txt");
}

#[test]
fn python_registers_a_tool_the_model_calls_and_a_command_the_user_runs() {
    let code = "def double(n):\n    return n * 2\nctx.register_tool('double', double, 'Double a number', {'type': 'object', 'properties': {'n': {'type': 'integer'}}})\nctx.register_command('hello', lambda args: 'hello ' + args, 'Greets')";
    let server = ScriptedServer::start(vec![
        Reply::Stream(vec![
            tool_call(
                0,
                "r",
                "run_inline_python",
                &serde_json::json!({ "code": code }).to_string(),
            ),
            finish("tool_calls", 1, 1),
        ]),
        Reply::Stream(vec![
            tool_call(0, "d", "double", r#"{"n": 21}"#),
            finish("tool_calls", 1, 1),
        ]),
        answer_text("registered"),
    ]);
    let mut p = Project::new();
    p.env("API_BASE_URL", &server.url)
        .env("API_KEY", "k")
        .env("YOLO_MODE", "1");
    let mut term = aicoder_tests::terminal::spawn_with(
        &p,
        &["--python-runtime", "--grant", "python_runtime:tools.manage"],
    );
    term.send_line("set it up").unwrap();
    term.expect("registered").unwrap();
    term.send_line("/hello world").unwrap();
    term.expect("hello world").unwrap();
    term.send_line("/quit").unwrap();
    term.expect(Eof).unwrap();
    let requests = server.requests();
    assert!(requests[1]["tools"]
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t["function"]["name"] == "double"));
    let result = requests[2]["messages"].as_array().unwrap().last().unwrap()["content"].clone();
    assert_eq!(result, "42");
}

#[test]
fn plugins_reload_picks_up_changes_and_asks_before_carrying_grants() {
    let p = Project::new();
    let original = std::fs::read(wasm("example")).unwrap();
    let installed = p.install_bytes(&original, "example.wasm");
    p.run(&["plugin", "grant", "example", "workspace.read"])
        .ok();
    let cwd = p.work().display().to_string();

    let mut term = aicoder_tests::terminal::spawn_with(&p, &[]);
    term.send_line("/where").unwrap();
    term.expect(format!("{cwd}\r\n").as_str()).unwrap();

    std::fs::write(
        &installed,
        aicoder_tests::with_custom_section(&original, "v2"),
    )
    .unwrap();
    term.send_line("/plugins reload").unwrap();
    term.expect("updated example").unwrap();
    term.expect("carry over workspace.read (always) to the new version of example? [y/N]: ")
        .unwrap();
    term.send_line("n").unwrap();
    term.expect("not carried over").unwrap();
    term.send_line("/where").unwrap();
    term.expect("permission denied: workspace.read").unwrap();

    std::fs::write(
        &installed,
        aicoder_tests::with_custom_section(&original, "v3"),
    )
    .unwrap();
    p.install(&wasm("misbehave"), "misbehave.wasm");
    term.send_line("/plugins reload").unwrap();
    term.expect("added misbehave").unwrap();
    term.expect("updated example").unwrap();
    // v2 held nothing, so nothing is offered; grant the old way.
    term.send_line("/plugins reload").unwrap();
    term.expect("no plugin changed").unwrap();
    std::fs::remove_file(p.user_plugins().join("misbehave.wasm")).unwrap();
    term.send_line("/plugins reload").unwrap();
    term.expect("removed misbehave").unwrap();
    term.send_line("/quit").unwrap();
    term.expect(Eof).unwrap();
}

#[test]
fn a_carried_over_grant_works_for_the_new_version() {
    let p = Project::new();
    let original = std::fs::read(wasm("example")).unwrap();
    let installed = p.install_bytes(&original, "example.wasm");
    p.run(&["plugin", "grant", "example", "workspace.read"])
        .ok();
    let mut term = aicoder_tests::terminal::spawn_with(&p, &[]);
    std::fs::write(
        &installed,
        aicoder_tests::with_custom_section(&original, "v2"),
    )
    .unwrap();
    term.send_line("/plugins reload").unwrap();
    term.expect("[y/N]: ").unwrap();
    term.send_line("y").unwrap();
    term.expect("workspace.read granted to the new version")
        .unwrap();
    term.send_line("/where").unwrap();
    term.expect(format!("{}\r\n", p.work().display()).as_str())
        .unwrap();
    term.send_line("/quit").unwrap();
    term.expect(Eof).unwrap();
    let grants = std::fs::read_to_string(p.home().join(".config/aicoder/grants.json")).unwrap();
    let hash_v2 = {
        let out = p.run(&["plugin", "list"]).ok();
        out.lines()
            .find(|l| l.starts_with("example"))
            .unwrap()
            .split_whitespace()
            .nth(3)
            .unwrap()
            .to_string()
    };
    assert!(
        grants.contains(&hash_v2),
        "the always grant is now bound to the new hash"
    );
}

#[test]
fn with_plugins_watch_a_new_plugin_file_is_picked_up_at_the_next_prompt() {
    let mut p = Project::new();
    p.env("PLUGINS_WATCH", "1");
    let mut term = aicoder_tests::terminal::spawn_with(&p, &[]);
    p.install(&wasm("misbehave"), "misbehave.wasm");
    term.send_line("").unwrap();
    term.expect("added misbehave").unwrap();
    term.expect("> ").unwrap();
    term.send_line("/plugins reload").unwrap();
    term.expect("no plugin changed").unwrap();
    term.send_line("/quit").unwrap();
    term.expect(Eof).unwrap();
}
