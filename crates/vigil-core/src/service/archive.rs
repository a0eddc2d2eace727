//! The archive handle: recorded events for a front end — list them (with filters), their
//! thumbnails decoded to RGBA ready for a texture, protect them from retention, delete them
//! with their clips (saying first what that removes). Every query runs as a [`Job`] on its
//! own thread, so the caller polls and never waits on SQLite or a JPEG decoder. One SQLite
//! connection behind a mutex, shared with the [`Exports`] handle. Motion search runs on a
//! connection of its own.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use super::error::ServiceError;
use super::export::Exports;
use super::shared_library::{lock, SharedLibrary};
use crate::jobs::{Job, Wake};
use crate::library::events::{EventDeletion, EventQuery};
use crate::library::{Library, LibraryError};
use crate::model::{Camera, Event};
use crate::search::{MotionQuery, MotionSearch};

/// Which events to list: a library query whose camera is named (`None`: every camera); the
/// query's own `camera_id` is filled in from the name.
#[derive(Debug, Clone, Default)]
pub struct EventListRequest {
    pub camera: Option<String>,
    pub query: EventQuery,
}

/// The answer to an [`EventListRequest`].
#[derive(Debug, Clone, PartialEq)]
pub struct EventList {
    /// Every configured camera's name, by name (e.g. for a filter's choices).
    pub cameras: Vec<String>,
    /// The events, in the query's order; `None` when the named camera is not configured.
    pub events: Option<Vec<Event>>,
}

/// An event's thumbnail decoded to RGBA (unmultiplied, 4 bytes a pixel, rows top down).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Thumbnail {
    pub width: u32,
    pub height: u32,
    pub rgba: Vec<u8>,
}

/// Decoded thumbnails by event id, in the order asked (`None`: none, or unreadable).
pub type Thumbnails = Vec<(i64, Option<Thumbnail>)>;

pub struct Archive {
    lib: SharedLibrary,
    exports: Exports,
    /// It views another recorder's library (`library::read_only`).
    read_only: bool,
}

impl Archive {
    /// Opens the library in `data_dir` (one connection for the archive and its exports).
    pub fn open(data_dir: &Path) -> Result<Self, LibraryError> {
        let lib = Arc::new(Mutex::new(Library::open(data_dir)?));
        Ok(Self {
            exports: Exports::new(Arc::clone(&lib)),
            lib,
            read_only: crate::library::read_only::is_viewed(data_dir),
        })
    }

    /// The bookmarks of this archive (a handle the caller may keep).
    pub fn bookmarks(&self) -> super::Bookmarks {
        super::Bookmarks::new(Arc::clone(&self.lib))
    }

    /// Exports of recorded footage from this archive.
    pub fn exports(&self) -> &Exports {
        &self.exports
    }

    /// The data directory the library lives in (no query).
    pub fn data_dir(&self) -> PathBuf {
        lock(&self.lib).root().to_path_buf()
    }

    /// Whether this archive only views another recorder's library (nothing can be
    /// protected or deleted here: `library::read_only`).
    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    /// Every camera, by name (e.g. their ids for the timeline's rows).
    pub fn cameras(&self, wake: Option<Wake>) -> Job<Result<Vec<Camera>, ServiceError>> {
        self.run("reading the cameras", wake, |lib| lib.cameras())
    }

    /// Lists events; the answer also names every camera.
    pub fn events(
        &self,
        request: EventListRequest,
        wake: Option<Wake>,
    ) -> Job<Result<EventList, ServiceError>> {
        self.run("listing the events", wake, move |lib| list(lib, request))
    }

    /// Decodes the thumbnails of `ids` (in that order); an event without one, or whose JPEG
    /// cannot be read, answers `None` (logged). Stops early when cancelled.
    pub fn thumbnails(&self, ids: Vec<i64>, wake: Option<Wake>) -> Job<Thumbnails> {
        let lib = Arc::clone(&self.lib);
        Job::spawn(
            "archive-thumbnails",
            wake,
            move |ctx| {
                let mut out = Vec::with_capacity(ids.len());
                for id in ids {
                    if ctx.cancelled() {
                        break;
                    }
                    let jpeg = lock(&lib).event_thumbnail(id);
                    out.push((id, decode(id, jpeg)));
                }
                out
            },
            |e| {
                tracing::error!(error = %e, "cannot start decoding thumbnails");
                Vec::new()
            },
        )
    }

