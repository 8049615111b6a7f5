//! Connecting the session to a model: the configured API or, with nothing
//! configured, a local OpenAI-compatible server found on loopback (said in
//! one line); otherwise the error says exactly what to set.

use super::Session;
use crate::model::probe::find_local_server;
use crate::model::{ModelClient, ModelError};

impl Session {
    /// The model client. With no API configured, loopback is probed once
    /// (the first time a client is needed) for a local server.
    pub(crate) fn model_client(&mut self) -> Result<ModelClient, ModelError> {
        if !self.probed && self.client.is_err() && !self.state().config.has_api() {
            self.probed = true;
            let ports = self.state().config.probe_ports.clone();
            let found = self.runtime.block_on(find_local_server(&ports));
            self.client = match found {
                Some(found) => {
                    let config = {
                        let mut state = self.state();
                        state.config.api_base_url = Some(found.base_url.clone());
                        if state.config.model.is_empty() {
                            state.config.model = found.model.unwrap_or_default();
                        }
                        state.config.clone()
                    };
                    eprintln!(
                        "aicoder: no model API is configured; using the local server at {} with {} \
                         (set API_BASE_URL and API_MODEL to choose another)",
                        found.base_url,
                        model_label(&config.model)
                    );
                    ModelClient::new(&config)
                }
                None => Err(ModelError::not_configured(&ports)),
            };
        }
        match &self.client {
            Ok(client) => Ok(client.clone()),
            Err(ModelError::NotConfigured { probed }) => Err(ModelError::NotConfigured {
                probed: probed.clone(),
            }),
            Err(other) => Err(ModelError::Network(other.to_string())),
        }
    }
}

/// How a model setting reads in messages: its name, or the server's default.
pub fn model_label(model: &str) -> String {
    if model.is_empty() {
        "the server's default model".to_string()
    } else {
        format!("model {model}")
    }
}
