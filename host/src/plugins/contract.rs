//! The contract check: which `aicoder:plugin` version a component was built
//! against, and whether every import is something this host provides. Done on
//! the component's type alone, before any of its code runs.

use crate::caps::{Capability, INTERFACES, TYPE_ONLY_INTERFACES};
use std::collections::BTreeSet;

/// The WIT package plugins are built against.
pub const PACKAGE: &str = "aicoder:plugin";
/// The version of `wit/` this host implements.
pub const VERSION: &str = "0.1.0";

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
        "built against {PACKAGE}@{found}, but this aicoder implements {PACKAGE}@{VERSION}; \
         {found} and {VERSION} are different major versions, so rebuild the plugin against {PACKAGE}@{VERSION}"
    )]
    IncompatibleVersion { found: String },
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
fn split_name(name: &str) -> (&str, &str, Option<&str>) {
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

/// Check the import and export names of a component against this host.
pub fn check<'a>(
    imports: impl IntoIterator<Item = &'a str>,
    exports: impl IntoIterator<Item = &'a str>,
) -> Result<ContractReport, ContractError> {
    let known_interfaces: Vec<&str> = INTERFACES
        .iter()
        .map(|(name, _)| *name)
        .chain(TYPE_ONLY_INTERFACES.iter().copied())
        .collect();
    let mut versions = BTreeSet::new();
    let mut interfaces = BTreeSet::new();
    for name in imports {
        let (pkg, iface, version) = split_name(name);
        if pkg == PACKAGE {
            if let Some(v) = version {
                versions.insert(v.to_string());
            }
            if !known_interfaces.contains(&iface) {
                if version.is_some_and(|v| !compatible(v, VERSION)) {
                    continue; // reported as a version mismatch below
                }
                return Err(ContractError::UnknownImport {
                    name: name.to_string(),
                    known: known_interfaces.join(", "),
                });
            }
            if !TYPE_ONLY_INTERFACES.contains(&iface) {
                interfaces.insert(iface.to_string());
            }
        } else if !WASI_PACKAGES.contains(&pkg) {
            return Err(ContractError::UnknownImport {
                name: name.to_string(),
                known: known_interfaces.join(", "),
            });
        }
    }
    let mut has_guest = false;
    for name in exports {
        let (pkg, iface, version) = split_name(name);
        if pkg == PACKAGE && iface == "guest" {
            has_guest = true;
            if let Some(v) = version {
                versions.insert(v.to_string());
            }
        }
    }
    if let Some(found) = versions.iter().find(|v| !compatible(v, VERSION)) {
        return Err(ContractError::IncompatibleVersion {
            found: found.clone(),
        });
    }
    if !has_guest {
        return Err(ContractError::NoGuestExport);
    }
    let version = versions
        .into_iter()
        .next_back()
        .unwrap_or_else(|| VERSION.to_string());
    let ceiling = crate::caps::ceiling(interfaces.iter().map(String::as_str));
    Ok(ContractReport {
        version,
        interfaces,
        ceiling,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const GUEST: &str = "aicoder:plugin/guest@0.1.0";

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
    fn refusals_name_the_problem() {
        let e = check(["evil:net/socket@1.0.0"], [GUEST]).expect_err("unknown");
        assert!(e.to_string().contains("evil:net/socket@1.0.0"), "{e}");
        let e = check(["aicoder:plugin/teleport@0.1.0"], [GUEST]).expect_err("unknown iface");
        assert!(e.to_string().contains("teleport"), "{e}");
        let e =
            check(["aicoder:plugin/log@1.0.0"], ["aicoder:plugin/guest@1.0.0"]).expect_err("major");
        assert!(
            e.to_string().contains("@1.0.0") && e.to_string().contains("@0.1.0"),
            "{e}"
        );
        assert_eq!(
            check(Vec::<&str>::new(), ["other"]),
            Err(ContractError::NoGuestExport)
        );
    }
}
