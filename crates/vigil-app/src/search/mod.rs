//! "Search motion here…": a recorded camera's motion search in the app. The operator draws a
//! region on the camera's picture ([`region`]), picks a period ([`period`]) and searches; the
//! search runs as the engine service's job (`Archive::search_motion`, progress and cancel),
//! its hits are listed in a side panel ([`panel`]) and marked on the camera's timeline row.
//! Clicking a hit plays it. Escape or Close leaves, and the marks go with it.

pub mod panel;
pub mod period;
pub mod region;
pub mod thumbs;

use egui::{Key, Modifiers, PointerButton, Rect, Response, Sense, Ui, WidgetInfo};

use crate::config_jobs::poll;
use crate::picture_map::PictureMap;
use crate::tr;
use period::{Period, TimeContext};
use region::RegionDraw;
use vigil_core::service::{Archive, Job, ServiceError, Wake};
use vigil_core::service::{MotionQuery, MotionSearch, DEFAULT_MERGE_GAP_US};

/// What a lost job was doing: completes the engine's English `JobLost` sentence.
const JOB_SEARCHING: &str = "searching for motion"; // i18n-ignore
/// A hit plays from this long before its start.
pub const LEAD_IN_US: i64 = 2_000_000;

/// The hits on the timeline: the camera's row, the hits' spans, the chosen one.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SearchMarks {
    pub camera_id: i64,
    pub spans: Vec<(i64, i64)>,
    pub chosen: Option<usize>,
}

/// One camera's search session.
pub struct MotionSearchMode {
    camera: String,
    camera_id: i64,
    region: RegionDraw,
    period: Period,
    job: Option<Job<Result<MotionSearch, ServiceError>>>,
    /// The last answer and the range it searched.
    found: Option<(MotionSearch, (i64, i64))>,
    /// The range of the search running.
    searching: Option<(i64, i64)>,
    /// What went wrong or was cancelled, in words.
    message: Option<String>,
    chosen: Option<usize>,
    /// Where the picture was drawn in the last frame.
    map: Option<PictureMap>,
    thumbs: thumbs::HitThumbs,
}

impl MotionSearchMode {
    /// Opens search mode for `camera` (its library id).
    pub fn new(camera: &str, camera_id: i64) -> Self {
        Self {
            camera: camera.to_string(),
            camera_id,
            region: RegionDraw::default(),
            period: Period::default(),
            job: None,
            found: None,
            searching: None,
            message: None,
            chosen: None,
            map: None,
            thumbs: thumbs::HitThumbs::default(),
        }
    }

    pub fn camera(&self) -> &str {
        &self.camera
    }

    pub fn is_running(&self) -> bool {
        self.job.is_some()
    }

    /// The running search's progress, 0..=1.
    pub fn progress(&self) -> Option<f64> {
        self.job.as_ref().map(Job::progress)
    }

    /// The range the last answer covers.
    pub fn searched(&self) -> Option<(i64, i64)> {
        self.found.as_ref().map(|(_, r)| *r)
    }

    /// The last answer.
    pub fn found(&self) -> Option<&MotionSearch> {
        self.found.as_ref().map(|(f, _)| f)
    }

