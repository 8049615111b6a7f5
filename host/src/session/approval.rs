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
    pub(super) fn approve(&mut self, tool: &ToolEntry, raw_args: &str, input: &mut Input) -> bool {
        let yolo = self.state().config.yolo_mode;
        let (preview, needed) = match &tool.source {
            ToolSource::Internal => {
                let cwd = self.state().cwd.clone();
                match crate::tools::preview(&tool.name, raw_args, &cwd) {
                    Ok(p) => (p, Vec::new()),
                    Err(e) => (format!("{} (preview failed: {e})", tool.name), Vec::new()),
                }
            }
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
