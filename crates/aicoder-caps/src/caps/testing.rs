//! A tiny environment for per-capability tests: a temporary project, fresh
//! state, in-memory grants, a real audit log.

use super::audit::{read_recent, AuditEntry, AuditLog};
use super::grants::{GrantStore, PluginId, Scope};
use super::{CapCtx, Capability, Services};
use crate::config::{Config, SandboxLimits};
use crate::state::AppState;

pub(crate) struct TestEnv {
    pub _dir: tempfile::TempDir,
    pub ctx: CapCtx,
}

impl TestEnv {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path().canonicalize().expect("canonical tempdir");
        let config = Config::from_lookup(|_| None).expect("default config");
        let limits = SandboxLimits {
            shell_timeout: std::time::Duration::from_secs(5),
            ..config.sandbox
        };
        let state = AppState::new(root.clone(), config);
        let audit = AuditLog::new(root.join(".aicoder").join("audit.jsonl"));
        let services = Services::new(state, GrantStore::in_memory(), audit, limits);
        let ctx = CapCtx::new(
            PluginId {
                name: "tester".into(),
                hash: "abc123".into(),
                source: crate::state::PluginSource::User,
            },
            services,
        );
        TestEnv { _dir: dir, ctx }
    }

    pub fn grant(&self, cap: Capability) {
        self.ctx
            .services
            .grants()
            .grant(&self.ctx.plugin, cap, Scope::Session)
            .expect("grant");
    }

    pub fn audit(&self) -> Vec<AuditEntry> {
        self.ctx.services.audit.flush();
        read_recent(self.ctx.services.audit.path(), usize::MAX, None)
            .expect("audit")
            .entries
    }

    pub fn root(&self) -> std::path::PathBuf {
        self.ctx.services.state().cwd.clone()
    }
}

/// Assert `result` is an access-denied error for `cap`.
pub(crate) fn assert_denied<T: std::fmt::Debug>(
    result: Result<T, crate::bindings::aicoder::plugin::types::HostError>,
    cap: Capability,
) {
    match result {
        Err(crate::bindings::aicoder::plugin::types::HostError::AccessDenied(d)) => {
            assert_eq!(d.capability, cap.name());
            assert!(
                d.hint.contains("--grant"),
                "hint must say how to grant: {}",
                d.hint
            );
        }
        other => panic!("expected access-denied for {cap}, got {other:?}"),
    }
}
