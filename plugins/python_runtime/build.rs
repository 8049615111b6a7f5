//! Writes, from `wit/`, the door from Python to every function of the
//! contract, so an interface added to the WIT is reachable as
//! `ctx.host.<interface>.<function>(...)` with no edit here:
//!
//! - `$OUT_DIR/wit_dispatch.rs`: `wit_ops::call(op, args)`, JSON keyword
//!   arguments to the bindings' call and the result back as JSON;
//! - `$OUT_DIR/prelude.py`: `src/prelude.py`, then `src/host.py` (`ctx.host`),
//!   then `_WIT_OPS`: each function's parameters, capability and summary
//!   (for `ctx.host` and the grants proposed before code runs).

use aicoder_witgen::{json, wit_dir, write_out, Contract};
use std::path::PathBuf;

fn main() {
    let contract = Contract::load_or_panic(&wit_dir(2));
    write_out(
        "wit_dispatch.rs",
        &json::dispatch(&contract, "aicoder_plugin_sdk::bindings::aicoder::plugin"),
    );
    let src = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default()).join("src");
    let mut prelude = String::new();
    for file in ["prelude.py", "host.py"] {
        let path = src.join(file);
        println!("cargo:rerun-if-changed={}", path.display());
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        prelude.push_str(&text);
    }
    prelude.push_str(&json::python_table(&contract));
    write_out("prelude.py", &prelude);
}
