//! Media errors in words an operator can act on ("connection refused", "wrong password"),
//! never FFmpeg's codes alone, and never with a password in them.

use ffmpeg_next as ffmpeg;

/// What went wrong with a source or a recording file.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MediaError {
    /// The source could not be opened or stopped delivering; the sentence says why.
    #[error("{0}")]
    Source(String),
    /// The source ended (a file reached its end, or the server closed the stream).
    #[error("{0}")]
    Ended(String),
    /// The source is video Vigil cannot record.
    #[error("{0}")]
    Unsupported(String),
    /// Nothing answered at the camera's address (connection refused, no route to host,
    /// timed out): it may be off or rebooting, so ingest watches for it to answer.
    #[error("{0}")]
    Unreachable(String),
    /// The camera (or the name service) answered, but no: wrong password, forbidden, no
    /// such stream, not video, unknown host name. Retrying soon will not fix it.
    #[error("{0}")]
    Rejected(String),
    /// Writing or finishing a recording failed.
    #[error("{0}")]
    Write(String),
    /// Writing failed because the disk is full.
    #[error("{0}")]
    DiskFull(String),
    /// Stopped on request.
    #[error("stopped")]
    Stopped,
}

impl MediaError {
    /// True when retrying later may help (network trouble, a camera rebooting, a file that
    /// ended); false for input that will never work as given.
    pub fn is_transient(&self) -> bool {
        !matches!(self, MediaError::Unsupported(_))
    }
}

/// True for failures where nothing answered at the network level: the camera is off,
/// rebooting or cut off, and will be reachable again by itself.
pub fn is_unreachable(e: ffmpeg::Error) -> bool {
    matches!(
        e,
        ffmpeg::Error::Other {
            errno: libc::ECONNREFUSED | libc::EHOSTUNREACH | libc::ENETUNREACH | libc::ETIMEDOUT
        }
    )
}

/// True for answers a camera gives that retrying soon will not change (credentials, path,
/// what it sends).
pub fn is_rejection(e: ffmpeg::Error) -> bool {
    use ffmpeg::Error as E;
    matches!(
        e,
        E::HttpUnauthorized
            | E::HttpForbidden
            | E::HttpNotFound
            | E::HttpBadRequest
            | E::HttpOther4xx
            | E::StreamNotFound
            | E::DecoderNotFound
            | E::InvalidData
    )
}

/// Describes an FFmpeg error met while opening or reading `what` (a masked URL or path).
pub fn describe(e: ffmpeg::Error, what: &str, timed_out: Option<u64>) -> String {
    use ffmpeg::Error as E;
    if let Some(secs) = timed_out {
        return format!("no answer from {what} within {secs} s");
    }
    match e {
        E::HttpUnauthorized => {
            format!("{what} refused the user name or password (401 Unauthorized)")
        }
        E::HttpForbidden => format!("{what} refused access (403 Forbidden)"),
        E::HttpNotFound => format!("{what} has no stream at that path (404 Not Found)"),
        E::HttpBadRequest => format!("{what} did not understand the request (400 Bad Request)"),
        E::HttpOther4xx => format!("{what} refused the request (4xx error)"),
        E::HttpServerError => format!("{what} had a server error (5xx)"),
        E::StreamNotFound => format!("{what} has no video stream"),
        E::DecoderNotFound => format!("{what} uses a codec this FFmpeg cannot read"),
        E::InvalidData => format!("{what} did not send video Vigil can read"),
        E::Eof => format!("{what} ended"),
        E::Exit => "stopped".to_string(),
        E::Other { errno } => describe_errno(errno, what),
        other => format!("{what}: {other}"),
    }
}

fn describe_errno(errno: i32, what: &str) -> String {
    match errno {
        libc::ECONNREFUSED => format!("connection refused by {what}"),
        libc::ETIMEDOUT => format!("timed out connecting to {what}"),
        libc::EHOSTUNREACH | libc::ENETUNREACH => {
            format!("{what} is unreachable (no route to host)")
        }
        libc::ECONNRESET => format!("{what} closed the connection"),
        libc::ENOENT => format!("{what} does not exist"),
        libc::EACCES | libc::EPERM => format!("permission denied opening {what}"),
        libc::EIO => format!("input/output error on {what} (is the host name right?)"),
        libc::ENOSPC => "the disk is full".to_string(),
        libc::EBUSY => format!("{what} is busy (in use by another program?)"),
        other => {
            let text = std::io::Error::from_raw_os_error(other).to_string();
            let text = text
                .split(" (os error")
                .next()
                .unwrap_or(&text)
                .to_lowercase();
            format!("{what}: {text}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_read_as_sentences() {
        let what = "rtsp://admin:***@cam/stream";
        assert_eq!(
            describe(
                ffmpeg::Error::Other {
                    errno: libc::ECONNREFUSED
                },
                what,
                None
            ),
            "connection refused by rtsp://admin:***@cam/stream"
        );
        assert!(describe(ffmpeg::Error::HttpUnauthorized, what, None).contains("401"));
        assert!(describe(ffmpeg::Error::InvalidData, what, Some(10)).contains("within 10 s"));
        assert!(!MediaError::Unsupported("x".into()).is_transient());
        assert!(MediaError::Source("x".into()).is_transient());
        assert!(MediaError::Unreachable("x".into()).is_transient());
        assert!(is_unreachable(ffmpeg::Error::Other {
            errno: libc::ECONNREFUSED
        }));
        assert!(is_rejection(ffmpeg::Error::HttpUnauthorized));
        assert!(!is_rejection(ffmpeg::Error::HttpServerError));
        assert!(!is_unreachable(ffmpeg::Error::Eof));
    }
}
