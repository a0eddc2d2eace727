//! Issue 9: api (tests to come).
