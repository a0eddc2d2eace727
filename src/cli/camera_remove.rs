//! `vigil camera remove`. With a recorder running on the data directory (`vigil run`, the
//! app), the camera is disabled first and removed only once the recorder says it has
//! stopped it (its open segment finished and indexed), so nothing is written into what is
//! being deleted. With no recorder, the recorder lock is held while removing, so none
//! starts meanwhile.

use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use vigil_core::library::lock::RecorderLock;
use vigil_core::library::{Library, LibraryError};
use vigil_core::model::Camera;

/// How long a running recorder gets to stop the camera (it applies changes every 2 s, and
/// stopping finishes the open segment).
const STOP_DEADLINE: Duration = Duration::from_secs(30);

pub fn remove(data_dir: &Path, name: &str, delete_recordings: bool) -> anyhow::Result<ExitCode> {
    let mut lib = super::open_library(data_dir)?;
    let cam = lib.resolve_camera(name)?;
    let id = cam.name.to_string();
    let name = id.as_str();
    let (count, bytes) = lib.camera_usage(cam.id)?;
    if count > 0 && !delete_recordings {
        // Said before anything changes (the camera is not even disabled).
        return Err(LibraryError::CameraHasRecordings {
            name: name.to_string(),
            count,
            bytes,
        }
        .into());
    }
    let _lock = stop_in_recorder(&mut lib, &cam)?;
    let (count, _) = lib.camera_usage(cam.id)?;
    lib.remove_camera(name, delete_recordings)?;
    if delete_recordings {
        println!("removed camera '{name}' and its {count} recordings");
    } else {
        println!("removed camera '{name}'");
    }
    Ok(ExitCode::SUCCESS)
}

/// Makes sure no recorder writes for `cam`: returns the recorder lock when none runs, else
/// disables the camera and waits until the running recorder has stopped it.
fn stop_in_recorder(lib: &mut Library, cam: &Camera) -> anyhow::Result<Option<RecorderLock>> {
    if let Ok(lock) = RecorderLock::acquire(lib.root()) {
        return Ok(Some(lock));
    }
    let name = cam.name.as_str();
    if cam.enabled {
        lib.set_camera_enabled(name, false)?;
        println!("disabled camera '{name}'; waiting for the running recorder to stop it");
    }
    let deadline = Instant::now() + STOP_DEADLINE;
    loop {
        if !lib.camera_is_running(cam.id)? {
            return Ok(None);
        }
        // The recorder may have exited meanwhile.
        if let Ok(lock) = RecorderLock::acquire(lib.root()) {
            return Ok(Some(lock));
        }
        if Instant::now() >= deadline {
            anyhow::bail!(
                "the running recorder has not stopped camera '{name}' within {} s; the camera \
                 is left disabled and nothing was removed; run this command again in a \
                 moment, or stop the recorder first",
                STOP_DEADLINE.as_secs()
            );
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}
