//! The host bindings of `wit/`, generated in this one place.

wasmtime::component::bindgen!({
    path: "../wit",
    world: "plugin",
});
