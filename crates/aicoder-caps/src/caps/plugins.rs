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
                        tools: state.plugin_tools(&p.name),
                        commands: state
                            .plugin_commands(&p.name)
                            .map(|c| c.name.clone())
                            .collect(),
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
    use crate::bindings::aicoder::plugin::tools::{Host as _, NewTool};
    use crate::state::{PluginOffer, PluginSummary, ToolEntry, ToolSource};

    #[test]
    fn lists_plugins_with_grant() {
        let mut env = TestEnv::new();
        assert_denied(env.ctx.list_plugins(), Capability::PluginsRead);
        let t = ToolEntry::new(
            "t",
            "a tool",
            json!({}),
            false,
            ToolSource::Plugin("x".into()),
            true,
        );
        let offer = PluginOffer {
            summary: PluginSummary {
                name: "x".into(),
                version: "1.0.0".into(),
                source: "project".into(),
            },
            tools: vec![t],
            commands: vec![],
            hooks: vec![],
        };
        env.ctx
            .services
            .state()
            .register_plugin(offer)
            .expect("no clash");
        env.grant(Capability::PluginsRead);
        assert_eq!(env.ctx.list_plugins().expect("granted")[0].tools, ["t"]);
    }

    #[test]
    fn what_a_plugin_registers_at_run_time_is_listed() {
        let mut env = TestEnv::new();
        let offer = PluginOffer {
            summary: PluginSummary {
                name: "tester".into(),
                version: "1.0.0".into(),
                source: "project".into(),
            },
            tools: vec![],
            commands: vec![],
            hooks: vec![],
        };
        env.ctx
            .services
            .state()
            .register_plugin(offer)
            .expect("no clash");
        env.grant(Capability::PluginsRead);
        env.grant(Capability::ToolsManage);
        env.ctx
            .register_tool(NewTool {
                name: "made".into(),
                description: "made at run time".into(),
                parameters_json: r#"{"type":"object"}"#.into(),
                auto_approved: false,
            })
            .expect("granted");
        env.ctx
            .register_command("greet".into(), "says hello".into())
            .expect("granted");
        let listed = env.ctx.list_plugins().expect("granted");
        assert_eq!(listed[0].tools, ["made"]);
        assert_eq!(listed[0].commands, ["greet"]);
        env.ctx.remove_tool("made".into()).expect("own tool");
        assert!(env.ctx.list_plugins().expect("granted")[0].tools.is_empty());
    }
}
