//! An ordinary value of any contract type, written as code: the argument
//! a generated call passes when only the call matters (a gate refuses it,
//! or a scaffold shows that the import works).

use crate::{camel, pascal, snake, Contract, Function};
use wit_parser::{Type, TypeDefKind};

/// Which language, and for Rust which side of the contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// The host's wasmtime bindings: parameters are owned values; types
    /// live under `root::<interface>::`.
    HostRust,
    /// A guest's wit-bindgen bindings: strings, lists and values holding
    /// them are passed by reference; types live under `root::<interface>::`.
    GuestRust,
    /// jco's JavaScript: records are objects with camelCase keys, enums
    /// are their case names.
    Js,
    /// componentize-py: records are dataclasses, enums `Enum.CASE`.
    Python,
    /// Python data as python_runtime's `ctx.host` takes it: records are
    /// dicts with snake_case keys, enums their case names.
    PythonData,
}

/// Writes sample values in one language.
pub struct Sampler<'a> {
    /// The contract the types come from.
    pub contract: &'a Contract,
    /// The language.
    pub lang: Lang,
    /// The module path Rust type paths start from (e.g.
    /// `crate::bindings::aicoder::plugin`); unused for JS and Python, whose
    /// types are named from the interface's own module.
    pub root: &'a str,
    /// The text every string holds.
    pub text: &'a str,
}

