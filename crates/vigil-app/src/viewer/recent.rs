//! Near-live tiles in viewer mode: the recorder owns the cameras' connections, so each shown
//! tile has the last picture of its camera's newest finished recording (half a second
//! before its end), decoded by a player of the viewed library, and says how long ago that
//! was. When a newer recording is indexed, a new player decodes its picture; the old one
//! stays on screen until then.

use std::collections::HashMap;

use egui::{ColorImage, Context, TextureHandle, TextureOptions};

use vigil_core::service::{PlayerHandle, PlayerOptions, Repaint};

use super::state::ViewerState;
use crate::backend::Backend;

/// How far before a recording's end its picture is taken (its very last frame may be the
/// one the file ends on, which a player at the end does not show).
const TAIL_US: i64 = 500_000;

#[derive(Default)]
struct Recent {
    /// The end of the recording whose picture is wanted.
    wanted_end: Option<i64>,
    /// The player decoding it, until its picture arrives: (camera id, player, end).
    pending: Option<(i64, PlayerHandle, i64)>,
    /// The picture shown: (texture, size, end of its recording).
    shown: Option<(TextureHandle, [u32; 2], i64)>,
}

/// The tiles' pictures from the newest recordings, by camera name.
#[derive(Default)]
pub struct RecentPictures {
    tiles: HashMap<String, Recent>,
}

impl RecentPictures {
    /// Keeps a picture for each camera in `tiles` (name, pixel size): opens a player on a
    /// camera's newest recording when it changed, uploads its picture when it arrives, and
    /// forgets cameras no longer shown.
    pub fn sync(
        &mut self,
        ctx: &Context,
        backend: &dyn Backend,
        state: &ViewerState,
        tiles: &[(String, [u32; 2])],
        repaint: &Repaint,
    ) {
        self.tiles
            .retain(|name, _| tiles.iter().any(|(n, _)| n == name));
        for (name, size) in tiles {
            let Some(newest) = state.newest(name) else {
                continue;
            };
            let (id, start, end) = (newest.camera_id, newest.start_us, newest.end_us);
            let tile = self.tiles.entry(name.clone()).or_default();
            if tile.wanted_end != Some(end) {
                tile.wanted_end = Some(end);
                let at = (end - TAIL_US).max(start);
                let mut opts = PlayerOptions::new(size[0], size[1]);
                opts.repaint = Some(repaint.clone());
                tile.pending = backend.player(&[id], at, opts).ok().map(|p| (id, p, end));
            }
            let Some((id, player, end)) = &tile.pending else {
                continue;
            };
            let Some(frame) = player.latest(*id) else {
                continue;
            };
            let img = &frame.image;
            let px = [img.width as usize, img.height as usize];
            if img.data.len() == px[0] * px[1] * 4 {
                let color = ColorImage::from_rgba_premultiplied(px, &img.data);
                let size = [img.width, img.height];
                match &mut tile.shown {
                    Some((t, s, e)) => {
                        t.set(color, TextureOptions::LINEAR);
                        (*s, *e) = (size, *end);
                    }
                    None => {
                        let t = ctx.load_texture(
                            format!("recent-{name}"), // i18n-ignore
                            color,
                            TextureOptions::LINEAR,
                        );
                        tile.shown = Some((t, size, *end));
                    }
                }
            }
            tile.pending = None;
        }
    }

    /// The picture of `camera`'s newest recording, when one has been decoded.
    pub fn picture(&self, camera: &str) -> Option<(&TextureHandle, [u32; 2])> {
        let (t, s, _) = self.tiles.get(camera)?.shown.as_ref()?;
        Some((t, *s))
    }

    /// When the recording whose picture is shown ended (UTC µs).
    pub fn recorded_at(&self, camera: &str) -> Option<i64> {
        self.tiles
            .get(camera)?
            .shown
            .as_ref()
            .map(|(_, _, end)| *end)
    }
}
