//! The engine host as the engine service API: what a front end asks of [`EngineService`],
//! answered by the running engine in this process.

use std::sync::Arc;

use super::EngineHost;
use crate::model::Transport;
use crate::service::{
    probe, Archive, ConfigStore, EngineService, EngineStatus, Exports, Job, ListenHandle,
    LiveError, LiveHandle, LiveStream, PacketWatch, PlayerHandle, PlayerOptions, Repaint,
    ServiceError, StreamSummary, TimelineFeed, Wake,
};

impl EngineService for EngineHost {
    fn status(&self) -> Arc<EngineStatus> {
        EngineHost::status(self)
    }

    fn problems(&self) -> Vec<String> {
        EngineHost::problems(self)
    }

    fn watch(
        &self,
        camera: &str,
        width: u32,
        height: u32,
        repaint: Option<Repaint>,
    ) -> Result<LiveHandle, LiveError> {
        self.live().watch(camera, width, height, repaint)
    }

    fn watch_stream(
        &self,
        camera: &str,
        stream: LiveStream,
        width: u32,
        height: u32,
        repaint: Option<Repaint>,
    ) -> Result<LiveHandle, LiveError> {
        self.live()
            .watch_decoded(camera, stream, width, height, repaint)
    }

    fn set_repaint(&self, repaint: Repaint) {
        EngineHost::set_repaint(self, repaint);
    }

    fn config(&self) -> Option<&ConfigStore> {
        Some(EngineHost::config(self))
    }

    fn archive(&self) -> Option<&Archive> {
        Some(EngineHost::archive(self))
    }

    fn timeline(&self, repaint: Option<Repaint>) -> Result<TimelineFeed, ServiceError> {
        TimelineFeed::open(self.data_dir(), repaint)
    }

    fn player(
        &self,
        cameras: &[i64],
        start_us: i64,
        opts: PlayerOptions,
    ) -> Result<PlayerHandle, ServiceError> {
        PlayerHandle::open(self.data_dir(), cameras, start_us, opts)
    }

    fn exports(&self) -> Option<&Exports> {
        Some(EngineHost::archive(self).exports())
    }

    fn test_connection(
        &self,
        url: &str,
        transport: Transport,
        wake: Option<Wake>,
    ) -> Job<Result<StreamSummary, String>> {
        probe::test_connection(url, transport, wake)
    }

    fn watch_packets(&self, camera: &str) -> Result<PacketWatch, LiveError> {
        self.live().watch_packets(camera)
    }

    fn listen(
        &self,
        camera: &str,
        rate: u32,
        channels: u16,
        repaint: Option<Repaint>,
    ) -> Result<ListenHandle, LiveError> {
        self.live().listen(camera, rate, channels, repaint)
    }
}
