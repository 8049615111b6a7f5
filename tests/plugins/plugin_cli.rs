//! The real `aicoder` binary with real plugin components: loading, calling,
//! grants, the audit log, the compile cache and refused files.

#![allow(clippy::unwrap_used)]

use aicoder_tests::{wasm, with_custom_section, Project};
use serde_json::{json, Value};

#[test]
fn example_plugin_loads_and_its_tool_and_command_run() {
    let p = Project::new();
    // The example is not shipped: tests install it.
    p.install(&wasm("example"), "example.wasm");
    let list = p.run(&["plugin", "list"]).ok();
    assert!(
        list.contains("example") && list.contains("project"),
        "{list}"
    );
    assert!(
        list.contains("workspace.write"),
        "ceiling comes from imports: {list}"
    );

    let out = p
        .run(&["plugin", "call", "example", "greet", r#"{"name":"Ann"}"#])
        .ok();
    assert_eq!(out.trim(), "Hello, Ann!");

    let out = p
        .run(&[
            "--grant",
            "example:workspace.read",
            "plugin",
            "command",
            "example",
            "where",
        ])
        .ok();
    assert_eq!(out.trim(), p.work().display().to_string());

    // Bad arguments are the plugin's typed error, not a crash.
    let err = p
        .run(&["plugin", "call", "example", "greet", "{not json"])
        .fails();
    assert!(err.contains("invalid arguments"), "{err}");
    let err = p.run(&["plugin", "call", "example", "fly", "{}"]).fails();
    assert!(err.contains("has no tool `fly`"), "{err}");
}

#[test]
fn piped_session_runs_plugin_commands_with_session_grants() {
    let p = Project::new();
    // The example is not shipped: tests install it.
    p.install(&wasm("example"), "example.wasm");
    let out = p
        .run_with_stdin(
            &["--grant", "example:history.write,history.read"],
            "/note remember the milk\n/plugins\n/quit\n",
        )
        .ok();
    assert!(out.contains("noted (2 messages)"), "{out}");
    assert!(
        out.contains("history.write(session)"),
        "/plugins shows grants: {out}"
    );
    let audit = p.audit();
    let append = audit.iter().find(|e| e["operation"] == "append").unwrap();
    assert_eq!(append["outcome"], "allowed");
    assert_eq!(append["scope"], "session");
    assert_eq!(
        append["new"]["message"]["content"],
        "Note: remember the milk"
    );
}

#[test]
fn denied_then_granted_with_audit_of_old_and_new_values() {
    let p = Project::new();
    // The example is not shipped: tests install it.
    p.install(&wasm("example"), "example.wasm");
    std::fs::create_dir(p.work().join("sub")).unwrap();
    let args = [
        "plugin",
        "call",
        "example",
        "change_dir",
        r#"{"path":"sub"}"#,
    ];

    let err = p.run(&args).fails();
    assert!(err.contains("permission denied: workspace.write"), "{err}");
    assert!(
        err.contains("aicoder plugin grant example workspace.write"),
        "the error says how to grant: {err}"
    );
    let audit = p.audit();
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0]["outcome"], "denied");
    assert_eq!(audit[0]["capability"], "workspace.write");
    assert_eq!(audit[0]["plugin"], "example");
    assert!(audit[0]["hash"].as_str().unwrap().len() == 64);

    p.run(&["plugin", "grant", "example", "workspace.write"])
        .ok();
    let out = p.run(&args).ok();
    assert!(out.contains("working directory is now"), "{out}");
    let last = p.audit().pop().unwrap();
    assert_eq!(last["outcome"], "allowed");
    assert_eq!(last["scope"], "always");
    assert_eq!(last["old"], Value::String(p.work().display().to_string()));
    assert_eq!(
        last["new"],
        Value::String(p.work().join("sub").display().to_string())
    );

    let shown = p.run(&["audit", "--plugin", "example"]).ok();
    assert!(
        shown.contains("denied") && shown.contains("allowed") && shown.contains("->"),
        "{shown}"
    );
}

