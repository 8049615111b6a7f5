//! The approval prompt: a preview of the call, `Approve [Y/n]:` (`yolo` turns
//! YOLO mode on), and for plugin calls, one answer per capability the call
//! needs that is not granted yet. YOLO approves tools but never grants a
//! capability.

use super::{Input, Session};
use crate::caps::grants::{self, Decision, DenyReason, PluginId, Scope, Verdict};
use crate::caps::scope::{self, ScopePattern};
use crate::caps::Capability;
use crate::state::SessionEvent;
use crate::state::{ToolEntry, ToolSource};

impl Session {
    /// Ask whether `tool` may run with `raw_args`; grant capabilities the user allows.
    pub(super) fn approve(
        &mut self,
        tool: &ToolEntry,
        raw_args: &str,
        fence: &crate::tools::Fence,
        input: &mut Input,
    ) -> bool {
        let yolo = self.state().config.yolo_mode;
        let (preview, needed) = match &tool.source {
            ToolSource::Internal if tool.name == super::task::TOOL => {
                (super::task::preview(raw_args), Vec::new())
            }
            ToolSource::Internal => match crate::tools::preview(&tool.name, raw_args, fence) {
                Ok(p) => (p, Vec::new()),
                Err(e) => (format!("{} (preview failed: {e})", tool.name), Vec::new()),
            },
            ToolSource::Plugin(plugin) => {
                match self.host.preview_tool(plugin, &tool.name, raw_args) {
                    Ok(p) => (format!("[{plugin}] {}", p.text), p.capabilities),
                    Err(e) => (
                        format!("[{plugin}] {} (preview failed: {e})", tool.name),
                        Vec::new(),
                    ),
                }
            }
        };
        if self.headless.is_some() {
            return self.headless_approve(tool, &preview, &needed);
        }
        // Sanitised (it quotes the model's arguments and files), diff coloured.
        let preview = crate::ui::diff::preview(&preview, crate::ui::style::stdout_styled());
        if tool.auto_approved || yolo {
            if !tool.auto_approved {
                eprintln!("{preview}\n(approved by YOLO mode)");
            }
            return true;
        }
        self.emit_simple(SessionEvent::BeforeApprovalPrompt);
        println!("{preview}");
        let plugin = match &tool.source {
            ToolSource::Plugin(p) => self.host.plugin(p).map(|i| i.id.clone()),
            ToolSource::Internal => None,
        };
        let needs = self.parse_needs(&needed);
        if let Some(id) = &plugin {
            for need in &needs {
                self.show_need(id, need);
            }
            if let ToolSource::Plugin(owner) = &tool.source {
                let requested = self
                    .host
                    .plugin(owner)
                    .and_then(|p| p.manifest.tools.iter().find(|t| t.name == tool.name))
                    .is_some_and(|t| t.auto_approved);
                if requested {
                    println!(
                        "  ({owner} asks for {} to run without asking; `aicoder plugin approve-tool {owner} {}` allows it)",
                        tool.name, tool.name
                    );
                }
            }
        }
        if !input.interactive {
            eprintln!("aicoder: {} needs approval and there is no terminal to ask; set YOLO_MODE=1 to approve tools", tool.name);
            // Piped mode ends non-zero, naming the call and the grants that
            // would let it run (see `super::piped`).
            let grants = match &plugin {
                Some(id) => needs
                    .iter()
                    .filter_map(|need| self.missing_grant(id, need))
                    .collect(),
                None => Vec::new(),
            };
            self.unasked.push(Unasked::Tool {
                name: tool.name.clone(),
                grants,
            });
            return false;
        }
        match ask_approval_answer(input) {
            Approval::No => return false,
            Approval::Yes => {}
            Approval::Yolo => {
                self.state().config.yolo_mode = true;
                println!(
                    "YOLO mode on: tools run without asking (capabilities are still asked for)"
                );
            }
        }
        if let Some(id) = plugin {
            for need in &needs {
                self.ask_grant(&id, need, input);
            }
        }
        true
    }
}

/// A question piped mode could not put to anyone, answered no: the run
/// exits non-zero and says how to allow it next time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Unasked {
    /// A tool call needing approval; `grants` are the `--grant` arguments
    /// (`plugin:capability`) its plugin would also need.
    Tool { name: String, grants: Vec<String> },
    /// A built-in tool reaching outside the workspace root.
    Outside { tool: String, path: String },
}

