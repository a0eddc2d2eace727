//! The engine's status for servers on their own threads (the web viewer): the latest
//! snapshot and engine-level problems, read at once from whatever publishes them (the host).

use std::sync::Arc;

use super::types::EngineStatus;

pub trait StatusSource: Send + Sync {
    /// The latest status snapshot; returns at once.
    fn latest(&self) -> Arc<EngineStatus>;
    /// Engine-level problems (not a camera's), newest last.
    fn problems(&self) -> Vec<String>;
}
