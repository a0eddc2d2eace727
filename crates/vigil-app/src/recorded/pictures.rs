//! The player's latest picture of each camera as a texture, uploaded when the player
//! publishes a new one (the same copy as live pictures: opaque RGBA, no conversion).

use std::collections::HashMap;

use egui::{ColorImage, Context, TextureHandle, TextureOptions};

use vigil_core::service::{DecodedFrame, PlayerHandle};

#[derive(Default)]
pub struct Pictures {
    /// Camera name → (texture, picture size).
    textures: HashMap<String, (TextureHandle, [u32; 2])>,
    /// Camera name → the frame in its texture (uploaded again only when it changes).
    shown: HashMap<String, std::sync::Arc<DecodedFrame>>,
    shown_seq: u64,
}

impl Pictures {
    /// Uploads the pictures the player published since the last call.
    pub fn update(&mut self, ctx: &Context, player: &PlayerHandle, cameras: &[(i64, String)]) {
        let seq = player.frame_seq();
        if seq == self.shown_seq {
            return;
        }
        self.shown_seq = seq;
        for (id, name) in cameras {
            let Some(frame) = player.latest(*id) else {
                self.textures.remove(name);
                self.shown.remove(name);
                continue;
            };
            if self
                .shown
                .get(name)
                .is_some_and(|f| std::sync::Arc::ptr_eq(f, &frame))
            {
                continue;
            }
            self.shown
                .insert(name.clone(), std::sync::Arc::clone(&frame));
            let img = &frame.image;
            let size = [img.width as usize, img.height as usize];
            if img.data.len() != size[0] * size[1] * 4 {
                continue;
            }
            let color = ColorImage::from_rgba_premultiplied(size, &img.data);
            match self.textures.get_mut(name) {
                Some((t, s)) => {
                    t.set(color, TextureOptions::LINEAR);
                    *s = [img.width, img.height];
                }
                None => {
                    let t = ctx.load_texture(format!("rec-{name}"), color, TextureOptions::LINEAR);
                    self.textures
                        .insert(name.clone(), (t, [img.width, img.height]));
                }
            }
        }
    }

    pub fn picture(&self, camera: &str) -> Option<(&TextureHandle, [u32; 2])> {
        self.textures.get(camera).map(|(t, s)| (t, *s))
    }

    pub fn clear(&mut self) {
        self.textures.clear();
        self.shown.clear();
        self.shown_seq = 0;
    }
}