    /// One event by id (`None`: no such event).
    pub fn event(&self, id: i64, wake: Option<Wake>) -> Job<Result<Option<Event>, ServiceError>> {
        self.run("reading the event", wake, move |lib| lib.event(id))
    }

    /// The event's thumbnail as stored (a JPEG, not decoded); `None` when the event has none
    /// or does not exist.
    pub fn thumbnail_jpeg(
        &self,
        id: i64,
        wake: Option<Wake>,
    ) -> Job<Result<Option<Vec<u8>>, ServiceError>> {
        self.run("reading the thumbnail", wake, move |lib| {
            lib.event_thumbnail(id)
        })
    }

    /// Protects the event from retention (or lifts that); answers whether the event exists.
    pub fn set_protected(
        &self,
        id: i64,
        protected: bool,
        wake: Option<Wake>,
    ) -> Job<Result<bool, ServiceError>> {
        self.run("protecting the event", wake, move |lib| {
            lib.set_event_protected(id, protected)
        })
    }

    /// What deleting the event would remove (for a confirmation).
    pub fn deletion(
        &self,
        id: i64,
        wake: Option<Wake>,
    ) -> Job<Result<EventDeletion, ServiceError>> {
        self.run("reading the event", wake, move |lib| lib.event_deletion(id))
    }

    /// Deletes the event and its clips for the person `by` (kept in the deletion log);
    /// answers what went.
    pub fn delete_event(
        &self,
        id: i64,
        by: String,
        wake: Option<Wake>,
    ) -> Job<Result<EventDeletion, ServiceError>> {
        self.run("deleting the event", wake, move |lib| {
            lib.delete_event(id, &by)
        })
    }

    /// Searches a camera's motion index for motion in a region (`search::search`) on a
    /// connection of its own, so a long search holds up no other archive call. The job
    /// reports its progress (the fraction of the range read) and honours cancel
    /// ([`crate::search::SearchError::Cancelled`]).
    pub fn search_motion(
        &self,
        query: MotionQuery,
        wake: Option<Wake>,
    ) -> Job<Result<MotionSearch, ServiceError>> {
        let data_dir = self.data_dir();
        Job::spawn(
            "motion-search",
            wake,
            move |ctx| {
                let lib = Library::open(&data_dir).map_err(ServiceError::Archive)?;
                crate::search::search(&lib, &query, ctx).map_err(ServiceError::Search)
            },
            |e| {
                Err(ServiceError::ArchiveJobNotStarted {
                    what: "the motion search",
                    reason: e.to_string(),
                })
            },
        )
    }

    /// Runs one library call on a job of its own.
    fn run<T: Send + 'static>(
        &self,
        what: &'static str,
        wake: Option<Wake>,
        work: impl FnOnce(&mut Library) -> Result<T, LibraryError> + Send + 'static,
    ) -> Job<Result<T, ServiceError>> {
        let lib = Arc::clone(&self.lib);
        Job::spawn(
            "archive",
            wake,
            move |_| work(&mut lock(&lib)).map_err(ServiceError::Archive),
            move |e| {
                Err(ServiceError::ArchiveJobNotStarted {
                    what,
                    reason: e.to_string(),
                })
            },
        )
    }
}

fn list(lib: &mut Library, request: EventListRequest) -> Result<EventList, LibraryError> {
    let cameras = lib.cameras()?;
    let names = cameras.iter().map(|c| c.name.to_string()).collect();
    let mut query = request.query;
    if let Some(name) = &request.camera {
        match cameras.iter().find(|c| c.name.as_str() == name) {
            Some(c) => query.camera_id = Some(c.id),
            None => {
                return Ok(EventList {
                    cameras: names,
                    events: None,
                })
            }
        }
    }
    Ok(EventList {
        cameras: names,
        events: Some(lib.events(&query)?),
    })
}

