//! Finding cameras through the service: WS-Discovery of the ONVIF cameras on the local
//! network, and a found camera's stream URLs read with a login, each on a [`Job`] (they
//! take seconds), answering in words without the password.

use std::time::Duration;

use crate::jobs::{Job, Wake};

pub use crate::events::onvif::device::StreamUris;
pub use crate::events::onvif::discovery::{nothing_found, Found};
pub use crate::events::onvif::Credentials;

/// Asks the local network for ONVIF cameras for `timeout`; `wake` is called when done.
pub fn find_cameras(timeout: Duration, wake: Option<Wake>) -> Job<Result<Vec<Found>, String>> {
    Job::spawn(
        "onvif-discovery",
        wake,
        move |_| crate::events::onvif::discovery::discover(timeout).map_err(|e| e.to_string()),
        |e| Err(format!("cannot start the search: {e}")),
    )
}

/// Reads the main and sub-stream URLs of the camera whose device service is `device_url`,
/// each request answered within `timeout`.
pub fn read_stream_uris(
    device_url: &str,
    creds: Credentials,
    timeout: Duration,
    wake: Option<Wake>,
) -> Job<Result<StreamUris, String>> {
    let url = device_url.to_string();
    Job::spawn(
        "onvif-streams",
        wake,
        move |_| {
            crate::events::onvif::device::stream_uris(&url, Some(&creds), timeout)
                .map_err(|e| e.to_string())
        },
        |e| Err(format!("cannot start reading the stream URLs: {e}")),
    )
}