    /// Why the last search gave no answer (refused, failed or cancelled), in words.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    pub fn chosen(&self) -> Option<usize> {
        self.chosen
    }

    /// Where the camera's picture was drawn in the last frame (screen points).
    pub fn picture_rect(&self) -> Option<Rect> {
        self.map.as_ref().map(PictureMap::rect)
    }

    /// The picture at a hit's start (`start_us`), once decoded.
    pub fn thumbnail(&self, start_us: i64) -> Option<&egui::TextureHandle> {
        self.thumbs.get(start_us)
    }

    pub fn region(&self) -> &RegionDraw {
        &self.region
    }

    /// The marks for the timeline.
    pub fn marks(&self) -> SearchMarks {
        SearchMarks {
            camera_id: self.camera_id,
            spans: self.found().map_or_else(Vec::new, |f| {
                f.hits.iter().map(|h| (h.start_us, h.end_us)).collect()
            }),
            chosen: self.chosen,
        }
    }

    /// Starts a search of the drawn region over the chosen period; refuses in words when
    /// there is no region, it is invalid, or the period is empty.
    pub fn search(&mut self, archive: &Archive, t: &TimeContext, wake: Wake) {
        let Some(region) = self.region.region() else {
            self.message = Some(tr!("search-draw-first"));
            return;
        };
        if let Err(e) = region.cells() {
            self.message = Some(refused(&e));
            return;
        }
        let Some((from_us, to_us)) = self.period.range(t) else {
            self.message = Some(tr!("search-no-selection"));
            return;
        };
        let query = MotionQuery {
            camera_id: self.camera_id,
            region,
            from_us,
            to_us,
            min_duration_us: 0,
            merge_gap_us: DEFAULT_MERGE_GAP_US,
        };
        self.message = None;
        self.found = None;
        self.chosen = None;
        self.thumbs.clear();
        self.job = Some(archive.search_motion(query, Some(wake)));
        self.searching = Some((from_us, to_us));
    }

    /// Asks the running search to stop (its answer says it was cancelled).
    pub fn cancel(&mut self) {
        if let Some(job) = &self.job {
            job.cancel();
        }
    }

    /// Takes the search's answer when it has come.
    pub fn poll(&mut self) {
        let Some(job) = self.job.as_mut() else {
            return;
        };
        let Some(answer) = poll(job, JOB_SEARCHING) else {
            return;
        };
        self.job = None;
        let range = self.searching.take().unwrap_or_default();
        match answer {
            Ok(found) => self.found = Some((found, range)),
            Err(ServiceError::Search(vigil_core::service::SearchError::Cancelled)) => {
                self.message = Some(tr!("search-cancelled"))
            }
            Err(e) => self.message = Some(tr!("search-failed", error = e.to_string())),
        }
    }

    /// Chooses hit `i`; answers where to play from.
    pub fn choose(&mut self, i: usize) -> Option<i64> {
        let hit = self.found()?.hits.get(i)?;
        let at = hit.start_us - LEAD_IN_US;
        self.chosen = Some(i);
        Some(at)
    }

    /// The drawing surface over the camera's tile (already drawn in `tile`).
    pub fn tile(&mut self, ui: &mut Ui, tile: Rect, picture: Option<[u32; 2]>, stream: [u32; 2]) {
        let map = PictureMap::for_tile(tile, picture, stream);
        let id = ui.scope_id().with(("search-surface", &self.camera));
        let response = ui.interact(tile, id, Sense::click_and_drag());
        let label = tr!("search-drawing-area", camera = self.camera.as_str());
        response.widget_info(|| WidgetInfo::labeled(egui::Role::Canvas, true, &label));
        self.pointer(&response, &map, ui);
        let painter = ui.painter_at(tile);
        self.region.paint(&painter, &map, response.hover_pos());
        self.map = Some(map);
    }

    fn pointer(&mut self, response: &Response, map: &PictureMap, ui: &Ui) {
        if response.drag_started_by(PointerButton::Primary) {
            if let Some(origin) = ui.input(|i| i.pointer.press_origin()) {
                if map.hit(self.region.points(), origin).is_none() {
                    self.region.drag_start(map.to_picture_clamped(origin));
                }
            }
        }
        if response.dragged_by(PointerButton::Primary) {
            if let Some(pos) = response.interact_pointer_pos() {
                self.region.drag_to(map.to_picture_clamped(pos));
            }
        }
        if response.drag_stopped() {
            self.region.drag_end();
        }
        if response.clicked() {
            if let Some(pos) = response.interact_pointer_pos() {
                let hit = map.hit(self.region.points(), pos);
                let result = self.region.click(hit, map.to_picture_clamped(pos));
                // A polygon just closed is checked at once, as the engine will.
                let checked = result.and_then(|()| match self.region.region() {
                    Some(r) => r.cells().map(|_| ()).map_err(|e| refused(&e)),
                    None => Ok(()),
                });
                self.message = checked.err();
            }
        }
    }
}

/// The engine's reason a region cannot be searched, as a sentence.
fn refused(e: &vigil_core::model::InvalidInput) -> String {
    tr!("search-region-refused", error = e.to_string())
}

/// Escape leaves search mode (unless a text field has the keyboard): true when it did.
pub fn escape_pressed(ui: &mut Ui) -> bool {
    !ui.ctx().text_edit_focused() && ui.input_mut(|i| i.consume_key(Modifiers::NONE, Key::Escape))
}