fn decode(id: i64, jpeg: Result<Option<Vec<u8>>, LibraryError>) -> Option<Thumbnail> {
    let jpeg = jpeg
        .map_err(|err| tracing::warn!(event = id, error = %err, "cannot read a thumbnail"))
        .ok()??;
    let img = image::load_from_memory_with_format(&jpeg, image::ImageFormat::Jpeg)
        .map_err(|err| tracing::warn!(event = id, error = %err, "unreadable thumbnail"))
        .ok()?
        .to_rgba8();
    Some(Thumbnail {
        width: img.width(),
        height: img.height(),
        rgba: img.into_raw(),
    })
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::{Duration, Instant};

    use super::*;
    use crate::jobs::JobState;
    use crate::model::{CameraName, EventSource, NewCamera, NewEvent, Policy, Transport};

    /// A 32×18 JPEG, as the analyzer stores.
    fn jpeg() -> Vec<u8> {
        let img = image::RgbImage::from_fn(32, 18, |x, y| {
            image::Rgb([(x * 8) as u8, (y * 14) as u8, 90])
        });
        let mut out = std::io::Cursor::new(Vec::new());
        img.write_to(&mut out, image::ImageFormat::Jpeg).unwrap();
        out.into_inner()
    }

    /// Camera "yard" with a motion event (with a thumbnail) and a door trigger after it.
    fn library() -> (tempfile::TempDir, i64, i64) {
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
        let cam = lib.add_camera(&cam, &Policy::default()).unwrap();
        let event = |source, label: &str, start_us, thumbnail| NewEvent {
            camera_id: cam.id,
            source,
            label: label.into(),
            zone_id: None,
            start_us,
            end_us: Some(start_us + 12_000_000),
            score: 0.3,
            thumbnail,
            object_box: None,
        };
        let at = 1_764_072_000_000_000;
        let motion = lib
            .insert_event(&event(EventSource::Motion, "motion", at, Some(jpeg())))
            .unwrap();
        let door = lib
            .insert_event(&event(EventSource::External, "door", at + 60_000_000, None))
            .unwrap();
        (dir, motion, door)
    }

    /// Polls `job` as a UI frame would, until it answers (20 s at most).
    fn answer<T: Send + 'static>(mut job: Job<T>) -> T {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            match job.poll() {
                JobState::Done(v) => return v,
                JobState::Lost => panic!("the job ended without an answer"),
                JobState::Running => {
                    assert!(Instant::now() < deadline, "no answer within 20 s");
                    std::thread::sleep(Duration::from_millis(5));
                }
            }
        }
    }

    fn request(camera: Option<&str>) -> EventListRequest {
        EventListRequest {
            camera: camera.map(str::to_string),
            query: EventQuery {
                newest_first: true,
                ..EventQuery::default()
            },
        }
    }

    #[test]
    fn events_are_listed_and_thumbnails_decode_off_the_callers_thread() {
        let (dir, motion, door) = library();
        let archive = Archive::open(dir.path()).unwrap();
        let list = answer(archive.events(request(None), None)).unwrap();
        assert_eq!(list.cameras, vec!["yard".to_string()]);
        let ids: Vec<i64> = list.events.unwrap().iter().map(|e| e.id).collect();
        assert_eq!(ids, vec![door, motion], "newest first");
        let yard = answer(archive.events(request(Some("yard")), None)).unwrap();
        assert_eq!(yard.events.map(|e| e.len()), Some(2));
        let gone = answer(archive.events(request(Some("gone")), None)).unwrap();
        assert_eq!(gone.events, None, "a camera that is not configured");

        let woken_on = Arc::new(Mutex::new(None));
        let w = Arc::clone(&woken_on);
        let wake: Wake = Arc::new(move || {
            *w.lock().unwrap() = std::thread::current().name().map(str::to_string);
        });
        let thumbs = answer(archive.thumbnails(vec![motion, door], Some(wake)));
        assert_eq!(thumbs.len(), 2);
        let (id, Some(t)) = &thumbs[0] else {
            panic!("the motion event has a thumbnail: {thumbs:?}");
        };
        assert_eq!((*id, t.width, t.height), (motion, 32, 18));
        assert_eq!(t.rgba.len(), 32 * 18 * 4);
        assert_eq!(thumbs[1], (door, None), "the trigger has none");
        let thread = woken_on.lock().unwrap().clone();
        assert_eq!(thread.as_deref(), Some("archive-thumbnails"));

        let stored = answer(archive.thumbnail_jpeg(motion, None)).unwrap();
        assert_eq!(stored, Some(jpeg()), "the JPEG as stored, not re-encoded");
        assert_eq!(answer(archive.thumbnail_jpeg(door, None)).unwrap(), None);
        let one = answer(archive.event(door, None)).unwrap();
        assert_eq!(one.map(|e| e.label), Some("door".to_string()));
        assert_eq!(answer(archive.event(9999, None)).unwrap(), None);
    }

    #[test]
    fn events_are_filtered_by_zone_and_paged_newest_first() {
        let (dir, motion, door) = library();
        let archive = Archive::open(dir.path()).unwrap();
        let page = |before, zone: Option<&str>| {
            let mut r = request(None);
            r.query.limit = Some(1);
            r.query.before = before;
            r.query.zone = zone.map(str::to_string);
            let list = answer(archive.events(r, None)).unwrap();
            list.events
                .unwrap()
                .iter()
                .map(|e| (e.start_us, e.id))
                .collect::<Vec<_>>()
        };
        let first = page(None, None);
        assert_eq!(first.iter().map(|e| e.1).collect::<Vec<_>>(), vec![door]);
        let second = page(first.first().copied(), None);
        assert_eq!(second.iter().map(|e| e.1).collect::<Vec<_>>(), vec![motion]);
        assert!(
            page(second.first().copied(), None).is_empty(),
            "the last page"
        );
        assert!(page(None, Some("path")).is_empty(), "neither is in a zone");
    }

    #[test]
    fn protect_is_stored_and_delete_says_what_goes_first() {
        let (dir, motion, door) = library();
        let archive = Archive::open(dir.path()).unwrap();
        let woken = Arc::new(AtomicUsize::new(0));
        let w = Arc::clone(&woken);
        let wake: Wake = Arc::new(move || {
            w.fetch_add(1, Ordering::SeqCst);
        });
        assert!(answer(archive.set_protected(door, true, Some(wake))).unwrap());
        assert_eq!(woken.load(Ordering::SeqCst), 1, "the caller is woken");
        let stored = Library::open(dir.path()).unwrap().event(door).unwrap();
        assert!(stored.unwrap().protected);
        let refused = answer(archive.delete_event(door, "tester".into(), None)).unwrap_err();
        assert!(
            refused.to_string().contains("unprotect it first"),
            "{refused}"
        );

        let what = answer(archive.deletion(motion, None)).unwrap();
        assert_eq!((what.clips, what.bytes), (0, 0), "no clip was recorded");
        let gone = answer(archive.delete_event(motion, "tester".into(), None)).unwrap();
        assert_eq!(gone, what);
        let left = answer(archive.events(request(None), None)).unwrap();
        let ids: Vec<i64> = left.events.unwrap().iter().map(|e| e.id).collect();
        assert_eq!(ids, vec![door]);
    }

    #[test]
    fn a_motion_search_runs_as_a_job_and_refuses_a_bad_region_in_words() {
        use crate::library::motion_index::{minute_of, MotionMinute};
        use crate::search::{MotionQuery, SearchRegion};
        let (dir, _, _) = library();
        let at = 1_764_072_000_000_000;
        let mut lib = Library::open(dir.path()).unwrap();
        let cam = lib.cameras().unwrap()[0].id;
        let quiet = MotionMinute {
            camera_id: cam,
            minute: minute_of(at),
            cells: crate::detect::CellMask::EMPTY,
            frames: Vec::new(),
        };
        lib.store_motion_minutes(&[quiet]).unwrap();
        let archive = Archive::open(dir.path()).unwrap();
        let query = |region| MotionQuery {
            camera_id: cam,
            region,
            from_us: at - 60_000_000,
            to_us: at + 60_000_000,
            min_duration_us: 0,
            merge_gap_us: 2_000_000,
        };
        let whole = SearchRegion::Rect {
            x: 0.0,
            y: 0.0,
            w: 1.0,
            h: 1.0,
        };
        let job = archive.search_motion(query(whole), None);
        let found = answer(job).unwrap();
        assert!(found.hits.is_empty());
        assert_eq!((found.indexed_minutes, found.range_minutes), (1, 2));
        assert_eq!(found.unindexed.len(), 1, "the minute before has no index");
        let bad = SearchRegion::Polygon {
            points: vec![(0.1, 0.1), (0.2, 0.2)],
        };
        let err = answer(archive.search_motion(query(bad), None)).unwrap_err();
        assert!(matches!(err, ServiceError::Search(_)), "{err:?}");
        assert!(err.to_string().contains("at least 3 points"), "{err}");
    }
}
