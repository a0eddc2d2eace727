//! Issue 9: data_safety (tests to come).
