//! Verifying an export against its manifest without any library: the manifest is parsed
//! strictly, its signature checked against the key it names (and, field by field, to name
//! what was edited), its times checked against each other, the key compared with a trusted
//! one when there is one, and the video's size and SHA-256 compared with what was signed.

use std::path::{Path, PathBuf};

use base64ct::{Base64, Encoding};

use super::digest::sha256_file;
use super::key::{self, fingerprint};
use super::manifest::{
    canonical, field_messages, manifest_path, Manifest, SignedManifest, Span, FORMAT,
};
use crate::library::io_reason;
use crate::model::time::format_rfc3339;

/// The key a verifier trusts, and where it came from.
#[derive(Debug, Clone, PartialEq)]
pub enum TrustedKey {
    /// Given by the person verifying (`--key`).
    Given([u8; 32]),
    /// This machine's installation key.
    Installation([u8; 32]),
    /// None: the verdict can only be "intact, signed by key …".
    None,
}

impl TrustedKey {
    fn key(&self) -> Option<&[u8; 32]> {
        match self {
            TrustedKey::Given(k) | TrustedKey::Installation(k) => Some(k),
            TrustedKey::None => None,
        }
    }

    fn whose(&self) -> &'static str {
        match self {
            TrustedKey::Given(_) => "the key given",
            TrustedKey::Installation(_) => "this installation's key",
            TrustedKey::None => "no key",
        }
    }
}

/// A 32-byte Ed25519 public key from base64 or hex (as `vigil key show` prints it).
pub fn parse_public_key(text: &str) -> Option<[u8; 32]> {
    let text = text.trim();
    let bytes = super::digest::from_hex(text).or_else(|| Base64::decode_vec(text).ok())?;
    bytes.try_into().ok()
}

/// One thing that does not match.
#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    ManifestMissing {
        path: PathBuf,
    },
    NotAManifest {
        path: PathBuf,
        why: String,
    },
    Unreadable {
        what: String,
        reason: String,
    },
    Edited {
        fields: Vec<String>,
    },
    SignatureBroken,
    Inconsistent {
        field: String,
        why: String,
    },
    OtherKey {
        signed_by: String,
        trusted: String,
        whose: &'static str,
    },
    Resized {
        expected: u64,
        actual: u64,
    },
    ContentDiffers {
        expected: String,
        actual: String,
    },
}

impl Problem {
    /// A short stable name (the `--json` output's `code`).
    pub fn code(&self) -> &'static str {
        match self {
            Problem::ManifestMissing { .. } => "manifest-missing",
            Problem::NotAManifest { .. } => "not-a-manifest",
            Problem::Unreadable { .. } => "unreadable",
            Problem::Edited { .. } => "manifest-edited",
            Problem::SignatureBroken => "signature-invalid",
            Problem::Inconsistent { .. } => "manifest-inconsistent",
            Problem::OtherKey { .. } => "other-key",
            Problem::Resized { expected, actual } if actual < expected => "trimmed",
            Problem::Resized { .. } => "extended",
            Problem::ContentDiffers { .. } => "content-differs",
        }
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Problem::ManifestMissing { path } => write!(f, "there is no manifest at {}: without the manifest written with the export nothing can be checked (ask for it, or give it with --manifest)", path.display()),
            Problem::NotAManifest { path, why } => write!(f, "{} is not a Vigil export manifest ({why})", path.display()),
            Problem::Unreadable { what, reason } => write!(f, "cannot read {what}: {reason}"),
            Problem::Edited { fields } => write!(f, "the manifest was edited after it was signed: its {} {} not what was signed", list(fields), if fields.len() == 1 { "is" } else { "are" }),
            Problem::SignatureBroken => write!(f, "the manifest's signature does not match its contents or the key it names: the signature or the key in it was replaced"),
            Problem::Inconsistent { field, why } => write!(f, "the manifest contradicts itself: {field} {why}"),
            Problem::OtherKey { signed_by, trusted, whose } => write!(f, "the manifest is signed by another key (fingerprint {signed_by}), not by {whose} (fingerprint {trusted})"),
            Problem::Resized { expected, actual } => write!(f, "the video was {} after export: it is {actual} bytes, the export was {expected} bytes", if actual < expected { "trimmed" } else { "extended" }),
            Problem::ContentDiffers { expected, actual } => write!(f, "the video's content differs from the export's: its SHA-256 is {actual}, the export's was {expected}"),
        }
    }
}

