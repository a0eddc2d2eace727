//! Import, step two: a [`CheckedSite`] applied to a library in one transaction. A camera,
//! user or MQTT setting already there is a conflict unless `replace` (a replaced camera keeps
//! its recordings, and its logins when the file brings none); a dry run does everything,
//! then rolls it back. A running recorder picks the cameras up from the library, as it does
//! those added with `vigil camera add`.

use super::check::{CheckedCamera, CheckedSite, CheckedUser};
use super::SiteConfigError;
use crate::library::accounts::RoleChange;
use crate::library::batch::Finish;
use crate::library::{join_userinfo, split_userinfo, Library};
use crate::model::time::now_us;
use crate::model::{Camera, MqttSettings, NewTriggerSource};
use crate::web::accounts::Actor;

/// The audit trail's action for an import.
pub const AUDIT_ACTION: &str = "config import";

/// What became of the file's passwords.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Passwords {
    /// The file has none.
    NoneInFile,
    /// Opened with the passphrase and imported.
    Imported,
    /// The file has them; the import left them out (`--skip-passwords`).
    Skipped,
}

#[derive(Debug, Clone, Copy)]
pub struct ImportOptions {
    /// Replace cameras, users and MQTT settings that are already in the library.
    pub replace: bool,
    /// Check and apply everything, then keep nothing.
    pub dry_run: bool,
    pub passwords: Passwords,
}

/// What an import did (or, in a dry run, would do).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub added_cameras: Vec<String>,
    pub replaced_cameras: Vec<String>,
    pub zones: usize,
    pub trigger_sources: usize,
    pub added_users: Vec<String>,
    pub replaced_users: Vec<String>,
    /// Users added without a password (none in the file): they cannot sign in until one is
    /// set with `vigil user passwd`.
    pub users_without_password: Vec<String>,
    /// "added", "replaced" or "unchanged"; `None` when the file has no MQTT settings.
    pub mqtt: Option<&'static str>,
}

/// Applies `site` to `lib`: all of it, or (on any conflict or error) nothing.
pub fn import(
    lib: &mut Library,
    site: &CheckedSite,
    opts: ImportOptions,
) -> Result<ImportReport, SiteConfigError> {
    if !opts.replace {
        refuse_conflicts(lib, site)?;
    }
    let finish = if opts.dry_run {
        Finish::RollBack
    } else {
        Finish::Commit
    };
    lib.all_or_nothing(finish, |lib| {
        let mut report = ImportReport::default();
        for c in &site.cameras {
            let id = match lib.camera_by_name(c.camera.name.as_str()) {
                Ok(existing) => {
                    replace_camera(lib, &existing, c, !site.with_passwords)?;
                    report.replaced_cameras.push(c.camera.name.to_string());
                    existing.id
                }
                Err(crate::library::LibraryError::UnknownCamera(_)) => {
                    let id = add_camera(lib, c)?;
                    report.added_cameras.push(c.camera.name.to_string());
                    id
                }
                Err(e) => return Err(e.into()),
            };
            add_parts(lib, id, c)?;
            report.zones += c.zones.len();
            report.trigger_sources += c.sources.len();
        }
        if let Some(m) = &site.mqtt {
            report.mqtt = Some(set_mqtt(lib, m, site.with_passwords)?);
        }
        for u in &site.users {
            set_user(lib, u, &mut report)?;
        }
        let detail = format!(
            "{} cameras added, {} replaced; {} users added, {} replaced",
            report.added_cameras.len(),
            report.replaced_cameras.len(),
            report.added_users.len(),
            report.replaced_users.len()
        );
        let by = Actor::COMMAND_LINE;
        lib.insert_audit(now_us(), by.user, AUDIT_ACTION, &detail, by.address)?;
        Ok(report)
    })
}

/// One sentence naming everything in the file the library already has.
fn refuse_conflicts(lib: &Library, site: &CheckedSite) -> Result<(), SiteConfigError> {
    let mut taken = Vec::new();
    for c in &site.cameras {
        if lib.camera_by_name(c.camera.name.as_str()).is_ok() {
            taken.push(format!("camera '{}'", c.camera.name));
        }
    }
    for u in &site.users {
        if lib.user_by_name(&u.name)?.is_some() {
            taken.push(format!("user '{}'", u.name));
        }
    }
    if let (Some(m), Some(have)) = (&site.mqtt, lib.mqtt_settings()?) {
        if !same_mqtt(m, &have) {
            taken.push("other MQTT settings".into());
        }
    }
    if taken.is_empty() {
        return Ok(());
    }
    Err(SiteConfigError::Conflict(format!(
        "the library already has {}; nothing was imported (pass --replace to replace them: \
         recordings are kept)",
        join_and(&taken)
    )))
}

fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// Equal but for the password.
fn same_mqtt(a: &MqttSettings, b: &MqttSettings) -> bool {
    MqttSettings {
        password: None,
        ..a.clone()
    } == MqttSettings {
        password: None,
        ..b.clone()
    }
}

fn add_camera(lib: &mut Library, c: &CheckedCamera) -> Result<i64, SiteConfigError> {
    let added = lib.add_camera_named(&c.camera, &c.display, &c.policy)?;
    if let Some(l) = &c.live_url {
        lib.set_live_url(added.id, Some(l))?;
    }
    if let Some(o) = &c.onvif {
        lib.set_onvif(added.id, Some(o))?;
    }
    if let Some(o) = &c.objects {
        lib.set_camera_objects(added.id, Some(o))?;
    }
    Ok(added.id)
}

/// `url` with `old`'s login when it has none of its own.
fn keep_login(url: &str, old: Option<&str>) -> String {
    if split_userinfo(url).1.is_some() {
        return url.to_string();
    }
    let info = old.and_then(|o| split_userinfo(o).1);
    join_userinfo(url, info.as_deref())
}

