//! Drawing zones over the picture: translucent fills (detect zones tinted by their live
//! motion level, masks dark and hatched), outlines and names; while editing, the draft's
//! outline (or open polyline) with its point handles.

use egui::{Align2, Color32, FontId, Painter, Pos2, Shape, Stroke};

use super::draft::Draft;
use super::shapes::{hatch, label_pos, triangulate};
use crate::picture_map::PictureMap;
use vigil_core::detect::{ZoneActivity, ZoneKind, ZoneSpec};

const IDLE: [u8; 4] = [70, 160, 255, 50];
const HOT: [u8; 4] = [255, 170, 0, 140];
const MASK_FILL: Color32 = Color32::from_black_alpha(150);
const MASK_LINE: Color32 = Color32::from_gray(110);
const HANDLE: Color32 = Color32::WHITE;
const SELECTED: Color32 = Color32::from_rgb(255, 200, 40);
const CLOSE_HINT: Color32 = Color32::from_rgb(90, 220, 120);
const INVALID: Color32 = Color32::from_rgb(235, 90, 80);

/// A detect zone's live motion as the status reports it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Activity {
    /// 0..1 for display: half-way at the zone's minimum area, full at twice it.
    pub level: f32,
    /// Fraction of the zone's pixels that changed at the last analyzed frame.
    pub changed: f32,
    /// Inside an event.
    pub active: bool,
}

/// The zone's entry in the status's motion list, if the analyzer reports it.
pub fn activity(zone: &ZoneSpec, motion: &[ZoneActivity]) -> Option<Activity> {
    let a = motion.iter().find(|a| a.zone_id == zone.id)?;
    let threshold = zone.min_area.max(1e-4);
    Some(Activity {
        level: (a.changed / threshold / 2.0).clamp(0.0, 1.0),
        changed: a.changed,
        active: a.active,
    })
}

/// A detect zone's colour: blue while still; with motion amber, more opaque the more of
/// the zone moves, fully when the zone is inside an event.
pub fn detect_color(activity: Option<Activity>) -> Color32 {
    let level = activity.map_or(0.0, |a| if a.active { 1.0 } else { a.level });
    if level < 0.02 {
        return Color32::from_rgba_unmultiplied(IDLE[0], IDLE[1], IDLE[2], IDLE[3]);
    }
    let alpha = 40.0 + (HOT[3] as f32 - 40.0) * level;
    Color32::from_rgba_unmultiplied(HOT[0], HOT[1], HOT[2], alpha.round() as u8)
}

fn fill(painter: &Painter, points: &[Pos2], color: Color32) {
    let mut mesh = egui::Mesh::default();
    for &p in points {
        mesh.colored_vertex(p, color);
    }
    for [a, b, c] in triangulate(points) {
        mesh.add_triangle(a as u32, b as u32, c as u32);
    }
    if !mesh.indices.is_empty() {
        painter.add(Shape::mesh(mesh));
    }
}

fn name(painter: &Painter, points: &[Pos2], text: &str) {
    if let Some(at) = label_pos(points) {
        painter.text(
            at,
            Align2::CENTER_CENTER,
            text,
            FontId::proportional(13.0),
            Color32::WHITE,
        );
    }
}

/// One zone's shape: fill, mask hatching, outline.
fn zone_shape(painter: &Painter, points: &[Pos2], kind: ZoneKind, color: Color32, width: f32) {
    match kind {
        ZoneKind::Detect => {
            fill(painter, points, color);
            let edge = color.to_opaque();
            painter.add(Shape::closed_line(
                points.to_vec(),
                Stroke::new(width, edge),
            ));
        }
        ZoneKind::Mask => {
            fill(painter, points, MASK_FILL);
            for segment in hatch(points, 10.0) {
                painter.line_segment(segment, Stroke::new(1.0, MASK_LINE));
            }
            let edge = Stroke::new(width, Color32::from_gray(170));
            painter.add(Shape::closed_line(points.to_vec(), edge));
        }
    }
}

/// The stored zones over the picture, except the one being edited (`skip`).
pub fn stored_zones(
    painter: &Painter,
    map: &PictureMap,
    zones: &[ZoneSpec],
    motion: &[ZoneActivity],
    skip: Option<i64>,
) {
    for zone in zones.iter().filter(|z| Some(z.id) != skip) {
        let points = map.all_to_screen(zone.polygon.points());
        let color = detect_color(activity(zone, motion));
        zone_shape(painter, &points, zone.kind, color, 1.5);
        name(painter, &points, &zone.display_name);
    }
}

/// The draft: its shape when closed, else the polyline so far (and a dashed line to the
/// pointer); its points as handles, the selected one highlighted, and the first one ringed
/// green when clicking it would close the outline.
pub fn draft(painter: &Painter, map: &PictureMap, draft: &Draft, pointer: Option<Pos2>) {
    let points = map.all_to_screen(draft.points());
    if draft.is_closed() && draft.polygon().is_err() {
        painter.add(Shape::closed_line(
            points.clone(),
            Stroke::new(2.0, INVALID),
        ));
    } else if draft.is_closed() {
        zone_shape(painter, &points, draft.kind, detect_color(None), 2.0);
    } else {
        let stroke = Stroke::new(2.0, SELECTED);
        painter.add(Shape::line(points.clone(), stroke));
        if let (Some(last), Some(p)) = (points.last(), pointer) {
            let dashed = Shape::dashed_line(&[*last, p], Stroke::new(1.0, SELECTED), 6.0, 4.0);
            painter.extend(dashed);
        }
    }
    for (i, &p) in points.iter().enumerate() {
        let selected = draft.selected() == Some(i) || draft.dragging() == Some(i);
        if i == 0 && !draft.is_closed() && points.len() >= 3 {
            painter.circle_stroke(p, 8.0, Stroke::new(2.0, CLOSE_HINT));
        }
        let (radius, color) = if selected {
            (6.0, SELECTED)
        } else {
            (5.0, HANDLE)
        };
        painter.circle_filled(p, radius, color);
        painter.circle_stroke(p, radius, Stroke::new(1.0, Color32::BLACK));
    }
    if draft.is_closed() && !draft.name.trim().is_empty() {
        name(painter, &points, draft.name.trim());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use vigil_core::detect::Polygon;

    #[test]
    fn motion_level_is_read_by_zone_id_and_scaled_by_min_area() {
        let polygon = Polygon::parse("0.1,0.1 0.5,0.1 0.5,0.5").unwrap();
        let mut zone = ZoneSpec::new(4, "gate", ZoneKind::Detect, polygon);
        zone.min_area = 0.01;
        let seen = |zone_id, changed, active| ZoneActivity {
            zone_id,
            name: "gate".into(),
            changed,
            active,
        };
        assert_eq!(activity(&zone, &[seen(3, 0.5, true)]), None, "another zone");
        let a = activity(&zone, &[seen(3, 0.0, false), seen(4, 0.01, false)]).unwrap();
        assert!((a.level - 0.5).abs() < 1e-6 && !a.active);
        let a = activity(&zone, &[seen(4, 0.9, true)]).unwrap();
        assert_eq!(a.level, 1.0);
        let color = |c: [u8; 4]| Color32::from_rgba_unmultiplied(c[0], c[1], c[2], c[3]);
        assert_eq!(detect_color(None), color(IDLE));
        assert_eq!(detect_color(Some(a)), color(HOT));
        let faint = Activity {
            level: 0.25,
            active: false,
            ..a
        };
        let alpha = detect_color(Some(faint)).a();
        assert!(alpha > 40 && alpha < HOT[3], "{alpha}");
    }
}
