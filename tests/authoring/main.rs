//! Plugin authoring: the three languages, the published WIT package, and the docs kept true.
//! One test binary per subject: each module below was its own binary once.

mod docs;
mod languages;
mod source_rules;
mod wit_lists;
mod wit_package;
