//! Many library changes as one: [`Library::all_or_nothing`] runs them in a single SQLite
//! transaction, committed only when every one succeeded (a configuration import). The
//! methods that write several rows use savepoints, so they nest inside it.

use super::{Library, LibraryError};

/// What to do with the changes once they all succeeded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Finish {
    /// Keep them.
    Commit,
    /// Throw them away (a dry run: every check ran, nothing stays).
    RollBack,
}

impl Library {
    /// Runs `change` in one transaction (taken for writing at once, so another writer waits
    /// rather than interleaving): on an error nothing it did stays; on success it is committed
    /// or, with [`Finish::RollBack`], thrown away.
    pub fn all_or_nothing<T, E>(
        &mut self,
        finish: Finish,
        change: impl FnOnce(&mut Library) -> Result<T, E>,
    ) -> Result<T, E>
    where
        E: From<LibraryError>,
    {
        self.conn
            .execute_batch("BEGIN IMMEDIATE")
            .map_err(LibraryError::from)?;
        let result = change(self);
        let end = match (&result, finish) {
            (Ok(_), Finish::Commit) => "COMMIT",
            _ => "ROLLBACK",
        };
        match self.conn.execute_batch(end) {
            Ok(()) => result,
            Err(e) => {
                // A failed COMMIT leaves the transaction open: end it, keeping nothing.
                if !self.conn.is_autocommit() {
                    let _ = self.conn.execute_batch("ROLLBACK");
                }
                result.and(Err(LibraryError::from(e).into()))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CameraName, NewCamera, Policy, Transport};

    fn cam(name: &str) -> NewCamera {
        NewCamera {
            name: CameraName::parse(name).unwrap(),
            url: "rtsp://u:p@10.0.0.5/main".into(),
            detect_url: None,
            transport: Transport::Tcp,
            enabled: true,
            audio: false,
        }
    }

    #[test]
    fn a_failure_part_way_keeps_nothing_and_a_dry_run_keeps_nothing_either() {
        let dir = tempfile::tempdir().unwrap();
        let mut lib = Library::open(dir.path()).unwrap();
        let failed: Result<(), LibraryError> = lib.all_or_nothing(Finish::Commit, |lib| {
            lib.add_camera(&cam("gate"), &Policy::default())?;
            lib.add_camera(&cam("gate"), &Policy::default())?;
            Ok(())
        });
        assert!(matches!(failed, Err(LibraryError::DuplicateCamera(_))));
        let dry: Result<(), LibraryError> = lib.all_or_nothing(Finish::RollBack, |lib| {
            lib.add_camera(&cam("yard"), &Policy::default())?;
            Ok(())
        });
        dry.unwrap();
        assert!(lib.cameras().unwrap().is_empty());
        let kept: Result<(), LibraryError> = lib.all_or_nothing(Finish::Commit, |lib| {
            lib.add_camera(&cam("yard"), &Policy::default())?;
            Ok(())
        });
        kept.unwrap();
        assert_eq!(lib.cameras().unwrap().len(), 1);
        // The credentials went to their own table inside the same transaction.
        assert_eq!(
            lib.camera_by_name("yard").unwrap().url,
            "rtsp://u:p@10.0.0.5/main"
        );
    }
}