/// The last stderr line of a piped run that refused calls for want of a
/// terminal: which, and how to allow them. `None` when nothing was refused.
pub(crate) fn unasked_report(unasked: &[Unasked]) -> Option<String> {
    let mut tools: Vec<&str> = Vec::new();
    let mut grants: Vec<&str> = Vec::new();
    let mut outside: Vec<String> = Vec::new();
    for item in unasked {
        match item {
            Unasked::Tool {
                name,
                grants: needed,
            } => {
                if !tools.contains(&name.as_str()) {
                    tools.push(name);
                }
                for grant in needed {
                    if !grants.contains(&grant.as_str()) {
                        grants.push(grant);
                    }
                }
            }
            Unasked::Outside { tool, path } => outside.push(format!("{tool} {path}")),
        }
    }
    let mut parts = Vec::new();
    if !tools.is_empty() {
        let mut allow = String::from("YOLO_MODE=1 aicoder");
        for grant in &grants {
            allow.push_str(&format!(" --grant {grant}"));
        }
        parts.push(format!(
            "not approved: {} (no terminal to ask); to allow it, run `{allow}`",
            tools.join(", ")
        ));
    }
    if !outside.is_empty() {
        parts.push(format!(
            "refused outside the workspace root: {} (MINI_SANDBOX=0 turns the sandbox off)",
            outside.join(", ")
        ));
    }
    (!parts.is_empty()).then(|| {
        crate::term::sanitize::visible(&format!("aicoder: {}", parts.join("; "))).into_owned()
    })
}

/// `Approve [Y/n]:` until the answer is one it knows: Enter, y or yes
/// approve; n or no deny, and so do Ctrl-D and Ctrl-C; `yolo` approves and
/// turns YOLO mode on (returned as approved; the caller's state is set by
/// [`Session::approve`]). Anything else asks again, naming the answers.
fn ask_approval_answer(input: &mut Input) -> Approval {
    input
        .ask_until(
            "Approve [Y/n]: ",
            "answer y (yes), n (no) or yolo (yes, and no more asking); Enter means yes",
            |answer| match answer {
                "" | "y" | "yes" => Some(Approval::Yes),
                "n" | "no" => Some(Approval::No),
                "yolo" => Some(Approval::Yolo),
                _ => None,
            },
        )
        .unwrap_or(Approval::No)
}

/// An answer to the approval prompt.
enum Approval {
    Yes,
    No,
    /// Yes, and YOLO mode on from now.
    Yolo,
}

impl Session {
    /// Ask whether a built-in tool may reach `path`, outside the workspace
    /// root, for this one call. Without a terminal the answer is no; YOLO
    /// mode does not answer it.
    pub(super) fn approve_outside(
        &mut self,
        tool: &str,
        path: &std::path::Path,
        root: &std::path::Path,
        input: &mut Input,
    ) -> bool {
        // The path is the model's: shown, never obeyed (crate::term::sanitize).
        let question = crate::term::sanitize::visible(&format!(
            "{tool} wants {}, outside the workspace root {}",
            path.display(),
            root.display()
        ))
        .into_owned();
        if self.headless.is_some() {
            return self.headless_outside(tool, path, &question);
        }
        if !input.interactive {
            eprintln!("aicoder: {question}: refused (no terminal to ask; MINI_SANDBOX=0 turns the sandbox off)");
            self.unasked.push(Unasked::Outside {
                tool: tool.to_string(),
                path: path.display().to_string(),
            });
            return false;
        }
        self.emit_simple(SessionEvent::BeforeApprovalPrompt);
        println!("{question}.");
        let answer = input
            .ask("Allow this path for this call only? [y/N]: ")
            .unwrap_or_default();
        matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes")
    }

