//! The gate every guarded host call goes through: `CapCtx` (one plugin
//! instance's side of the host) checks the grant and its scope, asks when a
//! session may, and writes the audit line; and the hints a refusal carries.

use super::*;

/// The longest string argument the audit log keeps whole (longer ones are cut
/// and their length noted).
pub const AUDIT_ARG_MAX: usize = 4096;

/// The host side of one plugin instance: who is calling, and the shared
/// services. The WIT `Host` traits are implemented on this type, one module
/// per interface.
pub struct CapCtx {
    /// The calling plugin (name and content hash).
    pub plugin: PluginId,
    /// The session's shared services.
    pub services: Arc<Services>,
    /// The deadline of the call this instance is running: host functions
    /// that wait on the outside world (shell.exec) end their wait by it.
    pub deadline: deadline::CallDeadline,
}

impl CapCtx {
    /// Bind a plugin to the session's services.
    pub fn new(plugin: PluginId, services: Arc<Services>) -> Self {
        CapCtx {
            plugin,
            services,
            deadline: Default::default(),
        }
    }

    /// The gate of a WIT host function: check the grant `function` needs,
    /// run `op` if allowed, and append one audit line whatever happened. The
    /// line's `capability` and `operation` come from the capability table
    /// (e.g. `history.read` / `get-messages`).
    pub(crate) fn gate_fn<T>(
        &self,
        function: HostFn,
        args: Value,
        op: impl FnOnce() -> Result<Access<T>, HostError>,
    ) -> Result<T, HostError> {
        self.refuse_outside_session(function, &args)?;
        self.gate(function.capability(), function.name(), args, op)
    }

    /// [`CapCtx::gate_scoped`] for a WIT host function: the capability and
    /// the audit line's operation come from the table.
    pub(crate) fn gate_fn_scoped<T>(
        &self,
        function: HostFn,
        target: scope::Target,
        args: Value,
        op: impl FnOnce() -> Result<Access<T>, HostError>,
    ) -> Result<T, HostError> {
        self.refuse_outside_session(function, &args)?;
        self.gate_scoped(function.capability(), target, function.name(), args, op)
    }

    /// Outside a session (a one-shot command), refuse a write whose effect
    /// would be dropped when the command exits: before the grant check (no
    /// grant would help, so the plugin is not told to get one) and before
    /// anything changes. Audited as `refused` with the reason; the plugin
    /// gets `failed`, not `access-denied`, whose hint would say to grant.
    fn refuse_outside_session(&self, function: HostFn, args: &Value) -> Result<(), HostError> {
        let capability = function.capability().name();
        match self.services.outside_session(capability) {
            None => Ok(()),
            Some(why) => Err(self.refuse(capability, function.name(), args.clone(), why)),
        }
    }

    /// Append a `refused` audit line for a call the host turned down before
    /// any grant check, and return the error the plugin gets.
    pub(crate) fn refuse(
        &self,
        capability: &str,
        operation: &str,
        args: Value,
        why: String,
    ) -> HostError {
        let args = crate::util::shorten_strings(args, AUDIT_ARG_MAX);
        self.services.audit.record_line(&AuditLine {
            time: LineTime::Now,
            plugin: &self.plugin.name,
            hash: &self.plugin.hash,
            capability,
            operation,
            args: &args,
            old: None,
            new: None,
            outcome: Outcome::Refused,
            scope: None,
            within: None,
            detail: Some(&why),
        });
        HostError::Failed(why)
    }

    /// The gate of something the host does on a plugin's behalf that no WIT
    /// function names (see [`HostAct`]): the capability and the audit line's
    /// operation come from the act.
    pub fn gate_act<T>(
        &self,
        act: HostAct,
        args: Value,
        op: impl FnOnce() -> Result<Access<T>, HostError>,
    ) -> Result<T, HostError> {
        self.gate(act.capability(), act.operation(), args, op)
    }

    /// The one gate every capability check passes: check the grant, run `op`
    /// if allowed, and append one audit line whatever happened. Reached only
    /// through [`CapCtx::gate_fn`] (WIT host functions) and
    /// [`CapCtx::gate_act`] (what the host does on a plugin's behalf), so
    /// the line's capability and operation are never typed by hand.
    fn gate<T>(
        &self,
        capability: Capability,
        operation: &str,
        args: Value,
        op: impl FnOnce() -> Result<Access<T>, HostError>,
    ) -> Result<T, HostError> {
        let decision = self.services.grants().check(&self.plugin, capability);
        let hint = |reason| grant_hint(&self.plugin.name, capability, reason);
        self.pass(capability, operation, args, decision, None, hint, op)
    }

    /// [`CapCtx::gate`] for a capability whose grants can carry a scope
    /// (see [`scope`]): the grant must cover `target`, what this call
    /// touches, and the audit line names the grant scope that allowed or
    /// denied it (`within`).
    pub(crate) fn gate_scoped<T>(
        &self,
        capability: Capability,
        target: scope::Target,
        operation: &str,
        args: Value,
        op: impl FnOnce() -> Result<Access<T>, HostError>,
    ) -> Result<T, HostError> {
        let verdict = self
            .services
            .grants()
            .check_target(&self.plugin, capability, &target);
        let within = verdict.within.as_deref();
        let hint =
            |reason| scoped_grant_hint(&self.plugin.name, capability, reason, within, &target);
        self.pass(
            capability,
            operation,
            args,
            verdict.decision,
            within,
            hint,
            op,
        )
    }

