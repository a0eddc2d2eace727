//! A camera's live sub-stream URL (schema 8 `camera_live_stream`): the stream that feeds its
//! small live tiles when that is not its detect sub-stream. Its credentials are stored apart
//! from the URL (`userinfo`), like the camera's own (`secrets`), and put back when read.

use rusqlite::{params, OptionalExtension};

use super::secrets::{join_userinfo, split_userinfo};
use super::{Library, LibraryError};
use crate::model::camera::validate_url;

impl Library {
    /// The camera's live sub-stream URL (with its credentials, for ffmpeg), when it has one.
    pub fn live_url(&self, camera_id: i64) -> Result<Option<String>, LibraryError> {
        let row: Option<(String, Option<String>)> = self
            .conn()
            .query_row(
                "SELECT url, userinfo FROM camera_live_stream WHERE camera_id = ?1",
                [camera_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        Ok(row.map(|(url, info)| join_userinfo(&url, info.as_deref())))
    }

    /// Gives the camera a live sub-stream URL, or takes it away with `None` (its detect
    /// sub-stream then serves the live view). Fails, writing nothing, on a bad URL or an
    /// unknown camera.
    pub fn set_live_url(&mut self, camera_id: i64, url: Option<&str>) -> Result<(), LibraryError> {
        let exists: bool = self.conn().query_row(
            "SELECT EXISTS(SELECT 1 FROM cameras WHERE id = ?1)",
            [camera_id],
            |r| r.get(0),
        )?;
        if !exists {
            return Err(LibraryError::UnknownCamera(format!("#{camera_id}")));
        }
        match url.map(str::trim).filter(|u| !u.is_empty()) {
            Some(url) => {
                validate_url(url)?;
                let (clean, userinfo) = split_userinfo(url);
                self.conn().execute(
                    "INSERT INTO camera_live_stream (camera_id, url, userinfo) VALUES (?1, ?2, ?3)
                     ON CONFLICT(camera_id) DO UPDATE SET url = excluded.url,
                        userinfo = excluded.userinfo",
                    params![camera_id, clean, userinfo],
                )?;
            }
            None => {
                self.conn().execute(
                    "DELETE FROM camera_live_stream WHERE camera_id = ?1",
                    [camera_id],
                )?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::library::Library;
    use crate::model::{CameraName, NewCamera, Policy, Transport};

    #[test]
    fn a_live_url_round_trips_with_its_password_kept_out_of_the_url_column() {
        let dir = tempfile::tempdir().unwrap();
        let mut lib = Library::open(dir.path()).unwrap();
        let cam = lib
            .add_camera(
                &NewCamera {
                    name: CameraName::parse("gate").unwrap(),
                    url: "rtsp://10.0.0.5/main".into(),
                    detect_url: None,
                    transport: Transport::Tcp,
                    enabled: true,
                    audio: false,
                },
                &Policy::default(),
            )
            .unwrap();
        assert_eq!(lib.live_url(cam.id).unwrap(), None);
        let url = "rtsp://admin:s3cr%21t@10.0.0.5/sub";
        lib.set_live_url(cam.id, Some(url)).unwrap();
        assert_eq!(lib.live_url(cam.id).unwrap().as_deref(), Some(url));
        let stored: String = lib
            .conn()
            .query_row("SELECT url FROM camera_live_stream", [], |r| r.get(0))
            .unwrap();
        assert_eq!(stored, "rtsp://10.0.0.5/sub");
        assert!(lib.set_live_url(cam.id, Some("ftp://x/y")).is_err());
        assert!(lib.set_live_url(cam.id + 1, Some(url)).is_err());
        assert_eq!(lib.live_url(cam.id).unwrap().as_deref(), Some(url));
        lib.set_live_url(cam.id, None).unwrap();
        assert_eq!(lib.live_url(cam.id).unwrap(), None);
    }
}
