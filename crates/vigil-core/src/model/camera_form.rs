//! A camera's setup fields as plain state (the desktop camera dialog's and the web viewer's
//! administration page's): name, URLs, transport, user and password kept out of the visible
//! URL, each field's problem in words, and the [`NewCamera`] they make.

use super::camera::validate_url;
use super::names::{derive_id, IdKind};
use super::secret::{split_credentials, with_credentials};
use super::{Camera, CameraName, DisplayName, NewCamera, Transport};

/// What the operator has typed into the camera dialog or the web page's camera form.
/// (`Debug` is written by hand: it never shows the passwords.)
#[derive(Clone, PartialEq, Eq)]
pub struct CameraForm {
    /// The camera being edited; `None` when adding one.
    pub id: Option<i64>,
    /// The name people see (any text).
    pub name: String,
    /// The stored camera's identifier; empty when adding one (derived from the name).
    pub ident: String,
    /// The main URL, without credentials.
    pub url: String,
    /// The detect sub-stream URL, without credentials; empty for none.
    pub detect_url: String,
    pub transport: Transport,
    pub user: String,
    pub password: String,
    pub enabled: bool,
    /// Take in the camera's sound ("Record sound"); off unless the operator ticks it.
    pub audio: bool,
    /// A stored sub-stream's own user and password when they differ from the main URL's;
    /// kept (not shown) so editing the camera does not change them.
    pub detect_credentials: Option<(String, String)>,
}

impl std::fmt::Debug for CameraForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CameraForm")
            .field("id", &self.id)
            .field("name", &self.name)
            .field("ident", &self.ident)
            .field("url", &self.url)
            .field("detect_url", &self.detect_url)
            .field("transport", &self.transport)
            .field("user", &self.user)
            .field("password", &"***")
            .field("enabled", &self.enabled)
            .field("audio", &self.audio)
            .finish()
    }
}

impl Default for CameraForm {
    fn default() -> Self {
        Self {
            id: None,
            name: String::new(),
            ident: String::new(),
            url: String::new(),
            detect_url: String::new(),
            transport: Transport::Tcp,
            user: String::new(),
            password: String::new(),
            enabled: true,
            audio: false,
            detect_credentials: None,
        }
    }
}

impl CameraForm {
    /// A form for a stored camera: the credentials move from its URL into their own fields.
    pub fn from_camera(cam: &Camera) -> Self {
        let (url, user, password) = split_credentials(&cam.url);
        let (detect_url, detect_user, detect_password) = cam
            .detect_url
            .as_deref()
            .map(split_credentials)
            .unwrap_or_default();
        // A camera without a sub-stream has no account of its own for one: a sub-stream added
        // later uses the main URL's.
        let detect_credentials = (cam.detect_url.is_some()
            && (detect_user != user || detect_password != password))
            .then_some((detect_user, detect_password));
        Self {
            id: Some(cam.id),
            name: cam.display_name.to_string(),
            ident: cam.name.to_string(),
            url,
            detect_url,
            transport: cam.transport,
            user,
            password,
            enabled: cam.enabled,
            audio: cam.audio,
            detect_credentials,
        }
    }

    /// Moves credentials typed (or pasted) into a URL field into the user and password
    /// fields, so the visible URL never holds a password. Returns whether anything moved.
    pub fn absorb_credentials(&mut self) -> bool {
        let mut moved = false;
        let (url, user, password) = split_credentials(self.url.trim());
        if !user.is_empty() || !password.is_empty() {
            self.url = url;
            self.user = user;
            self.password = password;
            moved = true;
        }
        let (detect, user, password) = split_credentials(self.detect_url.trim());
        if !user.is_empty() || !password.is_empty() {
            self.detect_url = detect;
            if self.user.is_empty() && self.password.is_empty() {
                self.user = user;
                self.password = password;
            } else if (&user, &password) != (&self.user, &self.password) {
                // The sub-stream has an account of its own: keep it for that URL.
                self.detect_credentials = Some((user, password));
            }
            moved = true;
        }
        moved
    }

