//! Estimated cost of a session: a price per million tokens for each model
//! (input, output, cache read, cache write), from a small built-in table
//! the user overrides with AICODER_PRICES. (In config: settings sit below
//! the model client, so this keeps its own copy of the token counts.)

/// US dollars per million tokens.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Price {
    pub input: f64,
    pub output: f64,
    pub cache_read: f64,
    pub cache_write: f64,
}

/// Public list prices (USD per million tokens: input, output, cache read,
/// cache write); a model's name matches the longest entry it contains.
/// Estimates: set AICODER_PRICES for your provider's.
///
/// Checked on 2026-12-07 against these pages (as stored by the search
/// index, not fetched live; a page may have changed since):
/// - Anthropic, https://platform.claude.com/docs/en/about-claude/pricing
///   ("Model pricing": base input, 5-minute cache writes, cache hits,
///   output): Opus 4 and 4.1 15/75 (cache 1.50 read, 18.75 write); Opus
///   4.5 to 4.8 and Opus 5 5/25 (0.50, 6.25). Sonnet 5 and 5.5 2/10 (0.20,
///   2.50) from their model overview pages
///   (https://platform.claude.com/docs/en/models/sonnet-5-5/overview);
///   Opus 5.5 4/20 and Haiku 4.5 1/5 from the comparison table on those
///   pages, their cache prices by the page's multipliers (read 0.1x, write
///   1.25x). Sonnet 3.5 to 4.5 3/15 and Haiku 3.5 0.80/4 were not on the
///   stored pages: not verified. A third-party changelog reports Sonnet
///   5.5's cache read cut to 0.10 on 2026-10-07; the official page stored
///   says 0.20, which is kept.
/// - OpenAI: the official pricing page is not in the index; GPT-4o
///   2.50/10, GPT-4o mini 0.15/0.60, GPT-4.1 2/8 and GPT-4.1 mini 0.40/1.60
///   agree with several third-party copies of it; the cached-input prices
///   are not verified. Searched again on 2026-12-07 (stored pages and docs):
///   still no copy of https://developers.openai.com/api/docs/pricing; a
///   post quoting it (api-evangelist/posts, 2026-11-06, "read on November
///   5") puts older models' cached input at a quarter to a half of input,
///   as the table has (GPT-4.1 0.50, GPT-4o 1.25): third party, not verified.
/// - DeepSeek, https://api-docs.deepseek.com/quick_start/pricing-details-usd:
///   deepseek-chat 0.27/1.10 (cache hit 0.07), deepseek-reasoner 0.55/2.19
///   (0.14). That stored copy is old: other sources report lower prices
///   since December 2025 and deepseek-reasoner retired. Not verified as
///   current.
const BUILT_IN: &[(&str, Price)] = &[
    ("claude-opus-4", price(15.0, 75.0, 1.5, 18.75)),
    ("claude-opus-4-5", price(5.0, 25.0, 0.5, 6.25)),
    ("claude-opus-4-6", price(5.0, 25.0, 0.5, 6.25)),
    ("claude-opus-4-7", price(5.0, 25.0, 0.5, 6.25)),
    ("claude-opus-4-8", price(5.0, 25.0, 0.5, 6.25)),
    ("claude-opus-5", price(5.0, 25.0, 0.5, 6.25)),
    ("claude-opus-5-5", price(4.0, 20.0, 0.4, 5.0)),
    ("claude-sonnet-5", price(2.0, 10.0, 0.2, 2.5)),
    ("claude-sonnet-4", price(3.0, 15.0, 0.3, 3.75)),
    ("claude-3-7-sonnet", price(3.0, 15.0, 0.3, 3.75)),
    ("claude-3-5-sonnet", price(3.0, 15.0, 0.3, 3.75)),
    ("claude-haiku-4", price(1.0, 5.0, 0.1, 1.25)),
    ("claude-3-5-haiku", price(0.8, 4.0, 0.08, 1.0)),
    ("gpt-4o", price(2.5, 10.0, 1.25, 2.5)),
    ("gpt-4o-mini", price(0.15, 0.6, 0.075, 0.15)),
    ("gpt-4.1", price(2.0, 8.0, 0.5, 2.0)),
    ("gpt-4.1-mini", price(0.4, 1.6, 0.1, 0.4)),
    ("deepseek-chat", price(0.27, 1.1, 0.07, 0.27)),
    ("deepseek-reasoner", price(0.55, 2.19, 0.14, 0.55)),
];

const fn price(input: f64, output: f64, cache_read: f64, cache_write: f64) -> Price {
    Price {
        input,
        output,
        cache_read,
        cache_write,
    }
}

