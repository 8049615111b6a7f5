//! What names the contract's functions by hand, checked against the WIT
//! itself: `wit/*.wit` (the current contract, not the frozen `since_v*`
//! folders) read by crates/aicoder-witgen (wit-parser). The lists a new
//! interface would otherwise need are written from the WIT by build scripts
//! (the gate test's calls, the hostile fixture's trespass, Python's
//! `ctx.host`, the scaffold's fallback status calls); what is still typed by
//! hand is checked here, so a function added to the WIT fails each check
//! below until the hand-written place that must know it does:
//!
//! - the capability table (`aicoder::caps`): exactly the WIT's interfaces and
//!   functions, each function gated or listed as ungated, and the WIT's
//!   "Needs `capability`" is the table's (Python proposes grants from it);
//! - the SDK (`guest-sdk/src/lib.rs`): a helper module that takes the place
//!   of a generated one exposes all of its functions;
//! - the Python runtime's hand-written ops (`bridge.rs`, for `app`/`ctx`):
//!   each is a function of the contract, and the prelude calls only ops;
//! - the scaffold (`aicoder plugin new`, three languages): a status call into
//!   every interface, hand-written or written from the WIT.

#![allow(clippy::unwrap_used)]

use aicoder::caps::{Capability, HostFn, INTERFACES, UNGATED};
use aicoder_tests::{root, Project};
use aicoder_witgen::{snake, Contract, Function};
use std::collections::{BTreeMap, BTreeSet};

/// Every function of every `aicoder:plugin` interface world `plugin`
/// imports, read from `wit/`.
fn contract() -> Contract {
    let contract = Contract::load(&root().join("wit")).unwrap();
    let count = contract.functions().count();
    assert!(count > 30, "wit-parser found only {count} functions");
    contract
}

/// The interfaces of the contract that have functions, in WIT order.
fn interfaces(contract: &Contract) -> Vec<String> {
    contract
        .interfaces
        .iter()
        .filter(|i| !i.functions.is_empty())
        .map(|i| i.name.clone())
        .collect()
}

