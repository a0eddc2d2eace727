//! Watching recordings: the timeline under the grid and, once its playhead leaves "live", a
//! player for the cameras on screen whose pictures replace the live ones in their tiles, with
//! play / pause / step / speed controls and keys. Moving the playhead (click, scrub, the clip
//! library) seeks the player; while it plays, the playhead follows it. "Now" returns to live.
//! The selected tile's sound (when it has one and is not muted) plays at 1× ([`Self::sync_sound`]).

pub(crate) mod pictures;
mod transport;

use egui::{Context, Panel, RichText, TextureHandle, Ui};

use pictures::Pictures;
pub use transport::{next_speed, Transport, SPEEDS};

use super::actions::UiAction;
use super::audio::{Sound, CHANNELS, RATE};
use super::backend::Backend;
use super::timeline::TimelinePanel;
use crate::config_jobs::poll;
use vigil_core::model::Camera;
use vigil_core::service::{
    ExportRequest, Job, PlayerHandle, PlayerOptions, PlayerState, Repaint, ServiceError,
};

/// What a lost job was doing: completes the engine's English `JobLost` sentence (engine
/// words, like the error it is part of).
const JOB_READING_THE_CAMERAS: &str = "reading the cameras"; // i18n-ignore

/// How much time the timeline shows at first.
const FIRST_SPAN_US: i64 = 3_600_000_000;

struct PlayingCameras {
    player: PlayerHandle,
    /// (camera id, name) of the cameras it plays, in tile order.
    cameras: Vec<(i64, String)>,
    size: [u32; 2],
    /// The camera whose sound the player decodes.
    sound: Option<i64>,
    /// The player's sound cuts seen so far.
    sound_flushes: u64,
}

#[derive(Default)]
pub struct Recorded {
    timeline: Option<TimelinePanel>,
    /// (camera id, name) of every tile's camera, in tile order.
    cameras: Vec<(i64, String)>,
    names: Vec<String>,
    session: Option<PlayingCameras>,
    pictures: Pictures,
    /// The playhead as the player last set it; any other value was the operator's doing.
    followed: Option<i64>,
    error: Option<String>,
    /// The cameras being read (for their ids) since the tiles' cameras last changed.
    reading: Option<Job<Result<Vec<Camera>, ServiceError>>>,
}

impl Recorded {
    /// Sets up the timeline once there is a library (its feed from the engine service), and
    /// its rows when the cameras change (one small read on an archive job, only then;
    /// `wake` is called when it answers).
    pub fn prepare(
        &mut self,
        backend: &dyn Backend,
        names: &[String],
        now_us: i64,
        wake: &Repaint,
    ) {
        let Some(archive) = backend.archive() else {
            return;
        };
        if self.timeline.is_none() {
            let feed = match backend.timeline(None) {
                Ok(feed) => Some(feed),
                Err(ServiceError::NoRecordings) => return,
                Err(e) => {
                    self.error = Some(crate::tr!(
                        "recorded-cannot-read-timeline",
                        error = e.to_string()
                    ));
                    None
                }
            };
            let mut panel = TimelinePanel::new(feed, now_us, FIRST_SPAN_US);
            panel.set_bookmarks(archive.bookmarks());
            self.timeline = Some(panel);
        }
        if names != self.names.as_slice() {
            self.names = names.to_vec();
            self.reading = Some(archive.cameras(Some(wake.clone())));
        }
        let Some(job) = self.reading.as_mut() else {
            return;
        };
        let Some(answer) = poll(job, JOB_READING_THE_CAMERAS) else {
            return;
        };
        self.reading = None;
        match answer {
            Ok(all) => {
                self.cameras = self
                    .names
                    .iter()
                    .filter_map(|n| {
                        let cam = all.iter().find(|c| c.name.as_str() == n)?;
                        Some((cam.id, n.clone()))
                    })
                    .collect();
                if let Some(t) = &mut self.timeline {
                    // Its rows are labelled with the names people see.
                    let shown = self.cameras.iter().map(|(id, n)| {
                        let display = all.iter().find(|c| c.id == *id);
                        (
                            *id,
                            display.map_or_else(|| n.clone(), |c| c.display_name.to_string()),
                        )
                    });
                    t.set_cameras(shown.collect());
                }
            }
            Err(e) => {
                self.error = Some(crate::tr!(
                    "recorded-cannot-read-cameras",
                    error = e.to_string()
                ))
            }
        }
    }

    /// Whether the tiles show recordings (the playhead is not live).
    pub fn is_playback(&self) -> bool {
        self.playhead().is_some()
    }

    pub fn playhead(&self) -> Option<i64> {
        self.timeline.as_ref().and_then(|t| t.view().playhead_us)
    }