fn list(fields: &[String]) -> String {
    let quoted: Vec<String> = fields.iter().map(|f| format!("`{f}`")).collect();
    quoted.join(", ")
}

/// What verifying found.
#[derive(Debug, Clone)]
pub struct Verdict {
    pub manifest_path: PathBuf,
    /// The manifest, when it could be parsed.
    pub manifest: Option<Manifest>,
    /// The fingerprint of the key the manifest's signature checks against, when it does.
    pub signed_by: Option<String>,
    /// The trusted key's fingerprint and whose it is, when there is one.
    pub trusted: Option<(String, &'static str)>,
    pub problems: Vec<Problem>,
}

/// The outcome in one word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Everything matches and the key is the trusted one.
    Authentic,
    /// Everything matches, but no trusted key was there to compare the signer with.
    Intact,
    /// Something does not match ([`Verdict::problems`]).
    Failed,
}

impl Verdict {
    pub fn outcome(&self) -> Outcome {
        if !self.problems.is_empty() {
            Outcome::Failed
        } else if self.trusted.is_some() {
            Outcome::Authentic
        } else {
            Outcome::Intact
        }
    }
}

/// Checks `video` against its manifest (`manifest`, else the one beside it) and `trusted`.
pub fn verify(video: &Path, manifest: Option<&Path>, trusted: &TrustedKey) -> Verdict {
    let path = manifest.map_or_else(|| manifest_path(video), Path::to_path_buf);
    let mut verdict = Verdict {
        manifest_path: path.clone(),
        manifest: None,
        signed_by: None,
        trusted: trusted.key().map(|k| (fingerprint(k), trusted.whose())),
        problems: Vec::new(),
    };
    let signed = match read_manifest(&path) {
        Ok(s) => s,
        Err(p) => {
            verdict.problems.push(p);
            return verdict;
        }
    };
    check_signature(&signed, trusted, &mut verdict);
    verdict.problems.extend(consistency(&signed.manifest));
    check_video(video, &signed.manifest, &mut verdict.problems);
    verdict.manifest = Some(signed.manifest);
    verdict
}

fn read_manifest(path: &Path) -> Result<SignedManifest, Problem> {
    let text = std::fs::read(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => Problem::ManifestMissing {
            path: path.to_path_buf(),
        },
        _ => Problem::Unreadable {
            what: format!("the manifest {}", path.display()),
            reason: io_reason(&e),
        },
    })?;
    let not = |why: String| Problem::NotAManifest {
        path: path.to_path_buf(),
        why,
    };
    let value: serde_json::Value =
        serde_json::from_slice(&text).map_err(|e| not(format!("it is not JSON: {e}")))?;
    match value.pointer("/manifest/format").and_then(|f| f.as_str()) {
        Some(FORMAT) => {}
        Some(other) => {
            return Err(not(format!(
                "its format is '{other}', this Vigil reads '{FORMAT}'"
            )))
        }
        None => return Err(not("it has no manifest.format".into())),
    }
    SignedManifest::parse(&text).map_err(|e| {
        let fields = misfits(value.get("manifest"));
        if fields.is_empty() {
            not(format!("it is not laid out as Vigil writes it: {e}"))
        } else {
            Problem::Edited { fields }
        }
    })
}

/// The manifest's top-level fields that are missing, unknown or of the wrong type.
fn misfits(manifest: Option<&serde_json::Value>) -> Vec<String> {
    use super::manifest::{At, CameraInfo, ExportFile, Source};
    fn fits<T: serde::de::DeserializeOwned>(v: Option<&serde_json::Value>) -> bool {
        v.is_some_and(|v| serde_json::from_value::<T>(v.clone()).is_ok())
    }
    type Check = fn(Option<&serde_json::Value>) -> bool;
    let checks: [(&str, Check); 14] = [
        ("format", fits::<String>),
        ("camera", fits::<CameraInfo>),
        ("requested", fits::<Span>),
        ("actual", fits::<Span>),
        ("lead_in_us", fits::<i64>),
        ("gaps", fits::<Vec<Span>>),
        ("sources", fits::<Vec<Source>>),
        ("export", fits::<ExportFile>),
        ("watermarked", fits::<bool>),
        ("vigil_version", fits::<String>),
        ("exported_at", fits::<At>),
        ("exported_by", fits::<String>),
        ("public_key", fits::<String>),
        ("key_fingerprint", fits::<String>),
    ];
    let Some(obj) = manifest.and_then(|m| m.as_object()) else {
        return vec!["manifest".into()];
    };
    let mut out: Vec<String> = checks
        .iter()
        .filter(|(name, fits)| !fits(obj.get(*name)))
        .map(|(name, _)| name.to_string())
        .collect();
    out.extend(
        obj.keys()
            .filter(|k| !checks.iter().any(|(name, _)| name == k))
            .cloned(),
    );
    out
}

