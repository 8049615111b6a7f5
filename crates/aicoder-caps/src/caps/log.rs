//! Interface `log`, capability `log` (always granted): a plugin's own log.
//! Not audited: it neither reads nor changes app state.

use super::CapCtx;
use crate::bindings::aicoder::plugin::log::{Host, Level};
use crate::state::PluginLogLine;


/// Longest log line kept; longer ones are cut.
const MAX_LINE: usize = 4096;

impl Host for CapCtx {
    fn write(&mut self, level: Level, message: String) {
        let (message, _) = crate::util::truncate_text(&message, MAX_LINE);
        let level = match level {
            Level::Debug => "debug",
            Level::Info => "info",
            Level::Warn => "warn",
            Level::Error => "error",
        };
        let mut state = self.services.state();
        if matches!(level, "warn" | "error") || state.config.debug {
            crate::term::spinner::eprint_line(&format!(
                "[{}] {level}: {}",
                self.plugin.name,
                crate::term::sanitize::visible(&message)
            ));
        }
        state.push_plugin_log(PluginLogLine {
            plugin: self.plugin.name.clone(),
            level: level.to_string(),
            message,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::caps::testing::TestEnv;

    #[test]
    fn log_is_kept_without_a_grant_and_not_audited() {
        let mut env = TestEnv::new();
        env.ctx.write(Level::Info, "hello".into());
        let state = env.ctx.services.state();
        assert_eq!(
            state.plugin_log.last().map(|l| l.message.as_str()),
            Some("hello")
        );
        drop(state);
        assert!(env.audit().is_empty());
    }
}
