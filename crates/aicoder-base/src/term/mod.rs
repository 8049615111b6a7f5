//! Terminal primitives with no knowledge of the app: the one function that
//! makes control characters in foreign text visible, and the stderr progress
//! line. Low in the layers so capabilities (a plugin's log line) can use
//! them; `ui` re-exports both.

pub mod sanitize;
pub mod spinner;
