//! The contract as published artefacts: the WIT package `wkg wit build`
//! makes (`make wit-package`) holds exactly the contract in `wit/`, with its
//! docs and wkg.toml's metadata; and the SDK crate `cargo package` makes
//! carries the WIT files it is generated from.

#![allow(clippy::unwrap_used)]

use aicoder_tests::root;
use std::collections::BTreeMap;
use std::process::Command;
use wit_component::{DecodedWasm, WitPrinter};
use wit_parser::{PackageId, Resolve};

/// Each interface of `pkg` with its functions' names, sorted.
fn shape(resolve: &Resolve, pkg: PackageId) -> BTreeMap<String, Vec<String>> {
    resolve.packages[pkg]
        .interfaces
        .iter()
        .map(|(name, id)| {
            let mut funcs: Vec<String> = resolve.interfaces[*id].functions.keys().cloned().collect();
            funcs.sort();
            (name.clone(), funcs)
        })
        .collect()
}

#[test]
fn the_wit_package_is_the_contract() {
    let file = root().join("target/wit-package/aicoder-plugin.wasm");
    let bytes = std::fs::read(&file).unwrap_or_else(|e| {
        panic!("{} is missing ({e}): `make wit-package` builds it", file.display())
    });
    let DecodedWasm::WitPackage(built, built_pkg) = wit_component::decode(&bytes).unwrap() else {
        panic!("{} is a component, not a WIT package", file.display());
    };
    let mut source = Resolve::default();
    let (source_pkg, _) = source.push_dir(root().join("wit")).unwrap();

    let name = &built.packages[built_pkg].name;
    assert_eq!(name.to_string(), "aicoder:plugin@0.1.0");
    assert_eq!(*name, source.packages[source_pkg].name);
    let interfaces = shape(&built, built_pkg);
    assert_eq!(interfaces, shape(&source, source_pkg));
    assert!(interfaces.len() >= 16, "{interfaces:?}");
    assert!(built.packages[built_pkg].worlds.contains_key("plugin"));

    // The same text, docs included: what an author fetches is what the
    // host implements.
    let print = |resolve: &Resolve, pkg: PackageId| {
        let mut printer = WitPrinter::default();
        printer.print(resolve, pkg, &[]).unwrap();
        printer.output.to_string()
    };
    let text = print(&built, built_pkg);
    assert_eq!(text, print(&source, source_pkg));
    assert!(text.contains("the ceiling of what it can ever be granted"), "docs kept");

    // wkg.toml's metadata went in.
    let haystack = String::from_utf8_lossy(&bytes);
    assert!(
        haystack.contains("The aicoder plugin contract") && haystack.contains("MIT OR Apache-2.0"),
        "wkg.toml's description and licence are in the package"
    );
}

#[test]
fn the_sdk_crate_carries_its_wit() {
    let out = Command::new(env!("CARGO"))
        .args(["package", "--list", "--allow-dirty", "-p", "aicoder-plugin-sdk"])
        .current_dir(root())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let listed = String::from_utf8_lossy(&out.stdout);
    let mut wit_files = 0;
    for entry in std::fs::read_dir(root().join("guest-sdk/wit")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if name.ends_with(".wit") {
            assert!(listed.lines().any(|l| l == format!("wit/{name}")), "wit/{name} in:\n{listed}");
            wit_files += 1;
        }
    }
    assert!(wit_files >= 16, "{wit_files}");
    assert!(listed.lines().any(|l| l == "README.md"), "{listed}");
    assert!(
        listed.lines().all(|l| !l.starts_with("..") && !l.starts_with('/')),
        "{listed}"
    );
}
