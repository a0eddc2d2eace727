//! The demo camera as a live source: paces the synthetic encoder at its frame rate, like a
//! camera on the network would deliver. `demo://?width=640&height=360&fps=15`.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::demo::DemoSource;
use super::PacketSource;
use crate::media::input::RawPacket;
use crate::media::MediaError;
use crate::model::time::now_us;
use crate::packet::StreamInfo;

pub struct LiveDemo {
    source: DemoSource,
    info: Arc<StreamInfo>,
    stop: Arc<AtomicBool>,
    started: Instant,
    frame: u64,
    pending: std::collections::VecDeque<RawPacket>,
}

/// Reads `key=value` pairs from the URL's query, with defaults.
fn query_u32(url: &str, key: &str, default: u32) -> u32 {
    url.split_once('?')
        .map(|(_, q)| q)
        .unwrap_or("")
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .find(|(k, _)| *k == key)
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(default)
}

impl LiveDemo {
    pub fn open(url: &str, stop: Arc<AtomicBool>) -> Result<Self, MediaError> {
        crate::media::init();
        let width = query_u32(url, "width", 640);
        let height = query_u32(url, "height", 360);
        let fps = query_u32(url, "fps", 15);
        let source = DemoSource::new(width, height, fps, fps * 2)
            .map_err(|e| MediaError::Unsupported(format!("the demo camera cannot start: {e}")))?;
        let info = source.stream_info();
        Ok(Self {
            source,
            info: Arc::new(info),
            stop,
            started: Instant::now(),
            frame: 0,
            pending: std::collections::VecDeque::new(),
        })
    }
}

impl PacketSource for LiveDemo {
    fn info(&self) -> Arc<StreamInfo> {
        Arc::clone(&self.info)
    }

    fn read(&mut self) -> Result<RawPacket, MediaError> {
        loop {
            if let Some(p) = self.pending.pop_front() {
                return Ok(p);
            }
            let fps = u64::from(self.source.fps().max(1));
            let due = self.started + Duration::from_micros(self.frame * 1_000_000 / fps);
            loop {
                if self.stop.load(Ordering::Relaxed) {
                    return Err(MediaError::Stopped);
                }
                let now = Instant::now();
                if now >= due {
                    break;
                }
                std::thread::sleep((due - now).min(Duration::from_millis(100)));
            }
            self.frame += 1;
            let packets = self
                .source
                .next_packets(now_us())
                .map_err(|e| MediaError::Source(format!("the demo camera failed: {e}")))?;
            self.pending.extend(packets);
        }
    }
}
