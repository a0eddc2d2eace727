//! Signed export manifests: the JSON document written beside every export
//! (`clip.mp4` → `clip.mp4.manifest.json`) that says what the file is (camera, requested and
//! actual range, lead-in, gaps, the source recordings with their SHA-256, the export's own
//! size and SHA-256, who exported it and when, whether it was re-encoded for a watermark),
//! signed with the installation's Ed25519 key ([`super::key`]).
//!
//! # Format (`vigil-export-manifest/1`)
//!
//! The file is `{"manifest": {…}, "signature": {"algorithm": "Ed25519", "value": …,
//! "fields": {…}}}` (pretty-printed; layout and white space do not matter).
//!
//! **Canonical encoding.** The signed message is the [`Manifest`] struct serialized by
//! `serde_json::to_vec` (compact, no white space, fields in the declaration order of the
//! structs below, strings escaped as serde_json escapes them, integers in decimal). A
//! verifier parses the file into these structs with `deny_unknown_fields` (so an added,
//! missing or retyped field is refused by name) and serializes the `manifest` again: any
//! edit of a value changes those bytes. `signature.value` is the base64 (standard, padded)
//! Ed25519 signature of them by the key whose 32 raw bytes are `manifest.public_key`
//! (base64).
//!
//! **Field signatures.** `signature.fields` holds, for each top-level field `F` of the
//! manifest, the signature of `"vigil-export-manifest/1 field F\n"` followed by that field's
//! value serialized the same way. They add no trust (the whole-manifest signature decides);
//! they let `vigil verify` name the field that was edited after signing.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use base64ct::{Base64, Encoding};
use serde::{Deserialize, Serialize};

use super::digest::sha256_file;
use super::key::{self, InstallationKey};
use crate::export::{ExportPlan, ExportReport};
use crate::library::{io_reason, Library, LibraryError};
use crate::model::time::{format_rfc3339, now_us};
use crate::model::Segment;

/// The `format` of manifests this build writes and reads.
pub const FORMAT: &str = "vigil-export-manifest/1";
/// Appended to the export's file name to name its manifest.
pub const SUFFIX: &str = ".manifest.json";
/// The signature algorithm's name in the file.
pub const ALGORITHM: &str = "Ed25519";

/// Why a manifest could not be made or saved.
#[derive(Debug, thiserror::Error)]
pub enum ManifestError {
    #[error("cannot read the recording {path} to hash it: {reason}")]
    Source { path: String, reason: String },
    #[error("cannot read the export {path} back to hash it: {reason}")]
    Export { path: String, reason: String },
    #[error("the recording {path} changed since it was recorded: its SHA-256 is {now}, the library recorded {recorded}")]
    SourceChanged {
        path: String,
        now: String,
        recorded: String,
    },
    #[error("cannot write the manifest {path}: {reason}")]
    Write { path: String, reason: String },
    #[error(transparent)]
    Key(#[from] key::KeyError),
    #[error(transparent)]
    Library(#[from] LibraryError),
}

/// Everything the signature covers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// [`FORMAT`].
    pub format: String,
    pub camera: CameraInfo,
    /// The range asked for.
    pub requested: Span,
    /// The range the file holds: from its first frame (a keyframe) to just after its last.
    pub actual: Span,
    /// How much earlier than requested the file starts (the keyframe before), µs; negative:
    /// later (nothing was recorded at the requested start).
    pub lead_in_us: i64,
    /// Unrecorded stretches the file's timeline closes.
    pub gaps: Vec<Span>,
    /// The recording files the export was copied from, in time order.
    pub sources: Vec<Source>,
    pub export: ExportFile,
    /// Whether the picture was decoded and re-encoded to burn in a watermark (then the
    /// file's frames are not the recorded ones, only their likeness).
    pub watermarked: bool,
    pub vigil_version: String,
    pub exported_at: At,
    /// The person: a local account and front end (`ann (CLI)`) or a web viewer's user.
    pub exported_by: String,
    /// The signing key's 32 raw bytes, base64.
    pub public_key: String,
    /// [`key::fingerprint`] of `public_key`.
    pub key_fingerprint: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CameraInfo {
    pub id: i64,
    /// The identifier (`vigil export --camera`).
    pub name: String,
    pub display_name: String,
}

/// A time range, UTC µs and RFC 3339 (the same instants; a verifier checks they agree).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Span {
    pub from_us: i64,
    pub to_us: i64,
    pub from: String,
    pub to: String,
}

impl Span {
    pub fn new(from_us: i64, to_us: i64) -> Self {
        Self {
            from_us,
            to_us,
            from: format_rfc3339(from_us),
            to: format_rfc3339(to_us),
        }
    }
}

/// An instant, UTC µs and RFC 3339.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct At {
    pub us: i64,
    pub utc: String,
}

