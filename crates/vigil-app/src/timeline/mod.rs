//! The timeline panel: one row per camera with its recorded ranges, events and motion over a
//! zoomable, pannable window of time, a playhead to scrub (or live), and a range selection.
//! The view state and its operations are pure ([`view`], [`ticks`]); the data comes from the
//! engine service's timeline feed, asked again ([`query`]) only when the window, zoom or
//! cameras change (the feed itself re-reads when the library changes); [`interact`] turns
//! the pointer into view changes and [`paint`] draws.

pub mod bookmark_dialog;
pub mod bookmarks;
pub mod gaps;
pub mod interact;
pub mod paint;
pub mod query;
pub mod search_marks;
pub mod ticks;
pub mod view;

use egui::{Align, Layout as EguiLayout, RichText, Sense, Ui, WidgetInfo};

use crate::tr;
use interact::Drag;
pub use paint::Layout;
pub use view::{TimeAxis, TimelineView};

use bookmark_dialog::{BookmarkDialog, Outcome};
use vigil_core::service::{Bookmark, Bookmarks, TimelineAnswer, TimelineFeed, TimelineQuery};

/// What the panel reports after each frame, for the player.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineOutput {
    /// The time to show; `None` is live.
    pub playhead_us: Option<i64>,
    /// The playhead is being dragged: show the frame under it now (it moves on every frame).
    pub scrubbing: bool,
    pub selection: Option<(i64, i64)>,
}

/// The panel: its view, its rows, its data feed and the drag in progress.
pub struct TimelinePanel {
    view: TimelineView,
    cameras: Vec<(i64, String)>,
    feed: Option<TimelineFeed>,
    repaint_set: bool,
    /// The last query sent to the feed.
    requested: Option<TimelineQuery>,
    drag: Option<Drag>,
    layout: Option<Layout>,
    /// Where bookmarks are added ("Add bookmark…"); none: the button is off.
    bookmarks: Option<Bookmarks>,
    dialog: Option<BookmarkDialog>,
    /// The bookmark added last from this panel.
    added: Option<Bookmark>,
    /// A motion search's hits, while search mode is open.
    search_marks: Option<crate::search::SearchMarks>,
}

impl TimelinePanel {
    /// A panel showing `span_us` up to now, live, reading from `feed` (none: empty rows).
    pub fn new(feed: Option<TimelineFeed>, now_us: i64, span_us: i64) -> Self {
        Self {
            view: TimelineView::live(now_us, span_us),
            cameras: Vec::new(),
            feed,
            repaint_set: false,
            requested: None,
            drag: None,
            layout: None,
            bookmarks: None,
            dialog: None,
            added: None,
            search_marks: None,
        }
    }

    /// Lets the operator add bookmarks from the panel, through `store`.
    pub fn set_bookmarks(&mut self, store: Bookmarks) {
        self.bookmarks = Some(store);
    }

    /// Marks a motion search's hits (none: search mode closed).
    pub fn set_search_marks(&mut self, marks: Option<crate::search::SearchMarks>) {
        self.search_marks = marks;
    }

    /// The motion search hits marked now.
    pub fn search_marks(&self) -> Option<&crate::search::SearchMarks> {
        self.search_marks.as_ref()
    }

    /// The bookmark added last from this panel.
    pub fn added_bookmark(&self) -> Option<&Bookmark> {
        self.added.as_ref()
    }

    /// The "Add bookmark…" dialog, while open.
    pub fn bookmark_dialog(&self) -> Option<&BookmarkDialog> {
        self.dialog.as_ref()
    }

    /// The rows: `(camera id, name)`, top to bottom.
    pub fn set_cameras(&mut self, cameras: Vec<(i64, String)>) {
        self.cameras = cameras;
    }

    pub fn cameras(&self) -> &[(i64, String)] {
        &self.cameras
    }

    pub fn view(&self) -> &TimelineView {
        &self.view
    }

    /// For the player: move the playhead (e.g. as playback advances) or the window.
    pub fn view_mut(&mut self) -> &mut TimelineView {
        &mut self.view
    }

