//! Grants: which plugin (by name, source and content hash) may use which
//! capability, and for how long. `always` and `deny` grants persist in the
//! user config dir (written atomically); `once` and `session` grants live in
//! memory. The same file remembers which plugin tools the user allowed to run
//! without the approval prompt (a manifest's auto-approval is only a request).

use super::scope::{Prepared, ScopePattern, Target};
use super::Capability;
use crate::state::PluginSource;
use crate::util::atomic_write;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// A plugin as grants know it: its name, where it was found and the hash of
/// its component, so that a changed plugin never inherits the grants of the
/// old one, and a project plugin never those of a shipped or user one.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PluginId {
    pub name: String,
    /// Hex blake3 of the component bytes.
    pub hash: String,
    /// The folder it was loaded from.
    pub source: PluginSource,
}

impl PluginId {
    /// The first 12 hex digits, for display.
    pub fn short_hash(&self) -> &str {
        self.hash.get(..12).unwrap_or(&self.hash)
    }
}

/// How long a grant lasts.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// For the current plugin call only.
    Once,
    /// Until aicoder exits.
    Session,
    /// Persisted for this plugin version.
    Always,
    /// Refused, persisted for this plugin version, until revoked.
    Deny,
}

impl Scope {
    /// Lower-case name as typed on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Scope::Once => "once",
            Scope::Session => "session",
            Scope::Always => "always",
            Scope::Deny => "deny",
        }
    }
}

/// Why a capability check failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DenyReason {
    /// Nobody granted it.
    NotGranted,
    /// The user explicitly denied it.
    DeniedByUser,
    /// The plugin holds the capability only for scopes that do not cover
    /// this call.
    OutOfScope,
}

impl std::fmt::Display for DenyReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            DenyReason::NotGranted => "not granted",
            DenyReason::DeniedByUser => "denied by the user",
            DenyReason::OutOfScope => "outside the granted scope",
        })
    }
}

/// The answer to "may this plugin use this capability now?".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Allowed(Scope),
    Denied(DenyReason),
}

/// A check's answer with the grant scope that decided it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub decision: Decision,
    /// The scope of the grant (or denial) that decided, when it had one;
    /// for [`DenyReason::OutOfScope`], the scopes held, comma-separated.
    pub within: Option<String>,
}

/// A grant in the persisted file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredGrant {
    pub plugin: String,
    pub hash: String,
    /// Where the plugin was loaded from (`project`, `user`, `shipped`,
    /// `file`). Missing in version-1 files: such a grant is honoured for
    /// every source but `project`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The capability, with its scope after a colon when it has one
    /// (`fs.write:src/**`): a name an aicoder without scopes does not know,
    /// so it never reads a scoped grant as the whole capability.
    pub capability: String,
    pub scope: Scope,
    pub granted_at: String,
    /// Given by aicoder as a shipped plugin's default grant
    /// (plugins/defaults.rs), not by the user; `/grants` says so.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub default: bool,
}

/// A plugin tool the user allowed to run without the approval prompt, for
/// one plugin version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ToolApproval {
    pub plugin: String,
    pub hash: String,
    pub source: String,
    pub tool: String,
    pub approved_at: String,
    /// Narrowed to these arguments (an MCP tool's "always"; see
    /// `mcp/arg_scope.rs`); `None` covers every call of the tool.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub args: Option<std::collections::BTreeMap<String, String>>,
}

/// Whether a persisted grant belongs to this plugin version.
fn stored_matches(g: &StoredGrant, plugin: &PluginId) -> bool {
    g.plugin == plugin.name
        && g.hash == plugin.hash
        && match &g.source {
            Some(source) => source == plugin.source.name(),
            None => plugin.source != PluginSource::Project,
        }
}

/// One grant as listed to the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GrantView {
    pub plugin: String,
    pub hash: String,
    /// The capability, with `:SCOPE` when the grant is scoped.
    pub capability: String,
    pub scope: Scope,
    /// A shipped plugin's default grant (plugins/defaults.rs).
    pub default: bool,
}

/// A persisted grant read for checking: the capability parsed and the
/// scope compiled (a grant naming no known capability or an unreadable
/// scope is kept in the file but never matches).
#[derive(Debug, Clone)]
struct Compiled {
    capability: Option<Capability>,
    within: Option<ScopePattern>,
}

