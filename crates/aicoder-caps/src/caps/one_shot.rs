//! Host calls outside a session. A one-shot command (`aicoder plugin call`,
//! `plugin command`, `aicoder py` without a session file) runs one plugin
//! call against a fresh app state and exits: a write whose only effect is on
//! the session's in-memory state (the conversation, the tools and commands
//! offered, the prompt sections, the hook subscriptions) would be allowed,
//! audited as done, and then thrown away. So such a write is refused up
//! front, before the grant check and before it changes anything, and audited
//! as `refused` with the reason. Inside a session nothing of this applies.
//!
//! Writes that outlive the process (fs.write, data.write) and writes the
//! rest of the same call depends on (workspace.write: later fs and shell
//! calls of the call resolve paths from the new working directory) are not
//! session-only.

use super::Capability;

/// Capabilities whose every write changes only the session's in-memory
/// state, which a one-shot command drops when it exits: the `session_only`
/// column of the capability table. (`tools.own`, a plugin offering or
/// withdrawing its own tool, is the same and is checked in caps/tools/mod.rs
/// with [`OneShot::refusal`].)
pub fn session_only() -> impl Iterator<Item = Capability> {
    Capability::ALL.into_iter().filter(|c| c.session_only())
}

/// What the audit line names for a plugin offering or withdrawing its own
/// tool (no grant guards it).
pub const TOOLS_OWN: &str = "tools.own";

/// A one-shot command the services run for: which session-only writes it
/// would drop, and what to tell a plugin (and so the user) instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OneShot {
    /// The command as messages name it, e.g. "`plugin call`".
    command: String,
    /// What to do instead, e.g. "run /note inside `aicoder` instead".
    instead: String,
    /// What it cannot keep: capability names, plus [`TOOLS_OWN`].
    drops: Vec<&'static str>,
    /// Why, after the command's name.
    reason: &'static str,
}

/// The reason a command that exits after one call gives.
const NOTHING_KEPT: &str = "runs outside one, so nothing would be kept";

impl OneShot {
    /// `aicoder plugin call PLUGIN TOOL`: keeps no session state.
    pub fn plugin_call(tool: &str) -> Self {
        Self::dropping_all(
            "`plugin call`",
            format!("let the model call `{tool}` inside `aicoder` instead"),
        )
    }

    /// `aicoder plugin command PLUGIN COMMAND`: keeps no session state.
    pub fn plugin_command(command: &str) -> Self {
        Self::dropping_all(
            "`plugin command`",
            format!("run /{command} inside `aicoder` instead"),
        )
    }

    /// `aicoder py` without a session file to save the conversation back
    /// to: only the conversation is lost. (What Python registers or offers
    /// is read back by the same run, the way `py` is used to look at the
    /// app; the other session-only writes stay allowed there.)
    pub fn py_without_session_file(path: &std::path::Path) -> Self {
        OneShot {
            command: "`aicoder py`".into(),
            instead: format!(
                "there is no session file at {} to save it to: save the conversation there \
                 with /save inside `aicoder`, or point `--session` at a saved one",
                path.display()
            ),
            drops: vec![Capability::HistoryWrite.name()],
            reason: NOTHING_KEPT,
        }
    }

    /// `aicoder mcp serve`: calls from MCP clients, outside any session.
    /// There is no conversation, prompt or hook for such a write to reach,
    /// and what a call offers or withdraws would change the tools every
    /// connected client is shown (the served tools are the installed
    /// plugins' own, changed only by installing, changing or removing a
    /// plugin). So every session-only write is refused, as for `plugin call`.
    pub fn mcp_serve() -> Self {
        let mut serve = Self::dropping_all(
            "`aicoder mcp serve`",
            "use the plugin inside an `aicoder` session instead".into(),
        );
        serve.reason = "serves calls outside one: a served call may not change a \
                        conversation, prompt, hook or the tools clients are offered";
        serve
    }

    fn dropping_all(command: &str, instead: String) -> Self {
        let mut drops: Vec<&'static str> = session_only().map(|c| c.name()).collect();
        drops.push(TOOLS_OWN);
        OneShot {
            command: command.into(),
            instead,
            drops,
            reason: NOTHING_KEPT,
        }
    }

