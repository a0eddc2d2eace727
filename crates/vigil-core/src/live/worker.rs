//! The live decoder thread of one watch: takes packets from the camera's stream tap,
//! decodes every one (references need it), converts to RGBA at the requested size only when
//! no newer packet is already waiting, and publishes into the shared slot.

use std::sync::Arc;

use crossbeam_channel::Receiver;

use super::frame::LiveSlot;
use crate::media::decode::RgbaDecoder;
use crate::packet::StreamEvent;

pub(crate) fn run(camera: &str, packets: &Receiver<StreamEvent>, shared: &Arc<LiveSlot>) {
    let mut decoder: Option<RgbaDecoder> = None;
    while let Ok(ev) = packets.recv() {
        if shared.stopped() {
            break;
        }
        match ev {
            StreamEvent::Started(info) => {
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
                // Behind: decode only, convert the newest picture when we catch up.
                let fit = packets.is_empty().then(|| shared.size());
                match dec.decode(&pkt, fit) {
                    Ok(Some(image)) => shared.publish(image, pkt.wall_us),
                    Ok(None) => {}
                    Err(e) => {
                        tracing::debug!(camera, error = %e, "live view skipped a packet");
                    }
                }
            }
            StreamEvent::Ended => decoder = None,
        }
    }
    tracing::debug!(camera, "live view stopped");
}