    /// Why the name cannot be used, if it cannot.
    pub fn name_error(&self) -> Option<String> {
        if self.name.trim().is_empty() {
            return Some("a name is needed".into());
        }
        DisplayName::parse(&self.name).err().map(|e| e.0)
    }

    /// The identifier the camera has (or, being added, would have if it is free: the
    /// library adds `-2`… when it is not).
    pub fn shown_id(&self) -> String {
        if self.ident.is_empty() {
            derive_id(&self.name, IdKind::Camera, |_| false).to_string()
        } else {
            self.ident.clone()
        }
    }

    /// The name people see, or why it cannot be used.
    pub fn display_name(&self) -> Result<DisplayName, String> {
        DisplayName::parse(&self.name).map_err(|e| e.0)
    }

    /// Why the main URL (with the credentials put in) cannot be used, if it cannot.
    pub fn url_error(&self) -> Option<String> {
        self.full_url().err()
    }

    /// Why the detect URL cannot be used, if it cannot (empty is fine: no sub-stream).
    pub fn detect_url_error(&self) -> Option<String> {
        self.full_detect_url().err()
    }

    /// The first problem of the form, for the line next to Save.
    pub fn first_error(&self) -> Option<String> {
        self.name_error()
            .map(|e| format!("name: {e}"))
            .or_else(|| self.url_error().map(|e| format!("URL: {e}")))
            .or_else(|| self.detect_url_error().map(|e| format!("detect URL: {e}")))
    }

    /// The main URL with the user and password put in (what is stored and tested).
    pub fn full_url(&self) -> Result<String, String> {
        let mut form = self.clone();
        form.absorb_credentials();
        form.combine(&form.url)
    }

    /// The detect URL with the same credentials, or `None` when there is no sub-stream.
    pub fn full_detect_url(&self) -> Result<Option<String>, String> {
        let mut form = self.clone();
        form.absorb_credentials();
        if form.detect_url.trim().is_empty() {
            return Ok(None);
        }
        if let Some((user, password)) = &form.detect_credentials {
            form.user.clone_from(user);
            form.password.clone_from(password);
        }
        form.combine(&form.detect_url).map(Some)
    }

    fn combine(&self, url: &str) -> Result<String, String> {
        let url = url.trim();
        validate_url(url).map_err(|e| e.0)?;
        if self.user.is_empty() && self.password.is_empty() {
            return Ok(url.to_string());
        }
        with_credentials(url, &self.user, &self.password)
    }

    /// The camera to store, or the first problem in words.
    pub fn to_new_camera(&self) -> Result<NewCamera, String> {
        if let Some(e) = self.first_error() {
            return Err(e);
        }
        Ok(NewCamera {
            name: CameraName::parse(&self.shown_id()).map_err(|e| e.0)?,
            url: self.full_url()?,
            detect_url: self.full_detect_url()?,
            transport: self.transport,
            enabled: self.enabled,
            audio: self.audio,
        })
    }