/// One recording file the export was copied from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// As the library stores it (absolute).
    pub path: String,
    /// `continuous` or `event`.
    pub kind: String,
    /// The whole recording's range (not only the part used).
    pub span: Span,
    pub bytes: u64,
    /// SHA-256 of the file as the export read it, lowercase hex.
    pub sha256: String,
}

/// The export file itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportFile {
    /// Its file name when written (a recipient may rename it).
    pub name: String,
    pub bytes: u64,
    pub sha256: String,
}

/// The manifest with its signatures: what the `.manifest.json` file holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignedManifest {
    pub manifest: Manifest,
    pub signature: Signature,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Signature {
    /// [`ALGORITHM`].
    pub algorithm: String,
    /// Base64 signature of the canonical manifest.
    pub value: String,
    /// Base64 signature of each top-level field (see the module doc).
    pub fields: BTreeMap<String, String>,
}

/// Who exported what, known before the export is written.
#[derive(Debug, Clone, PartialEq)]
pub struct Provenance {
    pub camera: CameraInfo,
    pub exported_by: String,
    pub watermarked: bool,
}

impl Provenance {
    /// The camera of `plan` as the library knows it, exported by `exported_by`.
    pub fn of(lib: &Library, plan: &ExportPlan, exported_by: String) -> Result<Self, LibraryError> {
        let cam = lib.camera_by_name(&plan.camera)?;
        Ok(Self {
            camera: CameraInfo {
                id: cam.id,
                name: cam.name.to_string(),
                display_name: cam.display_name.to_string(),
            },
            exported_by,
            watermarked: false,
        })
    }
}

/// `clip.mp4` → `clip.mp4.manifest.json`, beside it.
pub fn manifest_path(export: &Path) -> PathBuf {
    let mut name = export.file_name().unwrap_or_default().to_os_string();
    name.push(SUFFIX);
    export.with_file_name(name)
}

/// The key exports are signed with: the installation's, made now when there is none,
/// unless this process only views the library (then it must be readable already).
pub fn signing_key(data_dir: &Path) -> Result<InstallationKey, key::KeyError> {
    if crate::library::read_only::is_viewed(data_dir) {
        InstallationKey::load(data_dir)
    } else {
        InstallationKey::load_or_create(data_dir)
    }
}

/// The SHA-256 the library recorded for `seg` when it was finished (`segments.sha256`,
/// written with its integrity-chain entry); `None` for a recording indexed before the chain.
pub fn recorded_hash(seg: &Segment) -> Option<String> {
    seg.sha256.clone()
}

/// Checks the hash an export just computed of `seg` against the recorded one.
fn check_recorded(seg: &Segment, now: &str) -> Result<(), ManifestError> {
    match recorded_hash(seg) {
        Some(recorded) if !recorded.eq_ignore_ascii_case(now) => {
            Err(ManifestError::SourceChanged {
                path: seg.path.clone(),
                now: now.to_string(),
                recorded,
            })
        }
        _ => Ok(()),
    }
}

/// The source recordings of `plan`, each hashed once, in time order.
pub fn hash_sources(plan: &ExportPlan) -> Result<Vec<Source>, ManifestError> {
    let mut out: Vec<Source> = Vec::new();
    let mut seen = Vec::new();
    for piece in &plan.pieces {
        let seg = &piece.segment;
        if seen.contains(&seg.id) {
            continue;
        }
        seen.push(seg.id);
        let (bytes, sha256) =
            sha256_file(Path::new(&seg.path)).map_err(|e| ManifestError::Source {
                path: seg.path.clone(),
                reason: io_reason(&e),
            })?;
        check_recorded(seg, &sha256)?;
        out.push(Source {
            path: seg.path.clone(),
            kind: seg.kind.as_str().to_string(),
            span: Span::new(seg.start_us, seg.end_us),
            bytes,
            sha256,
        });
    }
    Ok(out)
}

/// The manifest of an export described by `report`, written as `file`, from `sources`
/// (see [`hash_sources`]), signed by `key`.
pub fn build(
    report: &ExportReport,
    prov: &Provenance,
    sources: Vec<Source>,
    file: ExportFile,
    key: &InstallationKey,
) -> SignedManifest {
    let at = now_us();
    let manifest = Manifest {
        format: FORMAT.to_string(),
        camera: prov.camera.clone(),
        requested: Span::new(report.requested_from_us, report.requested_to_us),
        actual: Span::new(report.starts_at_us, report.ends_at_us),
        lead_in_us: report.lead_in_us(),
        gaps: report.gaps.iter().map(|&(a, b)| Span::new(a, b)).collect(),
        sources,
        export: file,
        watermarked: prov.watermarked,
        vigil_version: env!("CARGO_PKG_VERSION").to_string(),
        exported_at: At {
            us: at,
            utc: format_rfc3339(at),
        },
        exported_by: prov.exported_by.clone(),
        public_key: Base64::encode_string(&key.public_key()),
        key_fingerprint: key.fingerprint(),
    };
    sign(manifest, key)
}

