//! The lists that must name every function of the contract, checked against
//! the WIT itself: `wit/*.wit` (the current contract, not the frozen
//! `since_v*` folders) parsed by `wit-parser`, the parser wasmtime's own
//! bindgen uses. No expected list is typed here, so a function added to the
//! WIT fails each check below until the list it belongs in names it:
//!
//! - the capability table (`aicoder::caps`): exactly the WIT's interfaces and
//!   functions, each function gated or listed as ungated;
//! - the SDK (`guest-sdk/src/lib.rs`): every function reachable from a module;
//! - the Python runtime's bridge (`plugins/python_runtime/src/bridge.rs`): an
//!   op per function, and no op that is not one; its prelude calls only ops;
//! - the scaffold (`aicoder plugin new`, three languages): a status call into
//!   every interface, by one of that interface's own functions;
//! - the hostile fixture's `trespass()` (`tests/fixtures/misbehave`): a
//!   labelled call of every function that can be refused (returns
//!   `result<_, host-error>`); tests/security/hostile_plugins.rs checks each
//!   is denied and audited.

#![allow(clippy::unwrap_used)]

use aicoder::caps::{Capability, HostFn, INTERFACES, UNGATED};
use aicoder_tests::{root, Project};
use std::collections::{BTreeMap, BTreeSet};
use wit_parser::{Resolve, Type, TypeDefKind, WorldItem};

/// One function of the contract.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct WitFn {
    /// The interface, e.g. `data-write`.
    iface: String,
    /// The WIT name, e.g. `write-file`.
    name: String,
    /// Whether it returns `result<_, host-error>`: a call a grant can refuse.
    refusable: bool,
}

impl WitFn {
    fn qualified(&self) -> String {
        format!("{}.{}", self.iface, self.name)
    }
    fn snake(&self) -> String {
        self.name.replace('-', "_")
    }
}

/// Every function of every `aicoder:plugin` interface world `plugin`
/// imports, read from `wit/` by wit-parser.
fn contract() -> Vec<WitFn> {
    let mut resolve = Resolve::default();
    let (pkg, _) = resolve.push_dir(root().join("wit")).unwrap();
    let world = resolve.select_world(&[pkg], Some("plugin")).unwrap();
    let mut out = Vec::new();
    for item in resolve.worlds[world].imports.values() {
        let WorldItem::Interface { id, .. } = item else {
            continue;
        };
        let iface = &resolve.interfaces[*id];
        if iface.package != Some(pkg) {
            continue;
        }
        let name = iface.name.clone().unwrap();
        for func in iface.functions.values() {
            let refusable = match func.result {
                Some(Type::Id(id)) => match &resolve.types[id].kind {
                    TypeDefKind::Result(r) => match r.err {
                        Some(Type::Id(err)) => {
                            resolve.types[err].name.as_deref() == Some("host-error")
                        }
                        _ => false,
                    },
                    _ => false,
                },
                _ => false,
            };
            out.push(WitFn {
                iface: name.clone(),
                name: func.name.clone(),
                refusable,
            });
        }
    }
    assert!(
        out.len() > 30,
        "wit-parser found too few functions: {out:?}"
    );
    out
}

/// The interfaces of the contract that have functions, in WIT order.
fn interfaces(contract: &[WitFn]) -> Vec<String> {
    let mut seen = Vec::new();
    for f in contract {
        if !seen.contains(&f.iface) {
            seen.push(f.iface.clone());
        }
    }
    seen
}

