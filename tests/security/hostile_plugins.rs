//! Hostile plugins, through the real host and the real `misbehave` component:
//! one that calls every host function without a grant, one that tries to
//! leave the working directory through `fs`, one that sends huge and deeply
//! nested data across the boundary. In each case the host stays up, the
//! plugin gets a clear answer, the audit log records it, the app state is
//! untouched and the other plugin is unaffected. (The sandbox limits are in
//! sandbox.rs.)

#![allow(clippy::unwrap_used)]

use aicoder::caps::grants::Scope;
use aicoder::caps::{Capability, HostFn};
use aicoder::plugins::PluginHost;
use serde_json::Value;
use std::path::Path;

fn host(cwd: &Path) -> PluginHost {
    aicoder_tests::default_host(cwd, &["misbehave", "example"])
}

fn grant(host: &PluginHost, capabilities: &[&str]) {
    let id = host.plugin("misbehave").unwrap().id.clone();
    for name in capabilities {
        let capability = Capability::parse(name).unwrap();
        host.services()
            .grants()
            .grant(&id, capability, Scope::Session)
            .unwrap();
    }
}

fn audit(cwd: &Path) -> Vec<Value> {
    std::fs::read_to_string(cwd.join("audit.jsonl"))
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// What a session's state looks like from outside, to show nothing changed.
fn fingerprint(host: &PluginHost) -> String {
    let state = host.services().state();
    let messages: Vec<Value> = state.messages.iter().map(|m| m.to_api()).collect();
    let tools: Vec<(String, bool, bool)> = state
        .tools
        .values()
        .map(|t| (t.name.clone(), t.auto_approved, t.offered))
        .collect();
    format!(
        "{messages:?} {:?} {} {} {tools:?} {:?} {:?}",
        state.cwd,
        state.config.model,
        state.config.temperature,
        state.hook_subscriptions,
        state.plugins
    )
}

fn other_plugin_still_works(host: &mut PluginHost) {
    let greeting = host
        .call_tool("example", "greet", r#"{"name":"Ann"}"#)
        .unwrap()
        .detail;
    assert_eq!(greeting, "Hello, Ann!");
}

#[test]
fn every_host_function_without_a_grant_is_denied_audited_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let cwd = dir.path().canonicalize().unwrap();
    let mut host = host(&cwd);
    let before = fingerprint(&host);

    let report = host
        .call_tool("misbehave", "trespass", "{}")
        .unwrap()
        .detail;
    // Every host function a grant guards, from the capability table (whose
    // own test checks `trespass` calls each one).
    let expected: Vec<(&str, &str)> = HostFn::ALL
        .iter()
        .map(|f| (f.qualified_name(), f.capability().name()))
        .collect();
    for &(op, capability) in &expected {
        let line = format!("{op}: denied ({capability})");
        assert!(report.lines().any(|l| l == line), "{line:?} in\n{report}");
    }
    // Offering or withdrawing its own tool needs no grant (and is audited),
    // but `pwned` is no tool of its own: the call reaches the lookup and
    // finds nothing to change.
    assert!(
        report
            .lines()
            .any(|l| l.starts_with("tools.set-own-tool-offered: not-found")),
        "{report}"
    );

    let entries = audit(&cwd);
    let mut denied: Vec<(&str, &str)> = entries
        .iter()
        .filter(|e| e["outcome"] == "denied")
        .map(|e| {
            (
                e["capability"].as_str().unwrap(),
                e["operation"].as_str().unwrap(),
            )
        })
        .collect();
    denied.sort();
    // One denied line per function, with the table's capability and the WIT
    // function's name as the operation.
    let mut wanted: Vec<(&str, &str)> = HostFn::ALL
        .iter()
        .map(|f| (f.capability().name(), f.name()))
        .collect();
    wanted.sort();
    assert_eq!(denied, wanted, "{entries:?}");
    assert_eq!(entries.len(), expected.len() + 1);
    let own: Vec<&Value> = entries
        .iter()
        .filter(|e| e["capability"] == "tools.own")
        .collect();
    assert_eq!(own.len(), 1);
    assert_eq!(own[0]["outcome"], "failed");

    // The calls' text is `pwned` (trespass_calls(), written from wit/):
    // nothing may differ, and no file of that name may appear.
    assert_eq!(fingerprint(&host), before, "the app state changed");
    assert!(!cwd.join("pwned").exists());
    other_plugin_still_works(&mut host);
}

#[test]
fn fs_never_leaves_the_working_directory() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    let (cwd, outside) = (root.join("work"), root.join("outside"));
    std::fs::create_dir_all(cwd.join("sub")).unwrap();
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("secret.txt"), "secret").unwrap();
    std::fs::write(cwd.join("inside.txt"), "inside").unwrap();
    let link = |target: &Path, name: &str| std::os::unix::fs::symlink(target, cwd.join(name));
    link(&outside, "link_dir").unwrap();
    link(&outside.join("secret.txt"), "link_file").unwrap();
    link(&outside.join("new.txt"), "dangling").unwrap();
    link(Path::new("../outside"), "relative_link").unwrap();
    std::os::unix::fs::symlink("../../outside", cwd.join("sub/up")).unwrap();

    let mut host = host(&cwd);
    grant(&host, &["fs.read", "fs.write"]);
    let secret = outside.join("secret.txt");
    let escapes = [
        "../outside/secret.txt".to_string(),
        secret.display().to_string(),
        "/etc/passwd".into(),
        "/".into(),
        "..".into(),
        "sub/../../outside/secret.txt".into(),
        "./../outside".into(),
        "link_dir/secret.txt".into(),
        "link_dir".into(),
        "link_file".into(),
        "dangling".into(),
        "relative_link/secret.txt".into(),
        "sub/up/secret.txt".into(),
        "sub/up/new.txt".into(),
        "inside.txt\0/../../outside/secret.txt".into(),
    ];
    let mut paths = escapes.to_vec();
    paths.push("inside.txt".into());
    let args = serde_json::json!({ "paths": paths }).to_string();
    let report = host.call_tool("misbehave", "escape", &args).unwrap().detail;
    let lines: Vec<&str> = report.lines().collect();
    assert_eq!(lines.len(), paths.len(), "{report}");
    for (path, line) in escapes.iter().zip(&lines) {
        assert!(
            line.starts_with(path.as_str()) && !line.contains(" ok"),
            "an escape succeeded: {line}"
        );
    }
    // The control: inside the working directory, fs works.
    assert_eq!(
        lines.last().unwrap(),
        &"inside.txt: read ok; write ok; list failed (inside.txt: Not a directory (os error 20))"
    );

    // Nothing outside was read into the plugin, changed or created.
    assert!(!report.contains("secret\n"), "{report}");
    assert_eq!(std::fs::read_to_string(&secret).unwrap(), "secret");
    let outside_now: Vec<_> = std::fs::read_dir(&outside).unwrap().collect();
    assert_eq!(outside_now.len(), 1, "a file appeared outside");
    // Every refused attempt is in the log, none as allowed.
    let fs_entries: Vec<Value> = audit(&cwd)
        .into_iter()
        .filter(|e| e["capability"].as_str().unwrap().starts_with("fs."))
        .collect();
    assert_eq!(fs_entries.len(), 3 * paths.len());
    let allowed: Vec<&Value> = fs_entries
        .iter()
        .filter(|e| e["outcome"] == "allowed")
        .collect();
    assert_eq!(allowed.len(), 2, "{allowed:?}");
    assert!(allowed.iter().all(|e| e["args"]["path"] == "inside.txt"));
    other_plugin_still_works(&mut host);
}

