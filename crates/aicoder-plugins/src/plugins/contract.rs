//! The contract check: which `aicoder:plugin` version a component was built
//! against, and whether every import is something this host provides. Done on
//! the component's type alone, before any of its code runs.

use crate::caps::{Capability, INTERFACES, TYPE_ONLY_INTERFACES};
use std::collections::BTreeSet;

/// The WIT package plugins are built against.
pub const PACKAGE: &str = "aicoder:plugin";
/// The version of `wit/` this host implements.
pub const VERSION: &str = "0.2.0";

/// Earlier contract versions the host still loads, each with the capability
/// interfaces it has: frozen in `guest-sdk/wit/since_v<version>/`, adapted to
/// the current host code by `plugins/host/since_v<version>.rs`.
pub const FROZEN: &[(&str, &[&str])] = &[(
    "0.1.0",
    &[
        "log",
        "history",
        "workspace",
        "stats",
        "tools",
        "plugins",
        "config",
        "hooks",
        "fs",
        "shell",
    ],
)];

/// WASI packages the host links (all with an empty, deny-by-default context).
const WASI_PACKAGES: [&str; 6] = [
    "wasi:io",
    "wasi:clocks",
    "wasi:random",
    "wasi:cli",
    "wasi:filesystem",
    "wasi:sockets",
];

/// Why a component does not fit this host.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ContractError {
    #[error(
        "built against {PACKAGE}@{found}, but this aicoder implements {PACKAGE}@{VERSION} \
         (and still loads {}); rebuild the plugin against {PACKAGE}@{VERSION}",
        frozen_list()
    )]
    IncompatibleVersion { found: String },
    #[error(
        "mixes contract versions {PACKAGE}@{first} and @{second} in its imports and exports; \
         rebuild the plugin against one of them ({PACKAGE}@{VERSION} is current)"
    )]
    MixedVersions { first: String, second: String },
    #[error(
        "imports `{name}`, but {PACKAGE}@{version} has no such interface (it came later); \
         rebuild the plugin against {PACKAGE}@{VERSION}"
    )]
    NotInVersion { name: String, version: String },
    #[error("imports `{name}`, which this host does not provide (it provides {PACKAGE} interfaces {known} and WASI 0.2)")]
    UnknownImport { name: String, known: String },
    #[error("does not export `{PACKAGE}/guest`: it is not an aicoder plugin")]
    NoGuestExport,
}

/// What the contract check learned about a component.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContractReport {
    /// The `aicoder:plugin` version named by its imports and exports.
    pub version: String,
    /// The `aicoder:plugin` interfaces it imports.
    pub interfaces: BTreeSet<String>,
    /// The capabilities those imports allow at most.
    pub ceiling: BTreeSet<Capability>,
}

/// Split `ns:pkg/iface@1.2.3` into (`ns:pkg`, `iface`, `Some("1.2.3")`).
pub(crate) fn split_name(name: &str) -> (&str, &str, Option<&str>) {
    let (path, version) = match name.split_once('@') {
        Some((p, v)) => (p, Some(v)),
        None => (name, None),
    };
    match path.split_once('/') {
        Some((pkg, iface)) => (pkg, iface, version),
        None => (path, "", version),
    }
}

/// Semver compatibility as Cargo reads it: same major, or for 0.x the same minor.
pub fn compatible(a: &str, b: &str) -> bool {
    let key = |v: &str| -> Option<(u64, u64)> {
        let mut parts = v.split(['.', '-', '+']).map(|p| p.parse::<u64>().ok());
        let major = parts.next()??;
        let minor = parts.next()??;
        Some(if major == 0 {
            (0, minor)
        } else {
            (major, u64::MAX)
        })
    };
    matches!((key(a), key(b)), (Some(x), Some(y)) if x == y)
}

