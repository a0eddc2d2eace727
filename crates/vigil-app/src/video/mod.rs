//! Live pictures for the tiles on screen: one engine watch per visible camera (sized to its
//! tile in physical pixels, of the stream that suits the tile's size: [`choice`]), dropped
//! when the tile leaves the screen; the newest picture is uploaded to a texture when its
//! counter moves. The selected tile's watch is a priority for the engine's decode budget.
//! Never waits: it only reads the latest slot.

pub mod choice;
mod tile;

use std::collections::HashMap;

use egui::{Context, Rect, TextureHandle};

use super::backend::Backend;
pub use choice::SubState;
use tile::LiveTile;
use vigil_core::service::{EngineStatus, LiveStream, Repaint};

/// One tile on screen, as the live view wants it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WantedTile {
    pub camera: String,
    /// The tile's size in physical pixels.
    pub size: [u32; 2],
    /// The selected tile (or full screen): decoded at every frame whatever the budget.
    pub priority: bool,
    /// The camera's sub-stream, as the status reports it.
    pub sub: SubState,
}

impl WantedTile {
    /// The tiles on screen (camera, size in pixels) as the live view wants them: the
    /// `selected` camera is the priority, each camera's sub-stream as `status` reports it.
    pub fn for_tiles(
        placed: &[(String, [u32; 2])],
        selected: Option<&str>,
        status: &EngineStatus,
    ) -> Vec<WantedTile> {
        placed
            .iter()
            .map(|(name, size)| WantedTile {
                camera: name.clone(),
                size: *size,
                priority: selected == Some(name.as_str()),
                sub: status
                    .cameras
                    .iter()
                    .find(|c| &c.name == name)
                    .map_or(SubState::None, SubState::of),
            })
            .collect()
    }
}

/// The stream whose picture a tile shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShownStream {
    pub stream: LiveStream,
    /// The stream's own picture size (before fitting to the tile).
    pub source: (u32, u32),
    /// The engine decodes key frames only for this tile (the decode budget).
    pub keyframes_only: bool,
    /// Why the main stream is shown instead of the sub-stream, when it failed.
    pub fallback: Option<String>,
    /// Another stream has been started and takes over at its first picture.
    pub switching: bool,
}

/// Live state of every camera that has been on screen.
#[derive(Default)]
pub struct LiveTiles {
    tiles: HashMap<String, LiveTile>,
    /// Pictures uploaded since [`LiveTiles::take_uploads`] was last called.
    uploads: u32,
}

impl LiveTiles {
    /// Makes the watched set match `wanted`, forgets cameras not in `all`, and uploads
    /// pictures that are new since the last call.
    pub fn sync(
        &mut self,
        ctx: &Context,
        backend: &dyn Backend,
        wanted: &[WantedTile],
        all: &[String],
        repaint: &Repaint,
    ) {
        self.tiles.retain(|name, _| all.contains(name));
        for (name, tile) in &mut self.tiles {
            if !wanted.iter().any(|w| &w.camera == name) {
                tile.stop();
            }
        }
        for w in wanted {
            let tile = self.tiles.entry(w.camera.clone()).or_default();
            if tile.sync(ctx, backend, w, repaint) {
                self.uploads += 1;
            }
        }
    }

    /// Pictures uploaded to textures since the last call.
    pub fn take_uploads(&mut self) -> u32 {
        std::mem::take(&mut self.uploads)
    }

    /// The camera's latest picture as a texture, and its size in pixels.
    pub fn picture(&self, camera: &str) -> Option<(&TextureHandle, [u32; 2])> {
        self.tiles.get(camera)?.texture()
    }

    /// Why the camera's picture cannot be shown, if it cannot.
    pub fn error(&self, camera: &str) -> Option<&str> {
        self.tiles.get(camera)?.error.as_deref()
    }

    /// Whether the camera is being decoded now.
    pub fn is_watching(&self, camera: &str) -> bool {
        self.tiles.get(camera).is_some_and(|t| t.handle().is_some())
    }

    /// Cameras being decoded now.
    pub fn watching(&self) -> usize {
        self.tiles.values().filter(|t| t.handle().is_some()).count()
    }

    /// The tile size asked of the decoder for this camera.
    pub fn requested_size(&self, camera: &str) -> Option<(u32, u32)> {
        Some(self.tiles.get(camera)?.handle()?.size())
    }

    /// The stream whose picture the camera's tile shows, once it has one.
    pub fn shown(&self, camera: &str) -> Option<ShownStream> {
        self.tiles.get(camera)?.shown_stream()
    }

    /// Pictures the shown watch has decoded so far (its rate is the tile's picture rate).
    pub fn frame_seq(&self, camera: &str) -> Option<u64> {
        Some(self.tiles.get(camera)?.handle()?.frame_seq())
    }
}

/// A tile's size in physical pixels (what the decoder scales to).
pub fn pixel_size(r: Rect, pixels_per_point: f32) -> [u32; 2] {
    let px = |v: f32| (v * pixels_per_point).round().clamp(16.0, 8192.0) as u32;
    [px(r.width()), px(r.height())]
}
