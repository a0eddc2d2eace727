//! The app over a library another Vigil records into (the system service, or another
//! window), read-only: the backend that serves that library ([`ViewerBackend`]), the state
//! its refresh thread keeps current (who records, each camera's newest recording:
//! [`ViewerState`]), and the tiles' near-live pictures taken from those recordings
//! ([`RecentPictures`]).

mod backend;
mod recent;
mod state;

pub use backend::ViewerBackend;
pub use recent::RecentPictures;
pub use state::{banner, ViewerState};