#[test]
fn huge_and_deeply_nested_data_is_refused_or_cut_and_the_log_stays_small() {
    let dir = tempfile::tempdir().unwrap();
    let cwd = dir.path().canonicalize().unwrap();
    let mut host = host(&cwd);
    grant(
        &host,
        &[
            "tools.manage",
            "config.write",
            "history.write",
            "workspace.write",
        ],
    );
    let before = fingerprint(&host);

    let depth = 100_000;
    let result = host
        .call_tool("misbehave", "deep", &format!(r#"{{"depth":{depth}}}"#))
        .unwrap();
    let summary = result.summary;
    for expected in [
        "deep schema: invalid (parameters are not valid JSON: recursion limit exceeded",
        "big schema: invalid (the parameter schema is 200037 bytes; the longest allowed is 65536)",
        "long description: invalid (the description is 200000 bytes; the longest allowed is 16384)",
        "config.set: invalid (temperature must be a number",
        "history.append: invalid (the message is 8388608 bytes; a plugin may write at most 1048576)",
        "set-cwd: invalid (the path is 8388608 bytes; the longest allowed is 4096)",
    ] {
        assert!(summary.contains(expected), "{expected:?} in\n{}", &summary[..summary.len().min(2000)]);
    }
    // The nested result comes back whole: it is text to the host, never parsed.
    assert_eq!(result.detail.len(), 2 * depth);
    assert_eq!(fingerprint(&host), before, "the app state changed");

    // The audit log holds every attempt, each argument cut to a bounded copy.
    let log_size = std::fs::metadata(cwd.join("audit.jsonl")).unwrap().len();
    let entries = audit(&cwd);
    assert_eq!(entries.len(), 6);
    assert!(entries.iter().all(|e| e["outcome"] == "failed"));
    assert!(
        log_size < 64 << 10,
        "the audit log grew to {log_size} bytes"
    );
    assert!(
        entries[4]["args"]["content"]
            .as_str()
            .unwrap()
            .ends_with("… [8388608 bytes in all]"),
        "{}",
        entries[4]["args"]
    );
    // The 8 MB log line was cut too.
    let log_line = host.services().state().plugin_log.last().unwrap().clone();
    assert!(log_line.message.len() < 5000, "{}", log_line.message.len());

    // Past the output cap (1 MiB), a result is cut with a note.
    let result = host
        .call_tool("misbehave", "deep", r#"{"depth":1000000}"#)
        .unwrap();
    assert!(
        result.detail.len() < (1 << 20) + 100,
        "{}",
        result.detail.len()
    );
    assert!(result.detail.ends_with("bytes cut at the output cap]"));
    other_plugin_still_works(&mut host);
}

#[test]
fn a_session_goes_on_through_hostile_plugin_tools() {
    use aicoder_tests::server::{
        answer_text, finish, tool_call, tool_results, Reply, ScriptedServer,
    };
    let calls = |calls: &[(&str, &str, &str)]| {
        let mut events: Vec<Value> = calls
            .iter()
            .enumerate()
            .map(|(i, (id, name, args))| tool_call(u32::try_from(i).unwrap(), id, name, args))
            .collect();
        events.push(finish("tool_calls", 5, 5));
        Reply::Stream(events)
    };
    let server = ScriptedServer::start(vec![
        calls(&[
            ("c1", "spin", "{}"),
            ("c2", "crash", "{}"),
            ("c3", "trespass", "{}"),
        ]),
        calls(&[("c4", "hog", "{}"), ("c5", "greet", r#"{"name":"Ann"}"#)]),
        answer_text("still here"),
    ]);
    let mut p = aicoder_tests::Project::with_model(&server);
    p.install(&aicoder_tests::wasm("misbehave"), "misbehave.wasm");
    // The example is not shipped: installed beside the misbehaving plugin.
    p.install(&aicoder_tests::wasm("example"), "example.wasm");
    p.env("YOLO_MODE", "1")
        .env("PLUGIN_TIMEOUT_MS", "1000")
        .env("PLUGIN_MEMORY_MB", "64");
    let out = p.run_with_stdin(&[], "try the plugins\n").ok();
    assert!(out.contains("still here"), "{out}");

    let requests = server.requests();
    let results = tool_results(&requests[2]);
    assert_eq!(results.len(), 5);
    let expected = [
        "ran past its deadline of 1000 ms",
        "it crashed",
        "shell.exec: denied (shell.exec)",
        "memory ceiling of 64 MiB",
        "Hello, Ann!",
    ];
    for (result, expected) in results.iter().zip(expected) {
        assert!(result.contains(expected), "{expected:?} in {result}");
    }
    // misbehave's lines only: the shipped hook plugins (memory, skills, ...)
    // have their ungranted deliveries audited too.
    let audit: Vec<_> = p
        .audit()
        .into_iter()
        .filter(|e| e["plugin"] == "misbehave")
        .collect();
    let stopped = audit.iter().filter(|e| e["outcome"] == "stopped").count();
    let denied = |op: bool| {
        audit
            .iter()
            .filter(|e| e["plugin"] == "misbehave")
            .filter(|e| e["outcome"] == "denied" && (e["operation"] == "deliver") == op)
            .count()
    };
    // Every guarded host function from `trespass`; and its
    // after_tool_results hook was not delivered (no hooks.register) after
    // either batch of tools.
    assert_eq!(
        (stopped, denied(false), denied(true)),
        (3, HostFn::ALL.len(), 2),
        "{audit:#?}"
    );
}
