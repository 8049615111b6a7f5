//! `aicoder plugin new NAME --lang rust|js|python --caps ...`: a plugin project
//! that builds with its language's own toolchain and whose component imports
//! exactly the capability interfaces asked for, so its ceiling is exact.
//!
//! The files are templates under `cli/templates/`; `@NAME@`, `@CAPS@`,
//! `@CEILING@`, `@IMPORTS@` and `@STATUS@` are filled in here.

use crate::caps::{Capability, INTERFACES};
use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};

/// The languages `plugin new` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Lang {
    /// A crate using the aicoder-plugin-sdk (cargo).
    Rust,
    /// A componentize-js project (npm).
    Js,
    /// A componentize-py project (pip).
    Python,
}

/// Capabilities a new plugin imports when `--caps` is not given.
pub const DEFAULT_CAPS: &str = "log,workspace.read";

/// The SDK release a new Rust project depends on: the one made from this
/// source tree (the SDK shares the workspace's version).
const SDK_VERSION: &str = env!("CARGO_PKG_VERSION");

/// A local SDK checkout to build against instead of the crates.io release:
/// `AICODER_SDK_PATH`, set by aicoder's own tests and by SDK developers.
/// A new project gets it as a `[patch]` in `.cargo/config.toml`, never as a
/// path in its Cargo.toml.
fn local_sdk() -> Result<Option<PathBuf>> {
    let Some(path) = std::env::var_os("AICODER_SDK_PATH").map(PathBuf::from) else {
        return Ok(None);
    };
    let path = path.canonicalize().with_context(|| {
        format!(
            "AICODER_SDK_PATH is {}, which does not exist; point it at a checkout's guest-sdk folder or unset it",
            path.display()
        )
    })?;
    if !path.join("Cargo.toml").is_file() {
        bail!(
            "AICODER_SDK_PATH is {}, which holds no Cargo.toml; point it at a checkout's guest-sdk folder",
            path.display()
        );
    }
    Ok(Some(path))
}

fn valid(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && name.len() <= 64
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// The capability interfaces `caps` (comma-separated capability names) need,
/// in the contract's order.
pub fn interfaces_for(caps: &str) -> Result<Vec<&'static str>> {
    let mut wanted = Vec::new();
    for name in caps.split(',').map(str::trim).filter(|c| !c.is_empty()) {
        let Some(cap) = Capability::parse(name) else {
            let known: Vec<&str> = Capability::ALL.iter().map(|c| c.name()).collect();
            bail!(
                "unknown capability `{name}` in --caps; known: {}",
                known.join(", ")
            );
        };
        let iface = cap.interface();
        if iface.contains(':') {
            // A WASI interface (net.fetch is wasi:http): each language reaches
            // it through its own HTTP library, which these templates do not
            // set up.
            bail!(
                "`plugin new` cannot add `{name}` yet: it is the WASI interface {iface}, which \
                 each language reaches through its own HTTP client; make the project without it, \
                 then import {iface} in the world by hand (docs/plugin-guide.md, \"Network access\"; \
                 plugins/web is a Rust example)"
            );
        }
        wanted.push(iface);
    }
    if wanted.is_empty() {
        bail!("--caps names no capability; give at least one, e.g. --caps {DEFAULT_CAPS}");
    }
    Ok(INTERFACES
        .iter()
        .map(|(iface, _)| *iface)
        .filter(|iface| wanted.contains(iface))
        .collect())
}

// The contract's WIT files (`CONTRACT_WIT`, listed by host/build.rs), copied
// into JS and Python projects as the dependency `wit/deps/aicoder-plugin/`.
include!(concat!(env!("OUT_DIR"), "/contract_wit.rs"));

/// A world importing exactly `interfaces` and exporting the guest interface.
fn world_wit(interfaces: &[&str]) -> String {
    let version = crate::plugins::contract::VERSION;
    let mut wit = String::from(
        "// The interfaces this plugin imports are its ceiling: the capabilities it can\n\
         // ever be granted. Add one (see deps/aicoder-plugin/) to widen it.\n\
         package local:plugin;\n\nworld plugin {\n",
    );
    for iface in interfaces {
        wit.push_str(&format!("    import aicoder:plugin/{iface}@{version};\n"));
    }
    wit.push_str(&format!("    export aicoder:plugin/guest@{version};\n}}\n"));
    wit
}

