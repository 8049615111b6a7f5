//! The capability catalogue: the `capability_table!` macro that turns the one
//! table in `caps/mod.rs` into everything else that names a capability.
//!
//! A row of the table defines a capability once: its variant, its name, its
//! one-line description, the WIT interface (and host module) it belongs to
//! and the WIT functions it guards. From it come [`Capability`] with `ALL`,
//! `name`, `parse`, `description` and `interface`; [`HostFn`], the functions a
//! grant guards, which every `CapCtx::gate` call names; [`INTERFACES`] (the
//! contract check and `ceiling`); [`UNGATED`], the functions no grant guards;
//! and the `mod` line of each host module. The tests below check the table
//! against `wit/`, the Python bridge and the hostile-plugin fixture.
//!
//! [`Capability`]: super::Capability
//! [`HostFn`]: super::HostFn
//! [`INTERFACES`]: super::INTERFACES
//! [`UNGATED`]: super::UNGATED

/// Expand the capability table (see `caps/mod.rs` for the one invocation).
///
/// Grammar, per WIT interface:
///
/// ```text
/// interface "wit-name" in host_module [, ceiling_also [Variant, ...]] {
///     capability Variant = "cap.name": "what it allows" [column, ...] {
///         HostFnVariant = "wit-function",
///     }
///     ungated { "wit-function", ... }
/// }
/// ```
///
/// The columns, each left out when it does not apply:
/// - `scope(Path | Command | Host)`: grants may carry a scope of that kind
///   (`fs.write:src/**`, `shell.exec:git *`, `net.fetch:*.example.com`);
/// - `session_only`: every write changes only the session's memory, which a
///   one-shot command drops (so one-shot commands refuse it);
/// - `always_granted`: allowed without asking and never shown as a grant;
/// - `undo`: its writes are logged with old and new values and
///   `/audit undo` reverts them through the host module's `revert`.
///
/// `ceiling_also` names capabilities that importing the interface also puts
/// in a plugin's ceiling; `ungated` lists the interface's functions no grant
/// guards (each says in its host module how it is audited).
macro_rules! capability_table {
    // One column's value for a row, read from the row's column list. Each
    // column is named here, so a misspelt one fails to compile instead of
    // reading as absent.
    (@scope) => { ScopeKind::None };
    (@scope scope($kind:ident) $($rest:tt)*) => { ScopeKind::$kind };
    (@scope $col:tt $($rest:tt)*) => {
        capability_table!(@flag_name $col; capability_table!(@scope $($rest)*))
    };
    (@flag $want:ident) => { false };
    (@flag $want:ident scope($kind:ident) $($rest:tt)*) => {
        capability_table!(@flag $want $($rest)*)
    };
    (@flag session_only session_only $($rest:tt)*) => { true };
    (@flag always_granted always_granted $($rest:tt)*) => { true };
    (@flag undo undo $($rest:tt)*) => { true };
    (@flag $want:ident $col:tt $($rest:tt)*) => {
        capability_table!(@flag_name $col; capability_table!(@flag $want $($rest)*))
    };
    // The flag columns; anything else is refused.
    (@flag_name session_only; $then:expr) => { $then };
    (@flag_name always_granted; $then:expr) => { $then };
    (@flag_name undo; $then:expr) => { $then };
    (
        $(
            interface $iface:literal in $module:ident
                $(, ceiling_also [$($extra:ident),* $(,)?])?
            {
                $(
                    capability $variant:ident = $cap:literal : $desc:literal
                        [$( $col:ident $(($colarg:ident))? ),* $(,)?]
                    {
                        $( $func:ident = $fname:literal ),* $(,)?
                    }
                )*
                $( ungated { $( $free:literal ),* $(,)? } )?
            }
        )*
    ) => {
        $( mod $module; )*

        /// A named permission a plugin can hold.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Capability {
            $( $( #[doc = $desc] $variant, )* )*
        }

        impl Capability {
            /// Every capability, in catalogue order.
            pub const ALL: [Capability; [$( $( Capability::$variant, )* )*].len()] =
                [$( $( Capability::$variant, )* )*];

            /// The name users type and the audit log records, e.g. `history.read`.
            pub fn name(self) -> &'static str {
                match self {
                    $( $( Capability::$variant => $cap, )* )*
                }
            }

            /// What holding it allows, in one line.
            pub fn description(self) -> &'static str {
                match self {
                    $( $( Capability::$variant => $desc, )* )*
                }
            }

            /// The WIT interface (in package `aicoder:plugin`) whose functions need it.
            pub fn interface(self) -> &'static str {
                match self {
                    $( $( Capability::$variant => $iface, )* )*
                }
            }

            /// Parse a capability name; `None` if there is no such capability.
            pub fn parse(name: &str) -> Option<Capability> {
                Capability::ALL.into_iter().find(|c| c.name() == name)
            }

            /// What a grant's scope names, if grants of it can carry one
            /// (the `scope(...)` column).
            pub fn scope_kind(self) -> ScopeKind {
                match self {
                    $( $( Capability::$variant =>
                        capability_table!(@scope $( $col $(($colarg))? )*), )* )*
                }
            }

            /// Whether every write changes only the session's memory, which a
            /// one-shot command drops (the `session_only` column).
            pub fn session_only(self) -> bool {
                match self {
                    $( $( Capability::$variant =>
                        capability_table!(@flag session_only $( $col $(($colarg))? )*), )* )*
                }
            }

            /// Whether it is allowed without asking and never shown as a
            /// grant (the `always_granted` column).
            pub fn always_granted(self) -> bool {
                match self {
                    $( $( Capability::$variant =>
                        capability_table!(@flag always_granted $( $col $(($colarg))? )*), )* )*
                }
            }

            /// Whether `/audit undo` can revert its writes (the `undo` column).
            pub fn undoable(self) -> bool {
                match self {
                    $( $( Capability::$variant =>
                        capability_table!(@flag undo $( $col $(($colarg))? )*), )* )*
                }
            }

            /// The host functions this capability guards.
            pub fn functions(self) -> impl Iterator<Item = HostFn> {
                HostFn::ALL.into_iter().filter(move |f| f.capability() == self)
            }
        }

        /// A WIT host function that a grant guards. Each `CapCtx::gate` call
        /// names one: the function decides the capability checked and the
        /// audit line's `capability` and `operation`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum HostFn {
            $( $( $( #[doc = concat!("`", $iface, ".", $fname, "`, needs `", $cap, "`.")] $func, )* )* )*
        }

        impl HostFn {
            /// Every guarded host function, in catalogue order.
            pub const ALL: [HostFn; [$( $( $( HostFn::$func, )* )* )*].len()] =
                [$( $( $( HostFn::$func, )* )* )*];

            /// The capability a call needs.
            pub fn capability(self) -> Capability {
                match self {
                    $( $( $( HostFn::$func => Capability::$variant, )* )* )*
                }
            }

            /// The WIT interface it belongs to, e.g. `history`.
            pub fn interface(self) -> &'static str {
                match self {
                    $( $( $( HostFn::$func => $iface, )* )* )*
                }
            }

            /// The WIT function name, e.g. `get-messages`: the audit line's
            /// `operation`.
            pub fn name(self) -> &'static str {
                match self {
                    $( $( $( HostFn::$func => $fname, )* )* )*
                }
            }

            /// `interface.function`, e.g. `history.get-messages`: the name the
            /// Python bridge and the hostile-plugin fixture use.
            pub fn qualified_name(self) -> &'static str {
                match self {
                    $( $( $( HostFn::$func => concat!($iface, ".", $fname), )* )* )*
                }
            }

            /// The function an audit line names by its `capability` and
            /// `operation` (the columns `gate_fn` writes from this table),
            /// or `None` for a line no guarded function wrote.
            pub fn logged(capability: &str, operation: &str) -> Option<HostFn> {
                HostFn::ALL
                    .into_iter()
                    .find(|f| f.capability().name() == capability && f.name() == operation)
            }

            /// Look a function up by interface and WIT name.
            pub fn find(interface: &str, function: &str) -> Option<HostFn> {
                HostFn::ALL
                    .into_iter()
                    .find(|f| f.interface() == interface && f.name() == function)
            }
        }

        /// The capability interfaces of `aicoder:plugin` and the capabilities
        /// each one's functions check. Importing an interface puts its
        /// capabilities in the plugin's ceiling.
        pub const INTERFACES: &[(&str, &[Capability])] = &[
            $( ($iface, &[$( Capability::$variant, )*]), )*
        ];

        /// Functions of the capability interfaces that no grant guards, as
        /// `(interface, function)`.
        pub const UNGATED: &[(&str, &str)] = &[
            $( $( $( ($iface, $free), )* )? )*
        ];

        /// Capabilities an imported interface puts in the ceiling besides its
        /// own (`ceiling_also` in the table).
        const CEILING_ALSO: &[(&str, &[Capability])] = &[
            $( $( ($iface, &[$( Capability::$extra, )*]), )? )*
        ];
    };
}

