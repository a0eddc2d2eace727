//! Issue 9: export_safety (tests to come).
