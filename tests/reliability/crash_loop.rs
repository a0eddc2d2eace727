//! Issue 9: crash_loop (tests to come).
