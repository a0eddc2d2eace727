//! The desktop app, driven headless (egui_kittest) and in a real window under Xvfb.
//! One test binary (each binary links the whole workspace; see docs/ARCHITECTURE.md).

#[path = "../common/mod.rs"]
mod common;
mod frames;

mod bookmarks;
mod clips;
mod grid;
mod korean;
mod korean_live;
mod korean_setup;
mod layouts;
mod live_streams;
mod live_url_dialog;
mod motion_search;
mod mqtt;
mod objects;
mod playback;
mod replay;
mod screens;
mod setup;
mod sound;
mod sound_live;
mod sound_setting;
mod timeline;
mod timeline_gaps;
mod tours;
mod viewer;
mod window;
mod zones;
