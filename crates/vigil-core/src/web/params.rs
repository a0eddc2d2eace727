//! A request's query string read into named values, each malformed one refused with a
//! sentence (400) that names the parameter and shows what is expected.

use super::refusal::Refusal;
use crate::service::LiveStream;

/// The query's `name=value` pairs (decoded); a later repeat of a name wins.
pub struct Params(Vec<(String, String)>);

impl Params {
    pub fn parse(raw: Option<&str>) -> Self {
        let pairs = raw
            .map(|q| {
                url::form_urlencoded::parse(q.as_bytes())
                    .into_owned()
                    .collect()
            })
            .unwrap_or_default();
        Self(pairs)
    }

    /// The value of `name`; an empty value counts as absent (as a form's empty field).
    pub fn text(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.trim().is_empty())
    }

    /// A time in UTC microseconds since 1970.
    pub fn time_us(&self, name: &str) -> Result<Option<i64>, Refusal> {
        self.text(name)
            .map(|v| {
                v.trim().parse::<i64>().map_err(|_| {
                    Refusal::bad_request(format!(
                        "{name} must be a time in microseconds since 1970 UTC \
                         (e.g. 1764072000000000), not '{}'",
                        shown(v)
                    ))
                })
            })
            .transpose()
    }

    /// A whole number from 1 to `max`.
    pub fn count(&self, name: &str, max: u32) -> Result<Option<u32>, Refusal> {
        self.text(name)
            .map(|v| match v.trim().parse::<u32>() {
                Ok(n) if (1..=max).contains(&n) => Ok(n),
                _ => Err(Refusal::bad_request(format!(
                    "{name} must be a whole number from 1 to {max}, not '{}'",
                    shown(v)
                ))),
            })
            .transpose()
    }

    /// Which of a camera's streams: `main` (the default) or `sub`.
    pub fn stream(&self, name: &str) -> Result<LiveStream, Refusal> {
        self.text(name).map_or(Ok(LiveStream::Main), |v| {
            LiveStream::parse(v.trim()).ok_or_else(|| {
                Refusal::bad_request(format!(
                    "{name} must be main (the camera's main stream) or sub (its sub-stream), \
                     not '{}'",
                    shown(v)
                ))
            })
        })
    }

    /// An id (a whole number).
    pub fn id(&self, name: &str) -> Result<Option<i64>, Refusal> {
        self.text(name).map(|v| parse_id(name, v)).transpose()
    }
}

/// An id from a path or a query.
pub fn parse_id(name: &str, raw: &str) -> Result<i64, Refusal> {
    raw.trim().parse::<i64>().map_err(|_| {
        Refusal::bad_request(format!(
            "{name} must be a whole number, not '{}'",
            shown(raw)
        ))
    })
}

/// What the client sent, shortened and without control characters, for a message.
fn shown(raw: &str) -> String {
    raw.chars().filter(|c| !c.is_control()).take(40).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_decoded_and_malformed_ones_refused_in_words() {
        let p = Params::parse(Some("camera=front%20door&from=12&to=x&limit=0&label="));
        assert_eq!(p.text("camera"), Some("front door"));
        assert_eq!(p.text("label"), None, "empty is absent");
        assert_eq!(p.time_us("from").unwrap(), Some(12));
        let e = p.time_us("to").unwrap_err();
        assert_eq!(e.status, http::StatusCode::BAD_REQUEST);
        assert!(
            e.message.contains("to must be a time in microseconds"),
            "{e}"
        );
        assert!(p.count("limit", 500).is_err());
        assert_eq!(p.count("none", 500).unwrap(), None);
        assert!(parse_id("event", "12a").is_err());
        assert_eq!(Params::parse(None).text("x"), None);
    }

    #[test]
    fn a_stream_is_main_by_default_or_sub_and_nothing_else() {
        assert_eq!(
            Params::parse(None).stream("stream").unwrap(),
            LiveStream::Main
        );
        let p = Params::parse(Some("stream=sub&other=main"));
        assert_eq!(p.stream("stream").unwrap(), LiveStream::Sub);
        assert_eq!(p.stream("other").unwrap(), LiveStream::Main);
        let e = Params::parse(Some("stream=bogus"))
            .stream("stream")
            .unwrap_err();
        assert_eq!(e.status, http::StatusCode::BAD_REQUEST);
        assert!(e.message.contains("not 'bogus'"), "{e}");
    }
}
