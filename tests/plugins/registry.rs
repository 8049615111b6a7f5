//! One live registry of what plugins offer (AppState), and a plugin file
//! that changes or vanishes under a running session: through the real
//! binary, the real components and a pty.

#![allow(clippy::unwrap_used)]

use aicoder::bindings::aicoder::plugin::hooks::Host as _;
use aicoder::caps::grants::Scope;
use aicoder::caps::{CapCtx, Capability};
use aicoder_tests::server::{answer_text, finish, tool_call, Reply, ScriptedServer};
use aicoder_tests::{default_host, wasm, with_custom_section, Project};
use expectrl::{Eof, Session};
use std::path::{Path, PathBuf};

const REGISTER: &str = "def double(n):\n    return n * 2\nctx.register_tool('double', double, 'Double a number', {'type': 'object', 'properties': {'n': {'type': 'integer'}}})\nctx.register_command('hello', lambda args: 'hello ' + args, 'Greets')";

#[test]
fn what_python_registers_is_listed_by_plugins_list_plugins() {
    let p = Project::new();
    let code = format!(
        "{REGISTER}\nfor q in app.plugin_system.plugins:\n    if q['name'] == 'python_runtime':\n        print('tools:', sorted(q['tools']), 'commands:', sorted(q['commands']))"
    );
    let out = p
        .run(&["py", "--grant", "tools.manage,plugins.read", "-c", &code])
        .ok();
    assert!(
        out.contains("'double'"),
        "register_tool left list-plugins stale: {out}"
    );
    assert!(out.contains("'hello'"), "{out}");
}