fn compile(g: &StoredGrant) -> Compiled {
    let (name, scope) = match g.capability.split_once(':') {
        Some((name, scope)) => (name, Some(scope)),
        None => (g.capability.as_str(), None),
    };
    let capability = Capability::parse(name);
    match (capability, scope) {
        (Some(cap), Some(scope)) => match ScopePattern::parse(cap, scope) {
            Ok(p) => Compiled {
                capability: Some(cap),
                within: Some(p),
            },
            Err(_) => Compiled {
                capability: None,
                within: None,
            },
        },
        (capability, _) => Compiled {
            capability,
            within: None,
        },
    }
}

/// A once/session answer of this session.
#[derive(Debug, Clone)]
struct LiveGrant {
    plugin: PluginId,
    capability: Capability,
    scope: Scope,
    within: Option<ScopePattern>,
}

/// The capability as stored and shown: `cap` or `cap:scope`.
pub fn spec(capability: Capability, within: Option<&ScopePattern>) -> String {
    match within {
        Some(w) => format!("{}:{}", capability.name(), w.text()),
        None => capability.name().to_string(),
    }
}

/// All grants of this user and session.
#[derive(Debug, Default)]
pub struct GrantStore {
    file: Option<PathBuf>,
    /// Set when the file exists but could not be read: never overwrite it.
    read_only: bool,
    stored: Vec<StoredGrant>,
    /// `stored`, parsed, index for index.
    compiled: Vec<Compiled>,
    approvals: Vec<ToolApproval>,
    live: Vec<LiveGrant>,
}