#[cfg(test)]
mod tests {
    //! The table against what must agree with it: `wit/`, the Python
    //! runtime's bridge and prelude, and the hostile-plugin fixture.

    use super::super::{Capability, HostFn, INTERFACES, TYPE_ONLY_INTERFACES, UNGATED};
    use std::collections::{BTreeMap, BTreeSet};
    use std::path::{Path, PathBuf};

    fn root() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
    }

    fn read(path: &str) -> String {
        std::fs::read_to_string(root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    /// A small line parser for `wit/*.wit`: each interface's functions, and
    /// the interfaces world `plugin` imports. Enough for our files (one item
    /// per line); a function it cannot see would fail the checks below.
    struct Wit {
        interfaces: BTreeMap<String, BTreeSet<String>>,
        world_imports: BTreeSet<String>,
    }

    fn parse_wit() -> Wit {
        let mut wit = Wit {
            interfaces: BTreeMap::new(),
            world_imports: BTreeSet::new(),
        };
        let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("wit"))
            .expect("wit/")
            .map(|e| e.expect("wit entry").path())
            .filter(|p| p.extension().is_some_and(|e| e == "wit"))
            .collect();
        files.sort();
        for file in files {
            let text = std::fs::read_to_string(&file).expect("wit file");
            // (kind, name) of the item being read: `interface x` or `world y`.
            let mut current: Option<(&str, String)> = None;
            for line in text.lines().map(str::trim) {
                if line.starts_with("//") {
                    continue;
                }
                if let Some(rest) = line.strip_prefix("interface ") {
                    let name = rest.trim_end_matches('{').trim().to_string();
                    wit.interfaces.entry(name.clone()).or_default();
                    current = Some(("interface", name));
                } else if let Some(rest) = line.strip_prefix("world ") {
                    current = Some(("world", rest.trim_end_matches('{').trim().to_string()));
                } else if let Some((name, _)) = line.split_once(": func(") {
                    if let Some(("interface", iface)) = &current {
                        let funcs = wit.interfaces.entry(iface.clone()).or_default();
                        funcs.insert(name.trim().to_string());
                    }
                } else if let Some(rest) = line.strip_prefix("import ") {
                    if matches!(&current, Some(("world", w)) if w == "plugin") {
                        wit.world_imports
                            .insert(rest.trim_end_matches(';').trim().to_string());
                    }
                }
            }
        }
        wit
    }

    /// `(interface, function)` of every function the table lists.
    fn table_functions() -> BTreeSet<(String, String)> {
        HostFn::ALL
            .iter()
            .map(|f| (f.interface().to_string(), f.name().to_string()))
            .chain(UNGATED.iter().map(|(i, f)| (i.to_string(), f.to_string())))
            .collect()
    }

    /// Every string literal in `text` that names a table function as
    /// `interface.function`, plus the ones that look like one but are not.
    fn quoted_names(text: &str) -> BTreeSet<String> {
        text.split('"')
            .skip(1)
            .step_by(2)
            .filter(|s| {
                s.split_once('.').is_some_and(|(i, f)| {
                    !i.is_empty()
                        && !f.is_empty()
                        && (i.chars().chain(f.chars()))
                            .all(|c| c.is_ascii_lowercase() || c == '-' || c == '.' || c == '_')
                })
            })
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn the_table_lists_every_wit_function_and_nothing_else() {
        let wit = parse_wit();
        let exported = ["guest"];
        for iface in wit.interfaces.keys() {
            assert!(
                INTERFACES.iter().any(|(name, _)| name == iface)
                    || TYPE_ONLY_INTERFACES.contains(&iface.as_str())
                    || exported.contains(&iface.as_str()),
                "wit declares interface `{iface}`, which is not in the capability table (caps/mod.rs)"
            );
        }
        let table = table_functions();
        for (iface, caps) in INTERFACES {
            if iface.contains(':') {
                // A standard WASI interface (net.fetch: wasi:http), not in wit/.
                continue;
            }
            let funcs = wit.interfaces.get(*iface).unwrap_or_else(|| {
                panic!(
                    "the capability table names interface `{iface}`, which wit/ does not declare"
                )
            });
            assert!(
                wit.world_imports.contains(*iface),
                "world `plugin` (wit/world.wit) does not import `{iface}`"
            );
            for func in funcs {
                assert!(
                    table.contains(&(iface.to_string(), func.clone())),
                    "WIT function {iface}.{func} is not in the capability table (caps/mod.rs): \
                     list it under the capability it needs, or as `ungated`"
                );
            }
            for cap in *caps {
                assert_eq!(cap.interface(), *iface);
            }
        }
        for (iface, func) in &table {
            assert!(
                wit.interfaces.get(iface).is_some_and(|f| f.contains(func)),
                "the capability table lists {iface}.{func}, which wit/{iface}.wit does not declare"
            );
        }
        for import in &wit.world_imports {
            assert!(
                INTERFACES.iter().any(|(name, _)| name == import),
                "world `plugin` imports `{import}`, which the capability table does not list"
            );
        }
    }

    /// Host modules gate their WIT functions through `gate_fn(HostFn::..)`,
    /// so the capability and operation come from the table, never retyped.
    #[test]
    fn host_modules_gate_through_the_table() {
        for entry in std::fs::read_dir(root().join("crates/aicoder-caps/src/caps")).expect("caps/")
        {
            let path = entry.expect("caps entry").path();
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
            // gate.rs defines the gates; this file names them in messages.
            let defines = matches!(name.as_deref(), Some("gate.rs" | "catalogue.rs"));
            if defines || path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let code = std::fs::read_to_string(&path).expect("caps module");
            assert!(
                !code.contains("self.gate("),
                "{} calls `self.gate(capability, \"operation\", ..)`; name the WIT \
                 function instead: `self.gate_fn(HostFn::.., ..)`",
                path.display()
            );
        }
    }

    #[test]
    fn names_variants_and_functions_are_unique() {
        let names: BTreeSet<_> = Capability::ALL.iter().map(|c| c.name()).collect();
        assert_eq!(names.len(), Capability::ALL.len());
        let funcs: BTreeSet<_> = HostFn::ALL.iter().map(|f| f.qualified_name()).collect();
        assert_eq!(funcs.len(), HostFn::ALL.len());
        for func in HostFn::ALL {
            assert_eq!(HostFn::find(func.interface(), func.name()), Some(func));
            assert_eq!(func.capability().interface(), func.interface());
            assert!(func.capability().functions().any(|f| f == func));
        }
        for (iface, func) in UNGATED {
            assert_eq!(
                HostFn::find(iface, func),
                None,
                "{iface}.{func} is both gated and not"
            );
        }
    }

    /// The Python runtime reaches the host only through bridge.rs, whose ops
    /// are the WIT functions' own names: every function of the table has one
    /// (set-own-tool-offered is the runtime's own business, not Python's),
    /// and every op the bridge or the prelude names is a table function.
    #[test]
    fn the_python_bridge_covers_every_function_by_its_wit_name() {
        let bridge = read("plugins/python_runtime/src/bridge.rs");
        let prelude = read("plugins/python_runtime/src/prelude.py");
        // The arms of `call`'s `match op` (one indentation level in).
        let ops = bridge
            .split("match op {")
            .nth(1)
            .expect("bridge.rs: match op");
        let arms: BTreeSet<String> = ops
            .lines()
            .filter_map(|l| l.strip_prefix("        \""))
            .filter_map(|l| l.split_once("\" =>").map(|(op, _)| op.to_string()))
            .collect();
        let table: BTreeSet<String> = table_functions()
            .into_iter()
            .map(|(i, f)| format!("{i}.{f}"))
            .collect();
        let not_python = ["tools.set-own-tool-offered"];
        for name in &table {
            if !not_python.contains(&name.as_str()) {
                assert!(
                    arms.contains(name),
                    "plugins/python_runtime/src/bridge.rs has no op \"{name}\" for WIT function {name}"
                );
            }
        }
        for op in &arms {
            assert!(
                table.contains(op),
                "bridge.rs op \"{op}\" is not a WIT function of the capability table"
            );
        }
        // The ops the prelude calls: `_call("op"`, `_door("op"`, and the
        // per-counter `"stats.get-stats:NAME"` ops.
        let called: Vec<&str> = ["_call(\"", "_door(\""]
            .into_iter()
            .flat_map(|door| prelude.split(door).skip(1))
            .filter_map(|s| s.split('"').next())
            .collect();
        assert!(called.len() > 10, "prelude.py calls no ops? {called:?}");
        for op in called {
            assert!(
                arms.contains(op),
                "prelude.py calls op \"{op}\", which bridge.rs does not answer"
            );
        }
        assert!(prelude.contains("op = \"stats.get-stats:\""));
        // What the prelude asks for before running code (`_NEEDS`,
        // `_CTX_NEEDS`) covers every capability but the always-granted `log`.
        let needs = prelude
            .split("_NEEDS = {")
            .skip(1)
            .map(|s| s.split('}').next().unwrap_or_default())
            .collect::<Vec<_>>()
            .join(" ");
        for cap in Capability::ALL
            .into_iter()
            // log is always granted; a WASI interface (net.fetch) is not
            // reached through the bridge (python_runtime does not import it).
            .filter(|c| !c.always_granted() && !c.interface().contains(':'))
        {
            assert!(
                needs.contains(&format!("\"{}\"", cap.name())),
                "prelude.py's _NEEDS / _CTX_NEEDS never asks for {cap}"
            );
        }
    }

    /// The misbehave fixture's `trespass` tool calls every guarded function
    /// without a grant (tests/security/hostile_plugins.rs checks each is denied and audited).
    #[test]
    fn the_trespass_fixture_calls_every_guarded_function() {
        let fixture = read("tests/fixtures/misbehave/src/lib.rs");
        let trespass = fixture
            .split("fn trespass()")
            .nth(1)
            .expect("misbehave has fn trespass");
        let called = quoted_names(trespass);
        for func in HostFn::ALL {
            assert!(
                called.contains(func.qualified_name()),
                "tests/fixtures/misbehave's trespass() does not call {}",
                func.qualified_name()
            );
        }
    }
}
