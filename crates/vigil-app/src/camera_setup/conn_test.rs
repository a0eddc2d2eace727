//! "Test connection" in the camera dialog: the service runs the test as a job (which wakes
//! the window when it answers), the dialog polls for its answer each frame, and the answer
//! is kept only while the URL, user, password and transport stay as they were tested.

use std::sync::Arc;

use crate::backend::Backend;
use crate::tr;
use vigil_core::model::camera_form::CameraForm;
use vigil_core::model::secret::scrub;
use vigil_core::model::Transport;
use vigil_core::service::{Job, JobState, StreamSummary};

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
    running: Option<Job<Result<StreamSummary, String>>>,
    answer: Option<Result<String, String>>,
}

impl ConnTest {
    /// Starts a test of the form's URL with its credentials through `backend` (a bad URL
    /// fails at once); `ctx` is repainted when the answer comes.
    pub fn start(&mut self, form: &CameraForm, backend: &dyn Backend, ctx: &egui::Context) {
        let key = form.test_key();
        self.answer = None;
        self.running = None;
        match &key.0 {
            Ok(url) => {
                let ctx = ctx.clone();
                let wake = Arc::new(move || ctx.request_repaint());
                self.running = Some(backend.test_connection(url, key.1, Some(wake)));
            }
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
        let Some(job) = &mut self.running else {
            return;
        };
        let url = key.0.as_deref().unwrap_or_default();
        let answer = match job.poll() {
            JobState::Done(Ok(summary)) => Ok(summary.to_string()),
            JobState::Done(Err(e)) => Err(scrub(&e, url)),
            JobState::Running => return,
            JobState::Lost => Err(tr!("setup-test-lost")),
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
    use std::time::{Duration, Instant};

    use super::*;
    use crate::backend::FixedBackend;

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
        t.start(&f, &FixedBackend::default(), &egui::Context::default());
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
        let (backend, ctx) = (FixedBackend::default(), egui::Context::default());
        t.start(&f, &backend, &ctx);
        match wait(&mut t, &f) {
            TestView::Failed(e) => {
                assert!(!e.contains("hunter2"), "{e}");
                assert!(e.to_lowercase().contains("refused"), "{e}");
            }
            other => panic!("{other:?}"),
        }
        let mut bad = form("ftp://h/x", "", "");
        t.start(&bad, &backend, &ctx);
        assert!(matches!(t.view(), TestView::Failed(e) if e.contains("ftp")));
        bad.url = "demo://".into();
        t.poll(&bad);
        assert_eq!(t.view(), TestView::Idle, "a new URL clears the old answer");
    }
}
