//! Who is at this machine: the account name a local front end (the desktop app, the CLI)
//! records as the person behind a change, e.g. in the deletion log.

use std::ffi::CStr;

/// The name of the account this process runs as, from the system's user database (not from
/// `$USER`, which anyone can set), with where it came from: `"alice (desktop)"`; `uid 1000`
/// when the account has no name.
pub fn local_person(front_end: &str) -> String {
    format!("{} ({front_end})", account_name())
}

fn account_name() -> String {
    // SAFETY: getuid cannot fail; getpwuid_r writes only into `pwd` and `buf`, whose sizes
    // are passed, and `found` points into them when it is not null.
    let uid = unsafe { libc::getuid() };
    let mut pwd: libc::passwd = unsafe { std::mem::zeroed() };
    let mut buf = vec![0 as libc::c_char; 4096];
    let mut found: *mut libc::passwd = std::ptr::null_mut();
    let rc = unsafe { libc::getpwuid_r(uid, &mut pwd, buf.as_mut_ptr(), buf.len(), &mut found) };
    if rc == 0 && !found.is_null() && !pwd.pw_name.is_null() {
        // SAFETY: pw_name is a NUL-terminated string inside `buf`.
        let name = unsafe { CStr::from_ptr(pwd.pw_name) };
        if let Ok(name) = name.to_str() {
            if !name.is_empty() {
                return crate::model::text::printable(name).into_owned();
            }
        }
    }
    format!("uid {uid}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_local_person_is_this_account() {
        let who = super::local_person("desktop");
        // CI and this machine run as root; elsewhere the account's own name.
        let uid = unsafe { libc::getuid() };
        if uid == 0 {
            assert_eq!(who, "root (desktop)");
        }
        assert!(who.ends_with(" (desktop)"), "{who}");
        assert!(who.len() > " (desktop)".len());
    }
}
