//! The camera dialog's ONVIF section: on/off, the device service's port, an optional login of
//! its own (else the stream's), and where motion comes from (Vigil, the camera, both). When
//! editing, the stored settings are read once (a job) before the section can be changed.

use egui::{Grid, RichText, TextEdit, Ui};

use super::widgets::{field_row, problem};
use crate::config_jobs::{poll, wake};
use crate::tr;
use vigil_core::model::onvif::{MotionFrom, OnvifSettings, DEFAULT_ONVIF_PORT};
use vigil_core::service::{ConfigJob, ConfigStore};

pub struct OnvifForm {
    pub on: bool,
    pub port: String,
    /// Empty: the stream's user.
    pub user: String,
    /// Empty: the stream's password.
    pub password: String,
    pub motion_from: MotionFrom,
    /// Editing: the camera whose stored settings are still to be read, then the read.
    reading: Option<(i64, Option<ConfigJob<Option<OnvifSettings>>>)>,
    read_error: Option<String>,
}

impl Default for OnvifForm {
    fn default() -> Self {
        Self::from_settings(None)
    }
}

impl OnvifForm {
    pub fn from_settings(s: Option<&OnvifSettings>) -> Self {
        let d = OnvifSettings::default();
        let s_or_d = s.unwrap_or(&d);
        Self {
            on: s.is_some(),
            port: s_or_d.port.to_string(),
            user: s_or_d.user.clone().unwrap_or_default(),
            password: s_or_d.password.clone().unwrap_or_default(),
            motion_from: s_or_d.motion_from,
            reading: None,
            read_error: None,
        }
    }

    /// A form that fills itself from camera `id`'s stored settings once they are read.
    pub fn stored(id: i64) -> Self {
        Self {
            reading: Some((id, None)),
            ..Self::default()
        }
    }

    /// Whether the stored settings are still to be read.
    pub fn is_reading(&self) -> bool {
        self.reading.is_some()
    }

    /// Starts or polls the read of the stored settings; call it every frame.
    pub fn poll(&mut self, config: &ConfigStore, ctx: &egui::Context) {
        let Some((id, job)) = &mut self.reading else {
            return;
        };
        let job = job.get_or_insert_with(|| config.onvif(*id, Some(wake(ctx))));
        let what = "reading the ONVIF settings"; // i18n-ignore: the engine's phrase
        let Some(answer) = poll(job, what) else {
            return;
        };
        match answer {
            Ok(stored) => *self = Self::from_settings(stored.as_ref()),
            Err(e) => {
                self.reading = None;
                self.read_error = Some(tr!("setup-onvif-read-failed", error = e.to_string()));
            }
        }
    }

    /// Why the section cannot be saved, if it cannot.
    pub fn first_error(&self) -> Option<String> {
        if self.reading.is_some() {
            return Some(tr!("setup-onvif-still-reading"));
        }
        if let Some(e) = &self.read_error {
            return Some(e.clone());
        }
        match self.settings() {
            Ok(_) => None,
            Err(e) => Some(format!("ONVIF: {e}")), // i18n-ignore
        }
    }

    fn port_error(&self) -> Option<String> {
        match self.port.trim().parse::<u16>() {
            Ok(p) if p > 0 => None,
            _ => Some(tr!(
                "setup-onvif-port-error",
                default = DEFAULT_ONVIF_PORT.to_string()
            )),
        }
    }

    /// The settings to store: `None` when ONVIF is off.
    pub fn settings(&self) -> Result<Option<OnvifSettings>, String> {
        if !self.on {
            return Ok(None);
        }
        if let Some(e) = self.port_error() {
            return Err(e);
        }
        let text = |s: &str| (!s.is_empty()).then(|| s.to_string());
        let s = OnvifSettings {
            port: self.port.trim().parse().unwrap_or(DEFAULT_ONVIF_PORT),
            user: text(self.user.trim()),
            password: text(&self.password),
            motion_from: self.motion_from,
        };
        s.validate().map_err(|e| e.0)?;
        Ok(Some(s))
    }

    pub fn show(&mut self, ui: &mut Ui) {
        ui.label(RichText::new("ONVIF").strong()); // i18n-ignore
        if let Some(e) = &self.read_error {
            problem(ui, e);
            return;
        }
        if self.reading.is_some() {
            ui.label(tr!("setup-onvif-reading"));
            return;
        }
        ui.checkbox(&mut self.on, tr!("setup-onvif-on"));
        if !self.on {
            return;
        }
        let port_err = self.port_error();
        Grid::new("onvif-fields")
            .num_columns(2)
            .spacing([12.0, 6.0])
            .show(ui, |ui| {
                field_row(
                    ui,
                    &tr!("setup-onvif-port"),
                    TextEdit::singleline(&mut self.port).hint_text("80"),
                    true,
                    port_err.as_deref(),
                );
                field_row(
                    ui,
                    &tr!("setup-onvif-user"),
                    TextEdit::singleline(&mut self.user).hint_text(tr!("setup-onvif-user-hint")),
                    true,
                    None,
                );
                field_row(
                    ui,
                    &tr!("setup-onvif-password"),
                    TextEdit::singleline(&mut self.password)
                        .password(true)
                        .hint_text(tr!("setup-onvif-password-hint")),
                    true,
                    None,
                );
                ui.label(tr!("setup-motion-events"));
                ui.horizontal_wrapped(|ui| {
                    for (from, label) in [
                        (MotionFrom::Vigil, tr!("setup-motion-from-vigil")),
                        (MotionFrom::Camera, tr!("setup-motion-from-camera")),
                        (MotionFrom::Both, tr!("setup-motion-from-both")),
                    ] {
                        ui.selectable_value(&mut self.motion_from, from, label);
                    }
                });
                ui.end_row();
            });
        ui.label(RichText::new(tr!("setup-onvif-note")).weak());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_makes_the_settings() {
        let mut f = OnvifForm::default();
        assert_eq!(f.settings(), Ok(None));
        f.on = true;
        assert_eq!(f.settings(), Ok(Some(OnvifSettings::default())));
        f.port = "8080".into();
        f.user = " op ".into();
        f.password = "pw".into();
        f.motion_from = MotionFrom::Both;
        let s = f.settings().unwrap().unwrap();
        assert_eq!(
            (s.port, s.user.as_deref(), s.password.as_deref()),
            (8080, Some("op"), Some("pw"))
        );
        assert_eq!(OnvifForm::from_settings(Some(&s)).settings(), Ok(Some(s)));
        f.port = "0".into();
        assert!(f.first_error().unwrap().contains("1 to 65535"));
        f.on = false;
        assert_eq!(
            f.first_error(),
            None,
            "a port of a switched-off section is not checked"
        );
        assert!(OnvifForm::stored(3)
            .first_error()
            .unwrap()
            .contains("being read"));
    }
}