    /// What a connection test depends on: a test result is stale once this changes.
    pub fn test_key(&self) -> (Result<String, String>, Transport) {
        (self.full_url(), self.transport)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(name: &str, url: &str, user: &str, password: &str) -> CameraForm {
        CameraForm {
            name: name.into(),
            url: url.into(),
            user: user.into(),
            password: password.into(),
            ..CameraForm::default()
        }
    }

    #[test]
    fn sound_is_off_unless_ticked() {
        let mut f = form("yard", "rtsp://10.0.0.9/s1", "", "");
        assert!(!f.audio);
        assert!(!f.to_new_camera().unwrap().audio);
        f.audio = true;
        assert!(f.to_new_camera().unwrap().audio);
    }

    #[test]
    fn credentials_are_combined_into_the_stored_url() {
        let mut f = form("front", "rtsp://10.0.0.5/main", "admin", "s3cr@t");
        f.detect_url = "rtsp://10.0.0.5/sub".into();
        let cam = f.to_new_camera().unwrap();
        assert_eq!(cam.name.as_str(), "front");
        assert_eq!(cam.url, "rtsp://admin:s3cr%40t@10.0.0.5/main");
        assert_eq!(
            cam.detect_url.as_deref(),
            Some("rtsp://admin:s3cr%40t@10.0.0.5/sub")
        );
        // No credentials: the URL is stored as typed.
        let plain = form("demo", " demo:// ", "", "").to_new_camera().unwrap();
        assert_eq!((plain.url.as_str(), plain.detect_url), ("demo://", None));
    }

    #[test]
    fn a_stored_camera_shows_its_url_without_the_password() {
        let cam = Camera {
            id: 7,
            name: CameraName::parse("yard").unwrap(),
            display_name: DisplayName::parse("yard").unwrap(),
            url: "rtsp://admin:hunter2@10.0.0.9:554/s1".into(),
            detect_url: Some("rtsp://admin:hunter2@10.0.0.9:554/s2".into()),
            transport: Transport::Udp,
            enabled: false,
            created_us: 0,
            audio: false,
        };
        let f = CameraForm::from_camera(&cam);
        assert_eq!(f.url, "rtsp://10.0.0.9:554/s1");
        assert_eq!(f.detect_url, "rtsp://10.0.0.9:554/s2");
        assert_eq!((f.user.as_str(), f.password.as_str()), ("admin", "hunter2"));
        assert_eq!(
            (f.id, f.transport, f.enabled),
            (Some(7), Transport::Udp, false)
        );
        let back = f.to_new_camera().unwrap();
        assert_eq!(back.url, cam.url);
        assert_eq!(back.detect_url, cam.detect_url);
    }

    #[test]
    fn credentials_typed_into_the_url_move_to_their_fields() {
        let mut f = form("front", "rtsp://root:pw@cam.local/live", "", "");
        assert!(f.absorb_credentials());
        assert_eq!(f.url, "rtsp://cam.local/live");
        assert_eq!((f.user.as_str(), f.password.as_str()), ("root", "pw"));
        assert!(!f.absorb_credentials(), "nothing left to move");
        // Not yet absorbed, the stored URL is the same.
        let typed = form("front", "rtsp://root:pw@cam.local/live", "", "");
        assert_eq!(typed.full_url(), f.full_url());
    }

    #[test]
    fn bad_fields_are_named_without_the_password() {
        assert!(form("", "demo://", "", "")
            .name_error()
            .unwrap()
            .contains("name is needed"));
        // Any text is a name (../etc becomes the identifier `etc`), but no control characters.
        assert_eq!(form("../etc", "demo://", "", "").shown_id(), "etc");
        assert!(form("door\u{1b}[31m", "demo://", "", "")
            .first_error()
            .unwrap()
            .starts_with("name: "));
        let bad = form("cam", "ftp://10.0.0.5/x", "admin", "topsecret");
        let err = bad.to_new_camera().unwrap_err();
        assert!(err.starts_with("URL: ") && err.contains("ftp"), "{err}");
        assert!(!err.contains("topsecret"), "{err}");
        let typed = form("cam", "gopher://u:topsecret@h/", "", "");
        assert!(!typed.url_error().unwrap().contains("topsecret"));
        // A file path cannot carry a password.
        let file = form("cam", "/videos/a.mp4", "admin", "topsecret");
        let err = file.url_error().unwrap();
        assert!(!err.contains("topsecret"), "{err}");
        let mut sub = form("cam", "demo://", "", "");
        sub.detect_url = "nonsense".into();
        assert!(sub.first_error().unwrap().starts_with("detect URL: "));
    }

    #[test]
    fn reserved_characters_in_a_password_are_encoded_or_refused_in_words() {
        // Typed into the URL unencoded, ffmpeg would not read them as a password: refused,
        // and the message does not show it.
        for (url, secret) in [
            ("rtsp://admin:pa#ss@cam/", "pa#ss"),
            ("rtsp://admin:12/ss@cam/", "12/ss"),
            ("rtsp://admin:p?ss@[::1]:554/", "p?ss"),
        ] {
            let err = form("cam", url, "", "").url_error().unwrap();
            assert!(err.contains("%23") && !err.contains(secret), "{err}");
        }
        // Typed into the password field, the same characters are encoded and accepted.
        let cam = form("cam", "rtsp://[::1]:554/", "admin", "pa#s/s?%")
            .to_new_camera()
            .unwrap();
        assert_eq!(cam.url, "rtsp://admin:pa%23s%2Fs%3F%25@[::1]:554/");
        // ...and come back into the field unchanged.
        let (url, user, password) = split_credentials(&cam.url);
        assert_eq!(
            (url.as_str(), user.as_str(), password.as_str()),
            ("rtsp://[::1]:554/", "admin", "pa#s/s?%")
        );
    }

    #[test]
    fn the_test_key_follows_url_credentials_and_transport() {
        let a = form("cam", "rtsp://h/s", "u", "p");
        let mut b = a.clone();
        b.name = "other".into();
        assert_eq!(a.test_key(), b.test_key(), "the name does not matter");
        b.password = "q".into();
        assert_ne!(a.test_key(), b.test_key());
        let mut c = a.clone();
        c.transport = Transport::Udp;
        assert_ne!(a.test_key(), c.test_key());
    }

    #[test]
    fn a_sub_stream_with_its_own_account_keeps_it_through_an_edit() {
        let cam = Camera {
            id: 3,
            name: CameraName::parse("gate").unwrap(),
            display_name: DisplayName::parse("gate").unwrap(),
            url: "rtsp://admin:main-pw@10.0.0.9/s1".into(),
            detect_url: Some("rtsp://viewer:sub-pw@10.0.0.9/s2".into()),
            transport: Transport::Tcp,
            enabled: true,
            created_us: 0,
            audio: false,
        };
        let form = CameraForm::from_camera(&cam);
        assert_eq!(form.detect_url, "rtsp://10.0.0.9/s2");
        assert!(!format!("{form:?}").contains("pw"), "{form:?}");
        let saved = form.to_new_camera().unwrap();
        assert_eq!(saved.url, cam.url);
        assert_eq!(saved.detect_url, cam.detect_url);
    }

    #[test]
    fn a_sub_stream_added_to_a_camera_without_one_uses_the_main_account() {
        let cam = Camera {
            id: 4,
            name: CameraName::parse("porch").unwrap(),
            display_name: DisplayName::parse("porch").unwrap(),
            url: "rtsp://admin:pw@10.0.0.9/s1".into(),
            detect_url: None,
            transport: Transport::Tcp,
            enabled: true,
            created_us: 0,
            audio: false,
        };
        let mut form = CameraForm::from_camera(&cam);
        form.detect_url = "rtsp://10.0.0.9/s2".into();
        let saved = form.to_new_camera().unwrap();
        assert_eq!(
            saved.detect_url.as_deref(),
            Some("rtsp://admin:pw@10.0.0.9/s2")
        );
    }

    #[test]
    fn the_name_is_any_text_and_the_identifier_is_derived_or_kept() {
        let f = form("정문", "demo://", "", "");
        assert_eq!(f.name_error(), None);
        assert_eq!(f.shown_id(), "jeongmun");
        assert_eq!(f.to_new_camera().unwrap().name.as_str(), "jeongmun");
        assert_eq!(f.display_name().unwrap().as_str(), "정문");
        assert!(form("", "demo://", "", "").name_error().is_some());
        let cam = Camera {
            id: 9,
            name: CameraName::parse("gate").unwrap(),
            display_name: DisplayName::parse("후문").unwrap(),
            url: "demo://".into(),
            detect_url: None,
            transport: Transport::Tcp,
            enabled: true,
            created_us: 0,
            audio: false,
        };
        let mut f = CameraForm::from_camera(&cam);
        assert_eq!((f.name.as_str(), f.shown_id().as_str()), ("후문", "gate"));
        f.name = "東門".into();
        assert_eq!(f.to_new_camera().unwrap().name.as_str(), "gate");
    }
}
