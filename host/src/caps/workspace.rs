//! Interface `workspace`, capabilities `workspace.read` / `workspace.write`:
//! the working directory the session and its tools use.

use super::{Access, CapCtx, Capability};
use crate::plugins::bindings::aicoder::plugin::types::HostError;
use crate::plugins::bindings::aicoder::plugin::workspace::Host;
use serde_json::json;

/// The longest path `set-cwd` accepts (Linux's PATH_MAX).
pub const MAX_PATH_BYTES: usize = 4096;

pub(crate) const INTERFACE: &str = "workspace";
pub(crate) const CAPABILITIES: &[Capability] =
    &[Capability::WorkspaceRead, Capability::WorkspaceWrite];

impl Host for CapCtx {
    fn get_cwd(&mut self) -> Result<String, HostError> {
        self.gate(Capability::WorkspaceRead, "get-cwd", json!({}), || {
            Ok(Access::read(
                self.services.state().cwd.display().to_string(),
            ))
        })
    }

    fn set_cwd(&mut self, path: String) -> Result<String, HostError> {
        self.gate(
            Capability::WorkspaceWrite,
            "set-cwd",
            json!({ "path": path }),
            || {
                if path.len() > MAX_PATH_BYTES {
                    return Err(HostError::InvalidArgument(format!(
                        "the path is {} bytes; the longest allowed is {MAX_PATH_BYTES}",
                        path.len()
                    )));
                }
                let mut state = self.services.state();
                let target = state.cwd.join(&path);
                let canonical = target
                    .canonicalize()
                    .map_err(|e| HostError::NotFound(format!("{}: {e}", target.display())))?;
                if !canonical.is_dir() {
                    return Err(HostError::InvalidArgument(format!(
                        "{} is not a directory",
                        canonical.display()
                    )));
                }
                let old = std::mem::replace(&mut state.cwd, canonical.clone());
                let new = canonical.display().to_string();
                Ok(Access::write(
                    new.clone(),
                    json!(old.display().to_string()),
                    json!(new),
                ))
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::caps::testing::{assert_denied, TestEnv};

    #[test]
    fn set_cwd_needs_its_grant_and_logs_old_and_new() {
        let mut env = TestEnv::new();
        let root = env.root();
        std::fs::create_dir(root.join("sub")).expect("mkdir");
        assert_denied(env.ctx.set_cwd("sub".into()), Capability::WorkspaceWrite);
        assert_eq!(
            env.ctx.services.state().cwd,
            root,
            "a denied write changes nothing"
        );

        env.grant(Capability::WorkspaceWrite);
        let new = env.ctx.set_cwd("sub".into()).expect("granted");
        assert_eq!(std::path::PathBuf::from(&new), root.join("sub"));
        let entry = env.audit().pop().expect("entry");
        assert_eq!(entry.old, Some(json!(root.display().to_string())));
        assert_eq!(entry.new, Some(json!(new)));
    }

    #[test]
    fn missing_directory_and_file_are_refused() {
        let mut env = TestEnv::new();
        env.grant(Capability::WorkspaceWrite);
        std::fs::write(env.root().join("f"), "x").expect("file");
        assert!(matches!(
            env.ctx.set_cwd("nope".into()),
            Err(HostError::NotFound(_))
        ));
        assert!(matches!(
            env.ctx.set_cwd("f".into()),
            Err(HostError::InvalidArgument(_))
        ));
        assert_denied(env.ctx.get_cwd(), Capability::WorkspaceRead);
    }
}
