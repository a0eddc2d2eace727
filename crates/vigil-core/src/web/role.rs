//! Roles, from least to most trusted: viewers watch; operators also export, protect and
//! delete events and fire triggers; admins also change cameras, zones, policies and users.

use std::fmt;

use serde::Serialize;

use crate::model::InvalidInput;

/// What a user may do. Ordered: `Viewer < Operator < Admin`, each allowed all the one
/// below it may.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Viewer,
    Operator,
    Admin,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Viewer, Role::Operator, Role::Admin];

    /// Parses `viewer`, `operator` or `admin` (any case).
    pub fn parse(raw: &str) -> Result<Self, InvalidInput> {
        let lower = raw.trim().to_ascii_lowercase();
        Self::ALL
            .into_iter()
            .find(|r| r.as_str() == lower)
            .ok_or_else(|| {
                InvalidInput(format!(
                    "unknown role '{}'; use viewer, operator or admin",
                    crate::model::text::printable(raw.trim())
                ))
            })
    }

    /// A role read back from the library (whose table only allows the three names); anything
    /// else gets the least trust.
    pub(crate) fn from_stored(raw: &str) -> Self {
        Self::parse(raw).unwrap_or(Role::Viewer)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Operator => "operator",
            Role::Admin => "admin",
        }
    }

    /// Live and recorded video, events and their thumbnails: everyone.
    pub fn can_watch(self) -> bool {
        true
    }

    /// Download exports.
    pub fn can_export(self) -> bool {
        self >= Role::Operator
    }

    /// Protect, unprotect and delete events.
    pub fn can_manage_events(self) -> bool {
        self >= Role::Operator
    }

    /// Fire triggers (start events by hand or from a script).
    pub fn can_trigger(self) -> bool {
        self >= Role::Operator
    }

    /// Change cameras, zones and recording policies.
    pub fn can_change_config(self) -> bool {
        self >= Role::Admin
    }

    /// Add, change and remove users, and read the audit trail.
    pub fn can_manage_users(self) -> bool {
        self >= Role::Admin
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_role_may_do_what_the_one_below_may_and_more() {
        assert!(Role::Viewer < Role::Operator && Role::Operator < Role::Admin);
        let can = |r: Role| {
            [
                r.can_watch(),
                r.can_export(),
                r.can_manage_events(),
                r.can_trigger(),
                r.can_change_config(),
                r.can_manage_users(),
            ]
        };
        assert_eq!(can(Role::Viewer), [true, false, false, false, false, false]);
        assert_eq!(can(Role::Operator), [true, true, true, true, false, false]);
        assert_eq!(can(Role::Admin), [true; 6]);
    }

    #[test]
    fn roles_parse_by_name_and_refuse_others_with_a_sentence() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()).unwrap(), r);
        }
        assert_eq!(Role::parse(" Admin ").unwrap(), Role::Admin);
        let err = Role::parse("root").unwrap_err().to_string();
        assert_eq!(err, "unknown role 'root'; use viewer, operator or admin");
        assert_eq!(Role::from_stored("superuser"), Role::Viewer);
    }
}