impl Sampler<'_> {
    /// The arguments of a call to `f`, comma-separated.
    pub fn args(&self, f: &Function) -> String {
        f.params
            .iter()
            .map(|(_, ty)| self.param(*ty))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// A value passed as a parameter (Rust guests borrow what owns data).
    pub fn param(&self, ty: Type) -> String {
        if self.lang != Lang::GuestRust {
            return self.value(ty);
        }
        let resolved = self.contract.resolved(ty);
        if let Type::Id(id) = resolved {
            match &self.contract.resolve.types[id].kind {
                TypeDefKind::List(_) => return "&[]".into(),
                TypeDefKind::Option(_) => return "None".into(),
                _ => {}
            }
        }
        match resolved {
            Type::String => format!("{:?}", self.text),
            other if self.contract.owns_data(other) => format!("&{}", self.value(other)),
            other => self.value(other),
        }
    }

    /// An owned value of `ty`.
    pub fn value(&self, ty: Type) -> String {
        let (rust, js, py) = match self.contract.resolved(ty) {
            Type::Bool => ("false", "false", "False"),
            Type::U8 | Type::U16 | Type::U32 | Type::S8 | Type::S16 | Type::S32 => ("0", "0", "0"),
            Type::U64 | Type::S64 => ("0", "0n", "0"),
            Type::F32 | Type::F64 => ("0.0", "0", "0.0"),
            Type::Char => ("'x'", "'x'", "'x'"),
            Type::String => {
                return match self.lang {
                    Lang::HostRust | Lang::GuestRust => format!("String::from({:?})", self.text),
                    Lang::Js | Lang::Python | Lang::PythonData => {
                        format!("'{}'", self.text.replace('\'', ""))
                    }
                }
            }
            Type::ErrorContext => panic!("error-context has no sample value"),
            Type::Id(id) => return self.defined(ty, &self.contract.resolve.types[id].kind),
        };
        match self.lang {
            Lang::HostRust | Lang::GuestRust => rust.into(),
            Lang::Js => js.into(),
            Lang::Python | Lang::PythonData => py.into(),
        }
    }

    fn defined(&self, ty: Type, kind: &TypeDefKind) -> String {
        let rust = matches!(self.lang, Lang::HostRust | Lang::GuestRust);
        match kind {
            TypeDefKind::List(_) => match self.lang {
                Lang::HostRust | Lang::GuestRust => "Vec::new()".into(),
                Lang::Js | Lang::Python | Lang::PythonData => "[]".into(),
            },
            TypeDefKind::Option(_) => match self.lang {
                Lang::HostRust | Lang::GuestRust => "None".into(),
                Lang::Js => "undefined".into(),
                Lang::Python | Lang::PythonData => "None".into(),
            },
            TypeDefKind::Tuple(t) => {
                let items: Vec<String> = t.types.iter().map(|t| self.value(*t)).collect();
                if rust {
                    format!("({},)", items.join(", "))
                } else {
                    format!("[{}]", items.join(", "))
                }
            }
            TypeDefKind::Record(r) => {
                let path = self.type_path(ty);
                let fields: Vec<String> = r
                    .fields
                    .iter()
                    .map(|f| {
                        let v = self.value(f.ty);
                        match self.lang {
                            Lang::HostRust | Lang::GuestRust => format!("{}: {v}", snake(&f.name)),
                            Lang::Js => format!("{}: {v}", camel(&f.name)),
                            Lang::Python => format!("{}={v}", snake(&f.name)),
                            Lang::PythonData => format!("'{}': {v}", snake(&f.name)),
                        }
                    })
                    .collect();
                match self.lang {
                    Lang::HostRust | Lang::GuestRust => {
                        format!("{path} {{ {} }}", fields.join(", "))
                    }
                    Lang::Js | Lang::PythonData => format!("{{ {} }}", fields.join(", ")),
                    Lang::Python => format!("{path}({})", fields.join(", ")),
                }
            }
            TypeDefKind::Enum(e) => {
                let case = e.cases.first().map(|c| c.name.clone()).unwrap_or_default();
                self.case(ty, &case, None)
            }
            TypeDefKind::Variant(v) => {
                let Some(case) = v.cases.first() else {
                    panic!("variant without cases")
                };
                let payload = case.ty.map(|t| self.value(t));
                self.case(ty, &case.name, payload)
            }
            TypeDefKind::Flags(_) => {
                let path = self.type_path(ty);
                match self.lang {
                    Lang::HostRust | Lang::GuestRust => format!("{path}::empty()"),
                    Lang::Js => "{}".into(),
                    Lang::Python => format!("{path}(0)"),
                    Lang::PythonData => "[]".into(),
                }
            }
            other => panic!("no sample value for WIT type {other:?}"),
        }
    }

    /// One case of an enum or variant.
    fn case(&self, ty: Type, case: &str, payload: Option<String>) -> String {
        let path = self.type_path(ty);
        match (self.lang, payload) {
            (Lang::HostRust | Lang::GuestRust, None) => format!("{path}::{}", pascal(case)),
            (Lang::HostRust | Lang::GuestRust, Some(p)) => format!("{path}::{}({p})", pascal(case)),
            (Lang::Js, None) if self.is_enum(ty) => format!("'{case}'"),
            (Lang::Js, None) => format!("{{ tag: '{case}' }}"),
            (Lang::Js, Some(p)) => format!("{{ tag: '{case}', val: {p} }}"),
            (Lang::PythonData, None) => format!("'{case}'"),
            (Lang::PythonData, Some(p)) => format!("{{'{case}': {p}}}"),
            (Lang::Python, None) if self.is_enum(ty) => {
                format!("{path}.{}", snake(case).to_uppercase())
            }
            (Lang::Python, p) => format!("{path}_{}({})", pascal(case), p.unwrap_or_default()),
        }
    }

    fn is_enum(&self, ty: Type) -> bool {
        matches!(self.contract.resolved(ty), Type::Id(id)
            if matches!(self.contract.resolve.types[id].kind, TypeDefKind::Enum(_)))
    }

    /// Where a named type lives: a Rust path from `root`, or for Python
    /// the interface module's attribute.
    fn type_path(&self, ty: Type) -> String {
        let Some((iface, name)) = self.contract.owner(ty) else {
            panic!("an anonymous record, enum or variant has no path");
        };
        match self.lang {
            Lang::HostRust | Lang::GuestRust => {
                format!("{}::{}::{}", self.root, snake(&iface), pascal(&name))
            }
            Lang::Js | Lang::Python | Lang::PythonData => {
                format!("{}.{}", snake(&iface), pascal(&name))
            }
        }
    }
}
