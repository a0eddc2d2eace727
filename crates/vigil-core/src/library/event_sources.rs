//! Rows for events from outside Vigil: the MQTT broker settings (its password kept in a
//! table of its own), trigger sources bound to cameras, each camera's ONVIF settings, and
//! paused recording. Values are validated before they are stored.

use rusqlite::{params, OptionalExtension, Row};

use super::{Library, LibraryError};
use crate::model::mqtt::{Broker, MqttSettings};
use crate::model::onvif::{MotionFrom, OnvifSettings};
use crate::model::time::now_us;
use crate::model::trigger_source::{NewTriggerSource, TriggerCondition, TriggerSource};
use crate::model::InvalidInput;

impl Library {
    /// The MQTT broker settings, when MQTT is on.
    pub fn mqtt_settings(&self) -> Result<Option<MqttSettings>, LibraryError> {
        let row = self
            .conn()
            .query_row(
                "SELECT m.broker, m.user, m.client_id, m.topic_prefix, m.ha_discovery, s.password
                 FROM mqtt_settings m LEFT JOIN mqtt_secret s ON s.id = m.id WHERE m.id = 1",
                [],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, Option<String>>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, bool>(4)?,
                        r.get::<_, Option<String>>(5)?,
                    ))
                },
            )
            .optional()?;
        let Some((broker, user, client_id, topic_prefix, ha_discovery, password)) = row else {
            return Ok(None);
        };
        Ok(Some(MqttSettings {
            broker: Broker::parse(&broker)?,
            user,
            password,
            client_id,
            topic_prefix,
            ha_discovery,
        }))
    }

    /// Stores the MQTT broker settings (MQTT on), replacing any.
    pub fn set_mqtt_settings(&mut self, s: &MqttSettings) -> Result<(), LibraryError> {
        s.validate()?;
        let tx = self.conn_mut().savepoint()?;
        tx.execute(
            "INSERT OR REPLACE INTO mqtt_settings (id, broker, user, client_id, topic_prefix, ha_discovery)
             VALUES (1, ?1, ?2, ?3, ?4, ?5)",
            params![s.broker.url(), s.user, s.client_id.trim(), s.topic_prefix, s.ha_discovery],
        )?;
        match &s.password {
            Some(p) => tx.execute(
                "INSERT OR REPLACE INTO mqtt_secret (id, password) VALUES (1, ?1)",
                [p],
            )?,
            None => tx.execute("DELETE FROM mqtt_secret", [])?,
        };
        tx.commit()?;
        Ok(())
    }

    /// Turns MQTT off: forgets the broker and its password. Answers whether it was on.
    pub fn clear_mqtt_settings(&mut self) -> Result<bool, LibraryError> {
        let tx = self.conn_mut().transaction()?;
        tx.execute("DELETE FROM mqtt_secret", [])?;
        let n = tx.execute("DELETE FROM mqtt_settings", [])?;
        tx.commit()?;
        Ok(n > 0)
    }

    /// Trigger sources, by camera name then source name; of one camera when given.
    pub fn trigger_sources(
        &self,
        camera_id: Option<i64>,
    ) -> Result<Vec<TriggerSource>, LibraryError> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT t.id, t.camera_id, c.name, t.name, t.topic, t.condition, t.hold_s
             FROM trigger_sources t JOIN cameras c ON c.id = t.camera_id
             WHERE ?1 IS NULL OR t.camera_id = ?1 ORDER BY c.name, t.name",
        )?;
        let rows = stmt.query_map([camera_id], raw_source)?;
        let mut out = Vec::new();
        for row in rows {
            let (id, camera_id, camera, name, topic, when, hold_s) = row?;
            out.push(TriggerSource {
                id,
                camera_id,
                camera,
                name,
                topic,
                when: TriggerCondition::parse(&when)?,
                hold_s,
            });
        }
        Ok(out)
    }

    /// Adds a trigger source to a camera; answers its id.
    pub fn add_trigger_source(&mut self, t: &NewTriggerSource) -> Result<i64, LibraryError> {
        t.validate()?;
        let camera = self.camera_name_of(t.camera_id)?;
        let name = t.name.trim();
        let exists: bool = self.conn().query_row(
            "SELECT EXISTS(SELECT 1 FROM trigger_sources WHERE camera_id = ?1 AND name = ?2)",
            params![t.camera_id, name],
            |r| r.get(0),
        )?;
        if exists {
            return Err(LibraryError::DuplicateTriggerSource {
                camera,
                name: name.to_string(),
            });
        }
        self.conn().execute(
            "INSERT INTO trigger_sources (camera_id, name, topic, condition, hold_s) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![t.camera_id, name, t.topic, t.when.as_text(), t.hold_s],
        )?;
        Ok(self.conn().last_insert_rowid())
    }

    /// Removes a camera's trigger source by name.
    pub fn remove_trigger_source(
        &mut self,
        camera_id: i64,
        name: &str,
    ) -> Result<(), LibraryError> {
        let n = self.conn().execute(
            "DELETE FROM trigger_sources WHERE camera_id = ?1 AND name = ?2",
            params![camera_id, name.trim()],
        )?;
        if n == 0 {
            let camera = self.camera_name_of(camera_id)?;
            return Err(LibraryError::UnknownTriggerSource {
                camera,
                name: name.trim().to_string(),
            });
        }
        Ok(())
    }

    /// A camera's ONVIF settings, when ONVIF is on for it.
    pub fn onvif(&self, camera_id: i64) -> Result<Option<OnvifSettings>, LibraryError> {
        let row = self
            .conn()
            .query_row(
                "SELECT port, user, password, motion_from FROM camera_onvif WHERE camera_id = ?1",
                [camera_id],
                |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get(1)?,
                        r.get(2)?,
                        r.get::<_, String>(3)?,
                    ))
                },
            )
            .optional()?;
        let Some((port, user, password, motion_from)) = row else {
            return Ok(None);
        };
        let port = u16::try_from(port)
            .map_err(|_| InvalidInput(format!("stored ONVIF port {port} is out of range")))?;
        Ok(Some(OnvifSettings {
            port,
            user,
            password,
            motion_from: MotionFrom::parse(&motion_from)?,
        }))
    }

    /// Turns ONVIF on for a camera with these settings, or off with `None`.
    pub fn set_onvif(
        &mut self,
        camera_id: i64,
        settings: Option<&OnvifSettings>,
    ) -> Result<(), LibraryError> {
        self.camera_name_of(camera_id)?;
        match settings {
            Some(s) => {
                s.validate()?;
                self.conn().execute(
                    "INSERT OR REPLACE INTO camera_onvif (camera_id, port, user, password, motion_from)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![camera_id, s.port, s.user, s.password, s.motion_from.as_str()],
                )?;
            }
            None => {
                self.conn()
                    .execute("DELETE FROM camera_onvif WHERE camera_id = ?1", [camera_id])?;
            }
        }
        Ok(())
    }

    /// Whether the camera's recording is paused (it stays live, records nothing).
    pub fn recording_paused(&self, camera_id: i64) -> Result<bool, LibraryError> {
        Ok(self.conn().query_row(
            "SELECT EXISTS(SELECT 1 FROM recording_paused WHERE camera_id = ?1)",
            [camera_id],
            |r| r.get(0),
        )?)
    }

    /// Pauses or resumes a camera's recording.
    pub fn set_recording_paused(
        &mut self,
        camera_id: i64,
        paused: bool,
    ) -> Result<(), LibraryError> {
        self.camera_name_of(camera_id)?;
        if paused {
            self.conn().execute(
                "INSERT OR IGNORE INTO recording_paused (camera_id, since_us) VALUES (?1, ?2)",
                params![camera_id, now_us()],
            )?;
        } else {
            self.conn().execute(
                "DELETE FROM recording_paused WHERE camera_id = ?1",
                [camera_id],
            )?;
        }
        Ok(())
    }

    fn camera_name_of(&self, camera_id: i64) -> Result<String, LibraryError> {
        self.conn()
            .query_row("SELECT name FROM cameras WHERE id = ?1", [camera_id], |r| {
                r.get(0)
            })
            .optional()?
            .ok_or_else(|| LibraryError::UnknownCamera(format!("#{camera_id}")))
    }
}

