//! The plugin contract (`wit/`), read by wit-parser, for the build scripts
//! that write code from it. A function added to the WIT then reaches, with
//! no list to edit by hand:
//!
//! - the gate test's calls (`aicoder-caps`, [`sample`] on the host side);
//! - the hostile fixture's `trespass()` (`tests/fixtures/misbehave`);
//! - the Python runtime's dispatch and `ctx.host` table ([`json`]);
//! - the status call `aicoder plugin new` writes for an interface it has no
//!   hand-written example for (`host`, [`sample`] in Rust, JS and Python).
//!
//! Build scripts panic on an error: the message is the build's error.

pub mod json;
pub mod sample;

use std::path::{Path, PathBuf};
use wit_parser::{Resolve, Type, TypeDefKind, TypeOwner, WorldItem};

pub use wit_parser::{Resolve as WitResolve, Type as WitType};

/// The contract: every interface world `plugin` imports from the
/// `aicoder:plugin` package, in the world's order.
pub struct Contract {
    /// The parsed package, for looking up the types functions name.
    pub resolve: Resolve,
    /// The interfaces, in the order world `plugin` imports them.
    pub interfaces: Vec<Interface>,
}

/// One imported interface of the contract.
pub struct Interface {
    /// The WIT name, e.g. `data-write`.
    pub name: String,
    /// Its functions, in WIT order.
    pub functions: Vec<Function>,
}

/// One function of the contract.
pub struct Function {
    /// The interface's WIT name.
    pub interface: String,
    /// The WIT name, e.g. `write-file`.
    pub name: String,
    /// Parameters by WIT name.
    pub params: Vec<(String, Type)>,
    /// The result type, if any.
    pub result: Option<Type>,
    /// Whether it returns `result<_, host-error>`: a call a grant can refuse.
    pub refusable: bool,
    /// The capability its WIT documentation says it needs ("Needs `x.y`").
    pub needs: Option<String>,
    /// The first sentence of its WIT documentation.
    pub summary: String,
}

impl Function {
    /// `interface.function`, the name ops and audit lines use.
    pub fn qualified(&self) -> String {
        format!("{}.{}", self.interface, self.name)
    }
}

/// The contract folder of a build script's crate: `wit/` inside the SDK
/// (the repository's `wit/` links to it). `up` is how many folders the
/// crate's manifest lies below the repository root. Also tells cargo to
/// rerun the script when a WIT file changes.
pub fn wit_dir(up: usize) -> PathBuf {
    let mut dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    for _ in 0..up {
        dir.push("..");
    }
    let dir = dir.join("guest-sdk").join("wit");
    println!("cargo:rerun-if-changed={}", dir.display());
    if let Ok(entries) = std::fs::read_dir(&dir) {
        for entry in entries.flatten() {
            println!("cargo:rerun-if-changed={}", entry.path().display());
        }
    }
    dir
}

/// Write `code` to `$OUT_DIR/name`; panics (failing the build) if it cannot.
pub fn write_out(name: &str, code: &str) {
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_default()).join(name);
    if let Err(e) = std::fs::write(&out, code) {
        panic!("cannot write {}: {e}", out.display());
    }
}

impl Contract {
    /// Parse the package in `dir` and collect world `plugin`'s imports.
    pub fn load(dir: &Path) -> Result<Contract, String> {
        let mut resolve = Resolve::default();
        let (pkg, _) = resolve
            .push_dir(dir)
            .map_err(|e| format!("{}: {e:#}", dir.display()))?;
        let world = resolve
            .select_world(&[pkg], Some("plugin"))
            .map_err(|e| format!("world `plugin`: {e:#}"))?;
        let mut interfaces = Vec::new();
        for item in resolve.worlds[world].imports.values() {
            let WorldItem::Interface { id, .. } = item else {
                continue;
            };
            let iface = &resolve.interfaces[*id];
            let (Some(name), Some(true)) = (&iface.name, iface.package.map(|p| p == pkg)) else {
                continue;
            };
            let functions = iface
                .functions
                .values()
                .map(|f| {
                    // The documentation on one line: "Needs" may wrap.
                    let docs = f
                        .docs
                        .contents
                        .as_deref()
                        .unwrap_or_default()
                        .split_whitespace()
                        .collect::<Vec<_>>()
                        .join(" ");
                    Function {
                        interface: name.clone(),
                        name: f.name.clone(),
                        params: f.params.iter().map(|p| (p.name.clone(), p.ty)).collect(),
                        result: f.result,
                        refusable: f.result.is_some_and(|r| host_error_result(&resolve, r)),
                        needs: needs(&docs),
                        summary: summary(&docs),
                    }
                })
                .collect();
            interfaces.push(Interface {
                name: name.clone(),
                functions,
            });
        }
        Ok(Contract {
            resolve,
            interfaces,
        })
    }

    /// [`Contract::load`] for a build script: panics with the reason.
    pub fn load_or_panic(dir: &Path) -> Contract {
        Contract::load(dir).unwrap_or_else(|e| panic!("cannot read the contract: {e}"))
    }

    /// Every function of every interface, in order.
    pub fn functions(&self) -> impl Iterator<Item = &Function> {
        self.interfaces.iter().flat_map(|i| i.functions.iter())
    }