/// Replaces a camera's settings, keeping its row (and so its recordings); its zones and
/// trigger sources go, to be added again from the file. Without passwords in the file, its
/// logins stay.
fn replace_camera(
    lib: &mut Library,
    existing: &Camera,
    c: &CheckedCamera,
    keep_logins: bool,
) -> Result<(), SiteConfigError> {
    let id = existing.id;
    let mut camera = c.camera.clone();
    let mut live_url = c.live_url.clone();
    let mut onvif = c.onvif.clone();
    if keep_logins {
        camera.url = keep_login(&camera.url, Some(&existing.url));
        camera.detect_url = camera
            .detect_url
            .map(|d| keep_login(&d, existing.detect_url.as_deref()));
        let old_live = lib.live_url(id)?;
        live_url = live_url.map(|l| keep_login(&l, old_live.as_deref()));
        if let (Some(o), Some(old)) = (onvif.as_mut(), lib.onvif(id)?) {
            o.password = o.password.take().or(old.password);
        }
    }
    lib.update_camera(id, &camera)?;
    lib.set_camera_display_name(id, &c.display)?;
    lib.set_policy(id, &c.policy)?;
    lib.set_live_url(id, live_url.as_deref())?;
    lib.set_onvif(id, onvif.as_ref())?;
    lib.set_camera_objects(id, c.objects.as_ref())?;
    for z in lib.zones(id)? {
        lib.remove_zone(id, &z.name)?;
    }
    for t in lib.trigger_sources(Some(id))? {
        lib.remove_trigger_source(id, &t.name)?;
    }
    Ok(())
}

fn add_parts(lib: &mut Library, camera_id: i64, c: &CheckedCamera) -> Result<(), SiteConfigError> {
    for (zone, objects) in &c.zones {
        let stored = lib.add_zone(camera_id, zone)?;
        if let Some(o) = objects {
            lib.set_zone_objects(stored.id, Some(o))?;
        }
    }
    for s in &c.sources {
        lib.add_trigger_source(&NewTriggerSource {
            camera_id,
            name: s.name.clone(),
            topic: s.topic.clone(),
            when: s.when.clone(),
            hold_s: s.hold_s,
        })?;
    }
    Ok(())
}

fn set_mqtt(
    lib: &mut Library,
    m: &MqttSettings,
    with_passwords: bool,
) -> Result<&'static str, SiteConfigError> {
    let have = lib.mqtt_settings()?;
    let mut wanted = m.clone();
    if !with_passwords {
        // The password in the library stays when the user is the same.
        wanted.password = have
            .as_ref()
            .filter(|h| h.user == wanted.user)
            .and_then(|h| h.password.clone());
    }
    let said = match &have {
        None => "added",
        Some(h) if *h == wanted => return Ok("unchanged"),
        Some(h) if same_mqtt(h, &wanted) => "unchanged",
        Some(_) => "replaced",
    };
    lib.set_mqtt_settings(&wanted)?;
    Ok(said)
}

fn set_user(
    lib: &mut Library,
    u: &CheckedUser,
    report: &mut ImportReport,
) -> Result<(), SiteConfigError> {
    let now = now_us();
    if lib.user_by_name(&u.name)?.is_some() {
        match lib.set_user_role(&u.name, u.role.as_str(), now)? {
            RoleChange::LastAdmin => {
                return Err(SiteConfigError::Conflict(format!(
                    "user '{}' is the library's last admin and the file makes them {}; \
                     nothing was imported",
                    u.name,
                    u.role.as_str()
                )))
            }
            RoleChange::Changed | RoleChange::Unknown => {}
        }
        if let Some(hash) = &u.password_hash {
            lib.set_user_password_hash(&u.name, hash, now)?;
        }
        report.replaced_users.push(u.name.clone());
        return Ok(());
    }
    let hash = match &u.password_hash {
        Some(h) => h.clone(),
        None => {
            report.users_without_password.push(u.name.clone());
            locked_hash()?
        }
    };
    lib.insert_user(&u.name, u.role.as_str(), &hash, now)?;
    report.added_users.push(u.name.clone());
    Ok(())
}

/// The hash of a random password nobody knows: the account exists, and signs in only once
/// an admin sets its password.
fn locked_hash() -> Result<String, SiteConfigError> {
    let token = crate::web::token::SessionToken::generate()
        .map_err(|e| SiteConfigError::Crypto(format!("no random password ({e})")))?;
    crate::web::password::hash(token.as_str()).map_err(|e| SiteConfigError::Crypto(e.to_string()))
}

impl ImportReport {
    /// One line for people: "imported 3 cameras, 5 zones, 2 trigger sources, 1 user;
    /// passwords: imported".
    pub fn summary(&self, opts: ImportOptions) -> String {
        let cams = self.added_cameras.len() + self.replaced_cameras.len();
        let users = self.added_users.len() + self.replaced_users.len();
        let mut line = format!(
            "{} {}, {}, {}, {}",
            if opts.dry_run {
                "would import"
            } else {
                "imported"
            },
            count(cams, "camera", "cameras"),
            count(self.zones, "zone", "zones"),
            count(self.trigger_sources, "trigger source", "trigger sources"),
            count(users, "user", "users"),
        );
        if let Some(m) = self.mqtt {
            line.push_str(&format!(", MQTT settings {m}"));
        }
        line.push_str(match opts.passwords {
            Passwords::NoneInFile => "; passwords: none in the file",
            Passwords::Imported => "; passwords: imported",
            Passwords::Skipped => "; passwords: skipped",
        });
        line
    }
}

fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
