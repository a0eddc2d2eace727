//! Import, step one: every part of a [`SiteConfig`] checked by the rules `vigil camera add`,
//! `zone add`, `trigger-source add`, `mqtt set` and `user add` apply (identifiers, names,
//! URLs, policies, polygons, conditions), names unique, and turned into the library's own
//! types, with the passwords of opened secrets put back in. Nothing is written here.

use std::collections::BTreeSet;

use super::document::{CameraConfig, MqttConfig, SiteConfig, TriggerSourceConfig, ZoneConfig};
use super::sealed::{CameraSecrets, Secrets};
use super::SiteConfigError;
use crate::detect::{Polygon, ZoneKind, ZoneSpec};
use crate::library::{join_userinfo, split_userinfo};
use crate::model::camera::validate_url;
use crate::model::names::fold;
use crate::model::objects::parse_objects;
use crate::model::{
    Broker, CameraName, DisplayName, InvalidInput, MotionFrom, MqttSettings, NewCamera,
    OnvifSettings, Policy, RecordMode, Transport, TriggerCondition,
};
use crate::web::accounts::check_name;
use crate::web::Role;

/// A camera ready to store.
#[derive(Debug, Clone)]
pub struct CheckedCamera {
    /// URLs with their logins when the passwords were opened.
    pub camera: NewCamera,
    pub display: DisplayName,
    pub policy: Policy,
    pub live_url: Option<String>,
    pub onvif: Option<OnvifSettings>,
    pub objects: Option<crate::model::ObjectSettings>,
    /// Each zone with its own object list (comma-separated) when it has one.
    pub zones: Vec<(ZoneSpec, Option<String>)>,
    pub sources: Vec<CheckedSource>,
    /// Whether the file's passwords gave this camera any credential.
    pub has_secrets: bool,
}

/// A trigger source ready to store (its camera is the one it sits in).
#[derive(Debug, Clone)]
pub struct CheckedSource {
    pub name: String,
    pub topic: String,
    pub when: TriggerCondition,
    pub hold_s: Option<f64>,
}

/// A web user ready to store; `password_hash` only from opened secrets.
#[derive(Clone)]
pub struct CheckedUser {
    pub name: String,
    pub role: Role,
    pub password_hash: Option<String>,
}

impl std::fmt::Debug for CheckedUser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CheckedUser")
            .field("name", &self.name)
            .field("role", &self.role)
            .finish_non_exhaustive()
    }
}

/// A whole document, checked.
#[derive(Debug, Clone)]
pub struct CheckedSite {
    pub cameras: Vec<CheckedCamera>,
    pub mqtt: Option<MqttSettings>,
    pub users: Vec<CheckedUser>,
    /// Whether passwords came with it (opened secrets).
    pub with_passwords: bool,
}

fn invalid(message: String) -> SiteConfigError {
    SiteConfigError::Invalid(message)
}

/// Checks the whole document (and the opened `secrets`, if any), naming the first problem
/// with the camera, zone or source it is in.
pub fn check(doc: &SiteConfig, secrets: Option<&Secrets>) -> Result<CheckedSite, SiteConfigError> {
    let mut ids = BTreeSet::new();
    let mut names = BTreeSet::new();
    let mut cameras = Vec::with_capacity(doc.cameras.len());
    for c in &doc.cameras {
        let none = CameraSecrets::default();
        let s = secrets.and_then(|s| s.cameras.get(&c.id)).unwrap_or(&none);
        let checked = camera(c, s).map_err(|e| invalid(format!("camera '{}': {}", c.id, e.0)))?;
        if !ids.insert(checked.camera.name.to_string()) {
            return Err(invalid(format!("camera '{}' is in the file twice", c.id)));
        }
        if !names.insert(fold(checked.display.as_str())) {
            return Err(invalid(format!(
                "two cameras in the file are named '{}'",
                checked.display
            )));
        }
        cameras.push(checked);
    }
    let mqtt = doc
        .mqtt
        .as_ref()
        .map(|m| mqtt(m, secrets.and_then(|s| s.mqtt_password.clone())))
        .transpose()
        .map_err(|e| invalid(format!("MQTT: {}", e.0)))?;
    let mut users = Vec::with_capacity(doc.users.len());
    let mut user_names = BTreeSet::new();
    for u in &doc.users {
        check_name(&u.name).map_err(|e| invalid(e.0))?;
        let role =
            Role::parse(&u.role).map_err(|e| invalid(format!("user '{}': {}", u.name, e.0)))?;
        if !user_names.insert(u.name.clone()) {
            return Err(invalid(format!("user '{}' is in the file twice", u.name)));
        }
        let password_hash = secrets.and_then(|s| s.users.get(&u.name).cloned());
        if let Some(h) = &password_hash {
            argon2::PasswordHash::new(h).map_err(|_| {
                invalid(format!(
                    "user '{}': the password hash in the file is not readable",
                    u.name
                ))
            })?;
        }
        users.push(CheckedUser {
            name: u.name.clone(),
            role,
            password_hash,
        });
    }
    Ok(CheckedSite {
        cameras,
        mqtt,
        users,
        with_passwords: secrets.is_some(),
    })
}

/// A URL from the file with the login from the secrets put back (a URL that already has
/// one keeps it), then checked like `camera add` checks it.
fn with_login(url: &str, userinfo: Option<&String>) -> Result<String, InvalidInput> {
    let url = url.trim();
    let full = match (split_userinfo(url).1, userinfo) {
        (None, Some(info)) => join_userinfo(url, Some(info)),
        _ => url.to_string(),
    };
    validate_url(&full)?;
    Ok(full)
}