#[test]
fn what_python_registers_is_in_help_and_plugins_and_runs() {
    let server = ScriptedServer::start(vec![
        Reply::Stream(vec![
            tool_call(
                0,
                "r",
                "run_inline_python",
                &serde_json::json!({ "code": REGISTER }).to_string(),
            ),
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
    term.send_line("/help").unwrap();
    term.expect("Plugin commands:").unwrap();
    term.expect("Greets [python_runtime]").unwrap();
    term.send_line("/plugins").unwrap();
    term.expect("tool double").unwrap();
    term.expect("command /hello: Greets").unwrap();
    term.send_line("/hello world").unwrap();
    term.expect("hello world").unwrap();
    term.send_line("/quit").unwrap();
    term.expect(Eof).unwrap();
}

#[test]
fn unsubscribe_cancels_a_hook_the_manifest_declared() {
    let dir = tempfile::tempdir().unwrap();
    let mut host = default_host(dir.path(), &["example"]);
    let id = host.plugin("example").unwrap().id.clone();
    host.services()
        .grants()
        .grant(&id, Capability::HooksRegister, Scope::Session)
        .unwrap();
    let deliveries = |dir: &Path| {
        std::fs::read_to_string(dir.join("audit.jsonl"))
            .unwrap_or_default()
            .lines()
            .filter(|l| l.contains("\"deliver\"") && l.contains("on_session_change"))
            .count()
    };
    let (_, errors) = host.emit(aicoder::state::SessionEvent::OnSessionChange, "{}");
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(
        deliveries(dir.path()),
        1,
        "the manifest's hook is delivered"
    );

    let mut ctx = CapCtx::new(id, host.services().clone());
    ctx.unsubscribe("on_session_change".into()).unwrap();
    let (_, errors) = host.emit(aicoder::state::SessionEvent::OnSessionChange, "{}");
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(
        deliveries(dir.path()),
        1,
        "hooks.unsubscribe did not cancel the manifest's hook"
    );
}

/// A project whose user plugin `example` is installed and compiled in a
/// cache of its own, and a session started on it (the plugin taken from the
/// cache, its component loaded on first use).
fn session_on_cached_example(p: &mut Project) -> (Session, PathBuf) {
    let cache = p.home().join("own-cache");
    p.env("XDG_CACHE_HOME", cache.to_str().unwrap());
    let installed = p.install(&wasm("example"), "example.wasm");
    p.run(&["plugin", "list"]).ok();
    let term = aicoder_tests::terminal::spawn_with(p, &[]);
    // The compiled component is gone: the first call must read the file.
    for entry in walk(&cache) {
        if entry.extension().is_some_and(|e| e == "cwasm") {
            std::fs::remove_file(entry).unwrap();
        }
    }
    (term, installed)
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

fn load_audit(p: &Project) -> Vec<serde_json::Value> {
    p.audit()
        .into_iter()
        .filter(|e| e["operation"] == "load" && e["plugin"] == "example")
        .collect()
}

#[test]
fn a_plugin_file_changed_under_the_session_is_reported_as_changed_and_audited() {
    let mut p = Project::new();
    let (mut term, installed) = session_on_cached_example(&mut p);
    let original = std::fs::read(&installed).unwrap();
    std::fs::write(&installed, with_custom_section(&original, "v2")).unwrap();
    term.send_line("/where").unwrap();
    term.expect("changed on disk since this session loaded it")
        .unwrap();
    term.expect("/plugins reload").unwrap();
    term.send_line("/quit").unwrap();
    let rest = term.expect(Eof).unwrap();
    let _ = rest;
    let audit = load_audit(&p);
    assert_eq!(audit.len(), 1, "{audit:?}");
    assert_eq!(audit[0]["outcome"], "refused", "{audit:?}");
    assert!(
        audit[0]["detail"]
            .as_str()
            .unwrap()
            .contains("changed on disk"),
        "{audit:?}"
    );
}

#[test]
fn a_plugin_file_removed_under_the_session_is_reported_as_removed_and_audited() {
    let mut p = Project::new();
    let (mut term, installed) = session_on_cached_example(&mut p);
    std::fs::remove_file(&installed).unwrap();
    term.send_line("/where").unwrap();
    term.expect("was removed since this session loaded it")
        .unwrap();
    term.expect("/plugins reload").unwrap();
    term.send_line("/quit").unwrap();
    term.expect(Eof).unwrap();
    let audit = load_audit(&p);
    assert_eq!(audit.len(), 1, "{audit:?}");
    assert!(
        audit[0]["detail"].as_str().unwrap().contains("removed"),
        "{audit:?}"
    );
}

#[test]
fn reload_accounts_for_removed_and_added_plugins_and_the_registry_follows() {
    use aicoder::plugins::discovery::{Candidate, PluginSource};
    let dir = tempfile::tempdir().unwrap();
    let mut host = default_host(dir.path(), &["example"]);
    let offered = |host: &aicoder::plugins::PluginHost| {
        let state = host.services().state();
        (
            state.plugin_tools("example").len(),
            state.plugin_commands("example").count(),
            state.subscribers("on_session_change"),
        )
    };
    assert_eq!(offered(&host), (3, 2, vec!["example".to_string()]));

    let report = host.reload(&[]);
    assert_eq!(report.removed, ["example"]);
    assert!(report.added.is_empty() && report.updated.is_empty() && report.errors.is_empty());
    assert_eq!(offered(&host), (0, 0, Vec::<String>::new()));
    assert_eq!(host.command_owner("where"), None);

    let candidate = Candidate {
        path: wasm("example"),
        source: PluginSource::File,
    };
    let report = host.reload(std::slice::from_ref(&candidate));
    assert_eq!(report.added, ["example"]);
    assert!(report.removed.is_empty() && report.errors.is_empty());
    assert_eq!(offered(&host), (3, 2, vec!["example".to_string()]));
    assert_eq!(host.command_owner("where").as_deref(), Some("example"));
    // Nothing changed on disk: a second reload changes nothing.
    let report = host.reload(&[candidate]);
    assert!(report.added.is_empty() && report.removed.is_empty() && report.updated.is_empty());
    assert_eq!(offered(&host), (3, 2, vec!["example".to_string()]));
}
