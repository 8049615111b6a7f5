//! B13: the grant check (`GrantStore::check_target`) of an fs.read call with
//! 100 scoped grants held by the plugin (99 path globs that do not cover
//! the path, then the one that does) against the same check with one grant
//! of the whole capability. Target: within 2x.

use crate::{fmt, sample, Row};
use aicoder::caps::grants::{GrantStore, PluginId, Scope};
use aicoder::caps::scope::{ScopePattern, Target};
use aicoder::caps::Capability;
use aicoder::plugins::discovery::PluginSource;

/// Checks per sample: one check is well under a microsecond.
const CHECKS: usize = 10_000;

fn plugin() -> PluginId {
    PluginId {
        name: "bench".into(),
        hash: "0".repeat(64),
        source: PluginSource::User,
    }
}

/// Median seconds of one check of `target` against `store`.
fn per_check(store: &GrantStore, target: &Target) -> (f64, f64) {
    let id = plugin();
    let s = sample(60, || {
        for _ in 0..CHECKS {
            std::hint::black_box(store.check_target(
                std::hint::black_box(&id),
                Capability::FsRead,
                target,
            ));
        }
    });
    (s.median / CHECKS as f64, s.p95 / CHECKS as f64)
}

/// Median and p95 seconds of one `fs.read-file` host call through the gate
/// (grant check, read, audit line) by a plugin holding `grants`.
fn per_host_call(grants: impl Fn(&mut GrantStore, &PluginId)) -> (f64, f64) {
    use aicoder::bindings::aicoder::plugin::fs::Host;
    use aicoder::caps::{audit::AuditLog, CapCtx, Services};
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("src/caps")).unwrap();
    std::fs::write(dir.path().join("src/caps/grants.rs"), "fn main() {}\n").unwrap();
    let config = aicoder::config::Config::from_lookup(|_| None).unwrap();
    let limits = config.sandbox;
    let state = aicoder::state::AppState::new(dir.path().to_path_buf(), config);
    let mut store = GrantStore::in_memory();
    grants(&mut store, &plugin());
    let services = Services::new(
        state,
        store,
        AuditLog::new(dir.path().join("audit.jsonl")),
        limits,
    );
    let mut ctx = CapCtx::new(plugin(), services);
    let n = 2_000;
    let s = sample(20, || {
        for _ in 0..n {
            ctx.read_file("src/caps/grants.rs".into()).unwrap();
        }
        ctx.services.audit.flush();
    });
    (s.median / n as f64, s.p95 / n as f64)
}

fn hundred_scoped(store: &mut GrantStore, id: &PluginId) {
    let cap = Capability::FsRead;
    for i in 0..99 {
        let within = ScopePattern::parse(cap, &format!("dir{i}/**/*.rs")).unwrap();
        store
            .grant_within(id, cap, Scope::Always, Some(within))
            .unwrap();
    }
    store
        .grant_within(
            id,
            cap,
            Scope::Always,
            Some(ScopePattern::parse(cap, "src/**").unwrap()),
        )
        .unwrap();
}

pub fn rows() -> Vec<Row> {
    let id = plugin();
    let cap = Capability::FsRead;
    let target = Target::Path("src/caps/grants.rs");

    let mut whole = GrantStore::in_memory();
    whole.grant(&id, cap, Scope::Always).unwrap();

    let mut scoped = GrantStore::in_memory();
    hundred_scoped(&mut scoped, &id);

    let (call_base, call_base_p95) =
        per_host_call(|store, id| store.grant(id, cap, Scope::Always).unwrap());
    let (call, call_p95) = per_host_call(hundred_scoped);
    let (base, base_p95) = per_check(&whole, &target);
    let (value, value_p95) = per_check(&scoped, &target);
    vec![
        Row {
            id: "B13",
            what: "fs.read host call (grant check, read, audit line): 100 scoped grants held vs one unscoped grant".into(),
            value: format!("{} (p95 {})", fmt(call), fmt(call_p95)),
            baseline: format!("{} (p95 {})", fmt(call_base), fmt(call_base_p95)),
            ratio: format!("{:.2}x", call / call_base),
            target: "<= 2x",
        },
        Row {
            id: "B13",
            what: "the grant check alone (`check_target`), same grants".into(),
            value: format!("{} (p95 {})", fmt(value), fmt(value_p95)),
            baseline: format!("{} (p95 {})", fmt(base), fmt(base_p95)),
            ratio: format!("{:.1}x", value / base),
            target: "-",
        },
    ]
}
