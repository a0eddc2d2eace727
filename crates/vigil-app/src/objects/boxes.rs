//! The detector's boxes over a camera's picture: only what it found on a recent picture
//! (a box seconds old no longer shows where the person is), mapped onto the picture as the
//! tile shows it (letterbox bars included), with the label and score above each box.

use egui::{Color32, CornerRadius, FontId, Painter, Rect, Stroke, StrokeKind, Ui, Vec2};

use crate::picture_map::PictureMap;
use vigil_core::service::{CameraStatus, Found};

/// Boxes older than this are not drawn, microseconds.
pub const FRESH_US: i64 = 2_000_000;
/// The boxes' outline and label plate.
pub const BOX_COLOR: Color32 = Color32::from_rgb(60, 230, 120);
const LABEL_TEXT: Color32 = Color32::BLACK;

/// What the detector found on the camera's latest analysed picture, while that picture is at
/// most [`FRESH_US`] old at `now_us`; with how long it stays fresh.
pub fn fresh_boxes(cam: &CameraStatus, now_us: i64) -> Option<(&[Found], std::time::Duration)> {
    let objects = cam.objects.as_ref()?;
    let at = objects.found_us?;
    let age = now_us.saturating_sub(at);
    if objects.found.is_empty() || !(0..=FRESH_US).contains(&age) {
        return None;
    }
    let left = std::time::Duration::from_micros((FRESH_US - age) as u64);
    Some((&objects.found, left))
}

/// Paints the camera's fresh boxes over its tile (the picture fitted in `tile`, sized
/// `picture` once one has arrived), and asks for a frame when they go stale.
pub fn paint_fresh(
    ui: &Ui,
    tile: Rect,
    cam: &CameraStatus,
    picture: Option<[u32; 2]>,
    now_us: i64,
) {
    let Some((found, left)) = fresh_boxes(cam, now_us) else {
        return;
    };
    let map = PictureMap::for_tile(tile, picture, [cam.width, cam.height]);
    paint_boxes(&ui.painter_at(tile), &map, found);
    ui.ctx().request_repaint_after(left);
}

/// "person 87%".
pub fn box_label(f: &Found) -> String {
    format!("{} {:.0}%", f.label, f.score * 100.0)
}

/// A found box on screen.
pub fn screen_rect(map: &PictureMap, f: &Found) -> Rect {
    let b = f.bbox;
    Rect::from_min_max(
        map.to_screen((b.x, b.y)),
        map.to_screen((b.x + b.w, b.y + b.h)),
    )
}

/// Paints each box with its label on a plate above it (inside the box when there is no
/// room above the picture).
pub fn paint_boxes(painter: &Painter, map: &PictureMap, found: &[Found]) {
    let font = FontId::proportional(12.0);
    for f in found {
        let rect = screen_rect(map, f);
        painter.rect_stroke(
            rect,
            CornerRadius::ZERO,
            Stroke::new(2.0, BOX_COLOR),
            StrokeKind::Outside,
        );
        let galley = painter.layout_no_wrap(box_label(f), font.clone(), LABEL_TEXT);
        let size = galley.size() + Vec2::new(6.0, 2.0);
        let above = rect.min.y - size.y - 2.0;
        let top = if above >= map.rect().min.y {
            above
        } else {
            rect.min.y
        };
        let plate = Rect::from_min_size(egui::pos2(rect.min.x - 2.0, top), size);
        painter.rect_filled(plate, CornerRadius::same(2), BOX_COLOR);
        let at = plate.center() - galley.size() / 2.0;
        painter.galley(at, galley, LABEL_TEXT);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use vigil_core::service::{ObjectBox, ObjectsStatus};

    fn cam_with(found_us: Option<i64>) -> CameraStatus {
        CameraStatus {
            objects: Some(ObjectsStatus {
                wanted: vec!["person".into()],
                found: vec![Found {
                    label: "person".into(),
                    score: 0.87,
                    bbox: ObjectBox::from_corners(0.25, 0.5, 0.5, 1.0),
                }],
                found_us,
                ..ObjectsStatus::default()
            }),
            ..CameraStatus::new("yard", "demo://")
        }
    }

    #[test]
    fn only_recent_boxes_are_shown() {
        let now = 1_000_000_000;
        let recent = cam_with(Some(now - 500_000));
        let (found, left) = fresh_boxes(&recent, now).unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(left, std::time::Duration::from_millis(1500));
        assert!(fresh_boxes(&cam_with(Some(now - 2_500_000)), now).is_none());
        assert!(fresh_boxes(&cam_with(None), now).is_none());
        assert!(fresh_boxes(&CameraStatus::new("x", "demo://"), now).is_none());
        assert_eq!(box_label(&found[0]), "person 87%");
    }

    #[test]
    fn boxes_land_on_the_letterboxed_picture() {
        // A 16:9 picture in a square tile: bars above and below.
        let tile = Rect::from_min_size(egui::pos2(0.0, 0.0), Vec2::splat(320.0));
        let map = PictureMap::for_tile(tile, Some([1920, 1080]), [0, 0]);
        let cam = cam_with(Some(0));
        let f = &cam.objects.as_ref().unwrap().found[0];
        let r = screen_rect(&map, f);
        assert!((r.min.x - 80.0).abs() < 0.01 && (r.max.x - 160.0).abs() < 0.01);
        // The picture is 180 high from y = 70: the box is its lower half.
        assert!(
            (r.min.y - 160.0).abs() < 0.01 && (r.max.y - 250.0).abs() < 0.01,
            "{r:?}"
        );
    }
}