    /// Carry out a grant decision: run `op` if allowed, and append one audit
    /// line whatever happened (`within`: the grant scope that decided).
    #[allow(clippy::too_many_arguments)]
    fn pass<T>(
        &self,
        capability: Capability,
        operation: &str,
        args: Value,
        decision: Decision,
        within: Option<&str>,
        hint: impl FnOnce(grants::DenyReason) -> String,
        op: impl FnOnce() -> Result<Access<T>, HostError>,
    ) -> Result<T, HostError> {
        // Arguments are the plugin's to choose; the log keeps a bounded copy.
        // `old`/`new` stay whole (undo needs them): the log stores large ones
        // once each as blobs beside it.
        let args = crate::util::shorten_strings(args, AUDIT_ARG_MAX);
        let (mut outcome, mut scope, mut detail) = (Outcome::Allowed, None, None);
        let (mut old, mut new) = (None, None);
        let result = match decision {
            Decision::Denied(reason) => {
                outcome = Outcome::Denied;
                detail = Some(reason.to_string());
                Err(HostError::AccessDenied(Denial {
                    capability: capability.name().to_string(),
                    hint: hint(reason),
                }))
            }
            Decision::Allowed(allowed) => {
                scope = Some(allowed);
                match op() {
                    Ok(access) => {
                        (old, new) = (access.old, access.new);
                        Ok(access.value)
                    }
                    Err(err) => {
                        // A capability may refuse what its grant does not
                        // cover (e.g. another plugin's tool): that is a denial.
                        outcome = match err {
                            HostError::AccessDenied(_) => Outcome::Denied,
                            _ => Outcome::Failed,
                        };
                        detail = Some(crate::util::truncate_text(&describe(&err), AUDIT_ARG_MAX).0);
                        Err(err)
                    }
                }
            }
        };
        self.services.audit.record_line(&AuditLine {
            time: LineTime::Now,
            plugin: &self.plugin.name,
            hash: &self.plugin.hash,
            capability: capability.name(),
            operation,
            args: &args,
            old: old.as_ref(),
            new: new.as_ref(),
            outcome,
            scope,
            within,
            detail: detail.as_deref(),
        });
        result
    }

    /// Append an audit entry. The call already happened, so a failure to
    /// record it is reported loudly rather than undone.
    pub(crate) fn record(&self, entry: &AuditEntry) {
        self.services.audit.record(entry);
    }
}

/// What the host does on a plugin's behalf that no WIT function names, each
/// with the capability it needs and the operation its audit line records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HostAct {
    /// Delivering a session event to a subscribed plugin
    /// (`hooks.register` / `deliver`).
    DeliverEvent,
    /// A `transform_request` hook's change to the request, logged as digests
    /// (`hooks.register` / `transform-request`).
    TransformRequest,
}

impl HostAct {
    /// Every act, for the gate's test.
    pub const ALL: [HostAct; 2] = [HostAct::DeliverEvent, HostAct::TransformRequest];

    /// The capability the act needs.
    pub fn capability(self) -> Capability {
        match self {
            HostAct::DeliverEvent | HostAct::TransformRequest => Capability::HooksRegister,
        }
    }

    /// The audit line's `operation`.
    pub fn operation(self) -> &'static str {
        match self {
            HostAct::DeliverEvent => "deliver",
            HostAct::TransformRequest => "transform-request",
        }
    }
}

/// `types` carries only types; its (empty) host trait still needs an impl.
impl crate::bindings::aicoder::plugin::types::Host for CapCtx {}

/// How to get a capability that was refused.
fn grant_hint(plugin: &str, capability: Capability, reason: grants::DenyReason) -> String {
    match reason {
        grants::DenyReason::NotGranted => format!(
            "plugin `{plugin}` has no grant for {capability}; allow it in the approval prompt, \
             start aicoder with --grant {plugin}:{capability}, or run `aicoder plugin grant {plugin} {capability}`"
        ),
        grants::DenyReason::DeniedByUser => format!(
            "you denied {capability} to plugin `{plugin}`; `aicoder plugin revoke {plugin} {capability}` \
             removes the denial"
        ),
        grants::DenyReason::OutOfScope => format!(
            "plugin `{plugin}` holds {capability} only for scopes that do not cover this call; \
             `aicoder plugin grant {plugin} {capability}` grants all of it"
        ),
    }
}

/// How to get a capability refused for one target: the plain hint, or for a
/// call outside the scopes held, which scopes those are and how to widen.
fn scoped_grant_hint(
    plugin: &str,
    capability: Capability,
    reason: grants::DenyReason,
    within: Option<&str>,
    target: &scope::Target,
) -> String {
    let narrowest = scope::suggestions(capability, target).into_iter().next();
    let wanted = narrowest
        .as_deref()
        .map(|s| format!("{capability}:{s}"))
        .unwrap_or_else(|| capability.name().to_string());
    match (reason, within) {
        (grants::DenyReason::OutOfScope, Some(held)) => format!(
            "plugin `{plugin}` holds {capability} only within `{held}`, which does not cover this call \
             (it needs {wanted}); allow it in the approval prompt, start aicoder with --grant {plugin}:{wanted}, \
             or run `aicoder plugin grant {plugin} '{wanted}'`"
        ),
        (grants::DenyReason::DeniedByUser, Some(denied)) => format!(
            "you denied {capability} within `{denied}` to plugin `{plugin}`; `aicoder plugin revoke {plugin} {capability}` \
             removes the denial"
        ),
        (grants::DenyReason::NotGranted, _) if narrowest.is_some() => format!(
            "plugin `{plugin}` has no grant for {wanted}; allow it in the approval prompt, \
             start aicoder with --grant {plugin}:{wanted}, or run `aicoder plugin grant {plugin} '{wanted}'`"
        ),
        _ => grant_hint(plugin, capability, reason),
    }
}
