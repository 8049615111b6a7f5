//! python_runtime through its component: the acceptance examples, its doors, and fidelity to CPython.
//! One test binary per subject: each module below was its own binary once.

mod doors;
mod escape_routes;
mod fidelity;
mod host_contract;
mod runtime;
mod script_semantics;