fn camera(c: &CameraConfig, s: &CameraSecrets) -> Result<CheckedCamera, InvalidInput> {
    let name = CameraName::parse(&c.id)?;
    let display = DisplayName::parse(&c.name)?;
    let url = with_login(&c.url, s.url_userinfo.as_ref())?;
    let detect_url = c
        .detect_url
        .as_deref()
        .map(|d| with_login(d, s.detect_userinfo.as_ref()))
        .transpose()?;
    let live_url = c
        .live_url
        .as_deref()
        .map(|l| with_login(l, s.live_userinfo.as_ref()))
        .transpose()?;
    let p = &c.policy;
    let policy = Policy {
        mode: RecordMode::parse(&p.mode)?,
        segment_s: p.segment_s,
        retain_days: p.retain_days,
        max_bytes: p.max_bytes,
        pre_event_s: p.pre_event_s,
        post_event_s: p.post_event_s,
        max_clip_s: p.max_clip_s,
        event_retain_days: p.event_retain_days,
    };
    policy.validate()?;
    let onvif = match &c.onvif {
        Some(o) => {
            let settings = OnvifSettings {
                port: o.port,
                user: o.user.clone(),
                password: s.onvif_password.clone(),
                motion_from: MotionFrom::parse(&o.motion_from)?,
            };
            settings.validate()?;
            Some(settings)
        }
        None => None,
    };
    if let Some(o) = &c.objects {
        o.check()?;
    }
    let zones = zones(&c.zones)?;
    let sources = sources(&c.trigger_sources)?;
    Ok(CheckedCamera {
        camera: NewCamera {
            name,
            url,
            detect_url,
            transport: Transport::parse(&c.transport)?,
            enabled: c.enabled,
            audio: c.audio,
        },
        display,
        policy,
        live_url,
        onvif,
        objects: c.objects.clone(),
        zones,
        sources,
        has_secrets: !s.is_empty(),
    })
}

fn sources(list: &[TriggerSourceConfig]) -> Result<Vec<CheckedSource>, InvalidInput> {
    let mut source_names = BTreeSet::new();
    let mut sources = Vec::with_capacity(list.len());
    for t in list {
        let at = |e: InvalidInput| InvalidInput(format!("trigger source '{}': {}", t.name, e.0));
        let new = crate::model::NewTriggerSource {
            camera_id: 0,
            name: t.name.trim().to_string(),
            topic: t.topic.clone(),
            when: TriggerCondition::parse(&t.when).map_err(at)?,
            hold_s: t.hold_s,
        };
        new.validate().map_err(at)?;
        if !source_names.insert(new.name.clone()) {
            return Err(InvalidInput(format!(
                "two trigger sources are named '{}'",
                new.name
            )));
        }
        sources.push(CheckedSource {
            name: new.name,
            topic: new.topic,
            when: new.when,
            hold_s: new.hold_s,
        });
    }
    Ok(sources)
}

fn zones(zones: &[ZoneConfig]) -> Result<Vec<(ZoneSpec, Option<String>)>, InvalidInput> {
    let mut taken = BTreeSet::new();
    let mut out = Vec::with_capacity(zones.len());
    for z in zones {
        let at = |e: InvalidInput| InvalidInput(format!("zone '{}': {}", z.id, e.0));
        let id = CameraName::parse(&z.id).map_err(at)?;
        let display = DisplayName::parse(&z.name).map_err(at)?;
        let polygon = Polygon::new(z.polygon.clone()).map_err(at)?;
        let kind = ZoneKind::parse(&z.kind).map_err(at)?;
        let sensitivity = u8::try_from(z.sensitivity)
            .ok()
            .filter(|s| *s <= 100)
            .ok_or_else(|| {
                at(InvalidInput(format!(
                    "sensitivity {} is out of range; use 0 to 100",
                    z.sensitivity
                )))
            })?;
        if !z.min_area.is_finite() || !(0.0..=1.0).contains(&z.min_area) {
            return Err(at(InvalidInput(
                "minimum area must be between 0 and 1 of the zone".into(),
            )));
        }
        let objects = match &z.objects {
            Some(labels) => Some(parse_objects(&labels.join(",")).map_err(at)?.join(", ")),
            None => None,
        };
        let keys = BTreeSet::from([fold(id.as_str()), fold(display.as_str())]);
        if let Some(key) = keys.iter().find(|k| taken.contains(*k)) {
            return Err(InvalidInput(format!("two zones answer to '{key}'")));
        }
        taken.extend(keys);
        let mut spec = ZoneSpec::new(0, id.as_str(), kind, polygon);
        spec.display_name = display.to_string();
        spec.sensitivity = sensitivity;
        spec.min_area = z.min_area;
        out.push((spec, objects));
    }
    Ok(out)
}

fn mqtt(m: &MqttConfig, password: Option<String>) -> Result<MqttSettings, InvalidInput> {
    let settings = MqttSettings {
        broker: Broker::parse(&m.broker)?,
        user: m.user.clone(),
        password,
        client_id: m.client_id.clone(),
        topic_prefix: m.topic_prefix.clone(),
        ha_discovery: m.ha_discovery,
    };
    settings.validate()?;
    Ok(settings)
}
