//! The ONVIF flags of `vigil camera add` and `vigil camera edit` (`--onvif`, port, own
//! login, where motion comes from), turned into the camera's stored [`OnvifSettings`], and
//! how `camera list` shows them (never the password).

use anyhow::Context;
use clap::Args;
use serde::Serialize;

use vigil_core::model::onvif::{MotionFrom, OnvifSettings};

#[derive(Args, Debug)]
pub struct OnvifArgs {
    /// Take the camera's own events (motion, inputs) over ONVIF, logging in as the stream's
    /// user unless --onvif-user is given.
    #[arg(long)]
    pub onvif: bool,
    /// Port of the camera's ONVIF device service (HTTP); 80 when not given.
    #[arg(long, value_name = "PORT")]
    pub onvif_port: Option<u16>,
    /// ONVIF user when it is not the stream's; "" goes back to the stream's login.
    #[arg(long, value_name = "USER")]
    pub onvif_user: Option<String>,
    /// Name of an environment variable holding the ONVIF user's password.
    #[arg(long, value_name = "VAR", requires = "onvif_user")]
    pub onvif_password_env: Option<String>,
    /// Where motion events come from: vigil (the analyzer), camera (ONVIF) or both.
    #[arg(long, value_name = "SOURCE")]
    pub motion_from: Option<String>,
}

impl OnvifArgs {
    fn any_detail(&self) -> bool {
        self.onvif_port.is_some()
            || self.onvif_user.is_some()
            || self.onvif_password_env.is_some()
            || self.motion_from.is_some()
    }

    /// The settings to store, from `current` (the stored ones; `None` when ONVIF is off)
    /// changed by the flags given: `None` when the flags change nothing. Details given for a
    /// camera whose ONVIF stays off are refused, not ignored.
    pub fn settings(
        &self,
        current: Option<&OnvifSettings>,
    ) -> anyhow::Result<Option<OnvifSettings>> {
        if !self.onvif && !self.any_detail() {
            return Ok(None);
        }
        if !self.onvif && current.is_none() {
            anyhow::bail!(
                "ONVIF is off for this camera; add --onvif to turn it on with these settings"
            );
        }
        let mut s = current.cloned().unwrap_or_default();
        if let Some(port) = self.onvif_port {
            s.port = port;
        }
        if let Some(user) = &self.onvif_user {
            if user.is_empty() {
                s.user = None;
                s.password = None;
            } else {
                s.user = Some(user.clone());
                s.password = None;
            }
        }
        if let Some(var) = &self.onvif_password_env {
            let password = std::env::var(var)
                .with_context(|| format!("environment variable {var} is not set"))?;
            s.password = Some(password);
        }
        if let Some(from) = &self.motion_from {
            s.motion_from = MotionFrom::parse(from)?;
        }
        s.validate()?;
        Ok(Some(s))
    }
}

/// A camera's ONVIF settings as `camera list` shows them.
#[derive(Serialize)]
pub struct OnvifJson {
    pub port: u16,
    /// Whether it logs in with a user of its own (not the stream's); the name is shown, the
    /// password never.
    pub user: Option<String>,
    pub motion_from: MotionFrom,
}

impl OnvifJson {
    pub fn new(s: &OnvifSettings) -> Self {
        Self {
            port: s.port,
            user: s.user.clone(),
            motion_from: s.motion_from,
        }
    }

    /// `onvif:80/camera` for the text listing.
    pub fn column(onvif: Option<&OnvifJson>) -> String {
        match onvif {
            Some(o) => format!("onvif:{}/{}", o.port, o.motion_from.as_str()),
            None => "-".to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args() -> OnvifArgs {
        OnvifArgs {
            onvif: false,
            onvif_port: None,
            onvif_user: None,
            onvif_password_env: None,
            motion_from: None,
        }
    }

    #[test]
    fn no_flags_change_nothing() {
        assert_eq!(args().settings(None).unwrap(), None);
    }

    #[test]
    fn details_without_onvif_need_it_on() {
        let a = OnvifArgs {
            motion_from: Some("camera".into()),
            ..args()
        };
        let e = a.settings(None).unwrap_err().to_string();
        assert!(e.contains("add --onvif"), "{e}");
        let on = OnvifSettings::default();
        let s = a.settings(Some(&on)).unwrap().unwrap();
        assert_eq!(s.motion_from, MotionFrom::Camera);
    }

    #[test]
    fn flags_change_only_what_they_name() {
        let stored = OnvifSettings {
            port: 8080,
            user: Some("op".into()),
            password: Some("pw".into()),
            motion_from: MotionFrom::Both,
        };
        let a = OnvifArgs {
            onvif: true,
            onvif_port: Some(8000),
            ..args()
        };
        let s = a.settings(Some(&stored)).unwrap().unwrap();
        assert_eq!(
            s,
            OnvifSettings {
                port: 8000,
                ..stored.clone()
            }
        );
        let back = OnvifArgs {
            onvif_user: Some(String::new()),
            ..args()
        };
        let s = back.settings(Some(&stored)).unwrap().unwrap();
        assert_eq!((s.user, s.password), (None, None));
        let bad = OnvifArgs {
            onvif: true,
            onvif_port: Some(0),
            ..args()
        };
        assert!(bad.settings(None).is_err());
    }
}