    /// After a plugin call: if the plugin asked to move the workspace root
    /// and was refused, put that exact move to the user (interactive only).
    /// Allowed, the root and the working directory move there, this once,
    /// and the returned note tells the model. Never remembered as a grant.
    pub(super) fn ask_root_move(&mut self, plugin: &str, input: &mut Input) -> Option<String> {
        let target = self.state().root_move_request.take()?;
        if !input.interactive {
            return None;
        }
        let root = self
            .state()
            .root()
            .map(|r| r.path().display().to_string())
            .unwrap_or_default();
        // The target is the plugin's: shown, never obeyed.
        let shown = crate::term::sanitize::visible(&target.display().to_string()).into_owned();
        println!(
            "[{plugin}] asks to move the workspace root from {root} to {shown}\n  \
             the root is what plugins and tools can reach; this is asked every time"
        );
        let answer = input
            .ask(&format!("  move the workspace root to {shown}? [y/N]: "))
            .unwrap_or_default();
        let id = self.host.plugin(plugin).map(|i| i.id.clone());
        let (outcome, detail) =
            if matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes") {
                let mut state = self.state();
                let old_cwd = state.cwd.display().to_string();
                match crate::caps::move_workspace_root(&mut state, &target) {
                    Ok(_) => (
                        Some(old_cwd),
                        "approved by the user at the prompt".to_string(),
                    ),
                    Err(e) => {
                        eprintln!("aicoder: {e}");
                        (None, e.to_string())
                    }
                }
            } else {
                (None, "refused by the user at the prompt".to_string())
            };
        if let Some(id) = id {
            let args = serde_json::json!({ "path": target.display().to_string() });
            let old = outcome.as_ref().map(|o| serde_json::json!(o));
            let new = outcome
                .as_ref()
                .map(|_| serde_json::json!(target.display().to_string()));
            self.host
                .services()
                .audit
                .record_line(&crate::caps::audit::AuditLine {
                    time: crate::caps::audit::LineTime::Now,
                    plugin: &id.name,
                    hash: &id.hash,
                    capability: Capability::WorkspaceWrite.name(),
                    operation: "root-move",
                    args: &args,
                    old: old.as_ref(),
                    new: new.as_ref(),
                    outcome: if outcome.is_some() {
                        crate::caps::audit::Outcome::Allowed
                    } else {
                        crate::caps::audit::Outcome::Denied
                    },
                    scope: outcome.as_ref().map(|_| Scope::Once),
                    within: None,
                    detail: Some(&detail),
                });
        }
        outcome.map(|_| {
            format!(
                "[the user moved the workspace root to {0}; the working directory is now {0}. \
                 The call above was refused before the move: run it again to continue there.]",
                target.display()
            )
        })
    }

    /// Why `cap` cannot be offered to plugin `id` at the prompt (above its
    /// ceiling), if so.
    pub(super) fn ceiling_refusal(
        &self,
        id: &crate::caps::grants::PluginId,
        cap: Capability,
    ) -> Option<String> {
        let info = self.host.plugin(&id.name)?;
        super::above_ceiling(info, cap)
    }
}

fn describe(verdict: &Verdict) -> String {
    match (verdict.decision, verdict.within.as_deref()) {
        (Decision::Allowed(scope), None) => format!("granted ({})", scope.name()),
        (Decision::Allowed(scope), Some(w)) => format!("granted ({}, within {w})", scope.name()),
        (Decision::Denied(DenyReason::DeniedByUser), None) => "denied".into(),
        (Decision::Denied(DenyReason::DeniedByUser), Some(w)) => format!("denied within {w}"),
        (Decision::Denied(DenyReason::NotGranted), _) => "not granted".into(),
        (Decision::Denied(DenyReason::OutOfScope), w) => {
            format!(
                "granted only within {}, not for this call",
                w.unwrap_or("other scopes")
            )
        }
    }
}

pub(super) use crate::caps::need::{Need, NeedTarget};

impl Session {
    /// The preview's capability list, read: `CAP` or `CAP:WHAT`
    /// (caps/need.rs, shared with `aicoder mcp serve`).
    pub(super) fn parse_needs(&self, needed: &[String]) -> Vec<Need> {
        crate::caps::need::parse(needed, &self.state())
    }

