//! What a viewer asks of a player: the commands, the speeds allowed, and which commands
//! of a queued run need doing.

pub const MIN_SPEED: f64 = 0.25;
pub const MAX_SPEED: f64 = 16.0;

/// What a viewer asks of a player.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Command {
    Play,
    Pause,
    /// Show the exact picture at this wall time (UTC µs) of every camera.
    Seek(i64),
    /// Pause and move this many pictures forward (positive) or back (negative), across
    /// segments; the first camera's pictures set the pace, the others follow its time.
    Step(i32),
    /// Playback speed, [`MIN_SPEED`] to [`MAX_SPEED`].
    SetSpeed(f64),
    /// The box pictures are fitted into (aspect kept, never enlarged).
    SetSize(u32, u32),
    /// Whose sound is heard (a camera id of the player; `None`: nobody's). Sound plays at
    /// 1× forward only.
    SetSound(Option<i64>),
}

/// A seek followed by another seek (with no step between) need not be done: scrubbing
/// sends many, and only the last one shows.
pub(super) fn superseded(cmds: &[Command], i: usize) -> bool {
    matches!(cmds[i], Command::Seek(_))
        && cmds[i + 1..]
            .iter()
            .take_while(|c| !matches!(c, Command::Step(_)))
            .any(|c| matches!(c, Command::Seek(_)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_last_of_a_run_of_seeks_is_done() {
        use Command::*;
        let cmds = [
            Seek(1),
            Seek(2),
            Play,
            Seek(3),
            Step(1),
            Seek(4),
            SetSize(1, 1),
        ];
        let done: Vec<bool> = (0..cmds.len()).map(|i| !superseded(&cmds, i)).collect();
        assert_eq!(done, [false, false, true, true, true, true, true]);
    }
}
