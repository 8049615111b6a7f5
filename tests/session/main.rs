//! The session against scripted and real model servers: chat, headless runs, settings, faults, owned files, built-in tools and the socket API.
//! One test binary per subject: each module below was its own binary once.

mod agents_md;
mod builtin_tools;
mod chat;
mod faulty_server;
mod headless;
mod journal;
mod litellm;
mod model_config;
mod owned_files;
mod socket_api;
mod subagents;
mod v3_settings;
mod walkthrough_defects;
