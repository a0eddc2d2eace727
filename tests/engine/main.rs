//! Recording through the engine and the `vigil` binary against a real RTSP server: sources, live
//! view (pictures, and fMP4 packets for remote viewers), motion, triggers, the host (trigger API,
//! notices, reload), failing cameras, bad input, resilience, playback of a segment in a real
//! browser, the web viewer (its HTTPS server; accounts with `vigil user`), and the MQTT settings
//! and trigger sources (`vigil mqtt`, `vigil trigger-source`).
//! One test binary (each binary links the whole workspace; see docs/ARCHITECTURE.md).

#[path = "../common/mod.rs"]
mod common;

mod assets_files;
mod audio_export;
mod audio_in;
mod audio_record;
mod audio_recovery;
mod audio_run;
mod audio_sync;
mod bad_input;
mod bookmarks;
mod browser;
mod cli_layout;
mod cli_mqtt;
mod cli_packaging;
mod cli_trigger_source;
mod evidence;
mod failing_cameras;
mod gaps;
mod group_read;
mod host;
mod integrity;
mod korean_names;
mod live;
mod live_fmp4;
mod live_url;
mod motion;
mod motion_search;
mod mqtt;
mod mqtt_broker;
mod objects_config;
mod objects_gate;
mod objects_model;
mod onvif;
mod onvif_discovery;
mod record_rtsp;
mod resilience;
mod site_config;
mod site_config_prompt;
mod sources;
mod substream;
mod triggers;
mod users;
mod users_prompt;
mod web;
mod web_admin;
mod web_browser;
mod web_events;
mod web_firefox;
mod web_i18n_browser;
mod web_live;
mod web_live_browser;
mod web_recorded;
mod web_recorded_page;
mod web_security;
mod web_settings;
mod web_substream;