fn read(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn the_capability_table_is_exactly_the_wit() {
    let contract = contract();
    let wit: BTreeSet<(String, String)> = contract
        .functions()
        .map(|f| (f.interface.clone(), f.name.clone()))
        .collect();
    let table: BTreeSet<(String, String)> = HostFn::ALL
        .iter()
        .map(|f| (f.interface().to_string(), f.name().to_string()))
        .chain(UNGATED.iter().map(|(i, f)| (i.to_string(), f.to_string())))
        .collect();
    if let Some((iface, func)) = wit.difference(&table).next() {
        panic!(
            "WIT function {iface}.{func} is not in the capability table \
             (crates/aicoder-caps/src/caps/mod.rs): list it under the capability it needs, \
             or as `ungated`"
        );
    }
    if let Some((iface, func)) = table.difference(&wit).next() {
        panic!("the capability table lists {iface}.{func}, which wit/{iface}.wit does not declare");
    }
    // Every function a grant guards can be refused: it must return a
    // `host-error` for the denial to be a value. Its documentation names
    // the capability the table gives it (what a plugin author reads, and
    // what Python's grant proposal for `ctx.host` calls is made from); an
    // ungated function names none.
    for f in contract.functions() {
        match HostFn::find(&f.interface, &f.name) {
            Some(function) => {
                assert!(
                    f.refusable,
                    "{} is gated but does not return result<_, host-error>",
                    f.qualified()
                );
                assert_eq!(
                    f.needs.as_deref(),
                    Some(function.capability().name()),
                    "wit/{}.wit: the documentation of {} must say \"Needs `{}`\"",
                    f.interface,
                    f.name,
                    function.capability().name()
                );
            }
            None => assert_eq!(
                f.needs,
                None,
                "{} is ungated in the table, but its WIT documentation names a capability",
                f.qualified()
            ),
        }
    }
    // The table's interfaces are the WIT's (a standard WASI interface such
    // as wasi:http stands for net.fetch and has no file of ours).
    let ours: BTreeSet<&str> = INTERFACES
        .iter()
        .map(|(i, _)| *i)
        .filter(|i| !i.contains(':'))
        .collect();
    let declared: BTreeSet<String> = interfaces(&contract).into_iter().collect();
    let declared: BTreeSet<&str> = declared.iter().map(String::as_str).collect();
    assert_eq!(
        ours, declared,
        "table interfaces vs world `plugin`'s imports"
    );
}

/// `(interface module, function)` the SDK reaches, each with the SDK module
/// that exposes it, plus each SDK module's own `pub fn` wrappers; read from
/// its `use crate::bindings::aicoder::plugin::<iface>::{..}` lines.
struct Sdk {
    exposed: BTreeMap<(String, String), String>,
    wrappers: BTreeMap<String, BTreeSet<String>>,
}

fn sdk() -> Sdk {
    let lib = read("guest-sdk/src/lib.rs");
    let mut sdk = Sdk {
        exposed: BTreeMap::new(),
        wrappers: BTreeMap::new(),
    };
    for block in lib.split("\npub mod ").skip(1) {
        let module = block.split_whitespace().next().unwrap().to_string();
        let body = block.split("\n}\n").next().unwrap();
        for used in body.split("crate::bindings::aicoder::plugin::").skip(1) {
            let Some((iface, rest)) = used.split_once("::") else {
                continue;
            };
            let items = match rest.strip_prefix('{') {
                Some(list) => list.split('}').next().unwrap(),
                None => rest.split(';').next().unwrap(),
            };
            for item in items.split(',').map(str::trim).filter(|i| !i.is_empty()) {
                sdk.exposed
                    .insert((iface.to_string(), item.to_string()), module.clone());
            }
        }
        for def in body.split("pub fn ").skip(1) {
            let name = def.split('(').next().unwrap().trim().to_string();
            sdk.wrappers.entry(module.clone()).or_default().insert(name);
        }
    }
    sdk
}

impl Sdk {
    /// The SDK module that exposes `f` (the bindings' module is the
    /// interface name in snake case).
    fn module_of(&self, f: &Function) -> Option<&String> {
        self.exposed
            .get(&(f.interface.replace('-', "_"), snake(&f.name)))
    }

    /// [`Sdk::module_of`], or the bindings' own module name when the SDK
    /// lacks it (the_sdk_reaches_every_wit_function names that case).
    fn module_or_bindings(&self, f: &Function) -> String {
        self.module_of(f)
            .cloned()
            .unwrap_or_else(|| f.interface.replace('-', "_"))
    }
}

#[test]
fn the_sdk_reaches_every_wit_function() {
    // The SDK re-exports every generated interface module under its snake
    // case name; a helper module of the same name takes its place, and must
    // then expose each of the interface's functions itself.
    let lib = read("guest-sdk/src/lib.rs");
    assert!(
        lib.contains("\npub use bindings::aicoder::plugin::*;"),
        "guest-sdk/src/lib.rs no longer re-exports every interface"
    );
    let sdk = sdk();
    let helpers: BTreeSet<&String> = sdk.exposed.values().collect();
    for f in contract().functions() {
        let module = snake(&f.interface);
        if !helpers.contains(&module) {
            continue;
        }
        assert!(
            sdk.module_of(f).is_some(),
            "guest-sdk/src/lib.rs: helper module `{module}` hides the generated one, \
             but exposes no WIT function {} \
             (`pub use crate::bindings::aicoder::plugin::{module}::{{{}}}` in it)",
            f.qualified(),
            snake(&f.name)
        );
    }
}

/// The arms of `call`'s `match op` in the Python bridge.
fn bridge_ops() -> BTreeSet<String> {
    let bridge = read("plugins/python_runtime/src/bridge.rs");
    let ops = bridge
        .split("match op {")
        .nth(1)
        .expect("bridge.rs: match op");
    ops.lines()
        .filter_map(|l| l.strip_prefix("        \""))
        .filter_map(|l| l.split_once("\" =>").map(|(op, _)| op.to_string()))
        .collect()
}

#[test]
fn the_python_bridges_hand_written_ops_are_wit_functions() {
    // Every function is reachable as `wit:<op>` (`ctx.host`, written from
    // the WIT by plugins/python_runtime/build.rs); the hand-written ops
    // `app` and `ctx` use must each be one of them, under its WIT name.
    let contract = contract();
    let ops = bridge_ops();
    assert!(ops.len() > 10, "bridge.rs answers no ops? {ops:?}");
    let wit: BTreeSet<String> = contract.functions().map(Function::qualified).collect();
    for op in &ops {
        assert!(
            wit.contains(op),
            "bridge.rs op \"{op}\" is not a WIT function of the contract"
        );
    }
    // The ops the prelude calls (`_call("op"`, `_door("op"`, and the
    // per-counter `"stats.get-stats:NAME"` ops) are the bridge's.
    let prelude = read("plugins/python_runtime/src/prelude.py");
    let called: Vec<&str> = ["_call(\"", "_door(\""]
        .into_iter()
        .flat_map(|door| prelude.split(door).skip(1))
        .filter_map(|s| s.split('"').next())
        .collect();
    assert!(called.len() > 10, "prelude.py calls no ops? {called:?}");
    for op in called {
        assert!(
            ops.contains(op),
            "prelude.py calls op \"{op}\", which bridge.rs does not answer"
        );
    }
    assert!(prelude.contains("op = \"stats.get-stats:\""));
    // What the prelude asks for before running code (`_NEEDS`,
    // `_CTX_NEEDS`) names only capabilities of the table.
    let needs = prelude
        .split("_NEEDS = {")
        .skip(1)
        .map(|s| s.split('}').next().unwrap_or_default())
        .collect::<Vec<_>>()
        .join(" ");
    for quoted in needs.split('"').skip(1).step_by(2) {
        if quoted.contains('.') {
            assert!(
                Capability::parse(quoted).is_some(),
                "prelude.py asks for {quoted}, which is no capability"
            );
        }
    }
}

#[test]
fn the_scaffold_calls_into_every_wit_interface_in_each_language() {
    let contract = contract();
    let sdk = sdk();
    // One capability of each interface: the ceiling then imports them all.
    let caps: Vec<&str> = interfaces(&contract)
        .iter()
        .filter_map(|iface| {
            let (_, caps) = INTERFACES.iter().find(|(i, _)| i == iface)?;
            caps.first().map(|c| c.name())
        })
        .collect();
    let caps = caps.join(",");
    // With the hand-written status calls (the written-from-WIT one where
    // there is none), and with only the written ones.
    for mode in ["usual", "generated"] {
        let mut p = Project::with_local_sdk();
        if mode == "generated" {
            p.env("AICODER_SCAFFOLD_STATUS", "generated");
        }
        for (lang, file) in [
            ("rust", "src/lib.rs"),
            ("js", "src/plugin.js"),
            ("python", "app.py"),
        ] {
            let name = format!("lists_{lang}");
            p.run(&["plugin", "new", &name, "--lang", lang, "--caps", &caps])
                .ok();
            let code = std::fs::read_to_string(p.work().join(&name).join(file)).unwrap();
            for iface in interfaces(&contract) {
                let funcs: Vec<&Function> = contract
                    .functions()
                    .filter(|f| f.interface == iface)
                    .collect();
                let calls: Vec<String> = funcs
                    .iter()
                    .flat_map(|f| match lang {
                        // Through the bindings' module, the SDK module that
                        // exposes it, or one of that module's own wrappers
                        // (log::info writes with log.write).
                        "rust" => {
                            let module = sdk.module_or_bindings(f);
                            let wrappers = sdk.wrappers.get(&module).cloned().unwrap_or_default();
                            [
                                format!("{}::{}(", snake(&iface), snake(&f.name)),
                                format!("{module}::{}(", snake(&f.name)),
                            ]
                            .into_iter()
                            .chain(wrappers.into_iter().map(|w| format!("{module}::{w}(")))
                            .collect::<Vec<_>>()
                        }
                        "js" => vec![format!(
                            "{}.{}(",
                            aicoder_witgen::camel(&iface),
                            aicoder_witgen::camel(&f.name)
                        )],
                        _ => vec![format!("{}.{}(", snake(&iface), snake(&f.name))],
                    })
                    .collect();
                assert!(
                    calls.iter().any(|c| code.contains(c)),
                    "{mode} {lang}: the scaffold's {file} makes no call into interface `{iface}` \
                     (looked for one of {calls:?})"
                );
            }
        }
    }
}
