//! A camera's motion zones over the web: `GET /api/cameras/{camera}/zones` (signed in) lists
//! them; `POST` adds one, `PUT …/zones/{id}` changes one and `DELETE …/zones/{id}` removes
//! one (admins; audited as `zone.add`, `zone.edit`, `zone.remove`). Outlines are polygons in
//! fractions of the picture (`[[x, y], …]`, 0..1 from the top left), checked by the model
//! (at least 3 points, inside the picture, not crossing itself); the running analyzer gets
//! the new zones without a restart.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use http::StatusCode;
use serde_json::{json, Map, Value};

use super::events::audit;
use super::params::parse_id;
use super::refusal::Refusal;
use super::session::SignedIn;
use super::settings::{config, object, shown_value};
use super::state::Shared;
use crate::model::text::printable;
use crate::service::{CameraZones, Polygon, ZoneKind, ZoneSpec};

pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/api/cameras/{camera}/zones", get(list).post(add))
        .route(
            "/api/cameras/{camera}/zones/{id}",
            axum::routing::put(edit).delete(remove),
        )
}

const FIELDS: &[&str] = &["name", "kind", "points", "sensitivity", "min_area"];
const EXAMPLE: &str =
    r#"{"name": "porch", "kind": "detect", "points": [[0.1, 0.5], [0.4, 0.5], [0.4, 0.9]]}"#;

/// One zone as the API answers it.
pub fn zone_json(z: &ZoneSpec) -> Value {
    json!({
        "id": z.id,
        // The name people see; `ident` is the stable identifier CLI flags also take.
        "name": z.display_name,
        "ident": z.name,
        "kind": z.kind.as_str(),
        "points": z.polygon.points().iter().map(|&(x, y)| [short(x), short(y)]).collect::<Vec<_>>(),
        "sensitivity": z.sensitivity,
        "min_area": short(z.min_area),
    })
}

/// An `f32` as the `f64` its shortest text means (0.1, not 0.10000000149011612).
fn short(v: f32) -> f64 {
    v.to_string().parse().unwrap_or(f64::from(v))
}

fn zones_json(camera: &str, zones: &[ZoneSpec]) -> Value {
    json!({ "camera": camera, "zones": zones.iter().map(zone_json).collect::<Vec<_>>() })
}

async fn read(state: &Shared, camera: &str) -> Result<CameraZones, Refusal> {
    let name = camera.to_string();
    config("reading the zones", |wake| {
        state.engine.config.zones(&name, Some(wake))
    })
    .await
}

async fn list(
    _me: SignedIn,
    State(state): State<Shared>,
    Path(camera): Path<String>,
) -> Result<Json<Value>, Refusal> {
    let found = read(&state, &camera).await?;
    Ok(Json(zones_json(&camera, &found.zones)))
}

async fn add(
    me: SignedIn,
    State(state): State<Shared>,
    Path(camera): Path<String>,
    body: Bytes,
) -> Result<Response, Refusal> {
    me.may(me.user.role.can_change_config(), "change motion zones")?;
    let fields = object(&body, FIELDS, EXAMPLE)?;
    let found = read(&state, &camera).await?;
    // A new zone: the model's defaults (detect, sensitivity 50, minimum area 0.5 %).
    let blank = ZoneSpec::new(0, "", ZoneKind::Detect, Polygon::full_frame());
    if !fields.contains_key("points") {
        return Err(Refusal::bad_request(
            "a zone needs its outline: points, at least 3 [x, y] pairs",
        ));
    }
    let zone = merged(&blank, &fields)?;
    let id = found.camera_id;
    let saved = config("saving the zone", |wake| {
        state.engine.config.save_zone(id, zone, Some(wake))
    })
    .await?;
    let detail = format!("camera {}: {}", printable(&camera), describe(&saved.zone));
    audit(&state, &me, "zone.add", detail).await?;
    Ok((StatusCode::CREATED, Json(zone_json(&saved.zone))).into_response())
}

/// The zone `id` of `camera`, with the camera's id, or 404.
async fn existing(state: &Shared, camera: &str, id: &str) -> Result<(i64, ZoneSpec), Refusal> {
    let id = parse_id("the zone id", id)?;
    let found = read(state, camera).await?;
    let zone = found
        .zones
        .into_iter()
        .find(|z| z.id == id)
        .ok_or_else(|| {
            Refusal::not_found(format!("camera '{}' has no zone {id}", printable(camera)))
        })?;
    Ok((found.camera_id, zone))
}

async fn edit(
    me: SignedIn,
    State(state): State<Shared>,
    Path((camera, id)): Path<(String, String)>,
    body: Bytes,
) -> Result<Json<Value>, Refusal> {
    me.may(me.user.role.can_change_config(), "change motion zones")?;
    let fields = object(&body, FIELDS, EXAMPLE)?;
    let (camera_id, before) = existing(&state, &camera, &id).await?;
    let zone = merged(&before, &fields)?;
    let saved = config("saving the zone", |wake| {
        state.engine.config.save_zone(camera_id, zone, Some(wake))
    })
    .await?;
    let detail = format!(
        "camera {}: {} (was {})",
        printable(&camera),
        describe(&saved.zone),
        describe(&before)
    );
    audit(&state, &me, "zone.edit", detail).await?;
    Ok(Json(zone_json(&saved.zone)))
}