    pub fn timeline(&self) -> Option<&TimelinePanel> {
        self.timeline.as_ref()
    }

    /// The library id of a tile's camera, once read.
    pub fn camera_id(&self, name: &str) -> Option<i64> {
        self.cameras
            .iter()
            .find(|(_, n)| n == name)
            .map(|(id, _)| *id)
    }

    /// What a motion search's period presets need: now, the window shown, the selection.
    pub fn time_context(&self, now_us: i64) -> Option<crate::search::period::TimeContext> {
        let v = self.timeline.as_ref()?.view();
        Some(crate::search::period::TimeContext {
            now_us,
            window: (v.start_us, v.end_us),
            selection: v.selection,
        })
    }

    /// Marks a motion search's hits on the timeline (none: search mode closed).
    pub fn set_search_marks(&mut self, marks: Option<crate::search::SearchMarks>) {
        if let Some(t) = &mut self.timeline {
            t.set_search_marks(marks);
        }
    }

    /// The player's state, while watching a recording.
    pub fn player_state(&self) -> Option<PlayerState> {
        self.session.as_ref().map(|s| s.player.state())
    }

    /// Shows `at_us` (e.g. an event chosen in the clip library): the playhead moves there,
    /// the window centres on it, and the player seeks.
    pub fn jump_to(&mut self, at_us: i64) {
        self.jump_within(at_us, FIRST_SPAN_US);
    }

    /// [`Self::jump_to`], the window zoomed in to at most `max_span_us` (a short moment
    /// stays visible on it).
    pub fn jump_within(&mut self, at_us: i64, max_span_us: i64) {
        if let Some(t) = &mut self.timeline {
            let v = t.view_mut();
            let span = v.span_us().min(max_span_us);
            v.start_us = at_us - span / 2;
            v.end_us = v.start_us + span;
            v.set_playhead(at_us);
        }
    }

    /// Transport keys (only while watching a recording; live keeps the grid's arrows).
    pub fn keys(&mut self, ui: &mut Ui) {
        let Some(s) = &self.session else {
            return;
        };
        if let Some(t) = transport::keys(ui, &s.player.state()) {
            self.apply(t);
        }
    }

    /// The timeline panel with the playback controls; returns an export request when the
    /// operator exports the selection of the selected camera.
    pub fn show(&mut self, ui: &mut Ui, now_us: i64, selected: Option<&str>) -> Option<UiAction> {
        self.timeline.as_ref()?;
        let mut action = None;
        Panel::bottom("timeline").show(ui, |ui| {
            if let Some(e) = &self.error {
                ui.label(RichText::new(e).color(egui::Color32::from_rgb(235, 90, 80)));
            }
            let clicked = self
                .session
                .as_ref()
                .and_then(|s| transport::controls(ui, &s.player.state()));
            if let Some(t) = clicked {
                self.apply(t);
            }
            let Some(timeline) = &mut self.timeline else {
                return;
            };
            let out = timeline.show(ui, now_us);
            if let Some((from_us, to_us)) = out.selection {
                action = export_button(ui, selected, from_us, to_us);
            }
        });
        self.follow_or_seek();
        action
    }

    fn apply(&mut self, t: Transport) {
        let Some(s) = &self.session else {
            return;
        };
        let sent = match t {
            Transport::Play => s.player.play(),
            Transport::Pause => s.player.pause(),
            Transport::Step(n) => s.player.step(n),
            Transport::Speed(x) => s.player.set_speed(x),
        };
        match sent {
            Ok(()) => self.error = None,
            Err(e) => self.error = Some(e.to_string()),
        }
    }

    /// A playhead moved by the operator seeks the player; while playing, the playhead
    /// follows the player (and the window follows the playhead).
    fn follow_or_seek(&mut self) {
        let Some(timeline) = &mut self.timeline else {
            return;
        };
        let Some(at) = timeline.view().playhead_us else {
            self.session = None;
            self.pictures.clear();
            self.followed = None;
            return;
        };
        let Some(s) = &self.session else {
            return;
        };
        if self.followed != Some(at) {
            // Not marked as done unless the player took it, so a dropped seek is retried.
            match s.player.seek(at) {
                Ok(()) => {
                    self.followed = Some(at);
                    self.error = None;
                }
                Err(e) => self.error = Some(e.to_string()),
            }
            return;
        }
        let state = s.player.state();
        if state.playing && state.position_us != at {
            let v = timeline.view_mut();
            v.playhead_us = Some(state.position_us);
            if state.position_us > v.end_us {
                let span = v.span_us();
                v.start_us = state.position_us - span / 10;
                v.end_us = v.start_us + span;
            }
            self.followed = Some(state.position_us);
        }
    }

