//! proptest strategies the layers' fuzz tests share (model, plugins, tools,
//! session): a dev-dependency only. A crate of its own rather than a feature
//! of aicoder-base, so `cargo test` builds the layers with the features
//! `cargo build` does (no second copy of every crate).

use proptest::prelude::*;
use serde_json::Value;

/// Any JSON value, nested a few levels.
pub fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        ".{0,20}".prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(
                prop_oneof![
                    Just("path".to_string()),
                    Just("content".to_string()),
                    Just("index".to_string()),
                    ".{0,8}"
                ],
                inner,
                0..6
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// A JSON object shaped like tool arguments: the real field names with
/// arbitrary values (paths include `..`, absolute and device paths).
pub fn tool_arguments() -> impl Strategy<Value = String> {
    let path = prop_oneof![
        Just("/dev/zero".to_string()),
        Just("../x".to_string()),
        Just("/".to_string()),
        Just("".to_string()),
        "[a-z./]{0,12}",
    ];
    let value = prop_oneof![path.prop_map(Value::from), json_value()];
    let key = prop_oneof![
        Just("path"),
        Just("content"),
        Just("old_string"),
        Just("new_string"),
        Just("pattern"),
        Just("command"),
        Just("timeout"),
    ];
    prop::collection::btree_map(key, value, 0..5).prop_map(|m| {
        let object: serde_json::Map<String, Value> =
            m.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
        Value::Object(object).to_string()
    })
}
