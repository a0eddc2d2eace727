//! Live pictures for the tiles on screen: one engine watch per visible camera (sized to its
//! tile in physical pixels), dropped when the tile leaves the screen; the newest picture is
//! uploaded to a texture when its counter moves. Never waits: it only reads the latest slot.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use egui::{ColorImage, Context, TextureHandle, TextureOptions};

use super::backend::Backend;
use vigil_core::service::{LiveHandle, Repaint};

/// How soon a failed watch is tried again.
const RETRY: Duration = Duration::from_secs(1);

#[derive(Default)]
struct LiveTile {
    handle: Option<LiveHandle>,
    texture: Option<TextureHandle>,
    shown_seq: u64,
    /// Size of the picture in the texture.
    picture: Option<[u32; 2]>,
    /// Why no picture can be had (watch refused, or the stream cannot be decoded).
    error: Option<String>,
    retry_at: Option<Instant>,
}

/// Live state of every camera that has been on screen.
#[derive(Default)]
pub struct LiveTiles {
    tiles: HashMap<String, LiveTile>,
    /// Pictures uploaded since [`LiveTiles::take_uploads`] was last called.
    uploads: u32,
}

impl LiveTiles {
    /// Makes the watched set match `wanted` (camera, tile size in pixels), forgets cameras not
    /// in `all`, and uploads pictures that are new since the last call.
    pub fn sync(
        &mut self,
        ctx: &Context,
        backend: &dyn Backend,
        wanted: &[(String, [u32; 2])],
        all: &[String],
        repaint: &Repaint,
    ) {
        self.tiles.retain(|name, _| all.contains(name));
        for (name, tile) in &mut self.tiles {
            if !wanted.iter().any(|(w, _)| w == name) {
                tile.handle = None;
            }
        }
        for (name, [w, h]) in wanted {
            let tile = self.tiles.entry(name.clone()).or_default();
            match &tile.handle {
                Some(handle) => handle.set_size(*w, *h),
                None if tile.retry_at.is_none_or(|t| Instant::now() >= t) => {
                    match backend.watch(name, *w, *h, Some(repaint.clone())) {
                        Ok(handle) => {
                            tile.handle = Some(handle);
                            tile.error = None;
                            tile.shown_seq = 0;
                        }
                        Err(e) => {
                            tile.error = Some(e.to_string());
                            tile.retry_at = Some(Instant::now() + RETRY);
                        }
                    }
                }
                None => {}
            }
            if tile.upload(ctx, name) {
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
        let tile = self.tiles.get(camera)?;
        Some((tile.texture.as_ref()?, tile.picture?))
    }

    /// Why the camera's picture cannot be shown, if it cannot.
    pub fn error(&self, camera: &str) -> Option<&str> {
        self.tiles.get(camera)?.error.as_deref()
    }

    /// Whether the camera is being decoded now.
    pub fn is_watching(&self, camera: &str) -> bool {
        self.tiles.get(camera).is_some_and(|t| t.handle.is_some())
    }

    /// Cameras being decoded now.
    pub fn watching(&self) -> usize {
        self.tiles.values().filter(|t| t.handle.is_some()).count()
    }

    /// The tile size asked of the decoder for this camera.
    pub fn requested_size(&self, camera: &str) -> Option<(u32, u32)> {
        Some(self.tiles.get(camera)?.handle.as_ref()?.size())
    }
}

impl LiveTile {
    /// Uploads the newest picture if there is one; says whether it did.
    fn upload(&mut self, ctx: &Context, name: &str) -> bool {
        let Some(handle) = &self.handle else {
            return false;
        };
        if let Some(e) = handle.error() {
            self.error = Some(e);
        }
        if handle.frame_seq() == self.shown_seq {
            return false;
        }
        let Some(frame) = handle.latest() else {
            return false;
        };
        self.shown_seq = frame.seq;
        let img = &frame.image;
        let size = [img.width as usize, img.height as usize];
        if img.data.len() != size[0] * size[1] * 4 {
            return false;
        }
        // Live pictures are opaque, so premultiplied and unmultiplied alpha are the same
        // bytes: the premultiplied constructor is a plain copy, where the unmultiplied one
        // converts every pixel (measured with `vigil bench ui`, docs/PERFORMANCE.md).
        let color = ColorImage::from_rgba_premultiplied(size, &img.data);
        match &mut self.texture {
            Some(t) => t.set(color, TextureOptions::LINEAR),
            None => {
                self.texture =
                    Some(ctx.load_texture(format!("live-{name}"), color, TextureOptions::LINEAR))
            }
        }
        self.picture = Some([img.width, img.height]);
        self.error = None;
        true
    }
}
