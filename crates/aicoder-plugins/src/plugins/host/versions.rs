//! A plugin in whichever contract version it was built against: the current
//! one (`crate::bindings`) or a frozen one the host still loads
//! ([`since_v0_1_0`]). The rest of the host calls a plugin through these
//! types and sees only the current contract's types.

use super::since_v0_1_0;
use crate::bindings as latest;
use crate::bindings::exports::aicoder::plugin::guest;
use crate::caps::CapCtx;
use crate::plugins::sandbox::StoreData;
use wasmtime::component::{HasSelf, InstancePre, Linker};
use wasmtime::AsContextMut;

/// Link every contract version the host implements.
pub fn add_to_linker(linker: &mut Linker<StoreData>) -> wasmtime::Result<()> {
    latest::Plugin::add_to_linker::<StoreData, HasSelf<CapCtx>>(linker, |d: &mut StoreData| {
        &mut d.caps
    })?;
    since_v0_1_0::add_to_linker(linker)
}

/// A linked component, ready to instantiate.
pub enum PluginPre<T: 'static> {
    /// Built against the current contract.
    Latest(latest::PluginPre<T>),
    /// Built against `aicoder:plugin@0.1.x`.
    V0_1(since_v0_1_0::PluginPre<T>),
}

impl<T: Send + 'static> PluginPre<T> {
    /// The version whose `guest` export the component has; the current
    /// contract's error when it has neither.
    pub fn new(pre: InstancePre<T>) -> wasmtime::Result<Self> {
        match latest::PluginPre::new(pre.clone()) {
            Ok(p) => Ok(PluginPre::Latest(p)),
            Err(e) => since_v0_1_0::PluginPre::new(pre)
                .map(PluginPre::V0_1)
                .map_err(|_| e),
        }
    }

    /// Make an instance.
    pub async fn instantiate_async(
        &self,
        store: impl AsContextMut<Data = T>,
    ) -> wasmtime::Result<Plugin> {
        Ok(match self {
            PluginPre::Latest(p) => Plugin::Latest(p.instantiate_async(store).await?),
            PluginPre::V0_1(p) => Plugin::V0_1(p.instantiate_async(store).await?),
        })
    }
}

/// An instance of a plugin.
pub enum Plugin {
    /// Built against the current contract.
    Latest(latest::Plugin),
    /// Built against `aicoder:plugin@0.1.x`.
    V0_1(since_v0_1_0::Plugin),
}

impl Plugin {
    /// The plugin's `guest` export, answering in the current contract's types.
    pub fn aicoder_plugin_guest(&self) -> Guest<'_> {
        Guest(self)
    }
}

/// The `guest` export of a [`Plugin`], in either version. Copied into each
/// call's future, which then borrows only the plugin.
#[derive(Clone, Copy)]
pub struct Guest<'a>(&'a Plugin);

/// A guest call's answer: the call's own result inside wasmtime's.
type Answer<T> = wasmtime::Result<Result<T, guest::PluginError>>;

fn answer<T: Into<U>, U, E: Into<guest::PluginError>>(
    r: wasmtime::Result<Result<T, E>>,
) -> Answer<U> {
    r.map(|r| r.map(Into::into).map_err(Into::into))
}

impl<'a> Guest<'a> {
    /// `manifest`.
    pub async fn call_manifest<S: AsContextMut<Data: Send>>(
        self,
        store: S,
    ) -> wasmtime::Result<guest::PluginManifest> {
        match self.0 {
            Plugin::Latest(p) => p.aicoder_plugin_guest().call_manifest(store).await,
            Plugin::V0_1(p) => Ok(p.aicoder_plugin_guest().call_manifest(store).await?.into()),
        }
    }

    /// `call-tool`.
    pub async fn call_call_tool<S: AsContextMut<Data: Send>>(
        self,
        store: S,
        name: &str,
        args: &str,
    ) -> Answer<guest::ToolOutput> {
        match self.0 {
            Plugin::Latest(p) => {
                let guest = p.aicoder_plugin_guest();
                guest.call_call_tool(store, name, args).await
            }
            Plugin::V0_1(p) => {
                let guest = p.aicoder_plugin_guest();
                answer(guest.call_call_tool(store, name, args).await)
            }
        }
    }

    /// `preview-tool`.
    pub async fn call_preview_tool<S: AsContextMut<Data: Send>>(
        self,
        store: S,
        name: &str,
        args: &str,
    ) -> Answer<guest::Preview> {
        match self.0 {
            Plugin::Latest(p) => {
                let guest = p.aicoder_plugin_guest();
                guest.call_preview_tool(store, name, args).await
            }
            Plugin::V0_1(p) => {
                let guest = p.aicoder_plugin_guest();
                answer(guest.call_preview_tool(store, name, args).await)
            }
        }
    }

    /// `run-command`.
    pub async fn call_run_command<S: AsContextMut<Data: Send>>(
        self,
        store: S,
        name: &str,
        args: &str,
    ) -> Answer<String> {
        match self.0 {
            Plugin::Latest(p) => {
                let guest = p.aicoder_plugin_guest();
                guest.call_run_command(store, name, args).await
            }
            Plugin::V0_1(p) => {
                let guest = p.aicoder_plugin_guest();
                answer(guest.call_run_command(store, name, args).await)
            }
        }
    }

    /// `on-event`.
    pub async fn call_on_event<S: AsContextMut<Data: Send>>(
        self,
        store: S,
        event: &guest::Event,
    ) -> Answer<guest::EventOutcome> {
        match self.0 {
            Plugin::Latest(p) => p.aicoder_plugin_guest().call_on_event(store, event).await,
            Plugin::V0_1(p) => {
                let event = event.clone().into();
                let guest = p.aicoder_plugin_guest();
                answer(guest.call_on_event(store, &event).await)
            }
        }
    }
}