/// Signs `manifest` (whole and field by field) with `key`.
pub fn sign(manifest: Manifest, key: &InstallationKey) -> SignedManifest {
    let fields = field_messages(&manifest)
        .into_iter()
        .map(|(name, msg)| (name.to_string(), Base64::encode_string(&key.sign(&msg))))
        .collect();
    let value = Base64::encode_string(&key.sign(&canonical(&manifest)));
    SignedManifest {
        manifest,
        signature: Signature {
            algorithm: ALGORITHM.to_string(),
            value,
            fields,
        },
    }
}

/// The signed bytes of `manifest` (see the module doc).
pub fn canonical(manifest: &Manifest) -> Vec<u8> {
    serde_json::to_vec(manifest).unwrap_or_default()
}

/// Each top-level field's name and signed message (see the module doc).
pub fn field_messages(m: &Manifest) -> Vec<(&'static str, Vec<u8>)> {
    fn msg(name: &str, value: &impl Serialize) -> Vec<u8> {
        let mut out = format!("{FORMAT} field {name}\n").into_bytes();
        out.extend(serde_json::to_vec(value).unwrap_or_default());
        out
    }
    vec![
        ("format", msg("format", &m.format)),
        ("camera", msg("camera", &m.camera)),
        ("requested", msg("requested", &m.requested)),
        ("actual", msg("actual", &m.actual)),
        ("lead_in_us", msg("lead_in_us", &m.lead_in_us)),
        ("gaps", msg("gaps", &m.gaps)),
        ("sources", msg("sources", &m.sources)),
        ("export", msg("export", &m.export)),
        ("watermarked", msg("watermarked", &m.watermarked)),
        ("vigil_version", msg("vigil_version", &m.vigil_version)),
        ("exported_at", msg("exported_at", &m.exported_at)),
        ("exported_by", msg("exported_by", &m.exported_by)),
        ("public_key", msg("public_key", &m.public_key)),
        (
            "key_fingerprint",
            msg("key_fingerprint", &m.key_fingerprint),
        ),
    ]
}

impl SignedManifest {
    /// The file's text: pretty JSON ending in a newline.
    pub fn to_json(&self) -> Vec<u8> {
        let mut out = serde_json::to_vec_pretty(self).unwrap_or_default();
        out.push(b'\n');
        out
    }

    /// Parses a manifest file's text (any layout), refusing unknown or missing fields.
    pub fn parse(text: &[u8]) -> Result<Self, serde_json::Error> {
        serde_json::from_slice(text)
    }

    /// Writes it as `path` atomically: a new temporary file beside it (random name,
    /// `O_EXCL`, so no link planted there is followed), synced, made readable like any saved
    /// file (0644), renamed over `path`.
    pub fn write_to(&self, path: &Path) -> Result<(), ManifestError> {
        use std::os::unix::fs::PermissionsExt;
        let fail = |e: std::io::Error| ManifestError::Write {
            path: path.display().to_string(),
            reason: io_reason(&e),
        };
        let dir = path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        let mut tmp = tempfile::Builder::new()
            .prefix(&format!(".{name}."))
            .suffix(".tmp")
            .tempfile_in(dir)
            .map_err(fail)?;
        tmp.write_all(&self.to_json()).map_err(fail)?;
        tmp.as_file().sync_all().map_err(fail)?;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644))
            .map_err(fail)?;
        tmp.persist(path).map_err(|e| fail(e.error))?;
        Ok(())
    }
}

/// Makes, signs and writes beside `report.path` the manifest of a finished export file
/// (read back to hash it): the one call every front end makes after [`crate::export::write`].
/// Answers the manifest's path and the key's fingerprint.
pub fn seal_file(
    plan: &ExportPlan,
    report: &ExportReport,
    prov: &Provenance,
    key: &InstallationKey,
) -> Result<Sealed, ManifestError> {
    let sources = hash_sources(plan)?;
    let (bytes, sha256) = sha256_file(&report.path).map_err(|e| ManifestError::Export {
        path: report.path.display().to_string(),
        reason: io_reason(&e),
    })?;
    let name = report.path.file_name().unwrap_or_default();
    let file = ExportFile {
        name: name.to_string_lossy().into_owned(),
        bytes,
        sha256,
    };
    let signed = build(report, prov, sources, file, key);
    let path = manifest_path(&report.path);
    signed.write_to(&path)?;
    Ok(Sealed {
        path,
        fingerprint: key.fingerprint(),
    })
}

/// A manifest written (kept with the export's report, so `export` never imports `evidence`).
pub use crate::export::Sealed;

#[cfg(test)]
#[path = "manifest_tests.rs"]
mod tests;
