//! What v3 users see of reasoning and cost: the model's reasoning printed
//! dimmed as it arrives (AICODER_SHOW_REASONING=0 hides it), `/thinking`
//! to change THINKING and REASONING_EFFORT in a session (with v3's
//! `+ - ++ --` shorthands), and the cache and cost lines of `/stats`.

use super::Session;
use crate::config::Thinking;
use crate::state::Stats;
use crate::ui::sanitize::visible;
use std::io::Write;

/// Reasoning being printed, dimmed, before the answer.
#[derive(Debug, Default)]
pub(crate) struct Shown {
    open: bool,
}

impl Shown {
    /// Print more reasoning.
    pub(crate) fn feed(&mut self, text: &str) {
        let styled = crate::ui::style::stdout_styled();
        if !self.open {
            self.open = true;
            print!(
                "{}",
                crate::ui::style::paint(styled, crate::ui::style::DIM, "thinking: ")
            );
        }
        print!(
            "{}",
            crate::ui::style::paint(styled, crate::ui::style::DIM, &visible(text))
        );
        let _ = std::io::stdout().flush();
    }

    /// End the reasoning: the answer starts on a line of its own.
    pub(crate) fn close(&mut self) {
        if std::mem::take(&mut self.open) {
            println!();
        }
    }
}

/// ` · $0.0123` for the status line once anything was priced.
pub(crate) fn cost_label(stats: &Stats) -> String {
    if stats.cost_micros == 0 {
        return String::new();
    }
    let floor = if stats.unpriced_answers > 0 {
        "≥"
    } else {
        ""
    };
    format!(
        " · {floor}{}",
        crate::config::prices::dollars(stats.cost_micros)
    )
}

/// The `/stats` lines about caching and cost.
pub(crate) fn stats_lines(stats: &Stats) -> String {
    let mut out = format!(
        "cache: {} tokens read, {} written",
        stats.cache_read_tokens, stats.cache_write_tokens
    );
    let cost = crate::config::prices::dollars(stats.cost_micros);
    out.push_str(&match stats.unpriced_answers {
        0 => format!("\nestimated cost: {cost}"),
        n => format!(
            "\nestimated cost: {cost} ({n} answers from a model with no price; set \
             AICODER_PRICES, e.g. AICODER_PRICES=\"my-model=0.5,1.5\" in dollars per million tokens)"
        ),
    });
    out
}

impl Session {
    /// `/thinking [default|on|off|toggle] | effort [LEVEL|+|-|++|--]`.
    pub(super) fn thinking_command(&mut self, args: &str) -> anyhow::Result<()> {
        let mut words = args.split_whitespace();
        let mut state = self.state();
        let model = state.config.model.clone();
        let params = &mut state.config.params;
        match (words.next(), words.next()) {
            (None, _) => {}
            (Some("effort"), None) => {}
            (Some("effort"), Some(level)) => {
                let level = params.set_effort(level)?;
                println!("reasoning effort: {level}");
                if params.thinking != Thinking::On {
                    println!("(sent once thinking is on: /thinking on)");
                }
                return Ok(());
            }
            (Some("default"), _) => params.thinking = Thinking::Default,
            (Some("on" | "1" | "enable" | "true"), _) => params.thinking = Thinking::On,
            (Some("off" | "0" | "disable" | "false"), _) => params.thinking = Thinking::Off,
            (Some("toggle"), _) => {
                params.thinking = match params.thinking {
                    Thinking::On => Thinking::Off,
                    _ => Thinking::On,
                }
            }
            (Some(other), _) => anyhow::bail!(
                "unknown /thinking argument {other}; use default, on, off, toggle or effort LEVEL \
                 (+ - ++ -- move along REASONING_EFFORT_VALID)"
            ),
        }
        let effort = params
            .reasoning_effort
            .as_deref()
            .unwrap_or("the API's default");
        let mut body = serde_json::json!({});
        params.apply(&mut body, &model);
        println!(
            "thinking: {} · effort: {effort}{} · format: {}\nsent: {}",
            params.thinking.as_str(),
            if params.effort_levels.is_empty() {
                String::new()
            } else {
                format!(" (valid: {})", params.effort_levels.join(", "))
            },
            params.format(&model),
            if body.as_object().is_some_and(|o| o.is_empty()) {
                "nothing (the model's default)".to_string()
            } else {
                body.to_string()
            }
        );
        Ok(())
    }
}
