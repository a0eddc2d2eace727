//! The camera connection test through the service: opens a URL with short deadlines on a
//! [`Job`] and answers what the stream is, or why it cannot be used — in words, without the
//! password.

use std::time::Duration;

use crate::jobs::{Job, Wake};
use crate::model::Transport;

pub use crate::source::probe::StreamSummary;

/// How long each step of a connection test (connect, each read) may take.
pub const CONNECTION_TEST_TIMEOUT: Duration = Duration::from_secs(5);

/// Tests `url` (trimmed) over `transport`; `wake` is called when the answer is ready.
pub fn test_connection(
    url: &str,
    transport: Transport,
    wake: Option<Wake>,
) -> Job<Result<StreamSummary, String>> {
    crate::source::probe::spawn_test(url, transport, CONNECTION_TEST_TIMEOUT, wake)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_stream_answers_and_a_refused_url_is_said_without_its_password() {
        let demo = test_connection(" demo:// ", Transport::Tcp, None).wait();
        let summary = demo.expect("an answer").expect("the demo stream works");
        assert_eq!(summary.codec, "h264");
        assert_eq!(summary.url, "demo://");

        let url = "rtsp://admin:hunter2@127.0.0.1:1/stream";
        let refused = test_connection(url, Transport::Tcp, None).wait();
        let err = refused.expect("an answer").unwrap_err();
        assert!(!err.contains("hunter2"), "{err}");
        assert!(err.to_lowercase().contains("refused"), "{err}");
    }
}