#[test]
fn always_grants_persist_revoke_removes_and_a_changed_plugin_starts_without() {
    let p = Project::new();
    let original = std::fs::read(wasm("example")).unwrap();
    p.install_bytes(&original, "example.wasm"); // the user's copy shadows the shipped one
    let info = ["plugin", "call", "example", "project_info"];
    let all = "workspace.read,history.read,stats.read";

    p.run(&["plugin", "grant", "example", all]).ok();
    let out = p.run(&info).ok(); // a new process: the grant came from disk
    assert!(out.contains(": 1 messages"), "{out}");
    let grants = std::fs::read_to_string(p.home().join(".config/aicoder/grants.json")).unwrap();
    assert_eq!(
        serde_json::from_str::<Value>(&grants).unwrap()["grants"]
            .as_array()
            .unwrap()
            .len(),
        3
    );

    p.run(&["plugin", "revoke", "example", "stats.read"]).ok();
    let err = p.run(&info).fails();
    assert!(err.contains("stats.read"), "{err}");

    p.run(&["plugin", "grant", "example", "stats.read"]).ok();
    p.run(&info).ok();
    p.install_bytes(&with_custom_section(&original, "v2"), "example.wasm");
    let err = p.run(&info).fails();
    assert!(
        err.contains("permission denied: workspace.read"),
        "new hash, no inherited grants: {err}"
    );
}

#[test]
fn deny_scope_and_session_only_scopes_from_the_cli() {
    let p = Project::new();
    // The example is not shipped: tests install it.
    p.install(&wasm("example"), "example.wasm");
    p.run(&[
        "plugin",
        "grant",
        "example",
        "workspace.read",
        "--scope",
        "deny",
    ])
    .ok();
    let err = p.run(&[
        "--grant",
        "example:workspace.read",
        "plugin",
        "command",
        "example",
        "where",
    ]);
    // A session grant is narrower and more recent than the stored denial.
    assert_eq!(err.ok().trim(), p.work().display().to_string());
    let err = p.run(&["plugin", "command", "example", "where"]).fails();
    assert!(err.contains("you denied workspace.read"), "{err}");
    let err = p
        .run(&[
            "plugin",
            "grant",
            "example",
            "workspace.read",
            "--scope",
            "session",
        ])
        .fails();
    assert!(err.contains("--grant example:workspace.read"), "{err}");
    let err = p.run(&["plugin", "grant", "example", "teleport"]).fails();
    assert!(err.contains("unknown capability `teleport`"), "{err}");
}

