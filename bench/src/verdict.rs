//! Whether a row meets its target, read from the row as printed: a target
//! such as `<= 0.5x` is compared with the ratio, `<= 2 µs` or `< 50 ms` with
//! the median, `<= 16 MiB / <= 64 MiB` part by part with `10 MiB / 36 MiB`,
//! `>= 1000x` with a ratio such as `5065x faster`; several targets joined by
//! `,` must all hold; `< +5 ms` with a ratio printed as `+29.40 ms`. A target the bench cannot read prints `?`, none `-`.

use crate::Row;

/// `yes`, `no`, `-` (no target) or `?` (a target this cannot read).
pub fn met(row: &Row) -> &'static str {
    let target = row.target.trim();
    if target == "-" || target.is_empty() {
        return "-";
    }
    let values: Vec<&str> = row.value.split(" / ").collect();
    let targets: Vec<&str> = target.split(" / ").collect();
    let mut all = true;
    for (i, part) in targets.iter().enumerate() {
        let value = values.get(i).or(values.last()).copied().unwrap_or("");
        for t in part.split(',') {
            match holds(t.trim(), value, &row.ratio) {
                Some(ok) => all &= ok,
                None => return "?",
            }
        }
    }
    if all {
        "yes"
    } else {
        "no"
    }
}

/// One comparison: `OP NUMBER [UNIT]`.
fn holds(target: &str, value: &str, ratio: &str) -> Option<bool> {
    let (op, rest) = ["<=", ">=", "<", ">"]
        .iter()
        .find_map(|op| target.strip_prefix(op).map(|r| (*op, r.trim())))?;
    // `< +50 ms`: a difference, compared with a ratio printed as `+12.3 ms`.
    if let Some(diff) = rest.strip_prefix('+') {
        let (want, unit) = number_and_unit(diff)?;
        let (n, u) = number_and_unit(ratio.trim().strip_prefix('+')?)?;
        let have = scale(n, u)? / scale(1.0, unit)?;
        return Some(compare(op, have, want));
    }
    let (want, unit) = number_and_unit(rest)?;
    let have = if unit == "x" {
        number_and_unit(ratio)?.0
    } else {
        let (n, u) = number_and_unit(value)?;
        scale(n, u)? / scale(1.0, unit)?
    };
    Some(compare(op, have, want))
}

fn compare(op: &str, have: f64, want: f64) -> bool {
    match op {
        "<=" => have <= want,
        ">=" => have >= want,
        "<" => have < want,
        _ => have > want,
    }
}

/// `1.23 µs (p95 ...)` → (1.23, "µs"); `5065x faster` → (5065, "x").
fn number_and_unit(text: &str) -> Option<(f64, &str)> {
    let text = text.trim();
    let end = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let n: f64 = text[..end].parse().ok()?;
    if text[end..].starts_with('x') {
        return Some((n, "x"));
    }
    Some((n, text[end..].split_whitespace().next().unwrap_or("")))
}

/// A quantity in seconds or KiB.
fn scale(n: f64, unit: &str) -> Option<f64> {
    Some(match unit {
        "s" => n,
        "ms" => n * 1e-3,
        "µs" | "us" => n * 1e-6,
        "ns" => n * 1e-9,
        "KiB" => n,
        "MiB" => n * 1024.0,
        "GiB" => n * 1024.0 * 1024.0,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(value: &str, ratio: &str, target: &'static str) -> &'static str {
        met(&Row {
            id: "X",
            what: String::new(),
            value: value.into(),
            baseline: String::new(),
            ratio: ratio.into(),
            target,
        })
    }

    #[test]
    fn reads_the_targets_the_table_uses() {
        assert_eq!(r("2.10 ms (p95 2.30 ms)", "0.27x", "<= 0.5x"), "yes");
        assert_eq!(r("2.10 ms (p95 2.30 ms)", "0.77x", "<= 0.5x"), "no");
        assert_eq!(r("1.92 µs (p95 1.97 µs)", "6.80x", "<= 2 µs"), "yes");
        assert_eq!(r("0.51 µs (p95 1 µs)", "1.8x", "<= 0.5 µs"), "no");
        assert_eq!(r("12.00 ms (p95 13 ms)", "1.0x", "< 50 ms"), "yes");
        assert_eq!(r("1.12 ms", "5065x faster", ">= 1000x"), "yes");
        assert_eq!(r("10 MiB / 36 MiB", "-", "<= 16 MiB / <= 64 MiB"), "yes");
        assert_eq!(r("10 MiB / 70 MiB", "-", "<= 16 MiB / <= 64 MiB"), "no");
        assert_eq!(r("97 µs", "76x", "<= 3x, <= 100 µs"), "no");
        assert_eq!(r("1 s", "1x", "-"), "-");
        assert_eq!(r("1 s", "1x", "fast"), "?");
        assert_eq!(r("32 ms", "+29.40 ms", "< +5 ms"), "no");
        assert_eq!(r("32 ms", "+900.00 µs", "< +5 ms"), "yes");
        assert_eq!(r("32 ms", "1.2x", "< +5 ms"), "?");
    }
}