fn read(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn the_capability_table_is_exactly_the_wit() {
    let contract = contract();
    let wit: BTreeSet<(String, String)> = contract
        .iter()
        .map(|f| (f.iface.clone(), f.name.clone()))
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
    // `host-error` for the denial to be a value.
    for f in &contract {
        if HostFn::find(&f.iface, &f.name).is_some() {
            assert!(
                f.refusable,
                "{} is gated but does not return result<_, host-error>",
                f.qualified()
            );
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
    fn module_of(&self, f: &WitFn) -> Option<&String> {
        self.exposed.get(&(f.iface.replace('-', "_"), f.snake()))
    }

    /// [`Sdk::module_of`], or the bindings' own module name when the SDK
    /// lacks it (the_sdk_reaches_every_wit_function names that case).
    fn module_or_bindings(&self, f: &WitFn) -> String {
        self.module_of(f)
            .cloned()
            .unwrap_or_else(|| f.iface.replace('-', "_"))
    }
}

#[test]
fn the_sdk_reaches_every_wit_function() {
    let sdk = sdk();
    for f in contract() {
        assert!(
            sdk.module_of(&f).is_some(),
            "guest-sdk/src/lib.rs exposes no module for WIT function {} \
             (`pub use crate::bindings::aicoder::plugin::{}::{{{}}}` in the module for it)",
            f.qualified(),
            f.iface.replace('-', "_"),
            f.snake()
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
fn the_python_bridge_has_an_op_per_wit_function_and_no_other() {
    let contract = contract();
    let ops = bridge_ops();
    let wit: BTreeSet<String> = contract.iter().map(WitFn::qualified).collect();
    for f in &contract {
        // What a plugin's own tools offer is the runtime's business (it
        // registers the Python plugin's tools itself), not Python code's.
        if f.qualified() == "tools.set-own-tool-offered" {
            continue;
        }
        assert!(
            ops.contains(&f.qualified()),
            "plugins/python_runtime/src/bridge.rs has no op \"{0}\" for WIT function {0}",
            f.qualified()
        );
    }
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
    // `_CTX_NEEDS`) covers every capability of the contract's interfaces
    // but the always-granted ones.
    let needs = prelude
        .split("_NEEDS = {")
        .skip(1)
        .map(|s| s.split('}').next().unwrap_or_default())
        .collect::<Vec<_>>()
        .join(" ");
    let ifaces = interfaces(&contract);
    for cap in Capability::ALL
        .into_iter()
        .filter(|c| !c.always_granted() && ifaces.iter().any(|i| i == c.interface()))
    {
        assert!(
            needs.contains(&format!("\"{}\"", cap.name())),
            "prelude.py's _NEEDS / _CTX_NEEDS never asks for {cap}"
        );
    }
}

#[test]
fn the_trespass_fixture_calls_every_refusable_wit_function() {
    let fixture = read("tests/fixtures/misbehave/src/lib.rs");
    let trespass = fixture
        .split("fn trespass()")
        .nth(1)
        .expect("misbehave has fn trespass");
    let trespass = trespass.split("\n}\n").next().unwrap();
    let sdk = sdk();
    for f in contract().into_iter().filter(|f| f.refusable) {
        // The label the result is reported under, and the call itself
        // through the SDK module that exposes the function.
        let label = format!("\"{}\",", f.qualified());
        let module = sdk.module_or_bindings(&f);
        let call = format!("{module}::{}(", f.snake());
        let labelled = trespass
            .split(&label)
            .nth(1)
            .and_then(|after| after.split("),\n").next())
            .is_some_and(|arm| arm.contains(&call));
        assert!(
            labelled,
            "tests/fixtures/misbehave's trespass() does not call {} as ({label} {call}..))",
            f.qualified()
        );
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
    let camel = |name: &str| {
        let mut out = String::new();
        let mut upper = false;
        for c in name.chars() {
            match c {
                '-' => upper = true,
                c if upper => {
                    out.push(c.to_ascii_uppercase());
                    upper = false
                }
                c => out.push(c),
            }
        }
        out
    };
    let mut p = Project::new();
    p.env(
        "AICODER_SDK_PATH",
        root().join("guest-sdk").to_str().unwrap(),
    );
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
            let funcs: Vec<&WitFn> = contract.iter().filter(|f| f.iface == iface).collect();
            let calls: Vec<String> = funcs
                .iter()
                .flat_map(|f| match lang {
                    // Through the SDK module that exposes it, or one of that
                    // module's own wrappers (log::info writes with log.write).
                    "rust" => {
                        let module = sdk.module_or_bindings(f);
                        let wrappers = sdk.wrappers.get(&module).cloned().unwrap_or_default();
                        std::iter::once(format!("{module}::{}(", f.snake()))
                            .chain(wrappers.into_iter().map(|w| format!("{module}::{w}(")))
                            .collect::<Vec<_>>()
                    }
                    "js" => vec![format!("{}.{}(", camel(&iface), camel(&f.name))],
                    _ => vec![format!("{}.{}(", iface.replace('-', "_"), f.snake())],
                })
                .collect();
            assert!(
                calls.iter().any(|c| code.contains(c)),
                "{lang}: the scaffold's {file} makes no call into interface `{iface}` \
                 (looked for one of {calls:?}); give it a status call \
                 (host/src/cli/scaffold.rs, status_call)"
            );
        }
    }
}
