//! Issue 9: stream_changes (tests to come).
