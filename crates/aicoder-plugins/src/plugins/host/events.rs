//! Event fan-out: each subscribed plugin holding `hooks.register` in load
//! order; `transform_request` also needs history.read and history.write.

use super::{CallError, PluginHost};
use crate::bindings::exports::aicoder::plugin::guest;
use crate::caps::audit::{AuditEntry, Outcome};
use crate::caps::grants::PluginId;
use crate::caps::{Access, CapCtx, Capability, HostAct};
use crate::state::SessionEvent;
use serde_json::json;

impl PluginHost {
    /// Deliver `event` to every plugin subscribed to it that holds
    /// `hooks.register`; each delivery is audited. For `transform_request`,
    /// each plugin may replace the payload in turn. Failures are collected;
    /// one plugin failing never stops delivery to the others.
    pub fn emit(&mut self, event: SessionEvent, payload_json: &str) -> (String, Vec<CallError>) {
        let mut payload = payload_json.to_string();
        let mut errors = Vec::new();
        // The registry's subscriptions, in load order: the manifest's hooks
        // and what each plugin subscribed or unsubscribed since.
        let names = self.services.state().subscribers(event.name());
        let subscribed: Vec<PluginId> = names
            .iter()
            .filter_map(|name| self.plugin(name).map(|p| p.id.clone()))
            .collect();
        for id in subscribed {
            let gate = CapCtx::new(id.clone(), self.services.clone());
            let allowed = gate.gate_act(
                HostAct::DeliverEvent,
                json!({ "event": event.name() }),
                || Ok(Access::read(())),
            );
            if allowed.is_err() {
                continue;
            }
            let transform = event == SessionEvent::TransformRequest;
            if transform {
                if let Some(err) = self.withhold_transform(&id) {
                    errors.extend(err);
                    continue;
                }
            }
            let ev = guest::Event {
                name: event.name().to_string(),
                payload_json: payload.clone(),
            };
            match self.with_instance(&id.name, ("on-event", event.name()), |p, store| {
                Box::pin(async move { p.aicoder_plugin_guest().call_on_event(store, &ev).await })
            }) {
                Ok((Ok(guest::EventOutcome::ReplacePayload(new)), _)) if transform => {
                    self.record_transform(&id, &payload, &new);
                    payload = new
                }
                Ok((Ok(_), _)) if transform => self.record_transform(&id, &payload, &payload),
                Ok((Ok(_), _)) => {}
                Ok((Err(e), _)) => errors.push(CallError::from_guest(&id.name, e)),
                Err(e) => errors.push(e),
            }
        }
        self.services.audit.flush();
        (payload, errors)
    }

    /// transform_request reads and rewrites the whole conversation: beyond
    /// hooks.register it needs history.read and history.write. Without them
    /// the delivery is withheld and audited as denied; the returned error
    /// (once per plugin and session) tells the user why.
    pub(super) fn withhold_transform(&mut self, id: &PluginId) -> Option<Option<CallError>> {
        let missing: Vec<Capability> = {
            let grants = self.services.grants();
            [Capability::HistoryRead, Capability::HistoryWrite]
                .into_iter()
                .filter(|c| {
                    !matches!(
                        grants.check(id, *c),
                        crate::caps::grants::Decision::Allowed(_)
                    )
                })
                .collect()
        };
        let first = *missing.first()?;
        let names: Vec<&str> = missing.iter().map(|c| c.name()).collect();
        let mut entry = AuditEntry::new(
            id,
            first,
            HostAct::DeliverEvent.operation(),
            json!({ "event": SessionEvent::TransformRequest.name(), "missing": names }),
        );
        entry.outcome = Outcome::Denied;
        entry.detail = Some(format!(
            "transform_request needs hooks.register, history.read and history.write; missing {}",
            names.join(", ")
        ));
        self.services.audit.record(&entry);
        let first_time = self.told_not_delivered.insert(id.name.clone());
        Some(first_time.then(|| CallError::NotDelivered {
            plugin: id.name.clone(),
            missing: names.join(","),
        }))
    }

    /// Audit what a transform_request hook did to the request: blake3 digests
    /// of it before and after (the request itself is the conversation, too
    /// big and too private to copy into the log).
    pub(super) fn record_transform(&self, id: &PluginId, before: &str, after: &str) {
        let digest = |text: &str| json!({ "blake3": blake3::hash(text.as_bytes()).to_hex().to_string(), "bytes": text.len() });
        let mut entry = AuditEntry::new(
            id,
            HostAct::TransformRequest.capability(),
            HostAct::TransformRequest.operation(),
            json!({ "changed": before != after }),
        );
        entry.old = Some(digest(before));
        entry.new = Some(digest(after));
        self.services.audit.record(&entry);
    }
}
