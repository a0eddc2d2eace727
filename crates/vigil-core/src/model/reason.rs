//! An I/O error in words for people (logs, status, errors), whichever layer met it.

/// An I/O error in words, without Rust's "(os error 13)" suffix.
pub fn io_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::PermissionDenied => "permission denied".into(),
        K::NotFound => "not found".into(),
        K::ReadOnlyFilesystem => "the file system is read-only".into(),
        K::StorageFull => "the disk is full".into(),
        K::NotADirectory => "a path component is not a directory".into(),
        K::AlreadyExists => "it already exists".into(),
        _ => {
            let text = e.to_string();
            match text.find(" (os error") {
                Some(i) => text[..i].to_string(),
                None => text,
            }
        }
    }
}
