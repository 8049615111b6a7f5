//! The sandbox limits, through the real host library and the real binary:
//! a deadline, a memory ceiling and an output cap stop a misbehaving plugin;
//! its instance is remade; the host and the other plugins go on.

#![allow(clippy::unwrap_used)]

use aicoder::config::SandboxLimits;
use aicoder::plugins::{CallError, PluginHost, TrapKind};
use aicoder_tests::{wasm, Project};
use std::time::Duration;

fn host(dir: &std::path::Path) -> PluginHost {
    let limits = SandboxLimits {
        // Long enough that a loaded machine never turns the memory and output
        // cases into deadline failures.
        call_timeout: Duration::from_millis(1500),
        memory_bytes: 64 << 20,
        output_bytes: 16 << 10,
        shell_timeout: Duration::from_secs(5),
    };
    aicoder_tests::in_process_host(dir, &dir.join("cache"), limits, &["misbehave", "example"])
}

fn trap(result: Result<aicoder::plugins::ToolResult, CallError>) -> TrapKind {
    match result {
        Err(CallError::Trapped { plugin, kind }) => {
            assert_eq!(plugin, "misbehave");
            kind
        }
        other => panic!("expected a trap, got {other:?}"),
    }
}

fn ok_count(host: &mut PluginHost) -> String {
    host.call_tool("misbehave", "ok", "{}").unwrap().detail
}

#[test]
fn limits_stop_bad_calls_and_instances_are_remade() {
    let dir = tempfile::tempdir().unwrap();
    let mut host = host(dir.path());

    assert_eq!(ok_count(&mut host), "ok call 1");
    assert_eq!(
        ok_count(&mut host),
        "ok call 2",
        "the instance is kept between calls"
    );

    assert_eq!(
        trap(host.call_tool("misbehave", "spin", "{}")),
        TrapKind::Deadline(Duration::from_millis(1500))
    );
    // The stop is in the audit log as soon as the call returns.
    let log = std::fs::read_to_string(dir.path().join("audit.jsonl")).unwrap();
    let last: serde_json::Value = serde_json::from_str(log.lines().last().unwrap()).unwrap();
    assert_eq!(
        (&last["outcome"], &last["args"]["name"]),
        (&"stopped".into(), &"spin".into())
    );
    assert_eq!(
        ok_count(&mut host),
        "ok call 1",
        "a trapped instance is remade fresh"
    );

    assert_eq!(
        trap(host.call_tool("misbehave", "hog", "{}")),
        TrapKind::Memory(64 << 20)
    );
    assert_eq!(ok_count(&mut host), "ok call 1");

    match trap(host.call_tool("misbehave", "crash", "{}")) {
        TrapKind::Crash(msg) => assert!(msg.contains("unreachable"), "{msg}"),
        other => panic!("expected a crash, got {other:?}"),
    }
    assert_eq!(
        trap(host.call_tool("misbehave", "flood", "{}")),
        TrapKind::Output(16 << 10)
    );
    match trap(host.call_tool("misbehave", "recurse", "{}")) {
        // Rust's shadow stack lives in linear memory: exhausting it is an
        // out-of-bounds access (or, for deep wasm frames, a stack overflow).
        TrapKind::Crash(msg) => assert!(
            msg.contains("out of bounds") || msg.contains("stack overflow"),
            "{msg}"
        ),
        other => panic!("expected a crash, got {other:?}"),
    }
    assert_eq!(ok_count(&mut host), "ok call 1");

    // The other plugin never noticed.
    assert_eq!(
        host.call_tool("example", "greet", r#"{"name":"B"}"#)
            .unwrap()
            .detail,
        "Hello, B!"
    );
}

#[test]
fn the_binary_reports_each_limit_and_exits_cleanly() {
    let mut p = Project::new();
    p.install(&wasm("misbehave"), "misbehave.wasm");
    p.env("PLUGIN_TIMEOUT_MS", "1500")
        .env("PLUGIN_MEMORY_MB", "32")
        .env("PLUGIN_OUTPUT_KB", "8");
    let cases = [
        (
            "spin",
            "ran past its deadline of 1500 ms (PLUGIN_TIMEOUT_MS)",
        ),
        ("hog", "memory ceiling of 32 MiB (PLUGIN_MEMORY_MB)"),
        ("flood", "output cap of 8 KiB (PLUGIN_OUTPUT_KB)"),
        ("crash", "it crashed"),
    ];
    for (tool, message) in cases {
        let err = p.run(&["plugin", "call", "misbehave", tool]).fails();
        assert!(
            err.contains(message),
            "{tool}: expected {message:?} in {err}"
        );
        assert!(err.contains("will be made anew"), "{err}");
        // The audit log records the stop, with the same reason.
        let audit = p.audit();
        let last = audit.last().unwrap();
        assert_eq!(
            (
                &last["capability"],
                &last["operation"],
                &last["args"]["name"],
                &last["outcome"]
            ),
            (
                &"sandbox".into(),
                &"call-tool".into(),
                &tool.into(),
                &"stopped".into()
            ),
            "{last}"
        );
        assert!(last["detail"].as_str().unwrap().contains(message), "{last}");
    }
    assert_eq!(p.audit().len(), cases.len());
    let err = Project::new().run(&["plugin", "list"]).stderr();
    assert!(err.is_empty(), "{err}");
}

#[test]
fn bad_limit_settings_are_named() {
    let mut p = Project::new();
    p.env("PLUGIN_TIMEOUT_MS", "soon");
    let err = p.run(&["plugin", "list"]).fails();
    assert!(
        err.contains("PLUGIN_TIMEOUT_MS must be a whole number"),
        "{err}"
    );
}

#[test]
fn a_hook_that_never_returns_is_stopped_and_others_still_get_the_event() {
    let dir = tempfile::tempdir().unwrap();
    let mut host = host(dir.path());
    for plugin in ["misbehave", "example"] {
        let id = host.plugin(plugin).unwrap().id.clone();
        let mut grants = host.services().grants();
        grants
            .grant(
                &id,
                aicoder::caps::Capability::HooksRegister,
                aicoder::caps::grants::Scope::Session,
            )
            .unwrap();
        drop(grants);
        host.services()
            .state()
            .hook_subscriptions
            .entry(plugin.to_string())
            .or_default()
            .insert("after_tool_results".into());
    }
    let (_, errors) = host.emit(aicoder::state::SessionEvent::AfterToolResults, "{}");
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].to_string().contains("misbehave") && errors[0].to_string().contains("deadline"),
        "{}",
        errors[0]
    );
    let log = host.services().state().plugin_log.clone();
    assert_eq!(
        log.last().map(|l| l.message.as_str()),
        Some("event after_tool_results"),
        "example still got it"
    );
    assert_eq!(
        ok_count(&mut host),
        "ok call 1",
        "the hung instance was remade"
    );
}

