//! Changes a connection's stream makes at a keyframe: its sound appeared, changed or
//! stopped, or its picture changed size. Each starts the stream anew for the consumers (a
//! `Started` before the keyframe, so the recorder begins a new segment there) with a notice
//! in the status; a picture Vigil refuses ends the connection.

use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use super::params::{Change, ParamWatch};
use super::sound::{self, SoundIn};
use super::status::IngestPublisher;
use super::{reconfigured, Fanout};
use crate::media::input::RawPacket;
use crate::media::MediaError;
use crate::packet::{AudioInfo, StreamEvent, StreamInfo};

/// What a keyframe may bring: a change of sound or picture starts the stream anew (a
/// `Started` before the keyframe), a picture Vigil refuses ends the connection.
pub(super) struct Keyframe<'a, 'b> {
    pub camera: &'a str,
    pub status: &'a IngestPublisher,
    pub stop: &'a AtomicBool,
    pub fan: &'a mut Fanout<'b>,
}

impl Keyframe<'_, '_> {
    pub fn changes(
        &mut self,
        raw: &RawPacket,
        info: &mut Arc<StreamInfo>,
        sound: &SoundIn,
        watch: &mut ParamWatch,
    ) -> Result<(), MediaError> {
        let (camera, status) = (self.camera, self.status);
        if !same_audio(info, sound.wanted().as_ref()) {
            *info = sound_changed(camera, status, info, sound.wanted());
            self.restart(info)?;
        }
        match watch.keyframe(info, &raw.data) {
            None => Ok(()),
            Some(Change::Refused(why)) => Err(MediaError::Unsupported(format!("refused: {why}"))),
            Some(Change::Reconfigured(new)) => {
                *info = reconfigured(camera, status, info, new);
                self.restart(info)
            }
        }
    }

    fn restart(&mut self, info: &Arc<StreamInfo>) -> Result<(), MediaError> {
        if self.fan.send(
            StreamEvent::Started(Arc::clone(info)),
            self.status,
            self.stop,
        ) {
            Ok(())
        } else {
            Err(MediaError::Stopped)
        }
    }
}

/// True when the connection delivers `wanted` as its audio already.
fn same_audio(info: &StreamInfo, wanted: Option<&Arc<AudioInfo>>) -> bool {
    match (&info.audio, wanted) {
        (Some(a), Some(b)) => Arc::ptr_eq(a, b),
        (None, None) => true,
        _ => false,
    }
}

/// The connection's sound appeared, changed or stopped: says so and returns the stream
/// with its new audio (sent at a keyframe, so the recorder starts a new segment there).
fn sound_changed(
    camera: &str,
    status: &IngestPublisher,
    old: &StreamInfo,
    audio: Option<Arc<AudioInfo>>,
) -> Arc<StreamInfo> {
    let text = sound::change_notice(old.audio.as_deref(), audio.as_deref());
    tracing::warn!(camera, "{text}");
    status.update(|s| s.set_notice(&text));
    Arc::new(StreamInfo {
        audio,
        ..old.clone()
    })
}
