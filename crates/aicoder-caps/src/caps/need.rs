//! What a plugin call says it needs, read from its preview's capability
//! list: `CAP` or `CAP:WHAT` (`fs.write:src/a.rs`, `shell.exec:cargo test`,
//! `net.fetch:host:port`). One reading for the session's approval prompt and
//! for `aicoder mcp serve`'s questions, so both check grants against the
//! same target.

use super::scope::{ScopeKind, Target};
use super::Capability;
use crate::state::AppState;

/// One capability a call needs, with what it touches when the preview said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Need {
    /// As the preview wrote it.
    pub name: String,
    /// `None` for a name no capability has (shown, then ignored).
    pub capability: Option<Capability>,
    /// What the call touches, in the form [`Target`] takes (a path relative
    /// to the workspace root); `None` for the whole capability.
    pub target: Option<NeedTarget>,
}

/// What one need touches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NeedTarget {
    Path(String),
    Command(String),
    Host(String, u16),
}

impl Need {
    /// The target as the grant check takes it.
    pub fn target(&self) -> Target<'_> {
        match &self.target {
            None => Target::Whole,
            Some(NeedTarget::Path(p)) => Target::Path(p),
            Some(NeedTarget::Command(c)) => Target::Command(c),
            Some(NeedTarget::Host(h, port)) => Target::Host {
                host: h,
                port: *port,
            },
        }
    }

    /// The target as a person is shown it, if any.
    pub fn shown(&self) -> Option<String> {
        match &self.target {
            None => None,
            Some(NeedTarget::Path(p)) => Some(p.clone()),
            Some(NeedTarget::Command(c)) => Some(format!("`{c}`")),
            Some(NeedTarget::Host(h, port)) => Some(format!("{h}:{port}")),
        }
    }
}

/// Read a preview's capability list. Paths are resolved against the
/// session's working directory and made relative to the workspace root (a
/// path outside it has no target: the whole capability is asked about).
pub fn parse(needed: &[String], state: &AppState) -> Vec<Need> {
    needed
        .iter()
        .map(|name| {
            let (cap_name, what) = match name.split_once(':') {
                Some((c, w)) => (c, Some(w)),
                None => (name.as_str(), None),
            };
            let capability = Capability::parse(cap_name);
            let target = match (capability, what) {
                (Some(cap), Some(what)) => match cap.scope_kind() {
                    ScopeKind::None => None,
                    ScopeKind::Path => state
                        .root()
                        .ok()
                        .and_then(|root| root.relative(&state.cwd, what).ok())
                        .and_then(|rel| rel.to_str().map(str::to_string))
                        .map(NeedTarget::Path),
                    ScopeKind::Command => Some(NeedTarget::Command(what.to_string())),
                    ScopeKind::Host => host_port(what).map(|(h, p)| NeedTarget::Host(h, p)),
                },
                _ => None,
            };
            Need {
                name: name.clone(),
                capability,
                target,
            }
        })
        .collect()
}

/// `host`, `host:port` or `[v6]:port` (port 443 when not given); one host,
/// not a `*.domain` pattern (the one parser: `aicoder_sandbox::HostPort`).
fn host_port(text: &str) -> Option<(String, u16)> {
    let hp = aicoder_sandbox::HostPort::parse(text).ok()?;
    (!hp.is_wildcard()).then(|| (hp.host.clone(), hp.port_or(443)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_ports_and_v6_literals() {
        assert_eq!(host_port("Example.COM"), Some(("example.com".into(), 443)));
        assert_eq!(host_port("a.b:8080"), Some(("a.b".into(), 8080)));
        assert_eq!(host_port("[::1]:3000"), Some(("::1".into(), 3000)));
        assert_eq!(host_port("[::1]"), Some(("::1".into(), 443)));
        assert_eq!(host_port("a.b:notaport"), None);
    }
}