    /// The prompt's line for one need: granted or not, and within what.
    fn show_need(&self, id: &PluginId, need: &Need) {
        let Some(cap) = need.capability else {
            println!("  needs {}: unknown capability, ignored", need.name);
            return;
        };
        if let Some(refusal) = self.ceiling_refusal(id, cap) {
            println!("  needs {cap}: refused, {refusal}");
            return;
        }
        let verdict = self
            .host
            .services()
            .grants()
            .check_target(id, cap, &need.target());
        let what = match &need.target {
            Some(NeedTarget::Path(p)) => format!(" ({p})"),
            Some(NeedTarget::Command(c)) => format!(" (`{c}`)"),
            Some(NeedTarget::Host(h, port)) => format!(" ({h}:{port})"),
            None => String::new(),
        };
        println!("  needs {cap}{what}: {}", describe(&verdict));
    }

    /// The `--grant` argument (`plugin:capability`) that would let the call
    /// have `need`, if it is not granted already and may be granted at all.
    fn missing_grant(&self, id: &PluginId, need: &Need) -> Option<String> {
        let cap = need.capability?;
        if self.ceiling_refusal(id, cap).is_some() {
            return None;
        }
        let verdict = self
            .host
            .services()
            .grants()
            .check_target(id, cap, &need.target());
        match verdict.decision {
            Decision::Allowed(_) => None,
            Decision::Denied(_) => Some(format!("{}:{}", id.name, cap.name())),
        }
    }

    /// Ask for one need not granted yet: for a need with a target, which
    /// scope (the narrowest covering this call, a wider one, or the whole
    /// capability), then for how long (once, session, always, deny).
    fn ask_grant(&mut self, id: &PluginId, need: &Need, input: &mut Input) {
        let Some(cap) = need.capability else {
            return;
        };
        if self.ceiling_refusal(id, cap).is_some() {
            return;
        }
        let target = need.target();
        match self
            .host
            .services()
            .grants()
            .check_target(id, cap, &target)
            .decision
        {
            Decision::Allowed(_) => return,
            // The user's `deny` stands (for good when persisted, or for this
            // session): not asked again at every call.
            Decision::Denied(DenyReason::DeniedByUser) => {
                println!(
                    "  {cap} stays denied to {} (your answer; `/grants` lists it, `aicoder plugin revoke {} {cap}` clears it)",
                    id.name, id.name
                );
                return;
            }
            Decision::Denied(_) => {}
        }
        let offers = scope::suggestions(cap, &target);
        let mut within: Option<ScopePattern> = None;
        if !offers.is_empty() {
            let mut question = format!("  grant {cap} to {} for:", id.name);
            for (i, offer) in offers.iter().enumerate() {
                question.push_str(&format!(" [{}] {offer}", i + 1));
            }
            question.push_str(&format!(
                " [{}] all of {cap} (default 1): ",
                offers.len() + 1
            ));
            // Enter takes the narrowest; Ctrl-C or Ctrl-D grants nothing; an
            // answer that is not a listed number asks again.
            let hint = format!("answer a number from 1 to {}", offers.len() + 1);
            let choice = input.ask_until(&question, &hint, |answer| {
                let n = if answer.is_empty() {
                    1
                } else {
                    answer.parse::<usize>().ok()?
                };
                (1..=offers.len() + 1).contains(&n).then_some(n)
            });
            let Some(n) = choice else {
                println!("  {cap} not granted");
                return;
            };
            within = offers
                .get(n - 1)
                .and_then(|offer| ScopePattern::parse(cap, offer).ok());
        }
        let shown = grants::spec(cap, within.as_ref());
        let question = format!(
            "  grant {shown} to {}? [o]nce [s]ession [a]lways [d]eny (default once): ",
            id.name
        );
        // Enter is once; Ctrl-C or Ctrl-D denies; an unknown answer asks
        // again rather than deny for the whole session.
        let scope = input
            .ask_until(
                &question,
                "answer o (once), s (session), a (always) or d (deny)",
                |answer| match answer {
                    "" | "o" | "once" => Some(Some(Scope::Once)),
                    "s" | "session" => Some(Some(Scope::Session)),
                    "a" | "always" => Some(Some(Scope::Always)),
                    "d" | "deny" | "n" | "no" => Some(None),
                    _ => None,
                },
            )
            .flatten();
        let mut grants = self.host.services().grants();
        let result = match scope {
            Some(scope) => grants.grant_within(id, cap, scope, within),
            None => {
                grants.deny_for_session(id, cap);
                Ok(())
            }
        };
        if let Err(e) = result {
            eprintln!("aicoder: {e}");
        }
    }
}
