//! "always" for an MCP tool, narrowed by argument the way `shell.exec`
//! scopes narrow a command: an approval may name arguments and a pattern
//! for each (`path=/work/notes/*`). It covers a call when every named
//! argument is there and matches, and the call has no other argument
//! unless the approval lets others be anything (the key `*`).
//!
//! - A string argument is matched against a glob: `*` stands for any run
//!   of characters except a newline or a control character, `\` escapes
//!   the next character. A value with a `..` path segment is never covered
//!   by a `*` (`/work/notes/*` must not cover `/work/notes/../../etc`).
//! - Any other value (number, bool, object, array, null) is compared by
//!   its JSON text, exactly.

use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// The arguments an approval is narrowed to: name → pattern.
pub type ArgPatterns = BTreeMap<String, String>;

/// The key that lets arguments the approval does not name be anything.
pub const OTHERS: &str = "*";

/// Whether an approval narrowed to `patterns` covers a call with
/// `arguments`.
pub fn covers(patterns: &ArgPatterns, arguments: &Map<String, Value>) -> bool {
    if patterns.get(OTHERS).map(String::as_str) != Some("*")
        && arguments.keys().any(|k| !patterns.contains_key(k))
    {
        return false;
    }
    patterns
        .iter()
        .filter(|(k, _)| k.as_str() != OTHERS)
        .all(|(key, pattern)| match arguments.get(key) {
            Some(Value::String(s)) => glob(pattern, s),
            Some(other) => *pattern == exact(&other.to_string()),
            None => false,
        })
}

/// `text` as a glob matching only itself.
pub fn exact(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '*' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A glob piece: literal text or a star.
#[derive(Debug, PartialEq)]
enum Piece {
    Text(String),
    Star,
}

fn pieces(pattern: &str) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut text = String::new();
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => text.extend(chars.next()),
            '*' => {
                if !text.is_empty() {
                    out.push(Piece::Text(std::mem::take(&mut text)));
                }
                out.push(Piece::Star);
            }
            c => text.push(c),
        }
    }
    if !text.is_empty() {
        out.push(Piece::Text(text));
    }
    out
}

fn climbs(value: &str) -> bool {
    value.split(['/', '\\']).any(|seg| seg == "..")
}

/// Whether glob `pattern` matches all of `value`.
fn glob(pattern: &str, value: &str) -> bool {
    let pieces = pieces(pattern);
    if pieces.contains(&Piece::Star) && climbs(value) {
        return false;
    }
    matches(&pieces, value)
}

fn matches(pieces: &[Piece], value: &str) -> bool {
    match pieces.split_first() {
        None => value.is_empty(),
        Some((Piece::Text(t), rest)) => value
            .strip_prefix(t.as_str())
            .is_some_and(|after| matches(rest, after)),
        Some((Piece::Star, rest)) => {
            let mut at = 0;
            loop {
                if matches(rest, &value[at..]) {
                    return true;
                }
                let Some(c) = value[at..].chars().next() else {
                    return false;
                };
                if c == '\n' || c.is_control() {
                    return false;
                }
                at += c.len_utf8();
            }
        }
    }
}

/// One line of an approval as shown (`path=/work/*, others any`).
pub fn describe(patterns: &ArgPatterns) -> String {
    let mut parts: Vec<String> = patterns
        .iter()
        .filter(|(k, _)| k.as_str() != OTHERS)
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    if patterns.contains_key(OTHERS) {
        parts.push("other arguments any".into());
    } else if parts.is_empty() {
        parts.push("no arguments".into());
    }
    crate::term::sanitize::visible(&parts.join(", ")).into_owned()
}

/// What "always" offers for one call, narrowest first (each covers the
/// call): these arguments exactly; for each of the first two string
/// arguments that look like paths, its folder with `*` (other arguments
/// any). "Any arguments" is offered beside them by the prompt.
pub fn suggestions(arguments: &Map<String, Value>) -> Vec<ArgPatterns> {
    let mut out = Vec::new();
    let exactly: ArgPatterns = arguments
        .iter()
        .map(|(k, v)| {
            let text = match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            (k.clone(), exact(&text))
        })
        .collect();
    out.push(exactly);
    for (key, value) in arguments
        .iter()
        .filter_map(|(k, v)| v.as_str().map(|s| (k, s)))
        .filter(|(_, s)| !climbs(s) && !s.contains('\n'))
        .take(2)
    {
        if let Some((folder, _)) = value.rsplit_once('/') {
            let mut p = ArgPatterns::new();
            p.insert(key.clone(), format!("{}/*", exact(folder)));
            p.insert(OTHERS.into(), "*".into());
            out.push(p);
        }
    }
    out.retain(|p| covers(p, arguments));
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn args(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn an_approval_narrowed_to_one_value_does_not_cover_another() {
        let call = args(json!({"path": "/work/notes/a.md", "n": 3}));
        let offered = suggestions(&call);
        let exactly = &offered[0];
        assert!(covers(exactly, &call));
        assert!(!covers(
            exactly,
            &args(json!({"path": "/work/notes/b.md", "n": 3}))
        ));
        assert!(!covers(
            exactly,
            &args(json!({"path": "/work/notes/a.md", "n": 4}))
        ));
        // An argument the approval did not name is not let through.
        assert!(!covers(
            exactly,
            &args(json!({"path": "/work/notes/a.md", "n": 3, "recursive": true}))
        ));
        let folder = &offered[1];
        assert_eq!(describe(folder), "path=/work/notes/*, other arguments any");
        assert!(covers(folder, &args(json!({"path": "/work/notes/b.md"}))));
        // The attacker's chain: climb out of the folder, or reach elsewhere.
        for bad in [
            "/work/notes/../../etc/shadow",
            "/work/notes/..",
            "/work/other/a.md",
            "/work/notes/a\nb",
        ] {
            assert!(!covers(folder, &args(json!({"path": bad}))), "{bad}");
        }
        // A star in the value itself is no wildcard.
        let star = args(json!({"q": "a*"}));
        assert!(!covers(&suggestions(&star)[0], &args(json!({"q": "abc"}))));
    }
}
