//! Terminal primitives with no knowledge of the app: the one function that
//! makes control characters in foreign text visible, the stderr progress
//! line, and the one way to put a question to the person (ask.rs). Low in the layers so capabilities (a plugin's log line) can use
//! them; `ui` re-exports both.

pub mod ask;
pub mod sanitize;
pub mod spinner;
