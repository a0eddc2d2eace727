//! Labels files of operators' ONNX models: one class name per line, in the model's class
//! order, read into the lower-case labels cameras name in `--objects`.

use std::path::Path;

use super::ObjectError;

/// Larger than any sensible labels file (COCO's is under 1 kB).
const MAX_BYTES: u64 = 1 << 20;

/// Reads the labels file at `path` (see [`parse`]); [`check_count`] then matches it to a
/// model.
pub fn read(path: &Path) -> Result<Vec<String>, ObjectError> {
    let fail = |detail: String| ObjectError::Labels {
        path: path.display().to_string(),
        detail,
    };
    let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => fail("it does not exist".into()),
        _ => fail(e.to_string()),
    })?;
    if !meta.is_file() {
        return Err(fail("it is not a file".into()));
    }
    if meta.len() > MAX_BYTES {
        return Err(fail(format!(
            "it is {} bytes, too large for a list of class names",
            meta.len()
        )));
    }
    let raw = std::fs::read(path).map_err(|e| fail(e.to_string()))?;
    let text = String::from_utf8(raw).map_err(|_| fail("it is not UTF-8 text".into()))?;
    parse(&text).map_err(fail)
}

/// The class names in `text`, one a line, trimmed and lower-cased; blank lines at the end are
/// ignored, a blank line between names is an error (it would shift every later class).
pub fn parse(text: &str) -> Result<Vec<String>, String> {
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let used = lines
        .iter()
        .rposition(|l| !l.is_empty())
        .map_or(0, |i| i + 1);
    let mut labels = Vec::with_capacity(used);
    for (n, line) in lines[..used].iter().enumerate() {
        if line.is_empty() {
            return Err(format!(
                "line {} is empty (one class name per line, in the model's order)",
                n + 1
            ));
        }
        if line.chars().any(char::is_control) {
            return Err(format!("line {} holds control characters", n + 1));
        }
        labels.push(line.to_lowercase());
    }
    if labels.is_empty() {
        return Err("it is empty; write one class name per line, in the model's order".into());
    }
    Ok(labels)
}

/// Keeps the first `classes` labels, or says how many are missing (extra lines are ignored,
/// as labels files are often shared between models).
pub fn check_count(mut labels: Vec<String>, classes: usize) -> Result<Vec<String>, String> {
    if labels.len() < classes {
        return Err(format!(
            "it names {} classes but the model has {classes}",
            labels.len()
        ));
    }
    labels.truncate(classes);
    Ok(labels)
}

/// Class names an Ultralytics export records in its metadata (`names`: a Python dict such
/// as `{0: 'person', 1: 'bicycle'}`), in index order, when every index is present.
pub fn from_ultralytics_names(raw: &str) -> Option<Vec<String>> {
    let inner = raw.trim().strip_prefix('{')?.strip_suffix('}')?;
    let mut pairs: Vec<(usize, String)> = Vec::new();
    let mut rest = inner;
    while !rest.trim().is_empty() {
        let (key, after) = rest.split_once(':')?;
        let index: usize = key.trim().trim_start_matches(',').trim().parse().ok()?;
        let after = after.trim_start();
        let quote = after.chars().next().filter(|c| *c == '\'' || *c == '"')?;
        let body = &after[1..];
        let end = body.find(quote)?;
        pairs.push((index, body[..end].trim().to_lowercase()));
        rest = &body[end + 1..];
    }
    pairs.sort_by_key(|(i, _)| *i);
    let in_order = pairs.iter().enumerate().all(|(n, (i, _))| n == *i);
    (in_order && !pairs.is_empty()).then(|| pairs.into_iter().map(|(_, l)| l).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_lower_case_and_trailing_blanks_ignored() {
        let got = parse("Person\r\n car \nTraffic Light\n\n\n").unwrap();
        assert_eq!(got, ["person", "car", "traffic light"]);
    }

    #[test]
    fn a_blank_line_between_names_is_refused_with_its_number() {
        let err = parse("person\n\ncar\n").unwrap_err();
        assert!(err.contains("line 2 is empty"), "{err}");
        assert!(parse(" \n\n").unwrap_err().contains("it is empty"));
    }

    #[test]
    fn too_few_names_for_the_model_are_refused() {
        let labels = parse("a\nb\nc\n").unwrap();
        assert_eq!(check_count(labels.clone(), 2).unwrap(), ["a", "b"]);
        let err = check_count(labels, 18).unwrap_err();
        assert_eq!(err, "it names 3 classes but the model has 18");
    }

    #[test]
    fn files_that_are_missing_or_not_text_get_a_sentence() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("labels.txt");
        let err = read(&missing).unwrap_err().to_string();
        assert!(
            err.contains("labels.txt") && err.contains("does not exist"),
            "{err}"
        );
        std::fs::write(&missing, [0xff, 0xfe, 0x00]).unwrap();
        let err = read(&missing).unwrap_err().to_string();
        assert!(err.contains("not UTF-8"), "{err}");
        std::fs::write(&missing, "person\n").unwrap();
        assert_eq!(read(&missing).unwrap(), ["person"]);
    }

    #[test]
    fn ultralytics_names_metadata_is_read_in_index_order() {
        let got = from_ultralytics_names("{0: 'person', 2: \"car\", 1: 'Bicycle'}").unwrap();
        assert_eq!(got, ["person", "bicycle", "car"]);
        assert_eq!(from_ultralytics_names("{0: 'a', 2: 'c'}"), None);
        assert_eq!(from_ultralytics_names("not a dict"), None);
    }
}
