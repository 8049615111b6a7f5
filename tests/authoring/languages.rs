//! Plugin authoring in Rust, JavaScript and Python, end to end: `aicoder plugin
//! new --lang L --caps log,workspace.read` writes a project, the language's own
//! toolchain builds it (componentize-js and componentize-py from the registries,
//! installed by `make test` into target/), and the real binary installs it and
//! shows its exact ceiling, a denial the plugin catches, a thrown error as the
//! call's error, a crash reported with the guest's own message, and the grant
//! that then works.

#![allow(clippy::unwrap_used)]

use aicoder_tests::server::{answer_text, finish, tool_call, tool_results, Reply, ScriptedServer};
use aicoder_tests::{root, run_ok, Project};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// Run a build or test step of the scaffold; its time is printed (not asserted).
fn step(what: &str, cmd: &mut Command) {
    let started = Instant::now();
    run_ok(what, cmd);
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
) -> PathBuf {
    // Inside this repository a Rust project builds against the SDK here, not
    // the crates.io release: `plugin new` writes that as a [patch].
    let p = Project::with_local_sdk();
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
        err.contains("invalid arguments: missing") && err.contains("field `text`"),
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
    wasm
}

/// Build a Rust scaffold in `dir` (a shared target dir keeps it quick).
fn cargo_build(dir: &Path, target: &Path) -> PathBuf {
    let cargo = |what: &str, args: &[&str]| {
        step(
            what,
            Command::new("cargo")
                .args(args)
                .current_dir(dir)
                .env("CARGO_TARGET_DIR", target)
                .env_remove("RUSTUP_TOOLCHAIN"),
        )
    };
    cargo(
        "rust build",
        &["build", "--release", "--target", "wasm32-wasip2"],
    );
    cargo("rust test", &["test", "--release"]);
    let name = dir.file_name().unwrap().to_str().unwrap();
    target.join(format!("wasm32-wasip2/release/{name}.wasm"))
}