    /// While watching a recording: plays the cameras on screen (`wanted`: name and tile
    /// size in pixels) with a player from the engine service, re-opening it when they
    /// change, and uploads new pictures.
    pub fn sync(
        &mut self,
        ctx: &Context,
        backend: &dyn Backend,
        wanted: &[(String, [u32; 2])],
        repaint: &Repaint,
    ) {
        let Some(at) = self.playhead() else {
            return;
        };
        let cameras: Vec<(i64, String)> = wanted
            .iter()
            .filter_map(|(n, _)| self.cameras.iter().find(|(_, c)| c == n).cloned())
            .collect();
        let size = wanted
            .iter()
            .fold([16, 16], |m, (_, s)| [m[0].max(s[0]), m[1].max(s[1])]);
        let same = self.session.as_ref().is_some_and(|s| s.cameras == cameras);
        if !same && !cameras.is_empty() {
            let ids: Vec<i64> = cameras.iter().map(|(id, _)| *id).collect();
            let opts = PlayerOptions {
                repaint: Some(repaint.clone()),
                sound_format: (RATE, CHANNELS),
                ..PlayerOptions::new(size[0], size[1])
            };
            self.pictures.clear();
            // A new set of cameras (full screen, another page) carries on as the last did.
            let before = self.session.take().map(|s| s.player.state());
            self.session = match backend.player(&ids, at, opts) {
                Ok(player) => {
                    self.followed = Some(at);
                    if let Some(b) = before {
                        let _ = player.carry_on_from(&b);
                    }
                    Some(PlayingCameras {
                        player,
                        cameras,
                        size,
                        sound: None,
                        sound_flushes: 0,
                    })
                }
                Err(e) => {
                    self.error = Some(crate::tr!("recorded-cannot-play", error = e.to_string()));
                    None
                }
            };
        }
        if let Some(s) = &mut self.session {
            if s.size != size {
                s.size = size;
                let _ = s.player.set_size(size[0], size[1]);
            }
            self.pictures.update(ctx, &s.player, &s.cameras);
        }
    }

    /// The selected tile's sound: tells the player whose sound to decode (the selected
    /// camera's, unless muted) and hands what it decoded to `sound`; a cut in the player's
    /// sound (seek, speed, pause) empties the output.
    pub fn sync_sound(&mut self, sound: &mut Sound, selected: Option<&str>) {
        let Some(s) = &mut self.session else {
            sound.play_recorded(None, &[]);
            return;
        };
        let want = selected
            .filter(|n| sound.audible(n))
            .and_then(|n| s.cameras.iter().find(|(_, c)| c == n))
            .cloned();
        let want_id = want.as_ref().map(|(id, _)| *id);
        if s.sound != want_id && s.player.set_sound(want_id).is_ok() {
            s.sound = want_id;
            sound.flush();
        }
        let flushes = s.player.sound_flushes();
        if flushes != s.sound_flushes {
            s.sound_flushes = flushes;
            sound.flush();
        }
        let blocks = s.player.take_sound();
        sound.play_recorded(want.as_ref().map(|(_, n)| n.as_str()), &blocks);
    }

    /// The codec of the sound recorded with the picture `camera`'s tile shows, if any.
    pub fn sound_codec(&self, camera: &str) -> Option<String> {
        let s = self.session.as_ref()?;
        let id = s.cameras.iter().find(|(_, n)| n == camera)?.0;
        let state = s.player.state();
        state.tracks.into_iter().find(|t| t.camera_id == id)?.sound
    }

    /// The recorded picture of `camera` now shown, and its size.
    pub fn picture(&self, camera: &str) -> Option<(&TextureHandle, [u32; 2])> {
        self.pictures.picture(camera)
    }

    /// Why `camera`'s tile has no recorded picture, in words (`None`: it has one).
    pub fn note(&self, camera: &str) -> Option<String> {
        let s = self.session.as_ref()?;
        let id = s.cameras.iter().find(|(_, n)| n == camera)?.0;
        let state = s.player.state();
        let track = state.tracks.iter().find(|t| t.camera_id == id)?;
        transport::track_note(&track.status)
    }
}

fn export_button(
    ui: &mut Ui,
    selected: Option<&str>,
    from_us: i64,
    to_us: i64,
) -> Option<UiAction> {
    let Some(camera) = selected else {
        ui.label(RichText::new(crate::tr!("recorded-select-tile-to-export")).weak());
        return None;
    };
    ui.button(crate::tr!("recorded-export-selection", camera = camera))
        .clicked()
        .then(|| {
            UiAction::Export(ExportRequest::Range {
                camera: camera.to_string(),
                from_us,
                to_us,
            })
        })
}
