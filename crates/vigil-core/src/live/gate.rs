//! Which packets a live decoder takes: all of them, or key frames only while the decode
//! budget is limited for its watch; coming back, none but a key frame until the next one.

/// Which packets a decoder takes: all of them, or key frames only while the budget says so
/// (and, coming back, none but a key frame until the next one: the pictures in between refer
/// to pictures it skipped).
#[derive(Debug, Default)]
pub(crate) struct KeyGate {
    need_key: bool,
}

impl KeyGate {
    /// Whether to decode this packet.
    pub(crate) fn admit(&mut self, key: bool, keyframes_only: bool) -> bool {
        if keyframes_only {
            self.need_key = true;
            return key;
        }
        if self.need_key && key {
            self.need_key = false;
        }
        !self.need_key
    }

    /// Still waiting for a key frame: pictures come at key frames only.
    pub(crate) fn waiting(&self) -> bool {
        self.need_key
    }

    /// A new stream starts at a key frame anyway.
    pub(crate) fn reset(&mut self) {
        self.need_key = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_gate_takes_key_frames_only_and_waits_for_one_to_come_back() {
        let mut g = KeyGate::default();
        assert!(g.admit(false, false));
        assert!(!g.admit(false, true));
        assert!(g.admit(true, true));
        assert!(!g.admit(false, true));
        // Lifted: the pictures up to the next key frame refer to skipped ones.
        assert!(!g.admit(false, false));
        assert!(g.waiting());
        assert!(g.admit(true, false));
        assert!(g.admit(false, false));
        assert!(!g.waiting());
    }
}
