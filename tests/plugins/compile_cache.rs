//! The compile cache and `aicoder plugin call` through the real binary: a
//! refused component is never compiled nor cached, a call prints its summary
//! and refuses a history write it could not keep, and the cache keeps two
//! versions of a plugin until `cache clean` empties it.

#![allow(clippy::unwrap_used)]

use aicoder_tests::server::{answer_text, ScriptedServer};
use aicoder_tests::{wasm, Project};

#[test]
fn a_refused_component_is_never_compiled_nor_cached() {
    let mut p = Project::new();
    let cache = p.dir.path().join("cache");
    p.env("XDG_CACHE_HOME", cache.to_str().unwrap());
    let sneaky = p.dir.path().join("sneaky.wasm");
    std::fs::write(
        &sneaky,
        wat::parse_str(
            r#"(component
                 (import "evil:net/socket@1.0.0" (instance))
                 (instance $g)
                 (export "aicoder:plugin/guest@0.1.0" (instance $g)))"#,
        )
        .unwrap(),
    )
    .unwrap();
    let err = p
        .run(&["plugin", "inspect", sneaky.to_str().unwrap()])
        .fails();
    assert!(
        err.contains("imports `evil:net/socket@1.0.0`, which this host does not provide"),
        "{err}"
    );
    let cached: Vec<String> = std::fs::read_dir(cache.join("aicoder"))
        .map(|dir| {
            dir.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    assert!(
        !cached.iter().any(|f| f.ends_with(".cwasm")),
        "a refused file was compiled into the cache: {cached:?}"
    );
}

#[test]
fn plugin_call_prints_the_summary_and_refuses_a_history_write_outside_a_session() {
    let server = ScriptedServer::start(vec![answer_text("noted it")]);
    let p = Project::with_model(&server);
    p.install(&wasm("example"), "example.wasm");
    p.run(&[
        "plugin",
        "grant",
        "example",
        "workspace.read,history.read,stats.read,history.write",
    ])
    .ok();
    let info = ["plugin", "call", "example", "project_info"];
    let summary = p.run(&info).ok();
    assert_eq!(
        summary.trim(),
        format!("{}: 1 messages", p.work().display())
    );
    let detail = p
        .run(&["plugin", "call", "--detail", "example", "project_info"])
        .ok();
    assert!(detail.contains("tokens sent: 0"), "{detail}");

    // Granted, but `plugin command` has no conversation to keep a note in:
    // refused before anything changes, with the reason and what to do.
    let run = p.run(&["plugin", "command", "example", "note", "buy", "milk"]);
    let err = run.fails();
    assert!(!run.stdout().contains("noted"), "{}", run.stdout());
    assert!(
        err.contains("history.write needs a session")
            && err.contains("`plugin command` runs outside one, so nothing would be kept")
            && err.contains("run /note inside `aicoder` instead"),
        "{err}"
    );
    assert!(!err.contains("grant"), "no grant would help: {err}");
    let writes: Vec<_> = p
        .audit()
        .into_iter()
        .filter(|e| e["capability"] == "history.write")
        .collect();
    assert_eq!(writes.len(), 1, "{writes:#?}");
    assert_eq!(writes[0]["operation"], "append");
    assert_eq!(writes[0]["outcome"], "refused");
    assert!(
        writes[0]["detail"]
            .as_str()
            .unwrap()
            .contains("history.write needs a session"),
        "{writes:#?}"
    );
    assert!(writes[0].get("new").is_none(), "{writes:#?}");

    // The same command in a session (piped) is kept: the model sees the note.
    let out = p
        .run_with_stdin(&[], "/note buy milk\nwhat did I note?\n")
        .ok();
    assert!(out.contains("noted ("), "{out}");
    let sent = server.requests()[0]["messages"].to_string();
    assert!(sent.contains("Note: buy milk"), "{sent}");
    let kept = p
        .audit()
        .into_iter()
        .rfind(|e| e["capability"] == "history.write")
        .unwrap();
    assert_eq!(kept["outcome"], "allowed", "{kept:#?}");
}

#[test]
fn the_cache_keeps_two_versions_of_a_plugin_and_cache_clean_empties_it() {
    let mut p = Project::new();
    let cache = p.dir.path().join("cache");
    p.env("XDG_CACHE_HOME", cache.to_str().unwrap())
        .env("PLUGINS_ALLOW", "example")
        .env("DEBUG", "1");
    let original = std::fs::read(aicoder_tests::wasm("example")).unwrap();
    let artifacts = || -> usize {
        std::fs::read_dir(cache.join("aicoder"))
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .ends_with(".cwasm")
            })
            .count()
    };
    for version in 1..=3 {
        let changed = aicoder_tests::with_custom_section(&original, &format!("v{version}"));
        p.install_bytes(&changed, "example.wasm");
        let run = p.run(&["plugin", "list"]);
        run.ok();
        assert!(run.stderr().contains("compiled in"), "{}", run.stderr());
        assert_eq!(artifacts(), version.min(2), "after version {version}");
    }
    let out = p.run(&["cache", "clean"]).ok();
    assert!(out.contains("removed 2 compiled plugin(s)"), "{out}");
    assert_eq!(artifacts(), 0);
    // And the next start compiles again.
    let run = p.run(&["plugin", "list"]);
    run.ok();
    assert!(run.stderr().contains("compiled in"), "{}", run.stderr());
}
