//! Every guarded host function goes through the gate: called through the
//! real host (`CapCtx`, the type the WIT `Host` traits are implemented on)
//! with no grant, each one is refused with its own capability and writes
//! one audit line naming it. The functions come from the table
//! (`HostFn::ALL`); the calls are written from `wit/` by build.rs
//! (`call_wit`), so a function added to the contract is called here with no
//! edit, and one whose host code skips the gate fails the test.

use super::audit::Outcome;
use super::testing::TestEnv;
use super::HostFn;
use crate::bindings::aicoder::plugin::types::HostError;
use crate::caps::CapCtx;

include!(concat!(env!("OUT_DIR"), "/gate_calls.rs"));

/// Call `function` with ordinary arguments; only whether it was refused
/// matters here.
fn call(ctx: &mut CapCtx, function: HostFn) -> Result<(), HostError> {
    call_wit(ctx, function.qualified_name()).unwrap_or_else(|| {
        panic!(
            "the table's {} is not a refusable function of wit/",
            function.qualified_name()
        )
    })
}

#[test]
fn every_guarded_function_is_refused_without_its_grant_and_audited() {
    let mut env = TestEnv::new();
    for function in HostFn::ALL {
        let before = env.audit().len();
        let result = call(&mut env.ctx, function);
        let capability = function.capability();
        match result {
            Err(HostError::AccessDenied(d)) => assert_eq!(
                d.capability,
                capability.name(),
                "{} was refused for another capability",
                function.qualified_name()
            ),
            other => panic!(
                "{} ran without {capability} (got {other:?}): its host code does not \
                 go through the gate (`gate_fn(HostFn::..)`)",
                function.qualified_name()
            ),
        }
        let lines = env.audit();
        let new: Vec<_> = lines.get(before..).unwrap_or_default().to_vec();
        assert_eq!(
            new.len(),
            1,
            "{}: one audit line per call, got {new:?}",
            function.qualified_name()
        );
        let line = &new[0];
        assert_eq!(
            (line.capability.as_str(), line.operation.as_str()),
            (capability.name(), function.name()),
            "{}: the audit line names another function",
            function.qualified_name()
        );
        assert_eq!(
            line.outcome,
            Outcome::Denied,
            "{}",
            function.qualified_name()
        );
    }
}

#[test]
fn with_its_grant_the_call_passes_the_gate() {
    // The same calls with every grant: none is refused for want of one,
    // so the test above sees the gate, not some other refusal.
    let mut env = TestEnv::new();
    for capability in super::Capability::ALL {
        env.grant(capability);
    }
    for function in HostFn::ALL {
        if let Err(HostError::AccessDenied(d)) = call(&mut env.ctx, function) {
            panic!(
                "{}: denied with every grant: {d:?}",
                function.qualified_name()
            );
        }
    }
}

#[test]
fn every_host_act_is_refused_without_its_grant_and_audited() {
    let env = TestEnv::new();
    for act in super::HostAct::ALL {
        let before = env.audit().len();
        let ran = std::cell::Cell::new(false);
        let result = env.ctx.gate_act(act, serde_json::json!({}), || {
            ran.set(true);
            Ok(super::Access::read(()))
        });
        assert!(!ran.get(), "{act:?} ran without {}", act.capability());
        assert!(matches!(result, Err(HostError::AccessDenied(_))), "{act:?}");
        let lines = env.audit();
        let line = lines.get(before..).and_then(|l| l.first()).expect("a line");
        assert_eq!(line.capability, act.capability().name());
        assert_eq!(line.operation, act.operation());
        assert_eq!(line.outcome, Outcome::Denied);
    }
}
