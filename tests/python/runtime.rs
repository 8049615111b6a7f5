//! python_runtime end to end: the acceptance examples, verbatim, through the
//! real binary and the real component, with grants and without.

#![allow(clippy::unwrap_used)]

use aicoder_tests::server::{answer_text, finish, tool_call, Reply, ScriptedServer};
use aicoder_tests::Project;
use serde_json::{json, Value};

const DEBUG_SNIPPET: &str = r#"print(f"Messages: {len(app.message_history.get_messages())}")
print(f"CWD: {app.input_handler.cwd}")
print(f"Tokens: {app.stats.tokens_sent}")"#;

const SYSTEM_PROMPT_EDIT: &str = r#"messages = app.message_history.get_messages()
for msg in messages:
    if msg['role'] == 'system':
        msg['content'] = "You are now in debug mode""#;

const TOOLS_LISTING: &str = r#"for name, tool in app.tool_manager.tools.items():
    print(f"{name}: {tool.get('auto_approved', False)}")"#;

fn session_file(p: &Project) -> std::path::PathBuf {
    let path = p.work().join(".aicoder/session.json");
    let s = json!({"version": 1, "messages": [
        {"role": "system", "content": "You are aicoder."},
        {"role": "user", "content": "hello"},
        {"role": "assistant", "content": "hi"}
    ], "stats": {"api_requests": 2, "api_success": 2, "api_errors": 0, "prompt_tokens": 321, "completion_tokens": 12,
                 "api_time_ms": 5, "tool_calls": 0, "tool_errors": 0, "messages_sent": 1}});
    std::fs::write(&path, s.to_string()).unwrap();
    path
}

/// Run the system-prompt edit with the grants it needs.
fn edit_system_prompt(p: &Project) {
    p.run(&[
        "py",
        "--grant",
        "history.read,history.write",
        "-c",
        SYSTEM_PROMPT_EDIT,
    ])
    .ok();
}

#[test]
fn cwd_assignment_needs_workspace_write_and_is_audited() {
    let p = Project::new();
    let target = p.work().join("new/path");
    std::fs::create_dir_all(&target).unwrap();
    let code = format!("app.input_handler.cwd = {:?}", target.display().to_string());

    let err = p.run(&["py", "-c", &code]).fails();
    assert!(
        err.contains("PermissionError: workspace.write is not granted"),
        "{err}"
    );
    assert!(
        err.contains("--grant python_runtime:workspace.write"),
        "{err}"
    );
    assert_eq!(p.audit_for("workspace.write")[0]["outcome"], "denied");

    let out = p
        .run(&[
            "py",
            "--grant",
            "workspace.write,workspace.read",
            "-c",
            &format!("{code}\nprint(app.input_handler.cwd)"),
        ])
        .ok();
    assert_eq!(out.trim(), target.display().to_string());
    let write = p.audit_for("workspace.write").pop().unwrap();
    assert_eq!(write["outcome"], "allowed");
    assert_eq!(write["old"], Value::String(p.work().display().to_string()));
    assert_eq!(write["new"], Value::String(target.display().to_string()));
}

#[test]
fn debug_snippet_reads_the_saved_session() {
    let p = Project::new();
    session_file(&p);
    let err = p.run(&["py", "-c", DEBUG_SNIPPET]).fails();
    assert!(
        err.contains("PermissionError: history.read is not granted"),
        "{err}"
    );
    let out = p
        .run(&[
            "py",
            "--grant",
            "history.read,workspace.read,stats.read",
            "-c",
            DEBUG_SNIPPET,
        ])
        .ok();
    assert_eq!(
        out.trim(),
        format!("Messages: 3\nCWD: {}\nTokens: 321", p.work().display())
    );
}

