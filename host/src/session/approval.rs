//! The approval prompt: a preview of the call, `Approve [Y/n]:` (`yolo` turns
//! YOLO mode on), and for plugin calls, one answer per capability the call
//! needs that is not granted yet. YOLO approves tools but never grants a
//! capability.

use super::{Input, Session};
use crate::caps::grants::{Decision, DenyReason, Scope};
use crate::caps::Capability;
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
        // Sanitised (it quotes the model's arguments and files), diff coloured.
        let preview = crate::ui::diff::preview(&preview, crate::ui::style::stdout_styled());
        if tool.auto_approved || yolo {
            if !tool.auto_approved {
                eprintln!("{preview}\n(approved by YOLO mode)");
            }
            return true;
        }
        self.emit_simple("before_approval_prompt");
        println!("{preview}");
        let plugin = match &tool.source {
            ToolSource::Plugin(p) => self.host.plugin(p).map(|i| i.id.clone()),
            ToolSource::Internal => None,
        };
        if let Some(id) = &plugin {
            for name in &needed {
                let Some(cap) = Capability::parse(name) else {
                    println!("  needs {name}: unknown capability, ignored");
                    continue;
                };
                if let Some(refusal) = self.ceiling_refusal(id, cap) {
                    println!("  needs {cap}: refused, {refusal}");
                    continue;
                }
                let current = self.host.services().grants().check(id, cap);
                println!("  needs {cap}: {}", describe(current));
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
            return false;
        }
        let answer = input.ask("Approve [Y/n]: ").unwrap_or_else(|| "n".into());
        let answer = answer.trim().to_ascii_lowercase();
        let approved = match answer.as_str() {
            "" | "y" | "yes" => true,
            "yolo" => {
                self.state().config.yolo_mode = true;
                println!(
                    "YOLO mode on: tools run without asking (capabilities are still asked for)"
                );
                true
            }
            _ => false,
        };
        if !approved {
            return false;
        }
        if let Some(id) = plugin {
            for cap in needed.iter().filter_map(|n| Capability::parse(n)) {
                if self.ceiling_refusal(&id, cap).is_some() {
                    continue;
                }
                if matches!(
                    self.host.services().grants().check(&id, cap),
                    Decision::Allowed(_)
                ) {
                    continue;
                }
                let answer = input
                    .ask(&format!(
                        "  grant {cap} to {}? [o]nce [s]ession [a]lways [d]eny (default once): ",
                        id.name
                    ))
                    .unwrap_or_else(|| "d".into());
                let mut grants = self.host.services().grants();
                let result = match answer.trim().to_ascii_lowercase().as_str() {
                    "" | "o" | "once" => grants.grant(&id, cap, Scope::Once),
                    "s" | "session" => grants.grant(&id, cap, Scope::Session),
                    "a" | "always" => grants.grant(&id, cap, Scope::Always),
                    _ => {
                        grants.deny_for_session(&id, cap);
                        Ok(())
                    }
                };
                if let Err(e) = result {
                    eprintln!("aicoder: {e}");
                }
            }
        }
        true
    }
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
        let question = format!(
            "{tool} wants {}, outside the workspace root {}",
            path.display(),
            root.display()
        );
        if !input.interactive {
            eprintln!("aicoder: {question}: refused (no terminal to ask; MINI_SANDBOX=0 turns the sandbox off)");
            return false;
        }
        self.emit_simple("before_approval_prompt");
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
        println!(
            "[{plugin}] asks to move the workspace root from {root} to {}\n  \
             the root is what plugins and tools can reach; this is asked every time",
            target.display()
        );
        let answer = input
            .ask(&format!(
                "  move the workspace root to {}? [y/N]: ",
                target.display()
            ))
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
                        (None, e)
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
    fn ceiling_refusal(
        &self,
        id: &crate::caps::grants::PluginId,
        cap: Capability,
    ) -> Option<String> {
        let info = self.host.plugin(&id.name)?;
        super::above_ceiling(info, cap)
    }
}

fn describe(decision: Decision) -> String {
    match decision {
        Decision::Allowed(scope) => format!("granted ({})", scope.name()),
        Decision::Denied(DenyReason::DeniedByUser) => "denied".into(),
        Decision::Denied(DenyReason::NotGranted) => "not granted".into(),
    }
}