/// The name an interface's module gets in JavaScript (`dataWrite`) and in
/// Python (`data_write`); WIT names may hold `-`, identifiers may not. The
/// names come from `INTERFACE_NAMES`, written by host/build.rs with the same
/// functions as the status calls that use them.
fn js_ident(iface: &str) -> &str {
    names(iface).map_or(iface, |(js, _)| js)
}

fn py_ident(iface: &str) -> &str {
    names(iface).map_or(iface, |(_, py)| py)
}

fn names(iface: &str) -> Option<(&'static str, &'static str)> {
    INTERFACE_NAMES
        .iter()
        .find(|(wit, ..)| *wit == iface)
        .map(|&(_, js, py)| (js, py))
}

// `GENERATED_STATUS`: a status call into each interface, written from wit/
// by host/build.rs.
include!(concat!(env!("OUT_DIR"), "/scaffold_status.rs"));

/// The status call for `iface`: the hand-written one below, else the one
/// written from the WIT. `AICODER_SCAFFOLD_STATUS=generated` always takes
/// the written one (aicoder's own tests build those in each language).
fn status_for(iface: &str) -> Option<(&'static str, &'static str, &'static str)> {
    let generated = || {
        GENERATED_STATUS
            .iter()
            .find(|(i, ..)| *i == iface)
            .map(|&(_, rust, js, py)| (rust, js, py))
    };
    if std::env::var_os("AICODER_SCAFFOLD_STATUS").is_some_and(|v| v == "generated") {
        return generated();
    }
    status_call(iface).or_else(generated)
}

