//! Issue 9: reconnect (tests to come).
