//! Calls into a plugin: its instance made on first use, each call under the
//! sandbox's deadline, a trap audited and the instance dropped.

use super::engine::GuestCall;
use super::errors::with_guest_output;
use super::versions::{Plugin, PluginPre};
use super::{CallError, Instance, PluginHost, Preview, ToolResult, TrapKind};
use crate::caps::audit::{AuditEntry, Outcome};
use crate::caps::grants::PluginId;
use crate::caps::CapCtx;
use crate::plugins::sandbox::{new_store, StoreData};
use serde_json::json;
use wasmtime::Store;

impl PluginHost {
    /// How the call that failed with `err` in `store` was stopped.
    pub(super) fn classify(&self, store: &Store<StoreData>, err: &wasmtime::Error) -> TrapKind {
        let data = store.data();
        let hits = super::errors::Hits {
            memory: data.limiter.hit,
            output: data.output.overflowed(),
        };
        super::errors::classify(&self.services.limits, hits, err)
    }

    pub(super) fn instantiate(
        &self,
        pre: &PluginPre<StoreData>,
        id: &PluginId,
    ) -> Result<Instance, TrapKind> {
        let caps = CapCtx::new(id.clone(), self.services.clone());
        let mut store = new_store(&self.engine, caps, &self.services.limits);
        let timeout = self.arm(&mut store);
        let made = self.finish(timeout, Box::pin(pre.instantiate_async(&mut store)));
        match made {
            Ok(plugin) => Ok(Instance { store, plugin }),
            Err(e) => Err(self.classify(&store, &e)),
        }
    }

    /// Run `f` against the plugin's instance (made now if needed). A trap drops
    /// the instance and is audited as `stopped` under `operation` (the export
    /// called) and `target` (the tool, command or event); `once` grants end
    /// with the call either way.
    pub(super) fn with_instance<R: Send>(
        &mut self,
        plugin: &str,
        (operation, target): (&str, &str),
        f: impl for<'a> FnOnce(&'a Plugin, &'a mut Store<StoreData>) -> GuestCall<'a, R>,
    ) -> Result<(R, String), CallError> {
        let index = self
            .plugins
            .iter()
            .position(|p| p.info.manifest.name == plugin);
        let index = index.ok_or_else(|| CallError::NoPlugin(plugin.to_string()))?;
        let trapped = |kind| CallError::Trapped {
            plugin: plugin.to_string(),
            kind,
        };
        if self.plugins[index].instance.is_none() {
            self.ensure_pre(index)
                .map_err(|error| CallError::Unloadable {
                    plugin: plugin.to_string(),
                    error,
                })?;
            let loaded = &self.plugins[index];
            let Some(pre) = &loaded.pre else {
                return Err(CallError::NoPlugin(plugin.to_string()));
            };
            let instance = self.instantiate(pre, &loaded.info.id).map_err(trapped)?;
            self.plugins[index].instance = Some(instance);
        }
        let Some(mut instance) = self.plugins[index].instance.take() else {
            return Err(CallError::NoPlugin(plugin.to_string()));
        };
        let timeout = self.arm(&mut instance.store);
        let result = self.finish(timeout, f(&instance.plugin, &mut instance.store));
        // A host function that gave up at the deadline (shell.exec) ends the
        // call there, whatever the plugin did after it.
        let result = match result {
            Ok(_) if instance.store.data().caps.deadline.hit() => {
                Err(wasmtime::Trap::Interrupt.into())
            }
            other => other,
        };
        // Classified before the output is taken: taking resets the cap flag.
        let result = result.map_err(|e| {
            let kind = self.classify(&instance.store, &e);
            (e, kind)
        });
        self.services.grants().end_call();
        self.services.audit.flush();
        let printed = instance.store.data().output.take();
        match result {
            Ok(value) => {
                self.plugins[index].instance = Some(instance);
                Ok((value, printed))
            }
            // The instance is dropped here; the next call makes a new one.
            Err((e, kind)) => {
                if self.services.state().config.debug {
                    let text = format!("[aicoder] trap in plugin `{plugin}`: {e:?}\n{printed}");
                    eprintln!("{}", crate::term::sanitize::visible(&text));
                }
                let kind = with_guest_output(kind, &printed);
                let entry = AuditEntry::sandbox(
                    &self.plugins[index].info.id,
                    operation,
                    json!({ "name": target }),
                    Outcome::Stopped,
                    kind.to_string(),
                );
                self.services.audit.record(&entry);
                self.services.audit.flush();
                Err(trapped(kind))
            }
        }
    }

    /// Run a plugin tool with JSON arguments.
    pub fn call_tool(
        &mut self,
        plugin: &str,
        tool: &str,
        args_json: &str,
    ) -> Result<ToolResult, CallError> {
        self.offers(plugin, "tool", tool)?;
        let (name, args) = (tool.to_string(), args_json.to_string());
        let (result, printed) = self.with_instance(plugin, ("call-tool", tool), |p, store| {
            Box::pin(async move {
                p.aicoder_plugin_guest()
                    .call_call_tool(store, &name, &args)
                    .await
            })
        })?;
        let out = result.map_err(|e| CallError::from_guest(plugin, e))?;
        let cap = self.services.limits.output_bytes;
        Ok(ToolResult {
            summary: crate::util::truncate_text(&out.summary, cap).0,
            detail: crate::util::truncate_text(&out.detail, cap).0,
            printed,
        })
    }

    /// Ask a plugin to describe a tool call for the approval prompt.
    pub fn preview_tool(
        &mut self,
        plugin: &str,
        tool: &str,
        args_json: &str,
    ) -> Result<Preview, CallError> {
        self.offers(plugin, "tool", tool)?;
        let (name, args) = (tool.to_string(), args_json.to_string());
        let (result, _) = self.with_instance(plugin, ("preview-tool", tool), |p, store| {
            Box::pin(async move {
                p.aicoder_plugin_guest()
                    .call_preview_tool(store, &name, &args)
                    .await
            })
        })?;
        let preview = result.map_err(|e| CallError::from_guest(plugin, e))?;
        Ok(Preview {
            text: crate::util::truncate_text(&preview.text, 64 * 1024).0,
            capabilities: preview.capabilities,
        })
    }

    /// Run a plugin's slash command.
    pub fn run_command(
        &mut self,
        plugin: &str,
        command: &str,
        args: &str,
    ) -> Result<String, CallError> {
        self.offers(plugin, "command", command)?;
        let (name, args) = (command.to_string(), args.to_string());
        let (result, printed) =
            self.with_instance(plugin, ("run-command", command), |p, store| {
                Box::pin(async move {
                    p.aicoder_plugin_guest()
                        .call_run_command(store, &name, &args)
                        .await
                })
            })?;
        let text = result.map_err(|e| CallError::from_guest(plugin, e))?;
        let text = if printed.is_empty() {
            text
        } else {
            format!("{printed}{text}")
        };
        Ok(crate::util::truncate_text(&text, self.services.limits.output_bytes).0)
    }
}
