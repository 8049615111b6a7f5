//! Every guarded host function goes through the gate: called through the
//! real host (`CapCtx`, the type the WIT `Host` traits are implemented on)
//! with no grant, each one is refused with its own capability and writes
//! one audit line naming it. The list comes from the table (`HostFn::ALL`),
//! and `call` matches on every variant without a wildcard, so a function
//! added to the table without an arm here fails to compile, and one whose
//! host code skips the gate fails the test.

use super::audit::Outcome;
use super::testing::TestEnv;
use super::HostFn;
use crate::bindings::aicoder::plugin as wit;
use crate::bindings::aicoder::plugin::types::{HostError, Message};
use crate::caps::CapCtx;

/// Call `function` through its WIT `Host` trait with ordinary arguments;
/// only whether it was refused matters here.
fn call(ctx: &mut CapCtx, function: HostFn) -> Result<(), HostError> {
    use wit::{config, data, data_write, fs, history, hooks, plugins, process, prompt, shell};
    use wit::{stats, tools, ui, ui_bell, ui_clipboard, workspace};
    let message = || Message {
        role: "user".into(),
        content: "hello".into(),
        tool_call_id: None,
        name: None,
    };
    let s = |text: &str| text.to_string();
    match function {
        HostFn::HistoryGetMessages => history::Host::get_messages(ctx).map(drop),
        HostFn::HistoryCount => history::Host::count(ctx).map(drop),
        HostFn::HistorySetMessage => history::Host::set_message(ctx, 0, message()),
        HostFn::HistoryAppend => history::Host::append(ctx, message()),
        HostFn::HistoryClear => history::Host::clear(ctx),
        HostFn::WorkspaceGetCwd => workspace::Host::get_cwd(ctx).map(drop),
        HostFn::WorkspaceSetCwd => workspace::Host::set_cwd(ctx, s(".")).map(drop),
        HostFn::StatsGetStats => stats::Host::get_stats(ctx).map(drop),
        HostFn::ToolsListTools => tools::Host::list_tools(ctx).map(drop),
        HostFn::ToolsSetAutoApproved => tools::Host::set_auto_approved(ctx, s("t"), true),
        HostFn::ToolsRemoveTool => tools::Host::remove_tool(ctx, s("t")),
        HostFn::ToolsRegisterTool => tools::Host::register_tool(
            ctx,
            tools::NewTool {
                name: s("my_tool"),
                description: s("does a thing"),
                parameters_json: s(r#"{"type":"object"}"#),
                auto_approved: false,
            },
        ),
        HostFn::ToolsRegisterCommand => {
            tools::Host::register_command(ctx, s("mine"), s("a command"))
        }
        HostFn::PluginsListPlugins => plugins::Host::list_plugins(ctx).map(drop),
        HostFn::ConfigKeys => config::Host::keys(ctx).map(drop),
        HostFn::ConfigGet => config::Host::get(ctx, s("temperature")).map(drop),
        HostFn::ConfigSet => config::Host::set(ctx, s("temperature"), s("0.5")),
        HostFn::HooksSubscribe => hooks::Host::subscribe(ctx, s("session_start")),
        HostFn::HooksUnsubscribe => hooks::Host::unsubscribe(ctx, s("session_start")),
        HostFn::FsReadFile => fs::Host::read_file(ctx, s("a.txt")).map(drop),
        HostFn::FsListDir => fs::Host::list_dir(ctx, s(".")).map(drop),
        HostFn::FsWriteFile => fs::Host::write_file(ctx, s("a.txt"), s("x")),
        HostFn::ShellExec => shell::Host::exec(ctx, s("true"), None).map(drop),
        HostFn::PromptSetSection => prompt::Host::set_section(ctx, s("rules"), s("be brief")),
        HostFn::PromptClearSection => prompt::Host::clear_section(ctx, s("rules")),
        HostFn::DataReadFile => {
            data::Host::read_file(ctx, data::Area::Project, s("a.txt")).map(drop)
        }
        HostFn::DataListDir => data::Host::list_dir(ctx, data::Area::Project, s(".")).map(drop),
        HostFn::DataWriteFile => data_write::Host::write_file(ctx, s("a.txt"), s("x")),
        HostFn::DataDeleteFile => data_write::Host::delete_file(ctx, s("a.txt")),
        HostFn::UiAsk => ui::Host::ask(ctx, s("ok?"), vec![s("yes"), s("no")]).map(drop),
        HostFn::UiBell => ui_bell::Host::bell(ctx),
        HostFn::UiSetClipboard => ui_clipboard::Host::set_clipboard(ctx, s("text")),
        HostFn::ProcessStart => process::Host::start(ctx, s("true")).map(drop),
        HostFn::ProcessStop => process::Host::stop(ctx, 1).map(drop),
        HostFn::ProcessListJobs => process::Host::list_jobs(ctx).map(drop),
        HostFn::ProcessTail => process::Host::tail(ctx, 1, 100).map(drop),
    }
}

#[test]
fn every_guarded_function_is_refused_without_its_grant_and_audited() {
    let mut env = TestEnv::new();
    for function in HostFn::ALL {
        let before = env.audit().len();
        let result = call(&mut env.ctx, function);
        let capability = function.capability();
        match result {
            Err(HostError::AccessDenied(d)) => assert_eq!(
                d.capability,
                capability.name(),
                "{} was refused for another capability",
                function.qualified_name()
            ),
            other => panic!(
                "{} ran without {capability} (got {other:?}): its host code does not \
                 go through the gate (`gate_fn(HostFn::..)`)",
                function.qualified_name()
            ),
        }
        let lines = env.audit();
        let new: Vec<_> = lines.get(before..).unwrap_or_default().to_vec();
        assert_eq!(
            new.len(),
            1,
            "{}: one audit line per call, got {new:?}",
            function.qualified_name()
        );
        let line = &new[0];
        assert_eq!(
            (line.capability.as_str(), line.operation.as_str()),
            (capability.name(), function.name()),
            "{}: the audit line names another function",
            function.qualified_name()
        );
        assert_eq!(
            line.outcome,
            Outcome::Denied,
            "{}",
            function.qualified_name()
        );
    }
}

#[test]
fn with_its_grant_the_call_passes_the_gate() {
    // The same calls with every grant: none is refused for want of one,
    // so the test above sees the gate, not some other refusal.
    let mut env = TestEnv::new();
    for capability in super::Capability::ALL {
        env.grant(capability);
    }
    for function in HostFn::ALL {
        if let Err(HostError::AccessDenied(d)) = call(&mut env.ctx, function) {
            panic!(
                "{}: denied with every grant: {d:?}",
                function.qualified_name()
            );
        }
    }
}

#[test]
fn every_host_act_is_refused_without_its_grant_and_audited() {
    let env = TestEnv::new();
    for act in super::HostAct::ALL {
        let before = env.audit().len();
        let ran = std::cell::Cell::new(false);
        let result = env.ctx.gate_act(act, serde_json::json!({}), || {
            ran.set(true);
            Ok(super::Access::read(()))
        });
        assert!(!ran.get(), "{act:?} ran without {}", act.capability());
        assert!(matches!(result, Err(HostError::AccessDenied(_))), "{act:?}");
        let lines = env.audit();
        let line = lines.get(before..).and_then(|l| l.first()).expect("a line");
        assert_eq!(line.capability, act.capability().name());
        assert_eq!(line.operation, act.operation());
        assert_eq!(line.outcome, Outcome::Denied);
    }
}
