//! The engine's housekeeping thread: reconciles the library with the disk at start, then
//! runs retention sweeps (every `sweep_every`, or at once when a recorder finds the disk
//! full, freeing a tenth of the disk and re-creating the space reserve).

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crossbeam_channel::Receiver;

use super::EngineOptions;
use crate::library::disk::{disk_space, ensure_reserve, free_floor, release_reserve, reserve_size};
use crate::library::retention::DiskFloor;
use crate::library::Library;
use crate::model::time::now_us;

/// Runs until `stop`; `urgent` asks for an emergency sweep.
pub(super) fn housekeeping(opts: &EngineOptions, stop: &AtomicBool, urgent: &Receiver<()>) {
    let mut lib = match Library::open(&opts.data_dir) {
        Ok(lib) => lib,
        Err(e) => {
            tracing::error!(error = %e, "retention cannot open the library");
            return;
        }
    };
    match lib.reconcile() {
        Ok(r) if r.indexed + r.removed_files + r.dropped_rows > 0 => {
            tracing::info!(
                indexed = r.indexed,
                removed = r.removed_files,
                dropped_rows = r.dropped_rows,
                "library reconciled with the disk"
            );
        }
        Ok(_) => {}
        Err(e) => tracing::error!(error = %e, "library reconciliation failed"),
    }
    let mut next = Instant::now();
    while !stop.load(Ordering::Relaxed) {
        let emergency = urgent.recv_timeout(Duration::from_millis(200)).is_ok();
        if !emergency && Instant::now() < next {
            continue;
        }
        next = Instant::now() + opts.sweep_every;
        let floor = disk_space(&opts.data_dir).ok().map(|space| {
            let configured = free_floor(opts.min_free_bytes, space.total);
            // A full disk frees a tenth of it at once (and room to re-create the reserve),
            // so recording can go on.
            let min_free = if emergency {
                configured
                    .max(space.total / 10)
                    .max(3 * reserve_size(space.total))
            } else {
                configured
            };
            DiskFloor { space, min_free }
        });
        if emergency {
            let released = release_reserve(&opts.data_dir);
            tracing::warn!(released_reserve = released, "disk full: freeing space now");
        }
        if let Err(e) = lib.sweep(now_us(), floor) {
            tracing::error!(error = %e, "retention sweep failed");
        }
        if emergency {
            if let Err(e) = lib.truncate_log() {
                tracing::warn!(error = %e, "cannot empty the database log");
            }
        }
        if let Some(f) = floor {
            if let Err(e) = ensure_reserve(&opts.data_dir, reserve_size(f.space.total)) {
                tracing::warn!(error = %e, "cannot keep the disk space reserve");
            }
        }
    }
}