/// Parse AICODER_PRICES: `model=input,output[,cache_read[,cache_write]]`
/// entries separated by `;` (cache prices default to the input price).
pub fn parse(text: &str) -> Result<Vec<(String, Price)>, String> {
    let mut out = Vec::new();
    for entry in text.split(';').map(str::trim).filter(|e| !e.is_empty()) {
        let bad = || {
            format!(
                "AICODER_PRICES entry {entry:?} must be model=input,output[,cache_read,cache_write] \
                 in dollars per million tokens"
            )
        };
        let (model, numbers) = entry.split_once('=').ok_or_else(bad)?;
        let n: Vec<f64> = numbers
            .split(',')
            .map(|n| n.trim().parse::<f64>())
            .collect::<Result<_, _>>()
            .map_err(|_| bad())?;
        if !(2..=4).contains(&n.len()) || n.iter().any(|p| !p.is_finite() || *p < 0.0) {
            return Err(bad());
        }
        let input = n[0];
        out.push((
            model.trim().to_ascii_lowercase(),
            price(
                input,
                n[1],
                n.get(2).copied().unwrap_or(input),
                n.get(3).copied().unwrap_or(input),
            ),
        ));
    }
    Ok(out)
}

/// The price of `model`: the user's entries first, then the built-in table;
/// the longest name contained in the model's wins.
pub fn lookup(model: &str, overrides: &[(String, Price)]) -> Option<Price> {
    let model = model.to_ascii_lowercase();
    let best = |entries: &mut dyn Iterator<Item = (&str, Price)>| {
        entries
            .filter(|(name, _)| !name.is_empty() && model.contains(name))
            .max_by_key(|(name, _)| name.len())
            .map(|(_, p)| p)
    };
    best(&mut overrides.iter().map(|(n, p)| (n.as_str(), *p)))
        .or_else(|| best(&mut BUILT_IN.iter().map(|(n, p)| (*n, *p))))
}

/// One answer's token counts, as the server reported them.
#[derive(Debug, Clone, Copy, Default)]
pub struct Usage {
    pub prompt_tokens: u64,
    pub completion_tokens: u64,
    pub cache_read_tokens: u64,
    pub cache_write_tokens: u64,
}

/// The cost of one answer's usage, in millionths of a dollar. Cached tokens
/// are part of `prompt_tokens` and priced at their own rate.
pub fn cost_micros(usage: &Usage, p: &Price) -> u64 {
    let cached = usage.cache_read_tokens + usage.cache_write_tokens;
    let fresh = usage.prompt_tokens.saturating_sub(cached);
    let micros = fresh as f64 * p.input
        + usage.cache_read_tokens as f64 * p.cache_read
        + usage.cache_write_tokens as f64 * p.cache_write
        + usage.completion_tokens as f64 * p.output;
    micros.round() as u64
}

/// `$0.0123` for a cost in millionths of a dollar.
pub fn dollars(micros: u64) -> String {
    let d = micros as f64 / 1e6;
    if d < 0.01 {
        format!("${d:.4}")
    } else {
        format!("${d:.2}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn longest_match_wins_and_overrides_come_first() {
        assert_eq!(lookup("gpt-4o-mini-2024", &[]).map(|p| p.input), Some(0.15));
        // Opus 4.5 is not priced as Opus 4 (the longer entry wins).
        assert_eq!(
            lookup("claude-opus-4-5-20251101", &[]).map(|p| p.input),
            Some(5.0)
        );
        assert_eq!(
            lookup("claude-opus-4-20250514", &[]).map(|p| p.input),
            Some(15.0)
        );
        assert_eq!(lookup("openai/gpt-4o", &[]).map(|p| p.input), Some(2.5));
        assert_eq!(lookup("my-local-model", &[]), None);
        let mine = parse("gpt-4o=1,2; local=0,0").expect("valid");
        assert_eq!(lookup("gpt-4o", &mine).map(|p| p.output), Some(2.0));
        assert_eq!(lookup("my-local-model", &mine).map(|p| p.input), Some(0.0));
        assert!(parse("gpt=1").is_err());
        assert!(parse("gpt=a,b").is_err());
    }

    #[test]
    fn cached_tokens_cost_their_own_rate() {
        let p = price(3.0, 15.0, 0.3, 3.75);
        let u = Usage {
            prompt_tokens: 1_000_000,
            completion_tokens: 100_000,
            cache_read_tokens: 500_000,
            cache_write_tokens: 100_000,
        };
        // 400k fresh × 3 + 500k × 0.3 + 100k × 3.75 + 100k × 15
        assert_eq!(
            cost_micros(&u, &p),
            1_200_000 + 150_000 + 375_000 + 1_500_000
        );
        assert_eq!(dollars(3_225_000), "$3.23");
        assert_eq!(dollars(1_234), "$0.0012");
    }
}