/// Among grants of one capability (already filtered to the plugin), which
/// decides for `target`: a covering denial, else a covering grant; `None`
/// when none covers it.
fn decide<'a, 't>(
    grants: impl Iterator<Item = (Scope, Option<&'a ScopePattern>)>,
    target: &Target<'t>,
    prepared: &std::cell::OnceCell<Prepared<'t>>,
) -> Option<(Scope, Option<&'a str>)> {
    let mut allowed: Option<(Scope, Option<&'a str>)> = None;
    for (scope, within) in grants {
        // The target is read (path cleaned, command split) only once, and
        // only when a scoped grant is met.
        let covers = within
            .is_none_or(|w| w.covers_prepared(prepared.get_or_init(|| Prepared::new(target))));
        if !covers {
            continue;
        }
        let text = within.map(ScopePattern::text);
        if scope == Scope::Deny {
            return Some((Scope::Deny, text));
        }
        // The narrowest answer: a scoped grant names what allowed the call.
        if allowed.is_none_or(|(_, w)| w.is_none() && text.is_some()) {
            allowed = Some((scope, text));
        }
    }
    allowed
}

impl GrantStore {
    /// An in-memory store that persists nothing (tests, `plugin inspect`).
    pub fn in_memory() -> Self {
        GrantStore::default()
    }

    /// May `plugin` use the whole of `capability` now (a grant without a
    /// scope)? See [`GrantStore::check_target`].
    pub fn check(&self, plugin: &PluginId, capability: Capability) -> Decision {
        self.check_target(plugin, capability, &Target::Whole)
            .decision
    }

    /// May `plugin` use `capability` on `target` now? The live
    /// (once/session) answers decide before the persisted ones; within each,
    /// a denial covering the target before a grant covering it. A grant
    /// whose scope does not cover the target does not allow the call.
    pub fn check_target(
        &self,
        plugin: &PluginId,
        capability: Capability,
        target: &Target,
    ) -> Verdict {
        if capability.always_granted() {
            return Verdict {
                decision: Decision::Allowed(Scope::Always),
                within: None,
            };
        }
        let prepared = std::cell::OnceCell::new();
        // A scan, not a keyed lookup: the key would be a cloned PluginId (two
        // allocations) on every host call, and live grants are few.
        let live = || {
            self.live
                .iter()
                .filter(|g| g.capability == capability && g.plugin == *plugin)
                .map(|g| (g.scope, g.within.as_ref()))
        };
        let stored = || {
            self.stored
                .iter()
                .zip(&self.compiled)
                .filter(|(g, c)| c.capability == Some(capability) && stored_matches(g, plugin))
                .map(|(g, c)| (g.scope, c.within.as_ref()))
        };
        let decided =
            decide(live(), target, &prepared).or_else(|| decide(stored(), target, &prepared));
        // Refused: the scopes it holds (for the hint and the audit line).
        let mut missed: Vec<&str> = Vec::new();
        if decided.is_none() {
            missed.extend(
                live()
                    .chain(stored())
                    .filter(|(scope, _)| *scope != Scope::Deny)
                    .filter_map(|(_, within)| within.map(ScopePattern::text)),
            );
        }
        match decided {
            Some((Scope::Deny, within)) => Verdict {
                decision: Decision::Denied(DenyReason::DeniedByUser),
                within: within.map(str::to_string),
            },
            Some((scope, within)) => Verdict {
                decision: Decision::Allowed(scope),
                within: within.map(str::to_string),
            },
            None if !missed.is_empty() => {
                missed.dedup();
                Verdict {
                    decision: Decision::Denied(DenyReason::OutOfScope),
                    within: Some(missed.join(", ")),
                }
            }
            None => Verdict {
                decision: Decision::Denied(DenyReason::NotGranted),
                within: None,
            },
        }
    }

    /// Record a grant of the whole capability. `always` and `deny` are
    /// saved to disk; `once` and `session` replace any live answer for this
    /// session.
    pub fn grant(
        &mut self,
        plugin: &PluginId,
        capability: Capability,
        scope: Scope,
    ) -> Result<(), GrantError> {
        self.grant_within(plugin, capability, scope, None)
    }

    /// Record a grant (or, with [`Scope::Deny`], a denial) of `capability`
    /// limited to `within` (`None`: the whole capability). A grant of the
    /// whole capability replaces the plugin's other answers for it of the
    /// same kind (live, or persisted); a scoped one replaces only the answer
    /// for the same scope.
    pub fn grant_within(
        &mut self,
        plugin: &PluginId,
        capability: Capability,
        scope: Scope,
        within: Option<ScopePattern>,
    ) -> Result<(), GrantError> {
        let same = |w: &Option<ScopePattern>| within.is_none() || *w == within;
        match scope {
            Scope::Once | Scope::Session => {
                self.live.retain(|g| {
                    !(g.plugin == *plugin && g.capability == capability && same(&g.within))
                });
                self.live.push(LiveGrant {
                    plugin: plugin.clone(),
                    capability,
                    scope,
                    within,
                });
                Ok(())
            }
            Scope::Always | Scope::Deny => {
                self.live.retain(|g| {
                    !(g.plugin == *plugin && g.capability == capability && same(&g.within))
                });
                let name = spec(capability, within.as_ref());
                let whole = within.is_none();
                let grant = StoredGrant {
                    plugin: plugin.name.clone(),
                    hash: plugin.hash.clone(),
                    source: Some(plugin.source.name().to_string()),
                    capability: name,
                    scope,
                    granted_at: crate::util::now_rfc3339(),
                    default: false,
                };
                let cap_name = capability.name();
                self.update(|stored, _| {
                    stored.retain(|g| {
                        let same_cap = g.capability == grant.capability
                            || (whole
                                && g.capability.split_once(':').map(|(c, _)| c) == Some(cap_name));
                        !(g.plugin == grant.plugin && same_cap)
                    });
                    stored.push(grant.clone());
                })
            }
        }
    }

    /// Persist an answer named by text alone (`always` or `deny`): a
    /// capability no plugin check reads, such as an MCP server's sandbox
    /// path (`sandbox.read:/home/u/.ssh`). It is listed with the others and
    /// revoked like them.
    pub fn grant_text(
        &mut self,
        plugin: &PluginId,
        capability: &str,
        scope: Scope,
    ) -> Result<(), GrantError> {
        let grant = StoredGrant {
            plugin: plugin.name.clone(),
            hash: plugin.hash.clone(),
            source: Some(plugin.source.name().to_string()),
            capability: capability.to_string(),
            scope,
            granted_at: crate::util::now_rfc3339(),
            default: false,
        };
        self.update(|stored, _| {
            stored.retain(|g| !(g.plugin == grant.plugin && g.capability == grant.capability));
            stored.push(grant.clone());
        })
    }

    /// Deny for this session only (the approval prompt's "deny").
    pub fn deny_for_session(&mut self, plugin: &PluginId, capability: Capability) {
        self.live
            .retain(|g| !(g.plugin == *plugin && g.capability == capability));
        self.live.push(LiveGrant {
            plugin: plugin.clone(),
            capability,
            scope: Scope::Deny,
            within: None,
        });
    }

    /// Remove every grant and denial of `capability` for plugin `name`, for any
    /// version. Returns how many were removed.
    pub fn revoke(&mut self, name: &str, capability: Capability) -> Result<usize, GrantError> {
        let live_before = self.live.len();
        self.live
            .retain(|g| !(g.plugin.name == name && g.capability == capability));
        let matches = |g: &StoredGrant| {
            g.plugin == name
                && (g.capability == capability.name()
                    || g.capability.split_once(':').map(|(c, _)| c) == Some(capability.name()))
        };
        let stored_removed = self.stored.iter().filter(|g| matches(g)).count();
        if stored_removed > 0 {
            self.update(|stored, _| stored.retain(|g| !matches(g)))?;
        }
        Ok(live_before - self.live.len() + stored_removed)
    }

    /// The grants of whole capabilities (not denials, not scoped grants)
    /// held by one plugin version, live and persisted.
    pub fn held_by(&self, plugin: &PluginId) -> Vec<(Capability, Scope)> {
        let mut held: Vec<(Capability, Scope)> = self
            .live
            .iter()
            .filter(|g| g.plugin == *plugin && g.scope == Scope::Session && g.within.is_none())
            .map(|g| (g.capability, g.scope))
            .chain(
                self.stored
                    .iter()
                    .filter(|g| g.scope == Scope::Always && stored_matches(g, plugin))
                    .filter_map(|g| Capability::parse(&g.capability).map(|c| (c, g.scope))),
            )
            .collect();
        held.sort();
        held.dedup();
        held
    }

    /// Persist a shipped plugin's default grant of `capability` (within
    /// `within`), marked `default`, unless this plugin version already has a
    /// persisted answer (grant or denial) for the capability. True when added.
    pub fn grant_default(
        &mut self,
        plugin: &PluginId,
        capability: Capability,
        within: Option<ScopePattern>,
    ) -> Result<bool, GrantError> {
        let cap = capability.name();
        let answered = |stored: &[StoredGrant]| {
            stored.iter().any(|g| {
                stored_matches(g, plugin)
                    && (g.capability == cap
                        || g.capability.split_once(':').map(|(c, _)| c) == Some(cap))
            })
        };
        if answered(self.stored.as_slice()) {
            return Ok(false);
        }
        let grant = StoredGrant {
            plugin: plugin.name.clone(),
            hash: plugin.hash.clone(),
            source: Some(plugin.source.name().to_string()),
            capability: spec(capability, within.as_ref()),
            scope: Scope::Always,
            granted_at: crate::util::now_rfc3339(),
            default: true,
        };
        self.update(|stored, _| {
            // Another aicoder may have answered since this one loaded.
            if !answered(stored.as_slice()) {
                stored.push(grant.clone());
            }
        })?;
        Ok(true)
    }

    /// Whether plugin `name` holds, for any version, a default grant of
    /// `capability` (as stored: `cap` or `cap:scope`) the user kept.
    pub fn default_kept(&self, name: &str, capability: &str) -> bool {
        self.stored.iter().any(|g| {
            g.plugin == name && g.default && g.scope == Scope::Always && g.capability == capability
        })
    }

    /// Forget the `once` grants: the call they were given for has ended.
    pub fn end_call(&mut self) {
        self.live.retain(|g| g.scope != Scope::Once);
    }

    /// Every grant, persisted and live, sorted by plugin and capability.
    pub fn list(&self) -> Vec<GrantView> {
        let mut all: Vec<GrantView> = self
            .stored
            .iter()
            .map(|g| GrantView {
                plugin: g.plugin.clone(),
                hash: g.hash.clone(),
                capability: g.capability.clone(),
                scope: g.scope,
                default: g.default,
            })
            .chain(self.live.iter().map(|g| GrantView {
                plugin: g.plugin.name.clone(),
                hash: g.plugin.hash.clone(),
                capability: spec(g.capability, g.within.as_ref()),
                scope: g.scope,
                default: false,
            }))
            .collect();
        all.sort_by(|a, b| (&a.plugin, &a.capability).cmp(&(&b.plugin, &b.capability)));
        all
    }
}

mod file;
mod tool_approvals;
pub use file::GrantError;

#[cfg(test)]
mod tests;