    /// Why a call audited as `what` (a capability name, or [`TOOLS_OWN`])
    /// is refused here, or `None` if its effect is kept.
    pub fn refusal(&self, what: &str) -> Option<String> {
        self.drops.contains(&what).then(|| {
            format!(
                "{what} needs a session: {} {}; {}",
                self.command, self.reason, self.instead
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bindings::aicoder::plugin::history::Host as _;
    use crate::bindings::aicoder::plugin::hooks::Host as _;
    use crate::bindings::aicoder::plugin::prompt::Host as _;
    use crate::bindings::aicoder::plugin::tools::{Host as _, NewTool};
    use crate::bindings::aicoder::plugin::types::{HostError, Message};
    use crate::bindings::aicoder::plugin::workspace::Host as _;
    use crate::caps::audit::Outcome;
    use crate::caps::testing::TestEnv;
    use crate::caps::HostFn;

    fn note() -> Message {
        Message {
            role: "user".into(),
            content: "Note: buy milk".into(),
            tool_call_id: None,
            name: None,
        }
    }

    fn one_shot_env() -> TestEnv {
        let env = TestEnv::new();
        env.ctx
            .services
            .set_one_shot(OneShot::plugin_command("note"));
        env
    }

    fn assert_needs_a_session<T: std::fmt::Debug>(result: Result<T, HostError>, what: &str) {
        match result {
            Err(HostError::Failed(m)) => {
                assert!(
                    m.starts_with(&format!(
                        "{what} needs a session: `plugin command` runs outside one"
                    )),
                    "{m}"
                );
                assert!(m.contains("run /note inside `aicoder` instead"), "{m}");
                assert!(!m.contains("grant"), "no grant would help: {m}");
            }
            other => panic!("expected the {what} refusal, got {other:?}"),
        }
    }

    #[test]
    fn a_granted_history_write_outside_a_session_is_refused_and_audited_as_refused() {
        let mut env = one_shot_env();
        env.grant(Capability::HistoryWrite);
        let before = env.ctx.services.state().messages.to_vec();
        assert_needs_a_session(env.ctx.append(note()), "history.write");
        assert_needs_a_session(env.ctx.clear(), "history.write");
        assert_needs_a_session(env.ctx.set_message(0, note()), "history.write");
        assert_eq!(env.ctx.services.state().messages.to_vec(), before);
        let audit = env.audit();
        let ops: Vec<_> = audit.iter().map(|e| e.operation.as_str()).collect();
        assert_eq!(ops, ["append", "clear", "set-message"]);
        for e in &audit {
            assert_eq!(e.capability, "history.write");
            assert_eq!(e.outcome, Outcome::Refused);
            assert!(
                e.scope.is_none() && e.old.is_none() && e.new.is_none(),
                "{e:?}"
            );
            let detail = e.detail.as_deref().unwrap_or_default();
            assert!(detail.contains("history.write needs a session"), "{detail}");
        }
    }

    #[test]
    fn the_session_reason_comes_before_the_grant_check() {
        // Without a grant too: granting would not help, so the user is not
        // told to grant.
        let mut env = one_shot_env();
        assert_needs_a_session(env.ctx.append(note()), "history.write");
        assert_eq!(env.audit()[0].outcome, Outcome::Refused);
    }

    #[test]
    fn every_session_only_function_is_refused_and_others_are_not() {
        let mut env = one_shot_env();
        for cap in Capability::ALL {
            env.grant(cap);
        }
        let tool = NewTool {
            name: "mine".into(),
            description: "a tool".into(),
            parameters_json: "{}".into(),
            auto_approved: false,
        };
        assert_needs_a_session(env.ctx.register_tool(tool), "tools.manage");
        assert_needs_a_session(
            env.ctx.register_command("c".into(), "d".into()),
            "tools.manage",
        );
        assert_needs_a_session(env.ctx.remove_tool("mine".into()), "tools.manage");
        assert_needs_a_session(
            env.ctx.set_auto_approved("mine".into(), true),
            "tools.manage",
        );
        assert_needs_a_session(env.ctx.set_own_tool_offered("mine".into(), true), TOOLS_OWN);
        assert_needs_a_session(env.ctx.set_section("s".into(), "t".into()), "prompt.write");
        assert_needs_a_session(env.ctx.clear_section("s".into()), "prompt.write");
        assert_needs_a_session(
            env.ctx.subscribe("on_session_change".into()),
            "hooks.register",
        );
        assert_needs_a_session(
            env.ctx.unsubscribe("on_session_change".into()),
            "hooks.register",
        );
        assert_needs_a_session(env.ctx.append(note()), "history.write");
        assert_needs_a_session(env.ctx.clear(), "history.write");
        assert_needs_a_session(env.ctx.set_message(0, note()), "history.write");
        // Every function of a session-only capability was tried above, and
        // each left one `refused` line.
        let mut tried: Vec<(String, String)> = env
            .audit()
            .into_iter()
            .inspect(|e| assert_eq!(e.outcome, Outcome::Refused, "{e:?}"))
            .map(|e| (e.capability, e.operation))
            .collect();
        let mut guarded: Vec<(String, String)> = HostFn::ALL
            .iter()
            .filter(|f| f.capability().session_only())
            .map(|f| (f.capability().name().to_string(), f.name().to_string()))
            .collect();
        guarded.push((TOOLS_OWN.into(), "set-own-tool-offered".into()));
        tried.sort();
        guarded.sort();
        assert_eq!(tried, guarded);
        // Reads, and a write the rest of the call depends on, still work.
        assert_eq!(env.ctx.count().expect("history.read"), 1);
        let root = env.root().display().to_string();
        assert_eq!(env.ctx.set_cwd(".".into()).expect("workspace.write"), root);
    }

    #[test]
    fn inside_a_session_the_same_write_is_allowed() {
        let mut env = TestEnv::new();
        env.grant(Capability::HistoryWrite);
        env.ctx.append(note()).expect("allowed in a session");
        assert_eq!(env.audit()[0].outcome, Outcome::Allowed);
    }

    #[test]
    fn mcp_serve_refuses_every_session_only_write_and_nothing_else() {
        let serve = OneShot::mcp_serve();
        for what in session_only().map(|c| c.name()).chain([TOOLS_OWN]) {
            let why = serve.refusal(what).expect("refused");
            assert!(
                why.starts_with(&format!("{what} needs a session: `aicoder mcp serve`")),
                "{why}"
            );
        }
        for cap in Capability::ALL {
            if !cap.session_only() {
                assert!(serve.refusal(cap.name()).is_none(), "{cap:?}");
            }
        }
    }

    #[test]
    fn py_without_a_session_file_loses_only_the_conversation() {
        let py = OneShot::py_without_session_file(std::path::Path::new("/p/.aicoder/session.json"));
        let why = py.refusal("history.write").expect("refused");
        assert!(
            why.contains("no session file at /p/.aicoder/session.json"),
            "{why}"
        );
        assert!(py.refusal("tools.manage").is_none());
        assert!(py.refusal("fs.write").is_none());
    }
}
