//! Export: reads a library's configuration into a [`SiteConfig`], credentials taken out of
//! every URL and, when a passphrase is given, sealed into its `secrets`.

use std::collections::BTreeMap;

use super::document::{
    CameraConfig, MqttConfig, OnvifConfig, PolicyConfig, SiteConfig, TriggerSourceConfig,
    UserConfig, ZoneConfig, FORMAT, VERSION,
};
use super::sealed::{seal, CameraSecrets, Secrets};
use super::SiteConfigError;
use crate::library::{split_userinfo, Library, LibraryError};
use crate::model::time::now_us;
use crate::model::Camera;

/// The library's configuration as a document; with a passphrase, its passwords (camera
/// logins, ONVIF and MQTT passwords, web users' password hashes) sealed in `secrets`.
/// Without one, no secret of any kind is in the document.
pub fn export(lib: &Library, passphrase: Option<&str>) -> Result<SiteConfig, SiteConfigError> {
    let mut secrets = Secrets::default();
    let mut cameras = Vec::new();
    for cam in lib.cameras()? {
        let (config, cam_secrets) = camera(lib, &cam)?;
        if !cam_secrets.is_empty() {
            secrets.cameras.insert(config.id.clone(), cam_secrets);
        }
        cameras.push(config);
    }
    let mqtt = lib.mqtt_settings()?.map(|m| {
        secrets.mqtt_password = m.password.clone();
        MqttConfig {
            broker: m.broker.url(),
            user: m.user,
            client_id: m.client_id,
            topic_prefix: m.topic_prefix,
            ha_discovery: m.ha_discovery,
        }
    });
    let mut users = Vec::new();
    for u in lib.users()? {
        secrets
            .users
            .insert(u.name.clone(), u.password_hash.clone());
        users.push(UserConfig {
            name: u.name,
            role: u.role,
        });
    }
    let sealed = passphrase.map(|p| seal(&secrets, p)).transpose()?;
    Ok(SiteConfig {
        format: FORMAT.into(),
        version: VERSION,
        exported_at_us: now_us(),
        vigil_version: env!("CARGO_PKG_VERSION").into(),
        cameras,
        mqtt,
        users,
        secrets: sealed,
    })
}

/// One camera's configuration and its credentials apart.
fn camera(lib: &Library, cam: &Camera) -> Result<(CameraConfig, CameraSecrets), LibraryError> {
    let (url, url_userinfo) = split_userinfo(&cam.url);
    let (detect_url, detect_userinfo) = split_opt(cam.detect_url.as_deref());
    let (live_url, live_userinfo) = split_opt(lib.live_url(cam.id)?.as_deref());
    let p = lib.policy(cam.id)?;
    let onvif = lib.onvif(cam.id)?;
    let secrets = CameraSecrets {
        url_userinfo,
        detect_userinfo,
        live_userinfo,
        onvif_password: onvif.as_ref().and_then(|o| o.password.clone()),
    };
    let zone_objects: BTreeMap<i64, Vec<String>> = lib.zone_objects(cam.id)?.into_iter().collect();
    let zones = lib
        .zones(cam.id)?
        .into_iter()
        .map(|z| ZoneConfig {
            objects: zone_objects.get(&z.id).cloned(),
            id: z.name,
            name: z.display_name,
            kind: z.kind.as_str().into(),
            polygon: z.polygon.points().to_vec(),
            sensitivity: u32::from(z.sensitivity),
            min_area: z.min_area,
        })
        .collect();
    let trigger_sources = lib
        .trigger_sources(Some(cam.id))?
        .into_iter()
        .map(|t| TriggerSourceConfig {
            name: t.name,
            topic: t.topic,
            when: t.when.as_text(),
            hold_s: t.hold_s,
        })
        .collect();
    let config = CameraConfig {
        id: cam.name.to_string(),
        name: cam.display_name.to_string(),
        url,
        detect_url,
        live_url,
        transport: cam.transport.as_str().into(),
        enabled: cam.enabled,
        audio: cam.audio,
        policy: PolicyConfig {
            mode: p.mode.as_str().into(),
            segment_s: p.segment_s,
            retain_days: p.retain_days,
            max_bytes: p.max_bytes,
            pre_event_s: p.pre_event_s,
            post_event_s: p.post_event_s,
            max_clip_s: p.max_clip_s,
            event_retain_days: p.event_retain_days,
        },
        onvif: onvif.map(|o| OnvifConfig {
            port: o.port,
            user: o.user,
            motion_from: o.motion_from.as_str().into(),
        }),
        objects: lib.camera_objects(cam.id)?,
        zones,
        trigger_sources,
    };
    Ok((config, secrets))
}

fn split_opt(url: Option<&str>) -> (Option<String>, Option<String>) {
    match url {
        Some(u) => {
            let (clean, info) = split_userinfo(u);
            (Some(clean), info)
        }
        None => (None, None),
    }
}
