//! Thumbnails of a motion search's hits: the recorded picture at each hit's start, asked for
//! only by rows on screen and decoded one at a time by a small player of the engine service
//! (its own thread: the UI never waits), uploaded to a texture once it arrives.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

use egui::{ColorImage, Context, TextureHandle, TextureOptions};

use crate::backend::Backend;
use vigil_core::service::{PlayerHandle, PlayerOptions, Repaint};

/// The size thumbnails are decoded at (the player fits the picture into it).
pub const SIZE: [u32; 2] = [128, 72];
/// A picture that has not come by then is given up (no recording there, say).
const GIVE_UP: Duration = Duration::from_secs(5);

/// The hits' pictures, by hit start (UTC µs).
#[derive(Default)]
pub struct HitThumbs {
    /// `None`: there is no picture for that moment.
    done: HashMap<i64, Option<TextureHandle>>,
    queue: VecDeque<i64>,
    pending: Option<(i64, PlayerHandle, Instant)>,
}

impl HitThumbs {
    pub fn clear(&mut self) {
        *self = Self::default();
    }

    /// The picture at `at`, once decoded.
    pub fn get(&self, at: i64) -> Option<&TextureHandle> {
        self.done.get(&at).and_then(Option::as_ref)
    }

    /// Asks for the picture at `at` (a row on screen), once.
    pub fn want(&mut self, at: i64) {
        let pending = self.pending.as_ref().is_some_and(|(t, _, _)| *t == at);
        if !pending && !self.done.contains_key(&at) && !self.queue.contains(&at) {
            self.queue.push_back(at);
        }
    }

    /// Takes the picture being decoded when it has come, and starts the next.
    pub fn poll(&mut self, ctx: &Context, backend: &dyn Backend, camera_id: i64, wake: &Repaint) {
        if let Some((at, player, since)) = &self.pending {
            let texture = player.latest(camera_id).and_then(|frame| {
                let img = &frame.image;
                let size = [img.width as usize, img.height as usize];
                (img.data.len() == size[0] * size[1] * 4).then(|| {
                    let color = ColorImage::from_rgba_premultiplied(size, &img.data);
                    ctx.load_texture(format!("hit-{at}"), color, TextureOptions::LINEAR)
                })
            });
            match texture {
                Some(t) => self.done.insert(*at, Some(t)),
                None if since.elapsed() > GIVE_UP => self.done.insert(*at, None),
                None => return,
            };
            self.pending = None;
        }
        let Some(at) = self.queue.pop_front() else {
            return;
        };
        let opts = PlayerOptions {
            repaint: Some(wake.clone()),
            ..PlayerOptions::new(SIZE[0], SIZE[1])
        };
        match backend.player(&[camera_id], at, opts) {
            Ok(player) => self.pending = Some((at, player, Instant::now())),
            Err(e) => {
                tracing::warn!(error = %e, "no thumbnail for a motion search hit");
                self.done.insert(at, None);
            }
        }
        // Given up on without a wake from the player.
        ctx.request_repaint_after(GIVE_UP);
    }
}