/// One status line per interface: (Rust, JavaScript, Python) code that calls
/// one of its functions, so the component imports it (a Rust build drops an
/// interface it never calls, which would narrow the ceiling asked for).
/// Hand-written for a friendlier line; `None` for an interface without one.
fn status_call(iface: &str) -> Option<(&'static str, &'static str, &'static str)> {
    Some(match iface {
        "log" => (
            r#"    log::info("status asked");
    lines.push("log: wrote a line to the plugin log".to_string());"#,
            r#"  log.write('info', 'status asked');
  lines.push('log: wrote a line to the plugin log');"#,
            r#"    log.write(log.Level.INFO, "status asked")
    lines.append("log: wrote a line to the plugin log")"#,
        ),
        "history" => (
            r#"    lines.push(report("history", history::count().map(|n| format!("{n} messages"))));"#,
            r#"  report('history', () => `${history.count()} messages`);"#,
            r#"    report("history", lambda: f"{history.count()} messages")"#,
        ),
        "workspace" => (
            r#"    lines.push(report("workspace", workspace::get_cwd().map(|cwd| format!("working in {cwd}"))));"#,
            r#"  report('workspace', () => `working in ${workspace.getCwd()}`);"#,
            r#"    report("workspace", lambda: f"working in {workspace.get_cwd()}")"#,
        ),
        "stats" => (
            r#"    lines.push(report("stats", stats::get_stats().map(|s| format!("{} model requests", s.api_requests))));"#,
            r#"  report('stats', () => `${stats.getStats().apiRequests} model requests`);"#,
            r#"    report("stats", lambda: f"{stats.get_stats().api_requests} model requests")"#,
        ),
        "tools" => (
            r#"    lines.push(report("tools", tools::list_tools().map(|t| format!("{} tools", t.len()))));"#,
            r#"  report('tools', () => `${tools.listTools().length} tools`);"#,
            r#"    report("tools", lambda: f"{len(tools.list_tools())} tools")"#,
        ),
        "plugins" => (
            r#"    lines.push(report("plugins", plugins::list_plugins().map(|p| format!("{} plugins", p.len()))));"#,
            r#"  report('plugins', () => `${plugins.listPlugins().length} plugins`);"#,
            r#"    report("plugins", lambda: f"{len(plugins.list_plugins())} plugins")"#,
        ),
        "config" => (
            r#"    lines.push(report("config", config::keys().map(|k| format!("{} settings", k.len()))));"#,
            r#"  report('config', () => `${config.keys().length} settings`);"#,
            r#"    report("config", lambda: f"{len(config.keys())} settings")"#,
        ),
        "hooks" => (
            r#"    lines.push(format!("hooks: {} known events", hooks::known_events().len()));"#,
            r#"  report('hooks', () => `${hooks.knownEvents().length} known events`);"#,
            r#"    report("hooks", lambda: f"{len(hooks.known_events())} known events")"#,
        ),
        "fs" => (
            r#"    lines.push(report("fs", fs::list_dir(".").map(|e| format!("{} entries here", e.len()))));"#,
            r#"  report('fs', () => `${fs.listDir('.').length} entries here`);"#,
            r#"    report("fs", lambda: f"{len(fs.list_dir('.'))} entries here")"#,
        ),
        "shell" => (
            r#"    lines.push(report("shell", shell::exec("echo hello", Some(5_000)).map(|o| format!("echo says {}", o.stdout.trim()))));"#,
            r#"  report('shell', () => `echo says ${shell.exec('echo hello', 5000).stdout.trim()}`);"#,
            r#"    report("shell", lambda: f"echo says {shell.exec('echo hello', 5000).stdout.strip()}")"#,
        ),
        "prompt" => (
            r#"    lines.push(report("prompt", prompt::set_section("status", "").map(|()| "cleared its `status` prompt section".to_string())));"#,
            r#"  report('prompt', () => { prompt.setSection('status', ''); return 'cleared its `status` prompt section'; });"#,
            r#"    report("prompt", lambda: prompt.set_section("status", "") or "cleared its `status` prompt section")"#,
        ),
        "data" => (
            r#"    lines.push(report("data", data::list_dir(data::Area::Project, "").map(|e| format!("{} entries in its data folder", e.len()))));"#,
            r#"  report('data', () => `${data.listDir('project', '').length} entries in its data folder`);"#,
            r#"    report("data", lambda: f"{len(data.list_dir(data.Area.PROJECT, ''))} entries in its data folder")"#,
        ),
        "data-write" => (
            r#"    lines.push(report("data-write", data::write_file("status.txt", "asked").map(|()| "wrote status.txt in its data folder".to_string())));"#,
            r#"  report('data-write', () => { dataWrite.writeFile('status.txt', 'asked'); return 'wrote status.txt in its data folder'; });"#,
            r#"    report("data-write", lambda: data_write.write_file("status.txt", "asked") or "wrote status.txt in its data folder")"#,
        ),
        "ui" => (
            r#"    lines.push(report("ui", ui::ask("Is this plugin useful?", &["yes".to_string(), "no".to_string()]).map(|a| format!("you answered {a}"))));"#,
            r#"  report('ui', () => `you answered ${ui.ask('Is this plugin useful?', ['yes', 'no'])}`);"#,
            r#"    report("ui", lambda: f"you answered {ui.ask('Is this plugin useful?', ['yes', 'no'])}")"#,
        ),
        "ui-bell" => (
            r#"    lines.push(report("ui-bell", ui::bell().map(|()| "rang the bell".to_string())));"#,
            r#"  report('ui-bell', () => { uiBell.bell(); return 'rang the bell'; });"#,
            r#"    report("ui-bell", lambda: ui_bell.bell() or "rang the bell")"#,
        ),
        "ui-clipboard" => (
            r#"    lines.push(report("ui-clipboard", ui::set_clipboard("hello").map(|()| "put hello on the clipboard".to_string())));"#,
            r#"  report('ui-clipboard', () => { uiClipboard.setClipboard('hello'); return 'put hello on the clipboard'; });"#,
            r#"    report("ui-clipboard", lambda: ui_clipboard.set_clipboard("hello") or "put hello on the clipboard")"#,
        ),
        "process" => (
            r#"    lines.push(report("process", process::list_jobs().map(|j| format!("{} background jobs", j.len()))));"#,
            r#"  report('process', () => `${process.listJobs().length} background jobs`);"#,
            r#"    report("process", lambda: f"{len(process.list_jobs())} background jobs")"#,
        ),
        _ => return None,
    })
}

