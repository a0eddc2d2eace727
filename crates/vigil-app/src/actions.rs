//! What the operator asks for from a tile's context menu or the top bar, as values: the app
//! collects them while drawing and carries them out after the frame's layout, in one place.

use crate::tr;

/// A request from the grid or the top bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UiAction {
    /// Open the camera dialog for a new camera.
    AddCamera,
    /// Open the camera dialog on this camera's connection settings.
    EditCamera(String),
    /// Open the recording-policy editor for this camera.
    EditPolicy(String),
    /// Enter zone drawing on this camera's live view.
    EditZones(String),
    /// Start or stop this camera.
    SetEnabled(String, bool),
    /// Ask (with confirmation) to remove this camera.
    RemoveCamera(String),
    /// Show this camera's recording at this moment (from the clip library).
    ShowRecording { camera: String, at_us: i64 },
    /// Export a range or an event to one MP4 (asks where first).
    Export(vigil_core::service::ExportRequest),
    /// Open the MQTT settings window.
    MqttSettings,
    /// Replay this camera's last 30 s in its tile.
    InstantReplay(String),
}

/// The context-menu entries of a camera tile, as (label, action).
pub fn tile_menu(camera: &str, enabled: bool) -> Vec<(String, UiAction)> {
    let name = camera.to_string();
    vec![
        (
            tr!("app-menu-edit-camera"),
            UiAction::EditCamera(name.clone()),
        ),
        (tr!("app-menu-policy"), UiAction::EditPolicy(name.clone())),
        (tr!("app-menu-zones"), UiAction::EditZones(name.clone())),
        if enabled {
            (
                tr!("app-menu-disable"),
                UiAction::SetEnabled(name.clone(), false),
            )
        } else {
            (
                tr!("app-menu-enable"),
                UiAction::SetEnabled(name.clone(), true),
            )
        },
        (tr!("app-menu-remove"), UiAction::RemoveCamera(name.clone())),
        (
            tr!("app-menu-instant-replay"),
            UiAction::InstantReplay(name),
        ),
    ]
}
