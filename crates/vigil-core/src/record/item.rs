//! What the recorder records of a connection, in arrival order: video packets and the audio
//! packets beside them (same wall-clock anchor). Only a video keyframe starts a GOP, a
//! segment or a clip; audio packets (all "keyframes" to their codec) never do.

use crate::packet::Packet;

#[derive(Debug, Clone)]
pub enum Item {
    Video(Packet),
    Audio(Packet),
}

impl Item {
    pub fn packet(&self) -> &Packet {
        match self {
            Item::Video(p) | Item::Audio(p) => p,
        }
    }

    /// Wall-clock time of the packet's presentation, UTC µs.
    pub fn wall_us(&self) -> i64 {
        self.packet().wall_us
    }

    /// True for a video keyframe (never for audio).
    pub fn is_keyframe(&self) -> bool {
        matches!(self, Item::Video(p) if p.keyframe)
    }

    pub fn is_video(&self) -> bool {
        matches!(self, Item::Video(_))
    }

    /// Bytes of packet data (for the memory caps).
    pub fn bytes(&self) -> usize {
        self.packet().data.len()
    }
}

impl From<Packet> for Item {
    /// A video packet.
    fn from(p: Packet) -> Self {
        Item::Video(p)
    }
}