/// The frozen versions the host loads, for messages: `0.1.x`.
fn frozen_list() -> String {
    let minor = |v: &str| {
        v.rsplit_once('.')
            .map_or(v.to_string(), |(mm, _)| format!("{mm}.x"))
    };
    FROZEN
        .iter()
        .map(|(v, _)| format!("{PACKAGE}@{}", minor(v)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The contract version (current or frozen) `found` is compatible with, and
/// the capability interfaces that version has.
fn family(found: &str) -> Option<(&'static str, Vec<&'static str>)> {
    if compatible(found, VERSION) {
        return Some((VERSION, INTERFACES.iter().map(|(name, _)| *name).collect()));
    }
    FROZEN
        .iter()
        .find(|(v, _)| compatible(found, v))
        .map(|(v, ifaces)| (*v, ifaces.to_vec()))
}

/// Check the import and export names of a component against this host: the
/// `aicoder:plugin` names must all belong to one version the host loads (the
/// current one or a frozen one), and import only interfaces that version has.
pub fn check<'a>(
    imports: impl IntoIterator<Item = &'a str>,
    exports: impl IntoIterator<Item = &'a str>,
) -> Result<ContractReport, ContractError> {
    let imports: Vec<&str> = imports.into_iter().collect();
    let exports: Vec<&str> = exports.into_iter().collect();
    let ours = |name: &&&str| split_name(name).0 == PACKAGE;
    let mut versions = BTreeSet::new();
    let mut has_guest = false;
    for name in imports
        .iter()
        .filter(ours)
        .chain(exports.iter().filter(ours))
    {
        versions.extend(split_name(name).2.map(str::to_string));
    }
    for name in exports.iter().filter(ours) {
        has_guest |= split_name(name).1 == "guest";
    }
    let mut families = Vec::new();
    for found in &versions {
        match family(found) {
            Some((base, _)) => families.push((found.clone(), base)),
            None => {
                return Err(ContractError::IncompatibleVersion {
                    found: found.clone(),
                })
            }
        }
    }
    if let Some(pair) = families.windows(2).find(|w| w[0].1 != w[1].1) {
        return Err(ContractError::MixedVersions {
            first: pair[0].0.clone(),
            second: pair[1].0.clone(),
        });
    }
    let version = versions
        .into_iter()
        .next_back()
        .unwrap_or_else(|| VERSION.to_string());
    let (base, capability_interfaces) =
        family(&version).unwrap_or((VERSION, INTERFACES.iter().map(|(n, _)| *n).collect()));
    let all_current: Vec<&str> = INTERFACES
        .iter()
        .map(|(name, _)| *name)
        .chain(TYPE_ONLY_INTERFACES.iter().copied())
        .collect();
    let known: Vec<&str> = capability_interfaces
        .iter()
        .copied()
        .chain(TYPE_ONLY_INTERFACES.iter().copied())
        .collect();
    let mut interfaces = BTreeSet::new();
    for name in imports {
        let (pkg, iface, _) = split_name(name);
        if pkg == PACKAGE {
            if !known.contains(&iface) {
                if all_current.contains(&iface) {
                    return Err(ContractError::NotInVersion {
                        name: name.to_string(),
                        version: base.to_string(),
                    });
                }
                return Err(ContractError::UnknownImport {
                    name: name.to_string(),
                    known: known.join(", "),
                });
            }
            if !TYPE_ONLY_INTERFACES.contains(&iface) {
                interfaces.insert(iface.to_string());
            }
        } else if pkg == "wasi:http" && matches!(iface, "types" | "outgoing-handler") {
            // HTTP out, gated per host by net.fetch (caps/net.rs): importing
            // the handler puts net.fetch in the ceiling.
            if iface == "outgoing-handler" {
                interfaces.insert(crate::caps::Capability::NetFetch.interface().to_string());
            }
        } else if !WASI_PACKAGES.contains(&pkg) {
            return Err(ContractError::UnknownImport {
                name: name.to_string(),
                known: known.join(", "),
            });
        }
    }
    if !has_guest {
        return Err(ContractError::NoGuestExport);
    }
    let ceiling = crate::caps::ceiling(interfaces.iter().map(String::as_str));
    Ok(ContractReport {
        version,
        interfaces,
        ceiling,
    })
}

/// The import and export names of a component's outer layer, read from its
/// binary without compiling or validating it (the modules and components
/// nested inside are skipped). `None` when the bytes cannot be parsed: then
/// compiling reports the real error.
pub fn read_names(bytes: &[u8]) -> Option<(Vec<String>, Vec<String>)> {
    use wasmparser::{Parser, Payload};
    let (mut imports, mut exports) = (Vec::new(), Vec::new());
    // Depth of nesting: 1 is the component itself.
    let mut depth = 0usize;
    for payload in Parser::new(0).parse_all(bytes) {
        match payload.ok()? {
            Payload::Version { .. } => depth += 1,
            Payload::End(_) => depth = depth.saturating_sub(1),
            Payload::ComponentImportSection(section) if depth == 1 => {
                for import in section {
                    imports.push(import.ok()?.name.name.to_string());
                }
            }
            Payload::ComponentExportSection(section) if depth == 1 => {
                for export in section {
                    exports.push(export.ok()?.name.name.to_string());
                }
            }
            _ => {}
        }
    }
    Some((imports, exports))
}

/// The contract check on a component's bytes, before it is compiled, so a
/// refused file costs a parse and leaves nothing in the cache. `None` when
/// the bytes do not parse (compiling then says why).
pub fn check_bytes(bytes: &[u8]) -> Option<Result<ContractReport, ContractError>> {
    let (imports, exports) = read_names(bytes)?;
    Some(check(
        imports.iter().map(String::as_str),
        exports.iter().map(String::as_str),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const GUEST: &str = "aicoder:plugin/guest@0.1.0";

    #[test]
    fn names_are_read_from_the_outer_component_only() {
        let bytes = wat::parse_str(
            r#"(component
                 (import "aicoder:plugin/log@0.1.0" (instance))
                 (component $inner (import "evil:inner/thing" (instance)))
                 (instance $g)
                 (export "aicoder:plugin/guest@0.1.0" (instance $g)))"#,
        )
        .expect("wat");
        let (imports, exports) = read_names(&bytes).expect("parses");
        assert_eq!(imports, ["aicoder:plugin/log@0.1.0"]);
        assert_eq!(exports, ["aicoder:plugin/guest@0.1.0"]);
        assert!(check_bytes(&bytes).expect("parses").is_ok());
        assert!(read_names(b"\0asm\x0d\x00\x01\x00torn").is_none());
    }

    #[test]
    fn versions_follow_cargo_semver() {
        assert!(compatible("0.1.0", "0.1.7"));
        assert!(!compatible("0.2.0", "0.1.0"));
        assert!(!compatible("1.0.0", "0.1.0"));
        assert!(compatible("1.2.0", "1.0.3"));
        assert!(!compatible("garbage", "0.1.0"));
    }

    #[test]
    fn ceiling_comes_from_imports() {
        let r = check(
            [
                "aicoder:plugin/types@0.1.0",
                "aicoder:plugin/workspace@0.1.0",
                "wasi:io/streams@0.2.0",
            ],
            [GUEST],
        )
        .expect("fits");
        assert_eq!(
            r.ceiling.into_iter().collect::<Vec<_>>(),
            [Capability::WorkspaceRead, Capability::WorkspaceWrite]
        );
    }

    #[test]
    fn wasi_http_is_accepted_and_only_its_import_allows_net_fetch() {
        let r = check(
            [
                "wasi:http/types@0.2.6",
                "wasi:http/outgoing-handler@0.2.6",
                "wasi:io/streams@0.2.6",
            ],
            [GUEST],
        )
        .expect("a component importing wasi:http fits");
        assert!(r.ceiling.contains(&Capability::NetFetch));
        let r = check(["aicoder:plugin/fs@0.1.0"], [GUEST]).expect("fits");
        assert!(!r.ceiling.contains(&Capability::NetFetch));
        // Serving HTTP is not something a plugin does.
        assert!(check(["wasi:http/incoming-handler@0.2.6"], [GUEST]).is_err());
    }

    #[test]
    fn refusals_name_the_problem() {
        let e = check(["evil:net/socket@1.0.0"], [GUEST]).expect_err("unknown");
        assert!(e.to_string().contains("evil:net/socket@1.0.0"), "{e}");
        let e = check(["aicoder:plugin/teleport@0.1.0"], [GUEST]).expect_err("unknown iface");
        assert!(e.to_string().contains("teleport"), "{e}");
        let e =
            check(["aicoder:plugin/log@1.0.0"], ["aicoder:plugin/guest@1.0.0"]).expect_err("major");
        assert!(
            e.to_string().contains("@1.0.0")
                && e.to_string().contains("implements aicoder:plugin@0.2.0")
                && e.to_string().contains("still loads aicoder:plugin@0.1.x"),
            "{e}"
        );
        assert_eq!(
            check(Vec::<&str>::new(), ["other"]),
            Err(ContractError::NoGuestExport)
        );
    }

    #[test]
    fn both_versions_load_and_each_has_its_own_interfaces() {
        let now = check(
            ["aicoder:plugin/prompt@0.2.0", "aicoder:plugin/log@0.2.1"],
            ["aicoder:plugin/guest@0.2.0"],
        )
        .expect("the current contract fits");
        assert_eq!(now.version, "0.2.1");
        let then = check(["aicoder:plugin/shell@0.1.0"], [GUEST]).expect("0.1.0 still fits");
        assert_eq!(then.version, "0.1.0");
        assert!(then.ceiling.contains(&Capability::ShellExec));
        // prompt came with 0.2.0: a 0.1.x component cannot name it.
        let e = check(["aicoder:plugin/prompt@0.1.0"], [GUEST]).expect_err("not in 0.1.0");
        assert!(matches!(e, ContractError::NotInVersion { .. }), "{e}");
        assert!(e.to_string().contains("aicoder:plugin@0.2.0"), "{e}");
        let e =
            check(["aicoder:plugin/log@0.1.0"], ["aicoder:plugin/guest@0.2.0"]).expect_err("mixed");
        assert!(matches!(e, ContractError::MixedVersions { .. }), "{e}");
    }

    /// The interfaces listed for each frozen version are the ones its world
    /// imports (`guest-sdk/wit/since_v<version>/world.wit`), and the frozen
    /// files say their version.
    #[test]
    fn frozen_lists_match_their_wit() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../guest-sdk/wit");
        for (version, interfaces) in FROZEN {
            let dir = root.join(format!("since_v{version}"));
            let world = std::fs::read_to_string(dir.join("world.wit")).expect("frozen world");
            let imported: Vec<&str> = world
                .lines()
                .filter_map(|l| l.trim().strip_prefix("import "))
                .map(|l| l.trim_end_matches(';'))
                .collect();
            assert_eq!(imported, *interfaces, "since_v{version}/world.wit");
            for entry in std::fs::read_dir(&dir).expect("frozen folder") {
                let path = entry.expect("entry").path();
                if path.extension().is_some_and(|e| e == "wit") {
                    let text = std::fs::read_to_string(&path).expect("wit");
                    let first = format!("package {PACKAGE}@{version};");
                    assert!(text.starts_with(&first), "{}", path.display());
                }
            }
        }
        let current = std::fs::read_to_string(root.join("world.wit")).expect("world");
        assert!(current.starts_with(&format!("package {PACKAGE}@{VERSION};")));
    }
}
