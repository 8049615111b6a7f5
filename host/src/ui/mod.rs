//! Terminal output helpers.

pub mod markdown;