    /// The definition `ty` names, through `use` aliases.
    pub fn resolved(&self, ty: Type) -> Type {
        let mut ty = ty;
        while let Type::Id(id) = ty {
            match &self.resolve.types[id].kind {
                TypeDefKind::Type(inner) => ty = *inner,
                _ => break,
            }
        }
        ty
    }

    /// Whether a call of `f` gives nothing back: no result, or `result<_, e>`.
    pub fn returns_nothing(&self, f: &Function) -> bool {
        match f.result.map(|r| self.resolved(r)) {
            None => true,
            Some(Type::Id(id)) => {
                matches!(&self.resolve.types[id].kind, TypeDefKind::Result(r) if r.ok.is_none())
            }
            Some(_) => false,
        }
    }

    /// `(interface, type)` names of a named type, e.g. `("types", "message")`.
    pub fn owner(&self, ty: Type) -> Option<(String, String)> {
        let Type::Id(id) = self.resolved(ty) else {
            return None;
        };
        let def = &self.resolve.types[id];
        let TypeOwner::Interface(iface) = def.owner else {
            return None;
        };
        Some((
            self.resolve.interfaces[iface].name.clone()?,
            def.name.clone()?,
        ))
    }

    /// Whether a value of `ty` holds a string or a list somewhere: the
    /// bindings then pass it to an import by reference.
    pub fn owns_data(&self, ty: Type) -> bool {
        match self.resolved(ty) {
            Type::String => true,
            Type::Id(id) => match &self.resolve.types[id].kind {
                TypeDefKind::List(_) => true,
                TypeDefKind::Record(r) => r.fields.iter().any(|f| self.owns_data(f.ty)),
                TypeDefKind::Tuple(t) => t.types.iter().any(|t| self.owns_data(*t)),
                TypeDefKind::Option(t) => self.owns_data(*t),
                TypeDefKind::Variant(v) => v
                    .cases
                    .iter()
                    .any(|c| c.ty.is_some_and(|t| self.owns_data(t))),
                _ => false,
            },
            _ => false,
        }
    }
}

fn host_error_result(resolve: &Resolve, ty: Type) -> bool {
    let Type::Id(id) = ty else { return false };
    let TypeDefKind::Result(r) = &resolve.types[id].kind else {
        return false;
    };
    match r.err {
        Some(Type::Id(err)) => resolve.types[err].name.as_deref() == Some("host-error"),
        _ => false,
    }
}

/// The capability a function's documentation (on one line) names:
/// "Needs `x.y`".
fn needs(docs: &str) -> Option<String> {
    let rest = docs.split("Needs `").nth(1)?;
    Some(rest.split('`').next()?.to_string())
}

/// The first sentence of a function's documentation (on one line).
fn summary(docs: &str) -> String {
    match docs.split_once(". ") {
        Some((first, _)) => format!("{first}."),
        None => docs.to_string(),
    }
}

/// `write-file` as a Rust or Python identifier: `write_file` (a Rust
/// keyword gets a trailing `_`, as the bindings generators do).
pub fn snake(name: &str) -> String {
    let s = name.replace('-', "_");
    match s.as_str() {
        "type" | "move" | "match" | "fn" | "mod" | "use" | "ref" | "self" | "loop" | "in"
        | "impl" | "trait" | "struct" | "enum" | "where" | "async" | "await" | "dyn" => {
            format!("{s}_")
        }
        _ => s,
    }
}

/// `write-file` as a JavaScript identifier (jco): `writeFile`.
pub fn camel(name: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in name.chars() {
        if c == '-' {
            upper = true;
        } else if upper {
            out.push(c.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// `data-entry` as a Rust or Python type name: `DataEntry`.
pub fn pascal(name: &str) -> String {
    let camel = camel(name);
    let mut chars = camel.chars();
    match chars.next() {
        Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
        None => camel,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_in_each_language() {
        assert_eq!(snake("write-file"), "write_file");
        assert_eq!(snake("type"), "type_");
        assert_eq!(camel("set-own-tool-offered"), "setOwnToolOffered");
        assert_eq!(pascal("data-entry"), "DataEntry");
    }

    #[test]
    fn documentation_names_the_capability() {
        assert_eq!(
            needs("Change one setting. Needs `config.write`."),
            Some("config.write".into())
        );
        assert_eq!(needs("Always allowed."), None);
        assert_eq!(
            summary("Ring the bell, so. Needs `ui.bell`."),
            "Ring the bell, so."
        );
    }

    #[test]
    fn the_contract_loads_with_its_functions() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../guest-sdk/wit");
        let contract = Contract::load(&dir).unwrap_or_else(|e| panic!("{e}"));
        let bell = contract
            .functions()
            .find(|f| f.qualified() == "ui-bell.bell")
            .unwrap_or_else(|| panic!("no ui-bell.bell"));
        assert!(bell.refusable);
        assert_eq!(bell.needs.as_deref(), Some("ui.bell"));
        // config.wit wraps the line between "Needs" and its capability.
        let set = contract
            .functions()
            .find(|f| f.qualified() == "config.set")
            .unwrap_or_else(|| panic!("no config.set"));
        assert_eq!(set.needs.as_deref(), Some("config.write"));
        let log = contract
            .functions()
            .find(|f| f.qualified() == "log.write")
            .unwrap_or_else(|| panic!("no log.write"));
        assert!(!log.refusable);
    }
}