#[test]
fn second_start_loads_from_the_cache() {
    let mut p = Project::new();
    // The example is not shipped: tests install it.
    p.install(&wasm("example"), "example.wasm");
    let cache = p.home().join(".cache");
    p.env("DEBUG", "1")
        .env("PLUGINS_ALLOW", "example")
        .env("XDG_CACHE_HOME", cache.to_str().unwrap());
    let first = p.run(&["plugin", "list"]);
    first.ok();
    assert!(
        first.stderr().contains("plugin example") && first.stderr().contains("compiled in"),
        "{}",
        first.stderr()
    );
    let second = p.run(&["plugin", "list"]);
    second.ok();
    let err = second.stderr();
    assert!(
        err.contains("plugin example")
            && err.contains("from cache, loaded on first use, manifest from cache"),
        "second start must not compile, hash or instantiate: {err}"
    );
    assert!(!err.contains("compiled"), "{err}");
    // The component still loads from the cache when it is first used.
    let third = p.run(&["plugin", "call", "example", "greet", r#"{"name":"C"}"#]);
    assert_eq!(third.ok().trim(), "Hello, C!");
    assert!(!third.stderr().contains("compiled"), "{}", third.stderr());
    let mut cached: Vec<String> = std::fs::read_dir(cache.join("aicoder"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    cached.sort();
    assert_eq!(cached.len(), 3, "artifact, record, index: {cached:?}");
    assert!(
        cached[0].ends_with(".cwasm")
            && cached[1].ends_with(".record.json")
            && cached[2] == "index"
    );
}

#[test]
fn bad_files_are_refused_by_name_and_reason_while_others_load() {
    let p = Project::new();
    // The example is not shipped: tests install it.
    p.install(&wasm("example"), "example.wasm");
    let unknown_import =
        wat::parse_str(r#"(component (import "evil:net/socket@1.0.0" (instance)))"#).unwrap();
    let future_major = wat::parse_str(
        r#"(component
             (import "aicoder:plugin/log@1.0.0" (instance))
             (instance $g)
             (export "aicoder:plugin/guest@1.0.0" (instance $g)))"#,
    )
    .unwrap();
    let core = wat::parse_str("(module)").unwrap();
    p.install_bytes(b"this is not wasm", "garbage.wasm");
    p.install_bytes(&core, "core.wasm");
    p.install_bytes(&unknown_import, "sneaky.wasm");
    p.install_bytes(&future_major, "future.wasm");
    p.install_bytes(b"\0asm\x0d\x00\x01\x00truncated", "torn.wasm");
    p.install_bytes(b"ignored", "_disabled.wasm");

    let run = p.run(&["plugin", "list"]);
    let out = run.ok();
    let err = run.stderr();
    assert!(
        out.contains("example"),
        "the good plugin still loads: {out}"
    );
    let expect = [
        ("garbage.wasm", "not a WebAssembly file"),
        ("core.wasm", "core WebAssembly module, not a component"),
        (
            "sneaky.wasm",
            "imports `evil:net/socket@1.0.0`, which this host does not provide",
        ),
        (
            "future.wasm",
            "aicoder:plugin@1.0.0, but this aicoder implements aicoder:plugin@0.2.0",
        ),
        ("torn.wasm", "not a valid component"),
    ];
    for (file, reason) in expect {
        let line = err
            .lines()
            .find(|l| l.contains(file))
            .unwrap_or_else(|| panic!("no message for {file}:\n{err}"));
        assert!(
            line.contains(reason),
            "{file}: expected {reason:?} in {line:?}"
        );
    }
    assert!(!err.contains("_disabled"), "{err}");
    // Each refusal is in the audit log too, with the same reason.
    let audit = p.audit();
    assert_eq!(audit.len(), expect.len(), "{audit:#?}");
    for (file, reason) in expect {
        let entry = audit.iter().find(|e| e["plugin"] == file).unwrap();
        assert_eq!(
            (&entry["plugin"], &entry["outcome"], &entry["operation"]),
            (&json!(file), &json!("refused"), &json!("load"))
        );
        assert!(
            entry["detail"].as_str().unwrap().contains(reason),
            "{entry}"
        );
    }
}

#[test]
fn inspect_reports_without_granting_anything() {
    let p = Project::new();
    let out = p
        .run(&["plugin", "inspect", wasm("example").to_str().unwrap()])
        .ok();
    for needle in [
        "contract:    aicoder:plugin@0.2.0",
        "example 0.1.0",
        "greet [requests auto-approval: not approved]",
        "/note",
        "on_session_change",
    ] {
        assert!(out.contains(needle), "missing {needle:?} in\n{out}");
    }
    assert!(
        out.contains("imports:     history, log, stats, workspace"),
        "{out}"
    );
    let err = p.run(&["plugin", "inspect", "/nonexistent.wasm"]).fails();
    assert!(
        err.contains("/nonexistent.wasm") && err.contains("cannot read"),
        "{err}"
    );
}

#[test]
fn plugins_deny_and_allow_filter_by_name() {
    let mut p = Project::new();
    // The example is not shipped: tests install it.
    p.install(&wasm("example"), "example.wasm");
    p.env("PLUGINS_DENY", "example");
    let out = p.run(&["plugin", "list"]).ok();
    assert!(!out.contains("example"), "{out}");
    let mut p = Project::new();
    p.install(&wasm("misbehave"), "misbehave.wasm");
    p.env("PLUGINS_ALLOW", "misbehave");
    let out = p.run(&["plugin", "list"]).ok();
    assert!(
        out.contains("misbehave") && !out.contains("example "),
        "{out}"
    );
}

#[test]
fn version_and_corrupt_grants_file() {
    let p = Project::new();
    // The example is not shipped: tests install it.
    p.install(&wasm("example"), "example.wasm");
    assert!(p.run(&["--version"]).ok().starts_with("aicoder "));
    let grants = p.home().join(".config/aicoder/grants.json");
    std::fs::create_dir_all(grants.parent().unwrap()).unwrap();
    std::fs::write(&grants, "{oops").unwrap();
    let run = p.run(&["plugin", "list"]);
    run.ok();
    assert!(
        run.stderr().contains("grants.json is unreadable"),
        "{}",
        run.stderr()
    );
    let err = p.run(&["plugin", "grant", "example", "stats.read"]).fails();
    assert!(err.contains("fix or remove it"), "{err}");
    assert_eq!(
        std::fs::read_to_string(&grants).unwrap(),
        "{oops",
        "a corrupt file is never overwritten"
    );
}

#[test]
fn a_scaffolded_plugin_builds_tests_installs_and_runs() {
    // The SDK is not on crates.io yet: build against this checkout's.
    let p = Project::with_local_sdk();
    let out = p.run(&["plugin", "new", "notes_pad"]).ok();
    assert!(
        out.contains("cargo build --release --target wasm32-wasip2"),
        "{out}"
    );
    let krate = p.work().join("notes_pad");
    let cargo = |args: &[&str]| {
        let status = std::process::Command::new("cargo")
            .args(args)
            .current_dir(&krate)
            .env(
                "CARGO_TARGET_DIR",
                aicoder_tests::root().join("target/scaffold"),
            )
            .env_remove("RUSTUP_TOOLCHAIN")
            .status()
            .unwrap();
        assert!(status.success(), "cargo {args:?} failed in the scaffold");
    };
    cargo(&["build", "--release", "--target", "wasm32-wasip2"]);
    cargo(&["test", "--release"]);
    let wasm = aicoder_tests::root().join("target/scaffold/wasm32-wasip2/release/notes_pad.wasm");
    let out = p.run(&["plugin", "install", wasm.to_str().unwrap()]).ok();
    assert!(
        out.contains("it can ask for: workspace.read, workspace.write"),
        "{out}"
    );
    assert!(p.work().join(".aicoder/plugins/notes_pad.wasm").is_file());
    let out = p
        .run(&[
            "plugin",
            "call",
            "notes_pad",
            "notes_pad_shout",
            r#"{"text":"hi"}"#,
        ])
        .ok();
    assert_eq!(out.trim(), "HI!");
    // The command catches the denial and shows it.
    let out = p.run(&["plugin", "command", "notes_pad", "notes_pad"]).ok();
    assert!(
        out.contains("workspace: not granted: permission denied: workspace.read"),
        "{out}"
    );
    p.run(&["plugin", "grant", "notes_pad", "workspace.read"])
        .ok();
    let out = p.run(&["plugin", "command", "notes_pad", "notes_pad"]).ok();
    assert!(out.contains(&p.work().display().to_string()), "{out}");
    // And in a session, as a new user would use it.
    let out = p.run_with_stdin(&[], "/notes_pad\n/plugins\n").ok();
    assert!(
        out.contains(&format!("workspace: working in {}", p.work().display())),
        "{out}"
    );
    assert!(out.contains("workspace.read(always)"), "{out}");
    let err = p.run(&["plugin", "new", "Bad Name"]).fails();
    assert!(err.contains("must start with a lower-case letter"), "{err}");
}

#[test]
fn a_python_plugin_built_with_componentize_py_works_and_is_denied_like_any_other() {
    let path = aicoder_tests::root().join("target/py-plugins/word_stats.wasm");
    assert!(
        path.is_file(),
        "{} is missing: `make test` builds it (make py-plugins)",
        path.display()
    );
    let p = Project::new();
    let out = p.run(&["plugin", "install", path.to_str().unwrap()]).ok();
    assert!(out.contains("installed word_stats 0.1.0"), "{out}");
    let out = p
        .run(&[
            "plugin",
            "call",
            "word_stats",
            "word_stats",
            r#"{"text":"one two three\nfour"}"#,
        ])
        .ok();
    assert_eq!(out.trim(), "4 words, 2 lines, 18 characters");
    let err = p
        .run(&["plugin", "command", "word_stats", "pywhere"])
        .fails();
    assert!(err.contains("permission denied: workspace.read"), "{err}");
    let denied = p.audit().pop().unwrap();
    assert_eq!(
        (denied["plugin"].as_str(), denied["outcome"].as_str()),
        (Some("word_stats"), Some("denied"))
    );
    let out = p
        .run(&[
            "--grant",
            "word_stats:workspace.read",
            "plugin",
            "command",
            "word_stats",
            "pywhere",
        ])
        .ok();
    assert_eq!(
        out.trim(),
        format!("aicoder works in {}", p.work().display())
    );
    let err = p
        .run(&["plugin", "call", "word_stats", "word_stats", "{}"])
        .fails();
    assert!(err.contains("missing string field `text`"), "{err}");
}

/// A shipped folder holding copies of `names` (components only: no
/// manifest recorded beside them, as when `aicoder plugin precompile` never
/// ran), and a project whose compile cache is its own.
fn cold_shipped(names: &[&str]) -> (Project, std::path::PathBuf) {
    let mut p = Project::new();
    let shipped = p.dir.path().join("shipped");
    std::fs::create_dir_all(&shipped).unwrap();
    for name in names {
        std::fs::copy(wasm(name), shipped.join(format!("{name}.wasm"))).unwrap();
    }
    let cache = p.home().join(".cache");
    std::fs::create_dir_all(cache.join("aicoder")).unwrap();
    p.env("XDG_CACHE_HOME", cache.to_str().unwrap())
        .env("AICODER_SHIPPED_PLUGINS", shipped.to_str().unwrap());
    (p, cache.join("aicoder"))
}

fn compiled(cache: &std::path::Path) -> Vec<String> {
    std::fs::read_dir(cache)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".cwasm"))
        .collect()
}

#[test]
fn a_command_compiles_only_the_plugins_it_calls() {
    // Offline undo calls no plugin: a cold cache stays empty.
    let (p, cache) = cold_shipped(&["memory", "skills"]);
    let undo = p.run(&["audit", "undo", "--yes"]);
    undo.ok();
    assert_eq!(compiled(&cache), Vec::<String>::new(), "{}", undo.stderr());

    // `aicoder py` compiles python_runtime only. Its compiled code is taken
    // from the tests' shared cache when there (the record is not, so its
    // manifest is read), to keep this test cheap.
    let (p, cache) = cold_shipped(&["python_runtime", "memory", "skills"]);
    let shared = aicoder_tests::shared_cache().join("aicoder");
    for entry in std::fs::read_dir(&shared).into_iter().flatten().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(stem) = name.strip_suffix(".record.json") else {
            continue;
        };
        let record: Value =
            serde_json::from_slice(&std::fs::read(entry.path()).unwrap()).unwrap_or_default();
        let artifact = shared.join(format!("{stem}.cwasm"));
        if record["manifest"]["name"] == "python_runtime" && artifact.is_file() {
            std::fs::copy(&artifact, cache.join(format!("{stem}.cwasm"))).unwrap();
        }
    }
    let before = compiled(&cache);
    let run = p.run(&["py", "-c", "print(6 * 7)"]);
    assert_eq!(run.ok().trim(), "42");
    let err = run.stderr();
    assert!(
        !err.contains("compiling memory") && !err.contains("compiling skills"),
        "{err}"
    );
    let after = compiled(&cache);
    let new: Vec<_> = after.iter().filter(|n| !before.contains(n)).collect();
    assert!(
        new.len() <= 1,
        "only python_runtime may be compiled: {new:?}\n{err}"
    );
}
