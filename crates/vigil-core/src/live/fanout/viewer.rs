//! One viewer's end of a tap's fan-out: a bounded queue to the viewer's socket task, fed by
//! the packager with `try_send` (never blocking it). When the queue is full, fragments are
//! dropped up to the next keyframe that fits together with the init and notes held back
//! meanwhile (delivered first, in order), so a slow viewer holds at most [`QUEUE`] messages
//! and never slows the packager, the other viewers or the recorder.

use tokio::sync::mpsc::{self, error::TrySendError};

use super::wire::Outgoing;

/// Messages a viewer's socket task may have waiting (a fragment is one frame).
pub const QUEUE: usize = 32;
/// Text and init messages kept while fragments are being dropped.
const STASH: usize = 8;

/// The viewer's socket task is gone.
#[derive(Debug)]
pub(super) struct Closed;

/// The packager's end of one viewer's queue, with what it holds back while resynchronising.
pub(super) struct Viewer {
    tx: mpsc::Sender<Outgoing>,
    /// Fragments are being dropped until a keyframe finds room.
    resync: bool,
    /// Text and init messages that arrived while resynchronising, in order.
    stash: Vec<Outgoing>,
    pub(super) dropped: u64,
}

impl Viewer {
    /// A viewer that starts at the next keyframe, after `held` (the tap's current init and
    /// note, for a late joiner).
    pub(super) fn joining(tx: mpsc::Sender<Outgoing>, held: Vec<Outgoing>) -> Self {
        let mut v = Self {
            tx,
            resync: true,
            stash: Vec::new(),
            dropped: 0,
        };
        for out in held {
            v.hold(out);
        }
        v
    }

    /// Sends `out` if there is room; otherwise drops fragments up to a keyframe that fits
    /// together with the messages held back meanwhile.
    pub(super) fn offer(&mut self, out: Outgoing, keyframe: bool) -> Result<(), Closed> {
        let fragment = matches!(out, Outgoing::Fragment(_));
        if self.resync {
            if self.tx.is_closed() {
                return Err(Closed);
            }
            if !fragment {
                self.hold(out);
            } else if keyframe && self.tx.capacity() > self.stash.len() {
                self.resync = false;
                // Room for all: only the packager sends, so the capacity cannot shrink.
                for held in std::mem::take(&mut self.stash) {
                    self.send(held)?;
                }
                self.send(out)?;
            } else {
                self.dropped += 1;
            }
            return Ok(());
        }
        match self.tx.try_send(out) {
            Ok(()) => Ok(()),
            Err(TrySendError::Full(out)) => {
                self.resync = true;
                if fragment {
                    self.dropped += 1;
                } else {
                    self.hold(out);
                }
                Ok(())
            }
            Err(TrySendError::Closed(_)) => Err(Closed),
        }
    }

    /// The last message, if there is room (the queue closes after it anyway).
    pub(super) fn last(&self, out: Outgoing) {
        let _ = self.tx.try_send(out);
    }

    fn send(&self, out: Outgoing) -> Result<(), Closed> {
        self.tx.try_send(out).map_err(|_| Closed)
    }

    /// Holds back a message; a new init supersedes everything held before it.
    fn hold(&mut self, out: Outgoing) {
        if matches!(out, Outgoing::Init { .. }) {
            self.stash.clear();
        }
        if self.stash.len() >= STASH {
            let oldest_note = self
                .stash
                .iter()
                .position(|o| !matches!(o, Outgoing::Init { .. }));
            self.stash.remove(oldest_note.unwrap_or(0));
        }
        self.stash.push(out);
    }
}
