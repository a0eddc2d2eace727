//! "Test connection" in the camera dialog: the probe runs on its own thread, the dialog polls
//! for its answer each frame, and the answer is kept only while the URL, user, password and
//! transport stay as they were tested.

use std::time::Duration;

use crossbeam_channel::{Receiver, TryRecvError};

use super::form::CameraForm;
use vigil_core::model::secret::scrub;
use vigil_core::model::Transport;
use vigil_core::source::probe::{spawn_test, StreamSummary};

/// How long each step of the test (connect, each read) may take.
pub const TEST_TIMEOUT: Duration = Duration::from_secs(5);

type Key = (Result<String, String>, Transport);

/// What the dialog shows about the test.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TestView {
    Idle,
    Testing,
    /// "h264 1920x1080 at 25.00 fps".
    Passed(String),
    /// The reason in words, without the password.
    Failed(String),
}

#[derive(Default)]
pub struct ConnTest {
    key: Option<Key>,
    running: Option<Receiver<Result<StreamSummary, String>>>,
    answer: Option<Result<String, String>>,
}

impl ConnTest {
    /// Starts a test of the form's URL with its credentials (a bad URL fails at once).
    pub fn start(&mut self, form: &CameraForm) {
        let key = form.test_key();
        self.answer = None;
        self.running = None;
        match &key.0 {
            Ok(url) => self.running = Some(spawn_test(url, key.1, TEST_TIMEOUT)),
            Err(e) => self.answer = Some(Err(e.clone())),
        }
        self.key = Some(key);
    }

    /// Takes the answer if it has come, and forgets it when the form no longer matches what
    /// was tested. Cheap: call it every frame.
    pub fn poll(&mut self, form: &CameraForm) {
        let Some(key) = &self.key else {
            return;
        };
        if *key != form.test_key() {
            *self = Self::default();
            return;
        }
        let Some(rx) = &self.running else {
            return;
        };
        let url = key.0.as_deref().unwrap_or_default();
        let answer = match rx.try_recv() {
            Ok(Ok(summary)) => Ok(summary.to_string()),
            Ok(Err(e)) => Err(scrub(&e, url)),
            Err(TryRecvError::Empty) => return,
            Err(TryRecvError::Disconnected) => {
                Err("the connection test stopped unexpectedly".into())
            }
        };
        self.running = None;
        self.answer = Some(answer);
    }

    pub fn view(&self) -> TestView {
        match (&self.running, &self.answer) {
            (Some(_), _) => TestView::Testing,
            (None, Some(Ok(s))) => TestView::Passed(s.clone()),
            (None, Some(Err(e))) => TestView::Failed(e.clone()),
            (None, None) => TestView::Idle,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use super::*;

    fn wait(test: &mut ConnTest, form: &CameraForm) -> TestView {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            test.poll(form);
            if test.view() != TestView::Testing {
                return test.view();
            }
            assert!(Instant::now() < deadline, "no answer within 20 s");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn form(url: &str, user: &str, password: &str) -> CameraForm {
        CameraForm {
            url: url.into(),
            user: user.into(),
            password: password.into(),
            ..CameraForm::default()
        }
    }

    #[test]
    fn the_demo_stream_passes_and_a_change_clears_the_answer() {
        let mut f = form("demo://", "", "");
        let mut t = ConnTest::default();
        t.start(&f);
        match wait(&mut t, &f) {
            TestView::Passed(line) => assert!(line.starts_with("h264 "), "{line}"),
            other => panic!("{other:?}"),
        }
        f.transport = Transport::Udp;
        t.poll(&f);
        assert_eq!(t.view(), TestView::Idle);
    }

    #[test]
    fn a_refused_port_fails_in_words_without_the_password() {
        let f = form("rtsp://127.0.0.1:1/x", "admin", "hunter2");
        let mut t = ConnTest::default();
        t.start(&f);
        match wait(&mut t, &f) {
            TestView::Failed(e) => {
                assert!(!e.contains("hunter2"), "{e}");
                assert!(e.to_lowercase().contains("refused"), "{e}");
            }
            other => panic!("{other:?}"),
        }
        let mut bad = form("ftp://h/x", "", "");
        t.start(&bad);
        assert!(matches!(t.view(), TestView::Failed(e) if e.contains("ftp")));
        bad.url = "demo://".into();
        t.poll(&bad);
        assert_eq!(t.view(), TestView::Idle, "a new URL clears the old answer");
    }
}