#[test]
fn a_rust_plugin_from_the_scaffold() {
    let target = root().join("target/scaffold");
    let wasm = scaffold_build_and_check(
        "rust",
        "rs_author",
        |dir| {
            // A version dependency, patched to this checkout only by the
            // .cargo/config.toml that AICODER_SDK_PATH asked for.
            let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
            let version = format!("aicoder-plugin-sdk = \"{}\"", env!("CARGO_PKG_VERSION"));
            assert!(manifest.contains(&version), "{manifest}");
            assert!(!manifest.contains("path ="), "{manifest}");
            let patch = std::fs::read_to_string(dir.join(".cargo/config.toml")).unwrap();
            let sdk = root().join("guest-sdk").canonicalize().unwrap();
            assert!(
                patch.contains("[patch.crates-io]") && patch.contains(sdk.to_str().unwrap()),
                "{patch}"
            );
            replace_once(
                &dir.join("src/lib.rs"),
                "                let Shout { text } = args.parse()?;\n",
                "                let Shout { text } = args.parse()?;\n                \
                 if text == \"night\" { return Err(PluginError::Failed(\"no shouting at night\".into())); }\n                \
                 if text == \"crash\" { panic!(\"crash requested by the test\"); }\n",
            );
            cargo_build(dir, &target)
        },
        "crash requested by the test",
    );

    // In a session: the model sees the schema derived from the `Shout`
    // struct, and the plugin's `&mut self` state lasts between calls.
    let server = ScriptedServer::start(vec![
        Reply::Stream(vec![
            tool_call(0, "c1", "rs_author_shout", r#"{"text":"one"}"#),
            finish("tool_calls", 3, 2),
        ]),
        Reply::Stream(vec![
            tool_call(0, "c2", "rs_author_shout", r#"{"text":"two"}"#),
            finish("tool_calls", 3, 2),
        ]),
        answer_text("shouted twice"),
    ]);
    let mut p = Project::with_model(&server);
    p.env("YOLO_MODE", "1");
    p.install(&wasm, "rs_author.wasm");
    p.run_with_stdin(&[], "shout twice\n").ok();
    let requests = server.requests();
    let last = requests.last().unwrap();
    assert_eq!(
        tool_results(last),
        [
            "ONE! (shout 1 in this session)",
            "TWO! (shout 2 in this session)"
        ],
        "{last}"
    );
    let tools = &requests[0]["tools"];
    let shout = tools
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["function"]["name"] == "rs_author_shout")
        .unwrap_or_else(|| panic!("rs_author_shout is offered: {tools}"));
    let parameters = &shout["function"]["parameters"];
    assert_eq!(
        parameters["required"],
        serde_json::json!(["text"]),
        "{parameters}"
    );
    assert_eq!(
        parameters["properties"]["text"]["description"], "Text to shout.",
        "{parameters}"
    );
}

/// Without AICODER_SDK_PATH a Rust project names the SDK release and nothing
/// on this machine.
#[test]
fn a_rust_project_depends_on_the_sdk_release_only() {
    let p = Project::new();
    p.run(&["plugin", "new", "plain", "--lang", "rust"]).ok();
    let dir = p.work().join("plain");
    let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
    assert!(
        manifest.contains(&format!(
            "aicoder-plugin-sdk = \"{}\"",
            env!("CARGO_PKG_VERSION")
        )),
        "{manifest}"
    );
    assert!(!manifest.contains("path"), "{manifest}");
    assert!(!dir.join(".cargo").exists());

    let mut p = Project::new();
    p.env(
        "AICODER_SDK_PATH",
        p.work().join("nowhere").to_str().unwrap(),
    );
    let err = p.run(&["plugin", "new", "lost", "--lang", "rust"]).fails();
    assert!(
        err.contains("AICODER_SDK_PATH") && err.contains("nowhere"),
        "{err}"
    );
    assert!(!p.work().join("lost").exists());
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

/// Every capability interface of the contract, in each language: the
/// project builds, its component's ceiling is exactly what `plugin new`
/// promised, and its status command reaches every interface (each denied,
/// as nothing is granted) without a name error. `data-write` once came out
/// as `const data-write = ...` in JavaScript, and the newer interfaces
/// called `shell` instead, so the ceiling said one thing and the code did
/// another.
#[test]
fn every_contract_interface_builds_in_each_language() {
    // One capability of every contract interface, read from the table, so
    // a new interface is built in every language without editing this test
    // (wasi:http is not part of the contract: net.fetch needs no scaffold).
    let mut interfaces = Vec::new();
    let mut picked = Vec::new();
    for cap in aicoder::caps::Capability::ALL {
        if !cap.interface().starts_with("wasi:") && !interfaces.contains(&cap.interface()) {
            interfaces.push(cap.interface());
            picked.push(cap.name());
        }
    }
    assert!(picked.len() >= 17, "{picked:?}");
    let all = picked.join(",");
    let node_modules = toolchain("target/js-toolchain/node_modules");
    let componentize_py = toolchain("target/py-venv/bin/componentize-py");
    // With the hand-written status calls, then with only those written from
    // the WIT (what an interface without a hand-written one gets).
    for (lang, mode) in ["rust", "js", "python"]
        .into_iter()
        .flat_map(|lang| [(lang, "usual"), (lang, "generated")])
    {
        let mut p = Project::with_local_sdk();
        if mode == "generated" {
            p.env("AICODER_SCAFFOLD_STATUS", "generated");
        }
        let name = format!("every_{lang}_{mode}");
        let out = p
            .run(&["plugin", "new", &name, "--lang", lang, "--caps", &all])
            .ok();
        let promised = out
            .lines()
            .find_map(|l| l.trim().strip_prefix("ceiling: "))
            .unwrap_or_else(|| panic!("{lang}: no ceiling in {out}"))
            .to_string();
        assert!(!promised.contains("net.fetch"), "{promised}");
        let dir = p.work().join(&name);
        let wasm = match lang {
            "rust" => cargo_build(&dir, &root().join("target/scaffold")),
            "js" => {
                std::os::unix::fs::symlink(&node_modules, dir.join("node_modules")).unwrap();
                step(
                    "js build",
                    Command::new("npm").args(["run", "build"]).current_dir(&dir),
                );
                dir.join(format!("{name}.wasm"))
            }
            _ => {
                step(
                    "python build",
                    Command::new(&componentize_py)
                        .args(["-d", "wit", "-w", "plugin", "componentize", "app"])
                        .args(["-o", &format!("{name}.wasm")])
                        .current_dir(&dir),
                );
                dir.join(format!("{name}.wasm"))
            }
        };
        let out = p.run(&["plugin", "install", wasm.to_str().unwrap()]).ok();
        assert!(
            out.contains(&format!("ceiling:     {promised}\n")),
            "{lang} {mode}: promised {promised}, installed:\n{out}"
        );
        let out = p.run(&["plugin", "command", &name, &name]).ok();
        // prompt.write is refused outside a session whatever the grants: a
        // host error the status helper shows, not a denial.
        assert!(
            out.to_lowercase()
                .contains("\nprompt: failed: prompt.write needs a session"),
            "{lang}: {out}"
        );
        // Every interface whose status call a grant can refuse was refused
        // (the log is always granted, hooks' usual call reads the event
        // names, and prompt.write failed above).
        for label in interfaces
            .iter()
            .filter(|i| !["log", "hooks", "prompt"].contains(i))
        {
            assert!(
                out.contains(&format!("\n{label}: not granted: permission denied: ")),
                "{lang} {mode}: {label}:\n{out}"
            );
        }
        assert!(out.contains("hooks: "), "{lang}: {out}");
        assert!(out.contains("log: "), "{lang}: {out}");
    }
}

/// The Rust example in the guide's "The SDK" section is a plugin that builds,
/// with the ceiling its calls give it and the typed arguments it declares.
#[test]
fn the_guides_sdk_example_builds() {
    let guide = std::fs::read_to_string(root().join("docs/plugin-guide.md")).unwrap();
    let section = guide
        .split("## The SDK\n")
        .nth(1)
        .expect("docs/plugin-guide.md has a section \"The SDK\"");
    let code = section
        .split("```rust\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("a rust block in \"The SDK\"");
    let p = Project::with_local_sdk();
    p.run(&["plugin", "new", "guide_notes", "--lang", "rust"])
        .ok();
    let dir = p.work().join("guide_notes");
    std::fs::write(dir.join("src/lib.rs"), code).unwrap();
    let wasm = cargo_build(&dir, &root().join("target/scaffold"));
    let out = p.run(&["plugin", "install", wasm.to_str().unwrap()]).ok();
    assert!(
        out.contains("ceiling:     history.read, history.write, hooks.register\n"),
        "{out}"
    );
    let err = p
        .run(&[
            "plugin",
            "call",
            "notes",
            "add_note",
            r#"{"important":true}"#,
        ])
        .fails();
    assert!(err.contains("missing field `text`"), "{err}");
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