/// What `new_plugin` wrote.
#[derive(Debug)]
pub struct Scaffold {
    /// The project folder.
    pub dir: PathBuf,
    /// The capabilities the component's imports allow at most.
    pub ceiling: Vec<&'static str>,
    /// For a Rust project made with `AICODER_SDK_PATH`: the SDK checkout its
    /// `.cargo/config.toml` patches the dependency to.
    pub sdk: Option<PathBuf>,
}

/// Write a plugin project for `lang` into `./NAME`, importing the interfaces
/// of `caps`.
pub fn new_plugin(name: &str, lang: Lang, caps: &str) -> Result<Scaffold> {
    if !valid(name) {
        bail!("plugin name {name:?} must start with a lower-case letter and use only a-z, 0-9 and `_`");
    }
    let interfaces = interfaces_for(caps)?;
    let dir = std::env::current_dir()?.join(name);
    if dir.exists() {
        bail!(
            "{} already exists; choose another name or remove it",
            dir.display()
        );
    }
    let ceiling: Vec<&'static str> = crate::caps::ceiling(interfaces.iter().copied())
        .into_iter()
        .map(Capability::name)
        .collect();
    let fill = |template: &str, imports: &str, status: &str| {
        template
            .replace("@NAME@", name)
            .replace("@CAPS@", &interfaces.join(", "))
            .replace("@CEILING@", &ceiling.join(", "))
            .replace("@IMPORTS@", imports)
            .replace("@STATUS@", status)
    };
    let calls = interfaces
        .iter()
        .map(|i| {
            status_for(i).with_context(|| format!("`plugin new` has no status call for `{i}`"))
        })
        .collect::<Result<Vec<_>>>()?;
    let mut files: Vec<(String, String)> = Vec::new();
    let mut sdk = None;
    match lang {
        Lang::Rust => {
            let status: Vec<&str> = calls.iter().map(|c| c.0).collect();
            files.push((
                "Cargo.toml".into(),
                fill(include_str!("templates/rust/Cargo.toml"), "", "")
                    .replace("@SDK_VERSION@", SDK_VERSION),
            ));
            sdk = local_sdk()?;
            if let Some(sdk) = &sdk {
                files.push((
                    ".cargo/config.toml".into(),
                    include_str!("templates/rust/cargo-config.toml")
                        .replace("@SDK_PATH@", &toml_string(&sdk.display().to_string())),
                ));
            }
            files.push((
                "rust-toolchain.toml".into(),
                include_str!("templates/rust/toolchain.toml").into(),
            ));
            files.push((
                "src/lib.rs".into(),
                fill(
                    include_str!("templates/rust/lib.rs"),
                    "",
                    &status.join("\n"),
                ),
            ));
            files.push((
                "README.md".into(),
                fill(include_str!("templates/rust/README.md"), "", ""),
            ));
            files.push((".gitignore".into(), "target/\n".into()));
        }
        Lang::Js => {
            let version = crate::plugins::contract::VERSION;
            let imports: Vec<String> = interfaces
                .iter()
                .map(|i| {
                    let js = js_ident(i);
                    format!(
                        "import * as {js}Imports from 'aicoder:plugin/{i}@{version}';\n\
                         const {js} = hostCalls({js}Imports);"
                    )
                })
                .collect();
            let status: Vec<&str> = calls.iter().map(|c| c.1).collect();
            let fill_js = |t: &str| fill(t, &imports.join("\n"), &status.join("\n"));
            files.push((
                "package.json".into(),
                fill_js(include_str!("templates/js/package.json")),
            ));
            files.push((
                "src/plugin.js".into(),
                fill_js(include_str!("templates/js/plugin.js")),
            ));
            files.push((
                "src/aicoder.js".into(),
                include_str!("templates/js/aicoder.js").into(),
            ));
            files.push((
                "src/logic.js".into(),
                include_str!("templates/js/logic.js").into(),
            ));
            files.push((
                "src/logic.test.js".into(),
                include_str!("templates/js/logic.test.js").into(),
            ));
            files.push((
                "README.md".into(),
                fill_js(include_str!("templates/js/README.md")),
            ));
            files.push((
                ".gitignore".into(),
                include_str!("templates/js/gitignore").into(),
            ));
        }
        Lang::Python => {
            let imports: Vec<String> = interfaces
                .iter()
                .map(|i| {
                    let py = py_ident(i);
                    format!("from wit_world.imports import {py} as _{py}\n{py} = host_calls(_{py})")
                })
                .collect();
            let status: Vec<&str> = calls.iter().map(|c| c.2).collect();
            let fill_py = |t: &str| fill(t, &imports.join("\n"), &status.join("\n"));
            files.push((
                "app.py".into(),
                fill_py(include_str!("templates/python/app.py")),
            ));
            files.push((
                "aicoder.py".into(),
                include_str!("templates/python/aicoder.py").into(),
            ));
            files.push((
                "logic.py".into(),
                include_str!("templates/python/logic.py").into(),
            ));
            files.push((
                "test_logic.py".into(),
                include_str!("templates/python/test_logic.py").into(),
            ));
            files.push((
                "requirements.txt".into(),
                include_str!("templates/python/requirements.txt").into(),
            ));
            files.push((
                "README.md".into(),
                fill_py(include_str!("templates/python/README.md")),
            ));
            files.push((
                ".gitignore".into(),
                include_str!("templates/python/gitignore").into(),
            ));
        }
    }
    if lang != Lang::Rust {
        files.push(("wit/world.wit".into(), world_wit(&interfaces)));
        for (file, text) in CONTRACT_WIT.iter().copied() {
            files.push((format!("wit/deps/aicoder-plugin/{file}"), text.into()));
        }
    }
    for (file, text) in files {
        let path = dir.join(&file);
        crate::util::atomic_write(&path, text.as_bytes())
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(Scaffold { dir, ceiling, sdk })
}

/// `text` as a TOML string literal, escaped by the toml crate.
fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

/// Where a new Rust project's SDK comes from, and how to change it.
fn sdk_note(name: &str, sdk: Option<&Path>) -> String {
    if let Some(path) = sdk {
        return format!(
            "sdk: aicoder-plugin-sdk is patched to {} ({name}/.cargo/config.toml; delete it to use the crates.io release)",
            path.display()
        );
    }
    // The checkout this binary was built from, if it is still there, is the
    // likeliest SDK to offer; it is only named, never written anywhere.
    let built_from = Path::new(env!("CARGO_MANIFEST_DIR")).join("../guest-sdk");
    let checkout = built_from
        .canonicalize()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|_| "<aicoder checkout>/guest-sdk".to_string());
    format!(
        "sdk: aicoder-plugin-sdk {SDK_VERSION} from crates.io; to build against a checkout instead \
         (e.g. before the release is published), make the project with \
         AICODER_SDK_PATH={checkout} aicoder plugin new ..."
    )
}

