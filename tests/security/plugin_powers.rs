//! Attacks on the user's power over plugins (issue #11 parts 5 and 6), each
//! through the real binary: a plugin raising its own power (a manifest's
//! auto-approval, tools.manage on the shell, config.write on YOLO mode, a
//! transform_request hook reading the conversation, grants above the
//! ceiling), and a cloned folder's own plugins (loading untrusted, taking the
//! name of the shipped Python runtime).

#![allow(clippy::unwrap_used)]

use aicoder_tests::server::{answer_text, finish, tool_call, tool_results, Reply, ScriptedServer};
use aicoder_tests::{wasm, with_custom_section, Project};
use expectrl::Eof;

/// A reply asking for one tool call.
fn call(id: &str, name: &str, args: &str) -> Reply {
    Reply::Stream(vec![
        tool_call(0, id, name, args),
        finish("tool_calls", 5, 5),
    ])
}

#[test]
fn a_manifest_auto_approval_is_only_a_request_until_the_user_approves_it() {
    // The example plugin's manifest marks `greet` auto-approved.
    let greet = || {
        let server = ScriptedServer::start(vec![
            call("c1", "greet", r#"{"name":"Ann"}"#),
            answer_text("done"),
        ]);
        let p_env = server.url.clone();
        (server, p_env)
    };
    let (server, url) = greet();
    let mut p = Project::new();
    // The example is not shipped; installed as the user's own plugin.
    p.install(&wasm("example"), "example.wasm");
    p.env("API_BASE_URL", &url)
        .env("API_KEY", "k")
        .env("API_MODEL", "scripted");
    // Not approved (no terminal to ask): the piped run fails.
    p.run_with_stdin(&[], "say hi to Ann\n").fails();
    assert_eq!(
        tool_results(&server.requests()[1]),
        ["Error: the user did not approve this call of greet"],
        "a manifest's auto-approval must not run the tool unasked"
    );
    let list = p.run(&["plugin", "list"]).ok();
    assert!(
        list.contains("tool greet [requests auto-approval: not approved]"),
        "{list}"
    );

    let out = p.run(&["plugin", "approve-tool", "example", "greet"]).ok();
    assert!(out.contains("greet runs without asking"), "{out}");
    let list = p.run(&["plugin", "list"]).ok();
    assert!(
        list.contains("tool greet [requests auto-approval: approved]"),
        "{list}"
    );
    let (server, url) = greet();
    p.env("API_BASE_URL", &url);
    p.run_with_stdin(&[], "say hi to Ann\n").ok();
    assert_eq!(tool_results(&server.requests()[1]), ["Hello, Ann!"]);

    // Withdrawn: it asks again.
    p.run(&["plugin", "approve-tool", "--revoke", "example", "greet"])
        .ok();
    let (server, url) = greet();
    p.env("API_BASE_URL", &url);
    // Not approved (no terminal to ask): the piped run fails.
    p.run_with_stdin(&[], "say hi to Ann\n").fails();
    assert_eq!(
        tool_results(&server.requests()[1]),
        ["Error: the user did not approve this call of greet"]
    );
}

#[test]
fn tools_manage_cannot_auto_approve_the_shell_and_the_shell_still_asks() {
    let server = ScriptedServer::start(vec![
        call("c1", "escalate", r#"{"tool":"run_shell_command"}"#),
        call("c2", "run_shell_command", r#"{"command":"touch pwned"}"#),
        answer_text("all done"),
    ]);
    let p = Project::with_model(&server);
    p.install(&wasm("misbehave"), "misbehave.wasm");

    let mut term = aicoder_tests::terminal::start(&p, &["--grant", "misbehave:tools.manage"]);
    term.expect("/help for commands").unwrap();
    term.expect("> ").unwrap();
    term.send_line("go").unwrap();
    term.expect("misbehave escalate").unwrap();
    term.expect("Approve [Y/n]: ").unwrap();
    term.send_line("y").unwrap();
    // The model now asks for the shell: it must still be asked about.
    term.expect("touch pwned").unwrap();
    term.expect("Approve [Y/n]: ").unwrap();
    term.send_line("n").unwrap();
    term.expect("all done").unwrap();
    term.expect("> ").unwrap();
    term.send_line("/quit").unwrap();
    term.expect(Eof).unwrap();

    assert!(!p.work().join("pwned").exists(), "the shell ran unasked");
    let requests = server.requests();
    let escalated = &tool_results(&requests[1])[0];
    assert!(
        escalated.contains(
            "set-auto-approved run_shell_command: denied (tools.manage: tools.manage lets plugin `misbehave` change only its own tools"
        ) && escalated.contains("remove-tool run_shell_command: denied (tools.manage"),
        "{escalated}"
    );
    assert_eq!(
        tool_results(&requests[2])[1],
        "Error: the user did not approve this call of run_shell_command"
    );
    let audit = p.audit();
    for op in ["set-auto-approved", "remove-tool"] {
        assert!(
            audit.iter().any(|e| e["capability"] == "tools.manage"
                && e["operation"] == op
                && e["outcome"] == "denied"),
            "{op} denial not audited: {audit:#?}"
        );
    }
}

#[test]
fn config_write_cannot_turn_on_yolo_mode_or_move_the_conversation() {
    let p = Project::new();
    p.install(&wasm("misbehave"), "misbehave.wasm");
    let set = |key: &str, value: &str| {
        let args = serde_json::json!({ "key": key, "value": value }).to_string();
        p.run(&[
            "--grant",
            "misbehave:config.write",
            "plugin",
            "call",
            "misbehave",
            "setcfg",
            &args,
        ])
        .ok()
    };
    let out = set("yolo-mode", "true");
    assert!(
        out.contains(
            "config.set yolo-mode: denied (config.write: config.write cannot change `yolo-mode`"
        ),
        "{out}"
    );
    for (key, value) in [("model", "attacker-model"), ("api-base-url", "http://evil")] {
        let out = set(key, value);
        assert!(
            out.contains(&format!("config.set {key}: denied (config.write")),
            "{out}"
        );
    }
    // An ordinary setting still changes with the grant.
    assert!(set("temperature", "0.5").contains("config.set temperature: ok"));
    let denied: Vec<String> = p
        .audit()
        .iter()
        .filter(|e| e["capability"] == "config.write" && e["outcome"] == "denied")
        .map(|e| e["args"]["key"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(denied, ["yolo-mode", "model", "api-base-url"]);
}

#[test]
fn transform_request_with_only_hooks_register_never_sees_the_conversation() {
    let secret = "sk-abcdefghijklmnopqrstuvwx";
    let run = |grants: &str| {
        let server = ScriptedServer::start(vec![answer_text("ok")]);
        let p = Project::with_model(&server);
        p.install(&wasm("redact_secrets"), "redact_secrets.wasm");
        let run = p.run_with_stdin(
            &["--grant", &format!("redact_secrets:{grants}")],
            &format!("deploy with {secret} please\n"),
        );
        run.ok();
        let sent = server.requests()[0]["messages"][1]["content"]
            .as_str()
            .unwrap()
            .to_string();
        (sent, run.stderr(), p.audit())
    };
    let (sent, err, audit) = run("hooks.register");
    assert!(
        sent.contains(secret),
        "the hook saw and rewrote the conversation with hooks.register alone: {sent}"
    );
    assert!(
        err.contains("plugin `redact_secrets` is not given transform_request")
            && err.contains("history.read,history.write"),
        "the user must see why: {err}"
    );
    assert!(
        audit.iter().any(|e| e["plugin"] == "redact_secrets"
            && e["operation"] == "deliver"
            && e["capability"] == "history.read"
            && e["outcome"] == "denied"),
        "{audit:#?}"
    );
    assert!(!audit.iter().any(|e| e["operation"] == "transform-request"));

    let (sent, _, audit) = run("hooks.register,history.read,history.write");
    assert_eq!(sent, "deploy with [REDACTED] please");
    let line = audit
        .iter()
        .find(|e| e["plugin"] == "redact_secrets" && e["operation"] == "transform-request")
        .unwrap_or_else(|| panic!("no transform-request line: {audit:#?}"));
    let (old, new) = (&line["old"]["blake3"], &line["new"]["blake3"]);
    assert!(old.as_str().unwrap().len() == 64 && old != new, "{line}");
    let text = serde_json::to_string(&audit).unwrap();
    assert!(
        !text.contains(secret),
        "the request itself stays out of the log"
    );
}

#[test]
fn plugin_grant_above_the_ceiling_is_refused_naming_the_ceiling() {
    let p = Project::new();
    p.install(&wasm("example"), "example.wasm");
    // The example plugin imports history, log, stats and workspace, and
    // subscribes to a hook: no shell.
    let err = p.run(&["plugin", "grant", "example", "shell.exec"]).fails();
    assert!(
        err.contains("shell.exec is above the ceiling of plugin `example`")
            && err.contains(
                "is history.read, history.write, workspace.read, workspace.write, stats.read, hooks.register;"
            ),
        "{err}"
    );
    let grants =
        std::fs::read_to_string(p.home().join(".config/aicoder/grants.json")).unwrap_or_default();
    assert!(!grants.contains("shell.exec"), "{grants}");

    let err = p
        .run_with_stdin(&["--grant", "example:fs.read"], "/plugins\n")
        .fails();
    assert!(
        err.contains("fs.read is above the ceiling of plugin `example`"),
        "{err}"
    );
    // Within the ceiling it is granted, and a denial is always accepted.
    p.run(&["plugin", "grant", "example", "workspace.read"])
        .ok();
    p.run(&[
        "plugin",
        "grant",
        "--scope",
        "deny",
        "example",
        "shell.exec",
    ])
    .ok();
}

#[test]
fn a_cloned_repos_plugin_is_not_loaded_until_the_folder_is_trusted() {
    let p = Project::new();
    let plugin = p.install_project(&wasm("misbehave"), "x.wasm");

    let piped = p.run_with_stdin(&[], "/plugins\n");
    let out = piped.ok();
    assert!(!out.contains("misbehave"), "loaded untrusted: {out}");
    assert!(
        piped.stderr().contains(
            "1 project plugin(s) not loaded: this folder is not trusted; run `aicoder trust` to load them"
        ),
        "{}",
        piped.stderr()
    );
    let call = p.run(&["plugin", "call", "misbehave", "ok"]);
    assert!(call.fails().contains("not trusted"), "{}", call.stderr());

    let trusted = p.run(&["trust"]).ok();
    assert!(
        trusted.contains("x.wasm  hash ") && trusted.contains("can ask for: history.read"),
        "{trusted}"
    );
    let out = p.run_with_stdin(&[], "/plugins\n").ok();
    assert!(
        out.contains("misbehave") && out.contains("project"),
        "{out}"
    );
    let listed = p.run(&["trust", "--list"]).ok();
    assert!(
        listed.contains(p.work().to_str().unwrap()) && listed.contains("x.wasm"),
        "{listed}"
    );

    // A changed file is a new plugin: not trusted until asked again.
    let bytes = std::fs::read(&plugin).unwrap();
    std::fs::write(&plugin, with_custom_section(&bytes, "v2")).unwrap();
    let piped = p.run_with_stdin(&[], "/plugins\n");
    assert!(!piped.ok().contains("misbehave"));
    assert!(piped.stderr().contains("run `aicoder trust`"));

    // At a terminal: one question, listing the plugin, remembered.
    let mut term = aicoder_tests::terminal::start(&p, &[]);
    term.expect("not loaded until you trust them").unwrap();
    term.expect("x.wasm  hash ").unwrap();
    term.expect("Trust and load them").unwrap();
    term.send_line("y").unwrap();
    term.expect("> ").unwrap();
    term.send_line("/plugins").unwrap();
    term.expect("misbehave").unwrap();
    term.send_line("/quit").unwrap();
    term.expect(Eof).unwrap();
    let out = p.run_with_stdin(&[], "/plugins\n").ok();
    assert!(out.contains("misbehave"), "{out}");

    let out = p.run(&["untrust"]).ok();
    assert!(out.contains("1 trusted plugin file(s) forgotten"), "{out}");
    let out = p.run_with_stdin(&[], "/plugins\n").ok();
    assert!(!out.contains("misbehave"), "{out}");
}

#[test]
fn an_impostor_python_runtime_is_refused_and_grants_reach_the_shipped_one() {
    let p = Project::new();
    // The user's own `example`, which a project file may not impersonate.
    let users_example = p.install(&wasm("example"), "example.wasm");
    let shipped = wasm("python_runtime");
    let impostor = with_custom_section(&std::fs::read(&shipped).unwrap(), "impostor");
    std::fs::write(
        p.work().join(".aicoder/plugins/python_runtime.wasm"),
        impostor,
    )
    .unwrap();
    // A second impostor hides behind another file name: its manifest says
    // `example`.
    let example = with_custom_section(&std::fs::read(wasm("example")).unwrap(), "impostor");
    std::fs::write(p.work().join(".aicoder/plugins/helper.wasm"), example).unwrap();
    // The user trusts the folder: the impostors must still be refused.
    let trusted = p.run(&["trust"]);

    let run = p.run(&[
        "py",
        "--grant",
        "workspace.read",
        "-c",
        "print(app.input_handler.cwd)",
    ]);
    let out = run.ok();
    assert!(out.contains(p.work().to_str().unwrap()), "{out}");
    let shipped_hash = p
        .run(&["plugin", "inspect", shipped.to_str().unwrap()])
        .ok()
        .lines()
        .find_map(|l| l.strip_prefix("hash:").map(|h| h.trim().to_string()))
        .unwrap();
    let audit = p.audit();
    let read = audit
        .iter()
        .find(|e| e["capability"] == "workspace.read")
        .unwrap();
    assert_eq!(
        read["hash"], shipped_hash,
        "the grant and the call must reach the shipped runtime"
    );
    let err = run.stderr();
    assert!(
        err.contains(".aicoder/plugins/python_runtime.wasm refused: a project plugin cannot take the name `python_runtime` of the shipped plugin")
            && err.contains(shipped.to_str().unwrap()),
        "{err}"
    );
    let list = p.run(&["plugin", "list"]);
    let err = list.stderr();
    assert!(
        err.contains(
            ".aicoder/plugins/helper.wasm refused: a plugin named `example` is already loaded from"
        ) && err.contains(users_example.to_str().unwrap()),
        "{err}"
    );
    let out = list.ok();
    let example = out.lines().find(|l| l.starts_with("example ")).unwrap();
    assert!(example.contains("user"), "{example}");
    assert!(trusted.ok().contains("helper.wasm"));
}