#[test]
fn a_huge_result_is_cut_at_the_output_cap() {
    let dir = tempfile::tempdir().unwrap();
    let mut host = host(dir.path());
    let out = host.call_tool("misbehave", "huge", "{}").unwrap();
    assert!(
        out.detail.len() < (16 << 10) + 100,
        "{} bytes",
        out.detail.len()
    );
    assert!(
        out.detail.ends_with("bytes cut at the output cap]"),
        "{}",
        &out.detail[out.detail.len() - 60..]
    );
}

#[test]
fn events_reach_subscribed_plugins_only_with_hooks_register() {
    let dir = tempfile::tempdir().unwrap();
    let mut host = host(dir.path());
    let (payload, errors) = host.emit(aicoder::state::SessionEvent::OnSessionChange, "{}");
    assert_eq!((payload.as_str(), errors.len()), ("{}", 0));
    let denied = std::fs::read_to_string(dir.path().join("audit.jsonl")).unwrap();
    assert!(
        denied.contains(r#""operation":"deliver""#) && denied.contains(r#""outcome":"denied""#),
        "{denied}"
    );

    let id = host.plugin("example").unwrap().id.clone();
    host.services()
        .grants()
        .grant(
            &id,
            aicoder::caps::Capability::HooksRegister,
            aicoder::caps::grants::Scope::Session,
        )
        .unwrap();
    host.emit(aicoder::state::SessionEvent::OnSessionChange, "{}");
    let log = host.services().state().plugin_log.clone();
    assert_eq!(
        log.last().map(|l| l.message.as_str()),
        Some("event on_session_change"),
        "{log:?}"
    );
}
