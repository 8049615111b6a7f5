//! Plugin authoring in Rust, JavaScript and Python, end to end: `aicoder plugin
//! new --lang L --caps log,workspace.read` writes a project, the language's own
//! toolchain builds it (componentize-js and componentize-py from the registries,
//! installed by `make test` into target/), and the real binary installs it and
//! shows its exact ceiling, a denial the plugin catches, a thrown error as the
//! call's error, a crash reported with the guest's own message, and the grant
//! that then works.

#![allow(clippy::unwrap_used)]

use aicoder_tests::server::{answer_text, ScriptedServer};
use aicoder_tests::{root, wasm, Project};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// Run a build or test step of the scaffold; its time is printed (not asserted).
fn step(what: &str, cmd: &mut Command) {
    let started = Instant::now();
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{what} failed: {:?}\nstdout:\n{}\nstderr:\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    eprintln!("{what}: {:.1} s", started.elapsed().as_secs_f64());
}

fn replace_once(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert_eq!(
        text.matches(from).count(),
        1,
        "{from:?} in {}",
        path.display()
    );
    std::fs::write(path, text.replace(from, to)).unwrap();
}

/// A toolchain `make test` installs; the test says how when it is missing.
fn toolchain(path: &str) -> PathBuf {
    let path = root().join(path);
    assert!(
        path.exists(),
        "{} is missing: `make test` installs it (make authoring-toolchains)",
        path.display()
    );
    path
}