#[test]
fn system_prompt_edit_writes_back_only_with_history_write() {
    let p = Project::new();
    let path = session_file(&p);
    let before = std::fs::read_to_string(&path).unwrap();
    let err = p
        .run(&["py", "--grant", "history.read", "-c", SYSTEM_PROMPT_EDIT])
        .fails();
    assert!(
        err.contains("PermissionError: history.write is not granted"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        before,
        "a denied write changes nothing"
    );

    edit_system_prompt(&p);
    let saved: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(saved["messages"][0]["content"], "You are now in debug mode");
    assert_eq!(saved["messages"][1]["content"], "hello");
    let write = p.audit_for("history.write").pop().unwrap();
    assert_eq!(write["old"]["message"]["content"], "You are aicoder.");
    assert_eq!(
        write["new"]["message"]["content"],
        "You are now in debug mode"
    );
}

#[test]
fn tools_listing_and_results_format() {
    let p = Project::new();
    let out = p
        .run(&["py", "--grant", "tools.read", "-c", TOOLS_LISTING])
        .ok();
    assert!(
        out.contains("read_file: True") && out.contains("write_file: False"),
        "{out}"
    );
    assert!(out.contains("run_inline_python: False"), "{out}");
    assert_eq!(
        p.run(&["py", "-c", "pass"]).ok().trim(),
        "[code executed successfully, no output]"
    );
    assert_eq!(
        p.run(&["py", "-c", "x = 41\ny = [x, 'a']"]).ok().trim(),
        "x = 41\ny = [41, 'a']"
    );
    let err = p
        .run(&["py", "-c", "def f():\n    return 1 / 0\nf()"])
        .fails();
    assert!(
        err.contains("ZeroDivisionError")
            && err.contains("line 2, in f")
            && err.contains("return 1 / 0"),
        "{err}"
    );
}

#[test]
fn host_methods_cannot_be_replaced_and_stats_are_read_only() {
    let p = Project::new();
    let err = p
        .run(&[
            "py",
            "-c",
            "def f(*a): pass\napp.streaming_client.send_request = f",
        ])
        .fails();
    assert!(
        err.contains("ctx.register_hook('transform_request', f)"),
        "{err}"
    );
    let err = p
        .run(&[
            "py",
            "--grant",
            "stats.read",
            "-c",
            "app.stats.tokens_sent = 0",
        ])
        .fails();
    assert!(err.contains("read-only"), "{err}");
}

#[test]
fn the_stdlib_works_and_the_host_stays_out_of_reach() {
    let p = Project::new();
    let code = "import json, re, math, itertools, collections, functools, datetime, textwrap, dataclasses\n\
                @dataclasses.dataclass\nclass P:\n    x: int\n\
                print(json.dumps({'a': math.floor(2.5)}), re.sub('b', 'c', 'abc'), P(1), textwrap.shorten('a b c d', 5))";
    let out = p.run(&["py", "-c", code]).ok();
    assert!(out.contains(r#"{"a": 2} acc P(x=1)"#), "{out}");
    for (code, expect) in [
        (
            "import socket\nsocket.create_connection(('example.com', 80))",
            "network sockets cannot exist in the aicoder sandbox",
        ),
        ("import ctypes", "not available in the aicoder sandbox"),
        (
            "import os\nos.listdir('.')",
            "PermissionError: [Errno 13] fs.read is not granted",
        ),
        (
            "open('/etc/passwd').read()",
            "PermissionError: [Errno 13] fs.read is not granted",
        ),
        ("import os\nprint(dict(os.environ))", "{}"),
    ] {
        let run = p.run(&["py", "-c", code]);
        let text = format!("{}{}", run.stdout(), run.stderr());
        assert!(text.contains(expect), "{code}: {text}");
    }
}

#[test]
fn limits_end_runaway_code_with_clear_errors() {
    // Only the first case is about the deadline; the others get a generous
    // one so that a loaded machine cannot turn them into deadline failures.
    let cases = [
        ("while True: pass", "1000", "deadline of 1000 ms"),
        (
            "x = 'a' * 10**10",
            "60000",
            "OverflowError: repeated bytes are too long",
        ),
        (
            "x = [bytearray(50 * 2**20) for _ in range(100)]",
            "60000",
            "memory ceiling of 256 MiB",
        ),
        (
            "def f(n):\n    return f(n + 1)\nf(0)",
            "60000",
            "RecursionError",
        ),
        ("while True: print('flood ' * 1000)", "60000", "output cap"),
    ];
    for (code, deadline, expect) in cases {
        let mut p = Project::new();
        p.env("PLUGIN_TIMEOUT_MS", deadline)
            .env("PLUGIN_MEMORY_MB", "256");
        let err = p.run(&["py", "-c", code]).fails();
        assert!(err.contains(expect), "{code}: {err}");
    }
}

#[test]
fn runtime_command_model_driven_run_and_persistent_interpreter() {
    let script = vec![
        Reply::Stream(vec![
            tool_call(0, "a", "run_inline_python", r#"{"code":"x = 41"}"#),
            finish("tool_calls", 5, 5),
        ]),
        Reply::Stream(vec![
            tool_call(
                0,
                "b",
                "run_inline_python",
                &json!({"code": "print(x + 1)\nprint(app.input_handler.cwd)"}).to_string(),
            ),
            finish("tool_calls", 5, 5),
        ]),
        answer_text("done"),
    ];
    let server = ScriptedServer::start(script);
    let mut p = Project::new();
    p.env("API_BASE_URL", &server.url)
        .env("API_KEY", "k")
        .env("API_MODEL", "m")
        .env("YOLO_MODE", "1");
    p.run_with_stdin(
        &[
            "--python-runtime",
            "--grant",
            "python_runtime:workspace.read",
        ],
        "compute\n",
    )
    .ok();
    let requests = server.requests();
    let offered = |r: &Value| {
        r["tools"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["function"]["name"] == "run_inline_python")
    };
    assert!(offered(&requests[0]), "on with --python-runtime");
    let result = |r: &Value| {
        r["messages"]
            .as_array()
            .unwrap()
            .iter()
            .rev()
            .find(|m| m["role"] == "tool")
            .unwrap()["content"]
            .clone()
    };
    assert_eq!(result(&requests[1]), "x = 41");
    assert_eq!(
        result(&requests[2]),
        Value::String(format!("42\n{}", p.work().display()))
    );

    // Off by default: not offered; the command turns it on and off.
    let server = ScriptedServer::start(vec![answer_text("hi")]);
    let mut p = Project::new();
    p.env("API_BASE_URL", &server.url).env("API_KEY", "k");
    p.run_with_stdin(&[], "hello\n").ok();
    assert!(!offered(&server.requests()[0]));
    let out = p.run_with_stdin(&[], "/python_runtime status\n/python_runtime on\n/python-runtime status\n/python_runtime off\n/python_runtime\n").ok();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "Runtime Python: DISABLED");
    assert!(lines[1].starts_with("Runtime Python: ENABLED"), "{out}");
    assert_eq!(lines[2], "Runtime Python: ENABLED");
    assert_eq!(lines[3], "Runtime Python: DISABLED");
    assert!(
        out.contains("Usage: /python_runtime on|off|status"),
        "{out}"
    );
}

fn in_process_host(dir: &std::path::Path) -> aicoder::plugins::PluginHost {
    aicoder_tests::default_host(dir, &["python_runtime"])
}

#[test]
fn preview_derives_the_capabilities_from_the_code() {
    let dir = tempfile::tempdir().unwrap();
    let mut host = in_process_host(dir.path());
    let needs = |host: &mut aicoder::plugins::PluginHost, code: &str| {
        let args = json!({ "code": code }).to_string();
        host.preview_tool("python_runtime", "run_inline_python", &args)
            .unwrap()
    };
    let p = needs(&mut host, SYSTEM_PROMPT_EDIT);
    assert_eq!(p.capabilities, ["history.read", "history.write"]);
    for line in [
        "Runtime Python:",
        "The code can use: app, ctx, print",
        "Code (4 lines):",
        "  for msg in messages:",
    ] {
        assert!(p.text.contains(line), "{line:?} in {}", p.text);
    }
    assert_eq!(
        needs(&mut host, DEBUG_SNIPPET).capabilities,
        ["history.read", "stats.read", "workspace.read"]
    );
    assert_eq!(needs(&mut host, TOOLS_LISTING).capabilities, ["tools.read"]);
    assert_eq!(
        needs(&mut host, "app.input_handler.cwd = '/new/path'").capabilities,
        ["workspace.write"]
    );
    assert_eq!(
        needs(
            &mut host,
            "ctx.run_shell('ls')\nctx.register_hook('x', print)"
        )
        .capabilities,
        ["hooks.register", "shell.exec:ls"]
    );
    // Literal paths and commands become the scopes the call needs; others
    // stay whole.
    assert_eq!(
        needs(
            &mut host,
            "ctx.write_file('src/a.py', 'x')\nctx.read_file(name)\nctx.run_shell('cargo test -p x')"
        )
        .capabilities,
        ["fs.read", "fs.write:src/a.py", "shell.exec:cargo test -p x"]
    );
    assert!(needs(&mut host, "x = 1").capabilities.is_empty());
    // Nothing ran: no host call was made, so nothing was audited.
    assert!(!dir.path().join("audit.jsonl").exists());
}

#[test]
fn an_interpreter_crash_is_named_and_the_next_call_starts_fresh() {
    let dir = tempfile::tempdir().unwrap();
    let mut host = in_process_host(dir.path());
    let run = |host: &mut aicoder::plugins::PluginHost, code: &str| {
        host.call_tool(
            "python_runtime",
            "run_inline_python",
            &json!({ "code": code }).to_string(),
        )
    };
    assert_eq!(run(&mut host, "x = 41").unwrap().detail, "x = 41");
    // 100,000 references to one object once aborted RustPython 0.5 on
    // 32-bit (vendor/rustpython-common); a RustPython panic still does, and
    // is reported with the Python traceback that reached it.
    assert!(run(&mut host, "l = ['ab' for i in range(100000)]\nl = len(l)").is_ok());
    // A hand-built f-string AST with a non-str constant still reaches a
    // todo!() in RustPython 0.5 (docs/python_runtime.md, Known crashes).
    let err = run(
        &mut host,
        "import ast\nm = ast.Module([ast.Expr(ast.JoinedStr([ast.Constant(1)]))], [])\ncompile(ast.fix_missing_locations(m), '<x>', 'exec')",
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("made anew")
            && err.contains("line 3, in <module>")
            && err.contains("SystemError: RustPython 0.5 failed inside the interpreter"),
        "{err}"
    );
    let err = run(&mut host, "print(x)").unwrap_err().to_string();
    assert!(
        err.contains("NameError"),
        "a remade interpreter starts empty: {err}"
    );
    assert_eq!(
        run(&mut host, "print(sum(range(10)))").unwrap().detail,
        "45"
    );
}

#[test]
fn a_python_hook_transforms_the_outgoing_request() {
    let code = "def mark(request):\n    request['messages'].append({'role': 'user', 'content': 'MARKED BY HOOK'})\n    return request\nctx.register_hook('transform_request', mark)";
    let server = ScriptedServer::start(vec![
        Reply::Stream(vec![
            tool_call(
                0,
                "h",
                "run_inline_python",
                &json!({ "code": code }).to_string(),
            ),
            finish("tool_calls", 1, 1),
        ]),
        answer_text("ok"),
    ]);
    let mut p = Project::new();
    p.env("API_BASE_URL", &server.url)
        .env("API_KEY", "k")
        .env("YOLO_MODE", "1");
    p.run_with_stdin(
        &[
            "--python-runtime",
            "--grant",
            // transform_request hands the hook the conversation: it needs
            // the history grants as well (tests/security/plugin_powers.rs).
            "python_runtime:hooks.register,history.read,history.write",
        ],
        "go\n",
    )
    .ok();
    let requests = server.requests();
    let last = requests[1]["messages"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(last["content"], "MARKED BY HOOK");
    assert!(!requests[0].to_string().contains("MARKED BY HOOK"));
}

#[test]
fn undo_restores_the_system_prompt_and_reports_conflicts() {
    let p = Project::new();
    let path = session_file(&p);
    edit_system_prompt(&p);
    let err = p.run(&["audit", "undo"]).fails();
    assert!(err.contains("add --yes"), "{err}");
    let out = p.run(&["audit", "undo", "1", "--yes"]).ok();
    assert!(
        out.contains("Undo will revert:") && out.contains("undone: "),
        "{out}"
    );
    let saved: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(saved["messages"][0]["content"], "You are aicoder.");
    let undo = p.audit().pop().unwrap();
    assert_eq!(
        (undo["plugin"].as_str(), undo["operation"].as_str()),
        (Some("aicoder"), Some("undo set-message"))
    );
    assert_eq!(undo["new"]["message"]["content"], "You are aicoder.");
    assert_eq!(
        p.run(&["audit", "undo", "1", "--yes"]).ok().trim(),
        "nothing to undo"
    );

    // A target that changed since is reported and left alone.
    edit_system_prompt(&p);
    let mut saved: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    saved["messages"][0]["content"] = "edited by hand".into();
    std::fs::write(&path, saved.to_string()).unwrap();
    let run = p.run(&["audit", "undo", "1", "--yes"]);
    assert_eq!(run.0.status.code(), Some(1));
    assert!(
        run.stdout().contains("not undone") && run.stdout().contains("changed since"),
        "{}",
        run.stdout()
    );
    let kept: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(kept["messages"][0]["content"], "edited by hand");
}

#[test]
fn a_long_session_of_host_calls_does_not_wear_the_interpreter_out() {
    // RustPython 0.5 aborts past 32,767 references to one object; a leak of
    // one reference per host call once killed the interpreter after ~300 runs.
    let dir = tempfile::tempdir().unwrap();
    let mut host = in_process_host(dir.path());
    let id = host.plugin("python_runtime").unwrap().id.clone();
    for cap in [
        aicoder::caps::Capability::HistoryRead,
        aicoder::caps::Capability::WorkspaceRead,
        aicoder::caps::Capability::StatsRead,
    ] {
        host.services()
            .grants()
            .grant(&id, cap, aicoder::caps::grants::Scope::Session)
            .unwrap();
    }
    let args = json!({ "code": DEBUG_SNIPPET }).to_string();
    for i in 0..1000 {
        let out = host.call_tool("python_runtime", "run_inline_python", &args);
        assert!(out.is_ok(), "run {i}: {out:?}");
    }
    let args = json!({ "code": "for i in range(40000): app.input_handler.cwd" }).to_string();
    host.call_tool("python_runtime", "run_inline_python", &args)
        .unwrap();
}

#[test]
fn the_shipped_runtime_is_a_build_time_snapshot_and_every_session_starts_fresh() {
    // `make plugins` pre-initialised the component (tools/snapshot); running
    // the tool again recognises it and changes nothing.
    let shipped = aicoder_tests::wasm("python_runtime");
    let before = std::fs::read(&shipped).unwrap();
    assert!(
        before.windows(16).any(|w| w == b"aicoder-snapshot"),
        "python_runtime.wasm is not the snapshot"
    );
    let tool = aicoder_tests::root().join("target/release/aicoder-snapshot");
    let out = std::process::Command::new(&tool)
        .arg(&shipped)
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("already snapshotted"),
        "{out:?}"
    );
    assert_eq!(std::fs::read(&shipped).unwrap(), before);

    // The snapshot holds the ready interpreter, not a session: nothing one
    // process defines is there for the next, and entropy is drawn afresh.
    let p = Project::new();
    p.run(&["py", "-c", "leftover = 1"]).ok();
    let out = p.run(&["py", "-c", "print('leftover' in globals())"]).ok();
    assert!(out.contains("False"), "{out}");
    let draw = "import random, os\nprint(random.random(), os.urandom(8).hex())";
    let (a, b) = (
        p.run(&["py", "-c", draw]).ok(),
        p.run(&["py", "-c", draw]).ok(),
    );
    assert_ne!(a, b, "random and os.urandom repeat across sessions");
}

#[test]
fn py_without_a_session_file_refuses_a_history_write_it_could_not_keep() {
    let p = Project::new();
    let code = "try:\n    app.message_history.add_message('user', 'hi')\nexcept RuntimeError as e:\n    print('caught:', e)";
    let out = p
        .run(&["py", "--grant", "history.read,history.write", "-c", code])
        .ok();
    assert!(
        out.contains(
            "caught: failed: history.write needs a session: `aicoder py` runs outside one"
        ),
        "{out}"
    );
    assert!(out.contains("point `--session` at a saved one"), "{out}");
    assert!(!out.contains("grant"), "no grant would help: {out}");
    let line = p.audit_for("history.write").pop().unwrap();
    assert_eq!(line["outcome"], "refused", "{line:#?}");
    assert!(!p.work().join(".aicoder/session.json").exists());
}
