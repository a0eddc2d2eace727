//! WS-Discovery: a Probe for ONVIF network video transmitters sent to the multicast group
//! 239.255.255.250:3702, and the ProbeMatches that come back (device service addresses,
//! scopes naming the model and location).
//!
//! FOUNDATION STUB: the onvif-discovery branch implements it.