/// Scaffold `name` in `lang`, let `build` patch and build it into a component,
/// then check what every language must do the same way.
fn scaffold_build_and_check(
    lang: &str,
    name: &str,
    build: impl FnOnce(&Path) -> PathBuf,
    crash_message: &str,
) {
    let p = Project::new();
    let out = p
        .run(&[
            "plugin",
            "new",
            name,
            "--lang",
            lang,
            "--caps",
            "log,workspace.read",
        ])
        .ok();
    assert!(
        out.contains("ceiling: log, workspace.read, workspace.write"),
        "{out}"
    );
    let dir = p.work().join(name);
    assert!(dir.join("README.md").is_file());
    let wasm = build(&dir);
    let size = std::fs::metadata(&wasm).unwrap().len();
    eprintln!("{lang} component: {:.1} MB", size as f64 / 1e6);

    // The ceiling is exactly the interfaces asked for.
    let out = p.run(&["plugin", "install", wasm.to_str().unwrap()]).ok();
    assert!(
        out.contains("imports:     log, workspace\n"),
        "{lang}: {out}"
    );
    assert!(
        out.contains("ceiling:     log, workspace.read, workspace.write\n"),
        "{lang}: {out}"
    );

    let tool = format!("{name}_shout");
    let out = p
        .run(&["plugin", "call", name, &tool, r#"{"text":"hi"}"#])
        .ok();
    assert_eq!(out.trim(), "HI!", "{lang}");
    let err = p.run(&["plugin", "call", name, &tool, "{}"]).fails();
    assert!(
        err.contains("invalid arguments: missing string field `text`"),
        "{lang}: {err}"
    );

    // A denial is an exception the plugin catches; it names the capability
    // and how to grant it.
    let out = p.run(&["plugin", "command", name, name]).ok();
    assert!(
        out.contains("log: wrote a line to the plugin log"),
        "{lang}: {out}"
    );
    assert!(
        out.contains("workspace: not granted: permission denied: workspace.read")
            && out.contains(&format!("aicoder plugin grant {name} workspace.read")),
        "{lang}: {out}"
    );
    let audit = p.audit();
    assert!(
        audit.iter().any(|e| e["plugin"] == name
            && e["capability"] == "workspace.read"
            && e["outcome"] == "denied"),
        "{lang}: {audit:?}"
    );

    // A thrown error is the call's error, with its message.
    let err = p
        .run(&["plugin", "call", name, &tool, r#"{"text":"night"}"#])
        .fails();
    assert!(err.contains("no shouting at night"), "{lang}: {err}");
    assert!(!err.contains("was stopped"), "{lang}: {err}");

    // A crash says what the guest said, to the user and in the audit log.
    let err = p
        .run(&["plugin", "call", name, &tool, r#"{"text":"crash"}"#])
        .fails();
    assert!(
        err.contains("was stopped: it crashed") && err.contains(crash_message),
        "{lang}: {err}"
    );
    let stopped = p.audit().pop().unwrap();
    assert_eq!(stopped["outcome"], "stopped", "{lang}: {stopped}");
    assert!(
        stopped.to_string().contains(crash_message),
        "{lang}: {stopped}"
    );

    // The grant, then the same call works.
    p.run(&["plugin", "grant", name, "workspace.read"]).ok();
    let out = p.run(&["plugin", "command", name, name]).ok();
    assert!(
        out.contains(&format!("workspace: working in {}", p.work().display())),
        "{lang}: {out}"
    );
}

#[test]
fn a_rust_plugin_from_the_scaffold() {
    let target = root().join("target/scaffold");
    scaffold_build_and_check(
        "rust",
        "rs_author",
        |dir| {
            replace_once(
                &dir.join("src/lib.rs"),
                "        match name {\n",
                "        match name {\n            _ if args.str(\"text\")? == \"night\" => \
                 Err(PluginError::Failed(\"no shouting at night\".into())),\n            \
                 _ if args.str(\"text\")? == \"crash\" => panic!(\"crash requested by the test\"),\n",
            );
            let cargo = |what: &str, args: &[&str]| {
                step(
                    what,
                    Command::new("cargo")
                        .args(args)
                        .current_dir(dir)
                        .env("CARGO_TARGET_DIR", &target)
                        .env_remove("RUSTUP_TOOLCHAIN"),
                )
            };
            cargo(
                "rust build",
                &["build", "--release", "--target", "wasm32-wasip2"],
            );
            cargo("rust test", &["test", "--release"]);
            target.join("wasm32-wasip2/release/rs_author.wasm")
        },
        "crash requested by the test",
    );
}

#[test]
fn a_javascript_plugin_from_the_scaffold() {
    let node_modules = toolchain("target/js-toolchain/node_modules");
    scaffold_build_and_check(
        "js",
        "js_author",
        |dir| {
            replace_once(
                &dir.join("src/plugin.js"),
                "    return shout(args.text);",
                "    if (args.text === 'night') throw new Error('no shouting at night');\n    \
                 if (args.text === 'crash') return 5; // a bug: not a string\n    \
                 return shout(args.text);",
            );
            // The pinned toolchain, installed once by `make test`.
            std::os::unix::fs::symlink(&node_modules, dir.join("node_modules")).unwrap();
            step(
                "js build",
                Command::new("npm").args(["run", "build"]).current_dir(dir),
            );
            step(
                "js test",
                Command::new("npm").args(["test"]).current_dir(dir),
            );
            dir.join("js_author.wasm")
        },
        "expected a string, received [undefined]",
    );
}

#[test]
fn a_python_plugin_from_the_scaffold() {
    let componentize_py = toolchain("target/py-venv/bin/componentize-py");
    scaffold_build_and_check(
        "python",
        "py_author",
        |dir| {
            replace_once(
                &dir.join("app.py"),
                "        return shout(args[\"text\"])",
                "        if args[\"text\"] == \"night\":\n            \
                 raise RuntimeError(\"no shouting at night\")\n        \
                 if args[\"text\"] == \"crash\":\n            \
                 return 5  # a bug: not a str\n        \
                 return shout(args[\"text\"])",
            );
            step(
                "python build",
                Command::new(&componentize_py)
                    .args(["-d", "wit", "-w", "plugin", "componentize", "app"])
                    .args(["-o", "py_author.wasm"])
                    .current_dir(dir),
            );
            step(
                "python test",
                Command::new("python3")
                    .args(["-m", "unittest"])
                    .current_dir(dir),
            );
            dir.join("py_author.wasm")
        },
        "'int' object has no attribute",
    );
}

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

/// Every text file under `dir`, concatenated.
fn project_text(dir: &Path, out: &mut String) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            project_text(&path, out);
        } else if let Ok(text) = std::fs::read_to_string(&path) {
            out.push_str(&text);
        }
    }
}

#[test]
fn the_guide_shows_the_code_the_scaffold_writes() {
    let guide = std::fs::read_to_string(root().join("docs/plugin-guide.md")).unwrap();
    let chapters = guide
        .split("## Rust plugins")
        .nth(1)
        .expect("docs/plugin-guide.md has the language chapters");
    let mut checked = 0;
    for lang in ["rust", "js", "python"] {
        let p = Project::new();
        p.run(&["plugin", "new", "hello", "--lang", lang]).ok();
        let mut project = String::new();
        project_text(&p.work().join("hello"), &mut project);
        for block in chapters.split(&format!("```{lang}\n")).skip(1) {
            let code = block.split("```").next().unwrap();
            for line in code.lines().map(str::trim).filter(|l| !l.is_empty()) {
                assert!(
                    project.contains(line),
                    "docs/plugin-guide.md shows `{line}` ({lang}), which `plugin new` no longer writes"
                );
                checked += 1;
            }
        }
    }
    assert!(checked >= 15, "{checked}");
}
