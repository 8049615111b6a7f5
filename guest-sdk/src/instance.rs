//! The plugin's one value per instance, behind the exported functions.

use crate::Plugin;
use std::cell::RefCell;
use std::thread::LocalKey;

/// Run `f` on the instance's plugin value, making it with [`Plugin::new`]
/// on first use. Used by [`crate::export_plugin!`].
///
/// The component model never re-enters an instance while one of its calls
/// runs (a host call that would call back in is refused by the runtime), so
/// the value is never borrowed twice; a panic traps and the host discards
/// the whole instance, value included.
pub fn with_instance<P: Plugin, R>(
    slot: &'static LocalKey<RefCell<Option<P>>>,
    f: impl FnOnce(&mut P) -> R,
) -> R {
    slot.with(|cell| {
        let mut value = cell.borrow_mut();
        f(value.get_or_insert_with(P::new))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Manifest, PluginError, ToolOutput};

    struct Counter {
        calls: u32,
    }

    thread_local! {
        static MADE: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
        static SLOT: RefCell<Option<Counter>> = const { RefCell::new(None) };
    }

    impl Plugin for Counter {
        fn new() -> Self {
            MADE.with(|m| m.set(m.get() + 1));
            Counter { calls: 0 }
        }
        fn manifest() -> Manifest {
            Manifest::new("counter", "0.1.0", "counts")
        }
        fn call_tool(&mut self, _: &str, _: crate::Args) -> Result<ToolOutput, PluginError> {
            self.calls += 1;
            Ok(ToolOutput::text(self.calls.to_string()))
        }
    }

    #[test]
    fn the_value_is_made_once_and_kept_between_calls() {
        let call = || {
            with_instance(&SLOT, |p: &mut Counter| {
                p.call_tool("count", crate::Args::from_json("{}").unwrap())
            })
            .unwrap()
            .summary
        };
        assert_eq!(MADE.with(|m| m.get()), 0, "made before the first call");
        assert_eq!(call(), "1");
        assert_eq!(call(), "2");
        assert_eq!(MADE.with(|m| m.get()), 1);
    }
}