    /// Where things were drawn in the last frame (for tests and the player's overlays).
    pub fn layout(&self) -> Option<&Layout> {
        self.layout.as_ref()
    }

    /// The latest data received, and whether it answers the query the view needs now.
    pub fn data(&self) -> Option<std::sync::Arc<TimelineAnswer>> {
        self.feed.as_ref().and_then(TimelineFeed::latest)
    }

    pub fn is_current(&self) -> bool {
        match (self.data(), &self.requested) {
            (Some(d), Some(q)) => d.query == *q,
            _ => false,
        }
    }

    pub fn is_scrubbing(&self) -> bool {
        self.drag == Some(Drag::Scrub)
    }

    /// Draws the panel (header and canvas) into `ui` at time `now_us`.
    pub fn show(&mut self, ui: &mut Ui, now_us: i64) -> TimelineOutput {
        self.header(ui, now_us);
        // A quarter of the window at most, so a wall of cameras keeps its tiles.
        let max = (ui.ctx().content_rect().height() * 0.25).max(Layout::height(1, 0.0));
        let height = Layout::height(self.cameras.len(), max);
        let (canvas, _) =
            ui.allocate_exact_size(egui::vec2(ui.available_width(), height), Sense::hover());
        let response = ui.interact(
            canvas,
            ui.scope_id().with("timeline-canvas"),
            Sense::click_and_drag(),
        );
        response
            .widget_info(|| WidgetInfo::labeled(egui::Role::Canvas, true, tr!("timeline-label")));
        let before = Layout::new(canvas, self.cameras.len(), &self.view);
        interact::handle(
            ui,
            &response,
            &before.axis,
            before.ruler.max.y,
            &mut self.view,
            &mut self.drag,
        );
        self.view.follow(now_us);
        self.view.clamp(now_us);
        let layout = Layout::new(canvas, self.cameras.len(), &self.view);
        self.fetch(ui, &layout);
        let data = self.data();
        let offset_us = ticks::local_offset_us((self.view.start_us + self.view.end_us) / 2);
        let scene = paint::Scene {
            layout: &layout,
            view: &self.view,
            data: data.as_ref().map(|d| &d.timeline),
            gaps: data.as_ref().map_or(&[], |d| d.gaps.as_slice()),
            bookmarks: data.as_ref().map_or(&[], |d| d.bookmarks.as_slice()),
            search: self.search_marks.as_ref(),
            cameras: &self.cameras,
            now_us,
            offset_us,
            hover_x: response
                .hover_pos()
                .map(|p| p.x)
                .filter(|x| *x >= layout.axis.x0),
        };
        paint::paint(&ui.painter_at(canvas), &scene);
        let hovered = response
            .hover_pos()
            .and_then(|p| self.tooltip_at(&layout, data.as_deref(), p));
        self.show_dialog(ui);
        if let Some(text) = hovered {
            response.on_hover_text(text);
        }
        if self.view.is_live() {
            // The now line and the window move with the clock.
            let per_px = layout.axis.us_per_px().max(1.0);
            let ms = (per_px / 1000.0).clamp(100.0, 5000.0);
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_millis(ms as u64));
        }
        self.layout = Some(layout);
        TimelineOutput {
            playhead_us: self.view.playhead_us,
            scrubbing: self.is_scrubbing(),
            selection: self.view.selection,
        }
    }

    fn header(&mut self, ui: &mut Ui, now_us: i64) {
        ui.horizontal(|ui| {
            let live = self.view.is_live();
            if ui
                .add_enabled(
                    !live || !self.view.follow_live,
                    egui::Button::new(tr!("timeline-now")),
                )
                .on_hover_text(tr!("timeline-now-hover"))
                .clicked()
            {
                self.view.go_live(now_us);
            }
            match self.view.playhead_us {
                None => ui.label(
                    RichText::new(tr!("timeline-live"))
                        .strong()
                        .color(egui::Color32::from_rgb(235, 70, 60)),
                ),
                Some(t) => ui.label(ticks::long_label(t, ticks::local_offset_us(t))),
            };
            let can_add = self.bookmarks.is_some() && !self.cameras.is_empty();
            let add = egui::Button::new(tr!("bookmark-add-button"));
            if ui
                .add_enabled(can_add && self.dialog.is_none(), add)
                .on_hover_text(tr!("bookmark-add-hover"))
                .clicked()
            {
                self.open_dialog(now_us);
            }
            ui.separator();
            ui.label(tr!(
                "timeline-showing",
                span = ticks::span_label(self.view.span_us())
            ));
            if let Some((a, b)) = self.view.selection {
                ui.separator();
                ui.label(tr!(
                    "timeline-selected",
                    from = ticks::long_label(a, ticks::local_offset_us(a)),
                    to = ticks::long_label(b, ticks::local_offset_us(b)),
                    span = ticks::span_label(b - a)
                ));
                if ui.small_button(tr!("timeline-clear")).clicked() {
                    self.view.selection = None;
                }
            }
            ui.with_layout(EguiLayout::right_to_left(Align::Center), |ui| {
                let err = self.feed.as_ref().and_then(TimelineFeed::error);
                if let Some(e) = err {
                    ui.label(RichText::new(e).color(egui::Color32::from_rgb(235, 90, 80)));
                } else {
                    ui.label(RichText::new(tr!("timeline-help")).weak());
                }
            });
        });
    }

    /// The tooltip under `pos`: a bookmark's name, else a gap's reason.
    fn tooltip_at(
        &self,
        layout: &Layout,
        data: Option<&TimelineAnswer>,
        pos: egui::Pos2,
    ) -> Option<String> {
        let i = layout.rows.iter().position(|r| r.contains(pos))?;
        let (id, _) = self.cameras.get(i)?;
        let data = data?;
        if let Some(b) = bookmarks::at_x(&layout.axis, *id, &data.bookmarks, pos.x) {
            return Some(bookmarks::tooltip(b));
        }
        let g = gaps::at_x(&layout.axis, data.gaps(*id), pos.x)?;
        Some(gaps::tooltip(g))
    }

    /// Opens the dialog for the selection, or the playhead's moment (now when live).
    fn open_dialog(&mut self, now_us: i64) {
        let Some((camera, _)) = self.cameras.first() else {
            return;
        };
        let (a, b) = match (self.view.selection, self.view.playhead_us) {
            (Some((a, b)), _) => (a.min(b), a.max(b)),
            (None, Some(t)) => (t, t),
            (None, None) => (now_us, now_us),
        };
        self.dialog = Some(BookmarkDialog::new(*camera, a, b));
    }

    fn show_dialog(&mut self, ui: &Ui) {
        let (Some(dialog), Some(store)) = (&mut self.dialog, &self.bookmarks) else {
            return;
        };
        let ctx = ui.ctx().clone();
        let wake: vigil_core::service::Wake = std::sync::Arc::new(move || ctx.request_repaint());
        match dialog.show(ui.ctx(), &self.cameras, store, &wake) {
            Outcome::Open => {}
            Outcome::Saved(b) => {
                self.added = Some(b);
                self.dialog = None;
            }
            Outcome::Closed => self.dialog = None,
        }
    }

    /// Asks the feed for the window if the last query no longer serves the view.
    fn fetch(&mut self, ui: &Ui, layout: &Layout) {
        let Some(feed) = &self.feed else { return };
        if !self.repaint_set {
            let ctx = ui.ctx().clone();
            feed.set_repaint(std::sync::Arc::new(move || ctx.request_repaint()));
            self.repaint_set = true;
        }
        let ids: Vec<i64> = self.cameras.iter().map(|(id, _)| *id).collect();
        let want = query::wanted_query(&self.view, &layout.axis, &ids);
        let fresh = self
            .requested
            .as_ref()
            .is_some_and(|have| query::still_serves(have, &want, &self.view));
        if !fresh {
            feed.set_query(want.clone());
            self.requested = Some(want);
        }
    }
}