type RawSource = (i64, i64, String, String, String, String, Option<f64>);

fn raw_source(r: &Row<'_>) -> rusqlite::Result<RawSource> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
        r.get(6)?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CameraName, NewCamera, Policy, Transport};

    fn library_with_camera() -> (tempfile::TempDir, Library, i64) {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut lib = Library::open(dir.path()).expect("library");
        let cam = NewCamera {
            name: CameraName::parse("front").expect("name"),
            url: "rtsp://u:p@127.0.0.1:8554/cam".into(),
            detect_url: None,
            transport: Transport::Tcp,
            enabled: true,
            audio: false,
        };
        let id = lib.add_camera(&cam, &Policy::default()).expect("camera").id;
        (dir, lib, id)
    }

    #[test]
    fn mqtt_settings_round_trip_and_turn_off() {
        let (_dir, mut lib, _) = library_with_camera();
        assert_eq!(lib.mqtt_settings().expect("read"), None);
        let mut s = MqttSettings::new(Broker::parse("mqtt://127.0.0.1:1883").expect("broker"));
        s.user = Some("vigil".into());
        s.password = Some("s3cret".into());
        lib.set_mqtt_settings(&s).expect("store");
        assert_eq!(lib.mqtt_settings().expect("read"), Some(s.clone()));
        s.password = None;
        s.user = None;
        lib.set_mqtt_settings(&s).expect("store");
        assert_eq!(lib.mqtt_settings().expect("read"), Some(s));
        assert!(lib.clear_mqtt_settings().expect("off"));
        assert_eq!(lib.mqtt_settings().expect("read"), None);
    }

    #[test]
    fn trigger_sources_are_unique_per_camera_and_go_with_it() {
        let (_dir, mut lib, cam) = library_with_camera();
        let t = NewTriggerSource {
            camera_id: cam,
            name: "door".into(),
            topic: "zigbee2mqtt/front_door".into(),
            when: TriggerCondition::parse("contact == false").expect("cond"),
            hold_s: Some(30.0),
        };
        lib.add_trigger_source(&t).expect("add");
        let err = lib.add_trigger_source(&t).expect_err("duplicate");
        assert_eq!(
            err.to_string(),
            "camera 'front' already has a trigger source named 'door'"
        );
        let listed = lib.trigger_sources(None).expect("list");
        assert_eq!(listed.len(), 1);
        assert_eq!(
            (listed[0].camera.as_str(), listed[0].when.as_text().as_str()),
            ("front", "contact == false")
        );
        lib.remove_trigger_source(cam, "door").expect("remove");
        assert!(lib.remove_trigger_source(cam, "door").is_err());
        lib.add_trigger_source(&t).expect("add again");
        lib.remove_camera("front", false).expect("camera removed");
        assert!(lib.trigger_sources(None).expect("list").is_empty());
    }

    #[test]
    fn onvif_settings_and_pause_round_trip() {
        let (_dir, mut lib, cam) = library_with_camera();
        assert_eq!(lib.onvif(cam).expect("read"), None);
        let s = OnvifSettings {
            port: 8000,
            user: Some("admin".into()),
            password: None,
            motion_from: MotionFrom::Both,
        };
        lib.set_onvif(cam, Some(&s)).expect("on");
        assert_eq!(lib.onvif(cam).expect("read"), Some(s));
        lib.set_onvif(cam, None).expect("off");
        assert_eq!(lib.onvif(cam).expect("read"), None);
        assert!(!lib.recording_paused(cam).expect("read"));
        lib.set_recording_paused(cam, true).expect("pause");
        lib.set_recording_paused(cam, true).expect("pause twice");
        assert!(lib.recording_paused(cam).expect("read"));
        lib.set_recording_paused(cam, false).expect("resume");
        assert!(!lib.recording_paused(cam).expect("read"));
    }
}
