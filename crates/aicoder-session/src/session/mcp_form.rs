//! The parts of an elicitation form's field schema beyond its type (MCP's
//! restricted JSON Schema): choices with titles (`oneOf`/`anyOf` of
//! `{const, title}`, or `enum` with `enumNames`), number bounds
//! (`minimum`/`maximum`), string lengths and the formats `date`,
//! `date-time`, `email` and `uri`. Shown in the question and checked on
//! the answer, which is asked again until it fits.

use crate::term::sanitize::visible;
use serde_json::Value;

/// At most this many choices are read from a schema.
const MAX_CHOICES: usize = 50;

fn shown(v: &Value) -> String {
    let text = match v {
        Value::String(s) => s.replace('\n', " "),
        other => other.to_string(),
    };
    visible(&crate::util::truncate_text(&text, 80).0).into_owned()
}

/// The choices of a field (or of its items): `(value, title)` pairs.
pub(super) fn choices(schema: &Value) -> Vec<(String, String)> {
    for s in [schema, &schema["items"]] {
        if let Some(values) = s["enum"].as_array() {
            let names = s["enumNames"].as_array();
            return values
                .iter()
                .take(MAX_CHOICES)
                .enumerate()
                .map(|(i, v)| {
                    let title = names.and_then(|n| n.get(i)).map_or_else(|| shown(v), shown);
                    (shown(v), title)
                })
                .collect();
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(options) = s[key].as_array() {
                let pairs: Vec<(String, String)> = options
                    .iter()
                    .take(MAX_CHOICES)
                    .filter(|o| o.get("const").is_some())
                    .map(|o| {
                        let value = shown(&o["const"]);
                        let title = o.get("title").map_or_else(|| value.clone(), shown);
                        (value, title)
                    })
                    .collect();
                if !pairs.is_empty() {
                    return pairs;
                }
            }
        }
    }
    Vec::new()
}

/// The choices as the question shows them: `Title (value)`, or the value.
pub(super) fn choice_text(pairs: &[(String, String)]) -> String {
    pairs
        .iter()
        .map(|(v, t)| {
            if v == t {
                v.clone()
            } else {
                format!("{t} ({v})")
            }
        })
        .collect::<Vec<_>>()
        .join(" | ")
}

/// A typed answer with each title (any case) replaced by its value; for a
/// list, each comma-separated item.
pub(super) fn by_title(pairs: &[(String, String)], typed: &str, list: bool) -> String {
    let one = |t: &str| {
        let t = t.trim();
        pairs
            .iter()
            .find(|(v, title)| v != title && title.eq_ignore_ascii_case(t))
            .map_or_else(|| t.to_string(), |(v, _)| v.clone())
    };
    if list {
        typed.split(',').map(one).collect::<Vec<_>>().join(",")
    } else {
        one(typed)
    }
}

/// Bounds and format for the question (`, 1 to 10`, `, a date YYYY-MM-DD`).
pub(super) fn hint(schema: &Value) -> String {
    let mut out = String::new();
    match (schema["minimum"].as_f64(), schema["maximum"].as_f64()) {
        (Some(lo), Some(hi)) => out.push_str(&format!(", {lo} to {hi}")),
        (Some(lo), None) => out.push_str(&format!(", at least {lo}")),
        (None, Some(hi)) => out.push_str(&format!(", at most {hi}")),
        (None, None) => {}
    }
    match schema["format"].as_str() {
        Some("date") => out.push_str(", a date YYYY-MM-DD"),
        Some("date-time") => out.push_str(", a date and time YYYY-MM-DDTHH:MM:SSZ"),
        Some("email") => out.push_str(", an email address"),
        Some("uri") => out.push_str(", a URI"),
        _ => {}
    }
    out
}

/// Why a typed answer does not fit its field: the hint shown before the
/// field is asked again.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub(super) enum FieldHint {
    #[error("answer y or n")]
    YesOrNo,
    #[error("a whole number, please")]
    WholeNumber,
    #[error("a number, please")]
    Number,
    /// One of several picks is not offered (its text made visible).
    #[error("{0} is not one of the choices; separate several with commas")]
    NotAChoice(String),
    /// The choices, joined by ` | `.
    #[error("one of: {0}")]
    OneOf(String),
    #[error("at least {0}, please")]
    AtLeast(f64),
    #[error("at most {0}, please")]
    AtMost(f64),
    #[error("at least {0} characters, please")]
    MinChars(u64),
    #[error("at most {0} characters, please")]
    MaxChars(u64),
    /// The format's description, e.g. `a date YYYY-MM-DD`.
    #[error("that is not {0}")]
    WrongFormat(String),
}

