//! Interface `stats`, capability `stats.read`: the session counters.

use super::{Access, CapCtx, HostFn};
use crate::bindings::aicoder::plugin::stats::{Host, SessionStats};
use crate::bindings::aicoder::plugin::types::HostError;
use serde_json::json;


impl Host for CapCtx {
    fn get_stats(&mut self) -> Result<SessionStats, HostError> {
        self.gate_fn(HostFn::StatsGetStats, json!({}), || {
            let s = self.services.state().stats.clone();
            Ok(Access::read(SessionStats {
                api_requests: s.api_requests,
                api_success: s.api_success,
                api_errors: s.api_errors,
                prompt_tokens: s.prompt_tokens,
                completion_tokens: s.completion_tokens,
                api_time_ms: s.api_time_ms,
                tool_calls: s.tool_calls,
                tool_errors: s.tool_errors,
                messages_sent: s.messages_sent,
            }))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::caps::Capability;
    use crate::caps::testing::{assert_denied, TestEnv};

    #[test]
    fn stats_are_read_only_with_grant() {
        let mut env = TestEnv::new();
        assert_denied(env.ctx.get_stats(), Capability::StatsRead);
        env.ctx.services.state().stats.prompt_tokens = 42;
        env.grant(Capability::StatsRead);
        assert_eq!(env.ctx.get_stats().expect("granted").prompt_tokens, 42);
    }
}
