//! The host bindings of the contract (`guest-sdk/wit/`, linked as `wit/`), generated in this one place.
//!
//! The guest's exports are called asynchronously (`call_*` are `async`), so a
//! call parked in a WASI sleep or poll can be dropped at its deadline (see
//! `plugins/host.rs`). The `aicoder:plugin` imports stay synchronous: they never wait
//! on the guest, and the one that waits on the outside world (shell.exec)
//! bounds its wait by the call's deadline itself.

wasmtime::component::bindgen!({
    path: "../../guest-sdk/wit",
    world: "plugin",
    exports: { default: async },
});
