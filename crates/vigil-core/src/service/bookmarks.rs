//! [`Bookmarks`]: a front end's handle on the library's bookmarks — list (by camera, window,
//! text), add, remove — each call a [`Job`] on its own thread, on the connection the archive
//! shares. Cheap to clone (the timeline's dialog and the clip library's list each hold one).

use std::sync::Arc;

use super::error::ServiceError;
use super::shared_library::{lock, SharedLibrary};
use crate::jobs::{Job, Wake};
use crate::library::{Bookmark, BookmarkQuery, Library, LibraryError, NewBookmark};
use crate::model::time::now_us;

#[derive(Clone)]
pub struct Bookmarks {
    lib: SharedLibrary,
}

impl Bookmarks {
    pub(crate) fn new(lib: SharedLibrary) -> Self {
        Self { lib }
    }

    /// Bookmarks matching `q`, oldest first.
    pub fn list(
        &self,
        q: BookmarkQuery,
        wake: Option<Wake>,
    ) -> Job<Result<Vec<Bookmark>, ServiceError>> {
        self.run("listing the bookmarks", wake, move |lib| lib.bookmarks(&q))
    }

    /// Adds a bookmark made now; answers it as stored (or why it was refused, in a sentence).
    pub fn add(&self, new: NewBookmark, wake: Option<Wake>) -> Job<Result<Bookmark, ServiceError>> {
        self.run("adding the bookmark", wake, move |lib| {
            lib.add_bookmark(&new, now_us())
        })
    }

    /// Removes a bookmark; answers it, or `None` when it was already gone.
    pub fn remove(
        &self,
        id: i64,
        wake: Option<Wake>,
    ) -> Job<Result<Option<Bookmark>, ServiceError>> {
        self.run("removing the bookmark", wake, move |lib| {
            lib.remove_bookmark(id)
        })
    }

    fn run<T: Send + 'static>(
        &self,
        what: &'static str,
        wake: Option<Wake>,
        work: impl FnOnce(&Library) -> Result<T, LibraryError> + Send + 'static,
    ) -> Job<Result<T, ServiceError>> {
        let lib = Arc::clone(&self.lib);
        Job::spawn(
            "bookmarks",
            wake,
            move |_| work(&lock(&lib)).map_err(ServiceError::Archive),
            move |e| {
                Err(ServiceError::ArchiveJobNotStarted {
                    what,
                    reason: e.to_string(),
                })
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CameraName, NewCamera, Policy, Transport};

    fn finish<T: Send + 'static>(job: Job<T>) -> T {
        job.wait().expect("the job answered")
    }

    #[test]
    fn jobs_add_list_and_remove_bookmarks() {
        let dir = tempfile::tempdir().unwrap();
        let mut lib = Library::open(dir.path()).unwrap();
        let cam = NewCamera {
            name: CameraName::parse("yard").unwrap(),
            url: "demo://".into(),
            detect_url: None,
            transport: Transport::Tcp,
            enabled: true,
            audio: false,
        };
        let cam = lib.add_camera(&cam, &Policy::default()).unwrap().id;
        let handle = Bookmarks::new(Arc::new(std::sync::Mutex::new(lib)));
        let new = NewBookmark {
            camera_id: cam,
            start_us: 5,
            end_us: 5,
            name: "gate".into(),
            note: String::new(),
            protected: false,
            by_user: "ana (desktop)".into(),
        };
        let added = finish(handle.add(new.clone(), None)).unwrap();
        assert_eq!(added.name, "gate");
        let refused = finish(handle.add(
            NewBookmark {
                name: " ".into(),
                ..new
            },
            None,
        ));
        assert_eq!(refused.unwrap_err().to_string(), "a bookmark needs a name");
        let all = finish(handle.list(BookmarkQuery::default(), None)).unwrap();
        assert_eq!(all, vec![added.clone()]);
        assert_eq!(finish(handle.remove(added.id, None)).unwrap(), Some(added));
        assert!(finish(handle.list(BookmarkQuery::default(), None))
            .unwrap()
            .is_empty());
    }
}
