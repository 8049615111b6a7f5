//! Interface `ui-bell`, capability `ui.bell` (for notify): the host rings
//! the terminal's bell with the one byte it writes itself.

use super::ui::to_terminal;
use super::{Access, CapCtx, HostFn};
use crate::bindings::aicoder::plugin::types::HostError;
use crate::bindings::aicoder::plugin::ui_bell::Host;
use serde_json::json;

impl Host for CapCtx {
    fn bell(&mut self) -> Result<(), HostError> {
        self.gate_fn(HostFn::UiBell, json!({}), || {
            to_terminal("\x07", "ring").map(Access::read)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::caps::testing::{assert_denied, TestEnv};
    use crate::caps::Capability;

    #[test]
    fn ringing_needs_the_grant() {
        let mut env = TestEnv::new();
        assert_denied(env.ctx.bell(), Capability::UiBell);
    }
}
