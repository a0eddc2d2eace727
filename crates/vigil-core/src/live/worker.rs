//! The live decoder thread of one watch: takes packets from the camera's stream tap,
//! decodes every one (references need it) — or key frames only while the hub's decode
//! budget is limited and the watch is not a priority — converts to RGBA at the requested
//! size only when no newer packet is already waiting, publishes into the shared slot, and
//! reports each packet's CPU cost and whether it is behind to the budget.

use std::sync::Arc;

use crossbeam_channel::Receiver;

use super::budget::{thread_cpu_time, BudgetMember, PacketCost};
use super::frame::LiveSlot;
use super::gate::KeyGate;
use crate::media::decode::RgbaDecoder;
use crate::packet::{Packet, StreamEvent};

/// Packets waiting in a decoder's queue beyond which it is behind (a second at 25 fps; the
/// tap skips to the next key frame for it at [`super::LIVE_QUEUE`]).
pub(crate) const BEHIND_QUEUE: usize = 25;

pub(crate) fn run(
    camera: &str,
    packets: &Receiver<StreamEvent>,
    shared: &Arc<LiveSlot>,
    budget: &BudgetMember,
) {
    let mut decoder: Option<RgbaDecoder> = None;
    let mut gate = KeyGate::default();
    while let Ok(ev) = packets.recv() {
        if shared.stopped() {
            break;
        }
        match ev {
            StreamEvent::Started(info) => {
                gate.reset();
                decoder = match RgbaDecoder::new(&info) {
                    Ok(d) => Some(d),
                    Err(e) => {
                        tracing::warn!(camera, error = %e, "live view cannot decode this stream");
                        shared.set_error(Some(e.to_string()));
                        None
                    }
                };
            }
            StreamEvent::Packet(pkt) => {
                let Some(dec) = decoder.as_mut() else {
                    continue;
                };
                let behind = packets.len() >= BEHIND_QUEUE;
                let keyframes_only = budget.limited() && !shared.priority();
                let admitted = gate.admit(pkt.keyframe, keyframes_only);
                shared.set_keyframes_only(keyframes_only || gate.waiting());
                let spent = admitted.then(|| {
                    // Key frames only: every one is shown (the waiting packets are skipped).
                    let newest = packets.is_empty() || keyframes_only;
                    let before = thread_cpu_time();
                    decode(camera, dec, &pkt, newest, shared);
                    thread_cpu_time().saturating_sub(before)
                });
                budget.record(PacketCost {
                    key: pkt.keyframe,
                    spent,
                    behind,
                });
            }
            StreamEvent::Ended => decoder = None,
            StreamEvent::Audio(_) => {}
        }
    }
    tracing::debug!(camera, "live view stopped");
}

/// Decodes one packet; converts and publishes its picture when `newest` (behind: decode
/// only, convert the newest picture when caught up).
fn decode(camera: &str, dec: &mut RgbaDecoder, pkt: &Packet, newest: bool, shared: &LiveSlot) {
    let fit = newest.then(|| shared.size());
    match dec.decode(pkt, fit) {
        Ok(Some(image)) => shared.publish(image, pkt.wall_us, dec.source_size()),
        Ok(None) => {}
        Err(e) => {
            tracing::debug!(camera, error = %e, "live view skipped a packet");
        }
    }
}