/// The commands that build, test and install a new project, for the user;
/// `sdk` is [`Scaffold::sdk`].
pub fn next_steps(name: &str, lang: Lang, sdk: Option<&Path>) -> String {
    match lang {
        Lang::Rust => format!(
            "  cd {name}\n  cargo build --release --target wasm32-wasip2\n  cargo test\n  \
             aicoder plugin install target/wasm32-wasip2/release/{name}.wasm\n{}",
            sdk_note(name, sdk)
        ),
        Lang::Js => format!(
            "  cd {name}\n  npm install\n  npm run build\n  npm test\n  aicoder plugin install {name}.wasm"
        ),
        Lang::Python => format!(
            "  cd {name}\n  python3 -m venv .venv && .venv/bin/pip install -r requirements.txt\n  \
             .venv/bin/componentize-py -d wit -w plugin componentize app -o {name}.wasm\n  \
             python3 -m unittest\n  aicoder plugin install {name}.wasm"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every `wit/*.wit` is copied (the list is generated, so a new
    /// interface file needs no edit here).
    #[test]
    fn the_scaffold_copies_every_wit_file() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../wit");
        let mut on_disk: Vec<String> = std::fs::read_dir(dir)
            .expect("wit/")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".wit"))
            .collect();
        on_disk.sort();
        let copied: Vec<String> = CONTRACT_WIT.iter().map(|(n, _)| n.to_string()).collect();
        assert_eq!(copied, on_disk);
        assert!(CONTRACT_WIT
            .iter()
            .all(|(_, text)| text.contains("package aicoder:plugin")));
    }

    #[test]
    fn caps_map_to_interfaces_in_contract_order() {
        assert_eq!(
            interfaces_for("workspace.read, log,history.write,history.read").expect("valid"),
            ["log", "history", "workspace"]
        );
        let e = interfaces_for("log,teleport").expect_err("unknown");
        assert!(e.to_string().contains("`teleport`"), "{e}");
        assert!(interfaces_for(" , ").is_err());
    }

    #[test]
    fn the_world_imports_exactly_the_chosen_interfaces() {
        let wit = world_wit(&["log", "fs"]);
        assert!(wit.contains("import aicoder:plugin/log@0.2.0;"), "{wit}");
        assert!(wit.contains("import aicoder:plugin/fs@0.2.0;"), "{wit}");
        assert_eq!(wit.matches("import ").count(), 2, "{wit}");
        assert!(wit.contains("export aicoder:plugin/guest@0.2.0;"), "{wit}");
    }

    /// Every interface has a status call, hand-written or written from the
    /// WIT, and each call reaches only its own interface: a call into
    /// another one would change the ceiling the project was asked for (new
    /// interfaces once fell through to `shell`).
    #[test]
    fn every_interface_has_a_status_call_into_itself_only() {
        for (iface, _) in INTERFACES.iter().filter(|(i, _)| !i.contains(':')) {
            let generated = GENERATED_STATUS
                .iter()
                .find(|(i, ..)| i == iface)
                .map(|&(_, rust, js, py)| (rust, js, py))
                .unwrap_or_else(|| panic!("no status call written from the WIT for `{iface}`"));
            // The SDK's module (data-write's functions live in `data`,
            // ui-bell's and ui-clipboard's in `ui`), or the bindings' own.
            let sdk_module = match *iface {
                "data-write" => "data",
                "ui-bell" | "ui-clipboard" => "ui",
                _ => iface,
            };
            let own = [sdk_module, py_ident(iface)];
            let path = ["aicoder_plugin_sdk", "bindings", "aicoder", "plugin"];
            for (rust, js, py) in status_call(iface).into_iter().chain([generated]) {
                let modules: Vec<&str> = rust
                    .split("::")
                    .filter_map(|before| {
                        before
                            .rsplit(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                            .next()
                    })
                    .filter(|w| w.starts_with(|c: char| c.is_ascii_lowercase()))
                    .filter(|w| !path.contains(w))
                    .collect();
                assert!(
                    !modules.is_empty() && modules.iter().all(|m| own.contains(m)),
                    "{iface}: Rust calls {modules:?}"
                );
                let js_own = format!("{}.", js_ident(iface));
                let py_own = format!("{}.", py_ident(iface));
                assert!(js.contains(&js_own), "{iface}: {js}");
                assert!(py.contains(&py_own), "{iface}: {py}");
                for (other, _) in INTERFACES.iter().filter(|(o, _)| o != iface) {
                    let other_js = format!("{}.", js_ident(other));
                    let other_py = format!("{}.", py_ident(other));
                    assert!(
                        !js.contains(&format!(" {other_js}")),
                        "{iface} calls {other}: {js}"
                    );
                    assert!(
                        !py.contains(&format!(" {other_py}")),
                        "{iface} calls {other}: {py}"
                    );
                }
            }
        }
        assert_eq!(js_ident("data-write"), "dataWrite");
        assert_eq!(py_ident("data-write"), "data_write");
    }

    #[test]
    fn a_path_is_quoted_for_toml() {
        for path in [r#"/a "b"\c"#, "/it's/here", "/tab\there"] {
            let line = format!("path = {}", toml_string(path));
            let parsed: toml::Table = toml::from_str(&line).expect("valid TOML");
            assert_eq!(parsed["path"].as_str(), Some(path), "{line}");
        }
    }

    #[test]
    fn a_wasi_capability_is_refused_with_what_to_do() {
        let e = interfaces_for("log,net.fetch").expect_err("WASI");
        assert!(e.to_string().contains("wasi:http/outgoing-handler"), "{e}");
    }
}
