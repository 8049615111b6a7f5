//! Interface `plugins`, capability `plugins.read`: the loaded plugins.

use super::{Access, CapCtx, HostFn};
use crate::bindings::aicoder::plugin::plugins::{Host, PluginInfo};
use crate::bindings::aicoder::plugin::types::HostError;
use serde_json::json;


impl Host for CapCtx {
    fn list_plugins(&mut self) -> Result<Vec<PluginInfo>, HostError> {
        self.gate_fn(HostFn::PluginsListPlugins, json!({}), || {
            let state = self.services.state();
            Ok(Access::read(
                state
                    .plugins
                    .iter()
                    .map(|p| PluginInfo {
                        name: p.name.clone(),
                        version: p.version.clone(),
                        source: p.source.clone(),
                        tools: p.tools.clone(),
                        commands: p.commands.clone(),
                    })
                    .collect(),
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::caps::Capability;
    use crate::caps::testing::{assert_denied, TestEnv};
    use crate::state::PluginSummary;

    #[test]
    fn lists_plugins_with_grant() {
        let mut env = TestEnv::new();
        assert_denied(env.ctx.list_plugins(), Capability::PluginsRead);
        env.ctx.services.state().plugins.push(PluginSummary {
            name: "x".into(),
            version: "1.0.0".into(),
            source: "project".into(),
            tools: vec!["t".into()],
            commands: vec![],
        });
        env.grant(Capability::PluginsRead);
        assert_eq!(env.ctx.list_plugins().expect("granted")[0].tools, ["t"]);
    }
}