/// Whether `value` (already of the field's type) fits the schema's
/// bounds and format; the hint when it does not.
pub(super) fn check(schema: &Value, value: &Value) -> Result<(), FieldHint> {
    if let Some(n) = value.as_f64() {
        if let Some(lo) = schema["minimum"].as_f64().filter(|lo| n < *lo) {
            return Err(FieldHint::AtLeast(lo));
        }
        if let Some(hi) = schema["maximum"].as_f64().filter(|hi| n > *hi) {
            return Err(FieldHint::AtMost(hi));
        }
    }
    let Some(s) = value.as_str() else {
        return Ok(());
    };
    let chars = s.chars().count() as u64;
    if let Some(lo) = schema["minLength"].as_u64().filter(|lo| chars < *lo) {
        return Err(FieldHint::MinChars(lo));
    }
    if let Some(hi) = schema["maxLength"].as_u64().filter(|hi| chars > *hi) {
        return Err(FieldHint::MaxChars(hi));
    }
    let fits = match schema["format"].as_str() {
        Some("date") => is_date(s),
        Some("date-time") => s
            .split_once(['T', 't'])
            .is_some_and(|(d, t)| is_date(d) && is_time(t)),
        Some("email") => s
            .split_once('@')
            .is_some_and(|(a, b)| !a.is_empty() && b.contains('.') && !s.contains(' ')),
        Some("uri") => s.split_once(':').is_some_and(|(scheme, rest)| {
            !rest.is_empty()
                && scheme
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        }),
        _ => true,
    };
    if fits {
        Ok(())
    } else {
        Err(FieldHint::WrongFormat(
            hint(schema).trim_start_matches(", ").to_string(),
        ))
    }
}

fn is_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let num = |p: &str, len: usize| p.len() == len && p.bytes().all(|b| b.is_ascii_digit());
    if parts.len() != 3 || !num(parts[0], 4) || !num(parts[1], 2) || !num(parts[2], 2) {
        return false;
    }
    let (y, m, d): (u32, u32, u32) = (
        parts[0].parse().unwrap_or(0),
        parts[1].parse().unwrap_or(0),
        parts[2].parse().unwrap_or(0),
    );
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => 0,
    };
    (1..=days).contains(&d)
}

/// `HH:MM:SS` with optional fraction, then `Z` or `±HH:MM`.
fn is_time(s: &str) -> bool {
    let (clock, zone) = match s.find(['Z', 'z', '+', '-']) {
        Some(i) => s.split_at(i),
        None => return false,
    };
    let clock = clock.split('.').next().unwrap_or_default();
    let hms: Vec<u32> = clock.split(':').filter_map(|p| p.parse().ok()).collect();
    let zone_ok = zone.eq_ignore_ascii_case("z") || (zone.len() == 6 && zone.as_bytes()[3] == b':');
    hms.len() == 3 && hms[0] < 24 && hms[1] < 60 && hms[2] < 61 && zone_ok
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn titled_choices_bounds_and_formats() {
        let s = json!({"type": "string", "oneOf": [
            {"const": "r", "title": "Red"}, {"const": "g", "title": "Green"}]});
        let pairs = choices(&s);
        assert_eq!(choice_text(&pairs), "Red (r) | Green (g)");
        assert_eq!(by_title(&pairs, "green", false), "g");
        let legacy = json!({"enum": ["a", "b"], "enumNames": ["Alpha", "Beta"]});
        assert_eq!(choice_text(&choices(&legacy)), "Alpha (a) | Beta (b)");
        let arr = json!({"type": "array", "items": {"anyOf": [{"const": "x", "title": "Ex"}]}});
        assert_eq!(by_title(&choices(&arr), "Ex, x", true), "x,x");
        let n = json!({"type": "integer", "minimum": 1, "maximum": 10});
        assert!(check(&n, &json!(0)).is_err() && check(&n, &json!(11)).is_err());
        assert!(check(&n, &json!(10)).is_ok());
        let d = json!({"type": "string", "format": "date"});
        assert!(check(&d, &json!("2026-02-28")).is_ok());
        assert!(check(&d, &json!("2026-02-30")).is_err());
        let dt = json!({"type": "string", "format": "date-time"});
        assert!(check(&dt, &json!("2026-12-07T08:50:00Z")).is_ok());
        assert!(check(&dt, &json!("2026-12-07T08:50:00+01:00")).is_ok());
        assert!(check(&dt, &json!("2026-12-07 08:50")).is_err());
        assert!(check(&json!({"maxLength": 3}), &json!("abcd")).is_err());
    }
}
