//! Interface `prompt`, capability `prompt.write`: named sections a plugin adds
//! to the system prompt (memory's index, git_aware's branch, the skills on
//! offer). Each section belongs to the plugin that set it, is bounded in size
//! and count, is appended after the system prompt in every request, is listed
//! by `/context`, and goes when its plugin is unloaded.

use super::{Access, CapCtx, HostFn};
use crate::bindings::aicoder::plugin::prompt::Host;
use crate::bindings::aicoder::plugin::types::HostError;
use serde_json::json;


/// The largest section text, in bytes.
pub const SECTION_MAX_BYTES: usize = 16 << 10;
/// The most sections one plugin may hold at once.
pub const SECTIONS_PER_PLUGIN: usize = 8;

/// A section name: `snake_case`, at most 40 bytes.
fn check_name(name: &str) -> Result<(), HostError> {
    let ok = !name.is_empty()
        && name.len() <= 40
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if ok {
        Ok(())
    } else {
        Err(HostError::InvalidArgument(format!(
            "section name {name:?} must be snake_case (a-z, 0-9, `_`), at most 40 bytes"
        )))
    }
}

impl Host for CapCtx {
    fn set_section(&mut self, name: String, text: String) -> Result<(), HostError> {
        let args = json!({ "name": name, "bytes": text.len() });
        self.gate_fn(HostFn::PromptSetSection, args, || {
            check_name(&name)?;
            if text.len() > SECTION_MAX_BYTES {
                return Err(HostError::InvalidArgument(format!(
                    "section `{name}` is {} bytes; the most is {SECTION_MAX_BYTES}",
                    text.len()
                )));
            }
            let mut state = self.services.state();
            let key = (self.plugin.name.clone(), name.clone());
            let old = if text.is_empty() {
                state.prompt_sections.remove(&key)
            } else {
                let held = state
                    .prompt_sections
                    .keys()
                    .filter(|(plugin, _)| *plugin == self.plugin.name)
                    .count();
                if !state.prompt_sections.contains_key(&key) && held >= SECTIONS_PER_PLUGIN {
                    return Err(HostError::InvalidArgument(format!(
                        "plugin `{}` already holds {SECTIONS_PER_PLUGIN} prompt sections; clear one first",
                        self.plugin.name
                    )));
                }
                state.prompt_sections.insert(key, text.clone())
            };
            Ok(Access::write(
                (),
                json!({ "name": name, "text": old }),
                json!({ "name": name, "text": (!text.is_empty()).then_some(text.clone()) }),
            ))
        })
    }

    fn clear_section(&mut self, name: String) -> Result<(), HostError> {
        self.gate_fn(
            HostFn::PromptClearSection,
            json!({ "name": name }),
            || {
                let mut state = self.services.state();
                let key = (self.plugin.name.clone(), name.clone());
                let old = state
                    .prompt_sections
                    .remove(&key)
                    .ok_or_else(|| HostError::NotFound(format!("no prompt section `{name}`")))?;
                Ok(Access::write(
                    (),
                    json!({ "name": name, "text": old }),
                    json!({ "name": name, "text": null }),
                ))
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::caps::Capability;
    use crate::caps::testing::{assert_denied, TestEnv};

    #[test]
    fn sections_need_the_grant_and_stay_bounded() {
        let mut env = TestEnv::new();
        assert_denied(
            env.ctx.set_section("notes".into(), "x".into()),
            Capability::PromptWrite,
        );
        env.grant(Capability::PromptWrite);
        env.ctx
            .set_section("notes".into(), "remember".into())
            .expect("set");
        let text = env.ctx.services.state().prompt_text();
        assert!(text.contains("remember"), "{text}");
        let big = "x".repeat(SECTION_MAX_BYTES + 1);
        assert!(matches!(
            env.ctx.set_section("big".into(), big),
            Err(HostError::InvalidArgument(_))
        ));
        assert!(matches!(
            env.ctx.set_section("../x".into(), "y".into()),
            Err(HostError::InvalidArgument(_))
        ));
        for i in 1..SECTIONS_PER_PLUGIN {
            env.ctx
                .set_section(format!("s{i}"), "y".into())
                .expect("within the count");
        }
        assert!(matches!(
            env.ctx.set_section("one_more".into(), "y".into()),
            Err(HostError::InvalidArgument(_))
        ));
        env.ctx.clear_section("notes".into()).expect("clear");
        assert!(!env.ctx.services.state().prompt_text().contains("remember"));
        assert!(matches!(
            env.ctx.clear_section("notes".into()),
            Err(HostError::NotFound(_))
        ));
        assert!(env
            .audit()
            .iter()
            .any(|e| e.capability == "prompt.write" && e.operation == "set-section"));
    }
}
