//! The library on a real SQLite file: its consistency rules, playback of recordings and exports.
//! One test binary (each binary links the whole workspace; see docs/ARCHITECTURE.md).

#[path = "../common/mod.rs"]
mod common;
mod export_support;

mod consistency;
mod export;
mod export_overlap;
mod playback;