/// The whole-manifest signature against the key the manifest names; when it fails, the
/// field signatures say which fields changed. Then the signer against the trusted key.
fn check_signature(signed: &SignedManifest, trusted: &TrustedKey, verdict: &mut Verdict) {
    let m = &signed.manifest;
    let Some(public) = Base64::decode_vec(&m.public_key)
        .ok()
        .filter(|k| k.len() == 32)
    else {
        verdict.problems.push(Problem::Edited {
            fields: vec!["public_key".into()],
        });
        return;
    };
    let sig_of = |b64: &str| Base64::decode_vec(b64).unwrap_or_default();
    let whole = key::verify(&public, &canonical(m), &sig_of(&signed.signature.value));
    if !whole {
        let fields = field_messages(m);
        let edited: Vec<String> = fields
            .iter()
            .filter(|(name, msg)| {
                let sig = signed.signature.fields.get(*name).map(|s| sig_of(s));
                !sig.is_some_and(|s| key::verify(&public, msg, &s))
            })
            .map(|(name, _)| name.to_string())
            .collect();
        verdict
            .problems
            .push(if edited.is_empty() || edited.len() == fields.len() {
                Problem::SignatureBroken
            } else {
                Problem::Edited { fields: edited }
            });
        return;
    }
    let signer = fingerprint(&public);
    verdict.signed_by = Some(signer.clone());
    if let Some(k) = trusted.key() {
        if k.as_slice() != public.as_slice() {
            verdict.problems.push(Problem::OtherKey {
                signed_by: signer,
                trusted: fingerprint(k),
                whose: trusted.whose(),
            });
        }
    }
}

/// What a valid manifest always satisfies: its times in µs and RFC 3339 agree, the lead-in
/// is the difference of the starts, the fingerprint is the key's.
fn consistency(m: &Manifest) -> Vec<Problem> {
    let mut out = Vec::new();
    let mut span = |name: &str, s: &Span| {
        for (field, us, text) in [("from", s.from_us, &s.from), ("to", s.to_us, &s.to)] {
            if format_rfc3339(us) != *text {
                out.push(Problem::Inconsistent {
                    field: format!("`{name}.{field}` ({text})"),
                    why: format!("is not `{name}.{field}_us` ({})", format_rfc3339(us)),
                });
            }
        }
    };
    span("requested", &m.requested);
    span("actual", &m.actual);
    for (i, g) in m.gaps.iter().enumerate() {
        span(&format!("gaps[{i}]"), g);
    }
    if m.requested.from_us - m.actual.from_us != m.lead_in_us {
        out.push(Problem::Inconsistent {
            field: "`lead_in_us`".into(),
            why: "is not the difference between the requested and the actual start".into(),
        });
    }
    let key_ok =
        Base64::decode_vec(&m.public_key).is_ok_and(|k| fingerprint(&k) == m.key_fingerprint);
    if !key_ok {
        out.push(Problem::Inconsistent {
            field: "`key_fingerprint`".into(),
            why: "is not the fingerprint of `public_key`".into(),
        });
    }
    out
}

fn check_video(video: &Path, m: &Manifest, problems: &mut Vec<Problem>) {
    match sha256_file(video) {
        Err(e) => problems.push(Problem::Unreadable {
            what: format!("the video {}", video.display()),
            reason: io_reason(&e),
        }),
        Ok((actual, _)) if actual != m.export.bytes => problems.push(Problem::Resized {
            expected: m.export.bytes,
            actual,
        }),
        Ok((_, sha)) if !sha.eq_ignore_ascii_case(&m.export.sha256) => {
            problems.push(Problem::ContentDiffers {
                expected: m.export.sha256.clone(),
                actual: sha,
            })
        }
        Ok(_) => {}
    }
}

#[cfg(test)]
#[path = "verify_tests.rs"]
mod tests;
