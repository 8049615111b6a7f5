//! The capability catalogue: the `capability_table!` macro that turns the one
//! table in `caps/mod.rs` into everything else that names a capability.
//!
//! A row of the table defines a capability once: its variant, its name, its
//! one-line description, the WIT interface (and host module) it belongs to
//! and the WIT functions it guards. From it come [`Capability`] with `ALL`,
//! `name`, `parse`, `description` and `interface`; [`HostFn`], the functions a
//! grant guards, which every `CapCtx::gate` call names; [`INTERFACES`] (the
//! contract check and `ceiling`); [`UNGATED`], the functions no grant guards;
//! and the `mod` line of each host module. tests/authoring/wit_lists.rs
//! checks the table, the SDK, the Python bridge, the scaffold and the
//! hostile-plugin fixture against `wit/` itself (parsed by wit-parser).
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
    //! The table against itself. Against `wit/` (parsed by wit-parser), the
    //! SDK, the Python bridge, the scaffold and the hostile fixture:
    //! tests/authoring/wit_lists.rs; every guarded function through the
    //! gate: caps/gate_tests.rs.

    use super::super::{Capability, HostFn, UNGATED};
    use std::collections::BTreeSet;

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
}