async fn remove(
    me: SignedIn,
    State(state): State<Shared>,
    Path((camera, id)): Path<(String, String)>,
) -> Result<Json<Value>, Refusal> {
    me.may(me.user.role.can_change_config(), "change motion zones")?;
    let (camera_id, zone) = existing(&state, &camera, &id).await?;
    let name = zone.name.clone();
    let left = config("removing the zone", |wake| {
        state
            .engine
            .config
            .remove_zone(camera_id, &name, Some(wake))
    })
    .await?;
    let detail = format!("camera {}: {}", printable(&camera), describe(&zone));
    audit(&state, &me, "zone.remove", detail).await?;
    Ok(Json(json!({
        "deleted": zone.id,
        "zones": left.iter().map(zone_json).collect::<Vec<_>>(),
    })))
}

/// `base` with the fields the request gives; the outline is checked here (the model's
/// sentences), the name, sensitivity and minimum area when stored.
pub fn merged(base: &ZoneSpec, fields: &Map<String, Value>) -> Result<ZoneSpec, Refusal> {
    let mut z = base.clone();
    for (key, value) in fields {
        match key.as_str() {
            "name" => {
                // The name people see; a new zone's identifier is derived from it.
                z.display_name = value
                    .as_str()
                    .ok_or_else(|| Refusal::bad_request("name must be text"))?
                    .to_string();
                z.name.clone_from(&z.display_name);
            }
            "kind" => {
                let raw = value
                    .as_str()
                    .ok_or_else(|| Refusal::bad_request("kind must be detect or mask"))?;
                z.kind = ZoneKind::parse(raw).map_err(|e| Refusal::bad_request(e.0))?;
            }
            "points" => z.polygon = polygon(value)?,
            "sensitivity" => {
                let v = value.as_u64().ok_or_else(|| {
                    Refusal::bad_request(format!(
                        "sensitivity must be a whole number from 0 (least) to 100 (most), not {}",
                        shown_value(value)
                    ))
                })?;
                z.sensitivity = u8::try_from(v).ok().filter(|s| *s <= 100).ok_or_else(|| {
                    Refusal::bad_request(format!("sensitivity {v} is out of range; use 0 to 100"))
                })?;
            }
            "min_area" => {
                z.min_area = value.as_f64().ok_or_else(|| {
                    Refusal::bad_request(format!(
                        "min_area must be a fraction of the zone from 0 to 1 (0.005 is 0.5%), \
                         not {}",
                        shown_value(value)
                    ))
                })? as f32
            }
            _ => return Err(Refusal::bad_request(format!("'{key}' is not a zone field"))),
        }
    }
    Ok(z)
}

/// `[[x, y], …]` as a validated outline.
fn polygon(value: &Value) -> Result<Polygon, Refusal> {
    let Some(list) = value.as_array() else {
        return Err(Refusal::bad_request(
            "points must be a list of [x, y] pairs (fractions of the picture's width and \
             height, from 0 to 1)",
        ));
    };
    let mut points = Vec::with_capacity(list.len());
    for (i, p) in list.iter().enumerate() {
        let pair = p
            .as_array()
            .filter(|a| a.len() == 2)
            .and_then(|a| Some((a[0].as_f64()? as f32, a[1].as_f64()? as f32)));
        let Some(pair) = pair else {
            return Err(Refusal::bad_request(format!(
                "point {} must be two numbers [x, y], not {}",
                i + 1,
                shown_value(p)
            )));
        };
        points.push(pair);
    }
    Polygon::new(points).map_err(|e| Refusal::bad_request(e.0))
}

/// A zone in the audit trail's words.
fn describe(z: &ZoneSpec) -> String {
    format!(
        "zone {} '{}' ({}, sensitivity {}, minimum area {}%, outline {})",
        z.id,
        printable(&z.display_name),
        z.kind.as_str(),
        z.sensitivity,
        z.min_area * 100.0,
        z.polygon
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(json: &str) -> Map<String, Value> {
        serde_json::from_str(json).unwrap()
    }

    fn blank() -> ZoneSpec {
        ZoneSpec::new(0, "", ZoneKind::Detect, Polygon::full_frame())
    }

    #[test]
    fn a_zone_from_the_api_and_back() {
        let z = merged(
            &blank(),
            &fields(
                r#"{"name": "porch", "kind": "mask", "points": [[0.1,0.2],[0.5,0.2],[0.5,0.6]],
                    "sensitivity": 70, "min_area": 0.01}"#,
            ),
        )
        .unwrap();
        assert_eq!((z.name.as_str(), z.kind), ("porch", ZoneKind::Mask));
        assert_eq!((z.sensitivity, z.min_area), (70, 0.01));
        let back = zone_json(&z);
        assert_eq!(back["points"], json!([[0.1, 0.2], [0.5, 0.2], [0.5, 0.6]]));
        assert_eq!(back["kind"], "mask");
    }

    #[test]
    fn bad_outlines_and_values_are_refused_with_the_models_sentences() {
        let e = |json: &str| merged(&blank(), &fields(json)).unwrap_err().message;
        assert_eq!(
            e(r#"{"points": [[0.1,0.1],[0.5,0.5]]}"#),
            "a zone polygon needs at least 3 points, got 2"
        );
        assert!(
            e(r#"{"points": [[0.1,0.1],[0.9,0.9],[0.9,0.1],[0.1,0.9]]}"#)
                .starts_with("the polygon crosses itself")
        );
        assert!(
            e(r#"{"points": [[0.1,0.1],[1.5,0.1],[0.5,0.9]]}"#).contains("is outside the frame")
        );
        assert_eq!(
            e(r#"{"points": [[0.1,0.1],"x",[0.5,0.9]]}"#),
            "point 2 must be two numbers [x, y], not \"x\""
        );
        assert_eq!(
            e(r#"{"kind": "ignore"}"#),
            "zone kind 'ignore' is unknown; use detect or mask"
        );
        assert_eq!(
            e(r#"{"sensitivity": 300}"#),
            "sensitivity 300 is out of range; use 0 to 100"
        );
    }
}
