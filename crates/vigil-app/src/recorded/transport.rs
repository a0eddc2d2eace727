//! The playback controls above the timeline — step back, play/pause, step forward, speed —
//! and their keys: Space plays or pauses, ← and → step one picture, J slows down, K pauses,
//! L plays (and speeds up when already playing).

use egui::{Key, Modifiers, Ui};

use crate::local_time;
use crate::tr;
use vigil_core::service::{PlayerState, TrackStatus, MAX_SPEED, MIN_SPEED};

/// What the operator asked of the player.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Transport {
    Play,
    Pause,
    Step(i32),
    Speed(f64),
}

pub const SPEEDS: [f64; 7] = [0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0];

/// The next speed up or down the [`SPEEDS`] ladder.
pub fn next_speed(speed: f64, faster: bool) -> f64 {
    let next = if faster {
        SPEEDS.iter().copied().find(|s| *s > speed + 1e-9)
    } else {
        SPEEDS.iter().rev().copied().find(|s| *s < speed - 1e-9)
    };
    next.unwrap_or(speed).clamp(MIN_SPEED, MAX_SPEED)
}

/// The controls; returns what was clicked.
pub fn controls(ui: &mut Ui, state: &PlayerState) -> Option<Transport> {
    let mut out = None;
    ui.horizontal(|ui| {
        if ui
            .button(tr!("recorded-step-back"))
            .on_hover_text(tr!("recorded-step-back-hover"))
            .clicked()
        {
            out = Some(Transport::Step(-1));
        }
        let (label, t) = if state.playing {
            (tr!("recorded-pause"), Transport::Pause)
        } else {
            (tr!("recorded-play"), Transport::Play)
        };
        if ui
            .button(label)
            .on_hover_text(tr!("recorded-space-key"))
            .clicked()
        {
            out = Some(t);
        }
        if ui
            .button(tr!("recorded-step-forward"))
            .on_hover_text(tr!("recorded-step-forward-hover"))
            .clicked()
        {
            out = Some(Transport::Step(1));
        }
        egui::ComboBox::from_id_salt("playback-speed")
            .selected_text(format!("{}×", state.speed))
            .width(70.0)
            .show_ui(ui, |ui| {
                for s in SPEEDS {
                    if ui
                        .selectable_label(state.speed == s, format!("{s}×"))
                        .clicked()
                    {
                        out = Some(Transport::Speed(s));
                    }
                }
            });
        ui.label(egui::RichText::new(describe(state)).weak());
    });
    out
}

/// The player's state in words, times in local time (the engine's own `describe` is UTC).
pub fn describe(state: &PlayerState) -> String {
    let time = local_time::date_time(state.position_us);
    let line = if state.ended {
        tr!("recorded-ended-at", time = time)
    } else if state.playing {
        let speed = state.speed.to_string();
        tr!("recorded-playing-at", speed = speed, time = time)
    } else {
        tr!("recorded-paused-at", time = time)
    };
    match state.jumped_gap {
        Some((from, to)) => tr!(
            "recorded-skipped-gap",
            state = line,
            gap = local_time::duration(to - from)
        ),
        None => line,
    }
}

/// Why a camera shows no recorded picture, in words, times in local time.
pub fn track_note(status: &TrackStatus) -> Option<String> {
    match status {
        TrackStatus::Showing => None,
        TrackStatus::Idle => Some(tr!("recorded-loading")),
        TrackStatus::InGap { next_us: Some(t) } => {
            Some(tr!("recorded-next-at", time = local_time::date_time(*t)))
        }
        other => Some(other.to_string()),
    }
}

/// The keys, consumed only while watching a recording.
pub fn keys(ui: &mut Ui, state: &PlayerState) -> Option<Transport> {
    ui.input_mut(|i| {
        let mut pressed = |k| i.consume_key(Modifiers::NONE, k);
        if pressed(Key::Space) {
            Some(if state.playing {
                Transport::Pause
            } else {
                Transport::Play
            })
        } else if pressed(Key::ArrowLeft) {
            Some(Transport::Step(-1))
        } else if pressed(Key::ArrowRight) {
            Some(Transport::Step(1))
        } else if pressed(Key::K) {
            Some(Transport::Pause)
        } else if pressed(Key::J) {
            Some(Transport::Speed(next_speed(state.speed, false)))
        } else if pressed(Key::L) {
            Some(if state.playing {
                Transport::Speed(next_speed(state.speed, true))
            } else {
                Transport::Play
            })
        } else {
            None
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn speed_ladder() {
        assert_eq!(next_speed(1.0, true), 2.0);
        assert_eq!(next_speed(1.0, false), 0.5);
        assert_eq!(next_speed(16.0, true), 16.0);
        assert_eq!(next_speed(0.25, false), 0.25);
        assert_eq!(next_speed(3.0, true), 4.0);
    }
}
