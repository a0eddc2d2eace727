//! `vigil verify clip.mp4`: checks an export against its signed manifest without any
//! library (e.g. on the recipient's machine) and says "authentic" or exactly what does not
//! match. Exit 0: authentic; 1: something does not match; 2: intact and signed, but no
//! trusted key was there to say by whom (compare the fingerprint, or pass --key).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;

use vigil_core::evidence::verify::{parse_public_key, verify};
use vigil_core::evidence::{InstallationKey, Outcome, TrustedKey, Verdict};

#[derive(Args, Debug)]
pub struct VerifyArgs {
    /// The exported video.
    video: PathBuf,
    /// Its manifest [default: the video's name followed by .manifest.json, beside it].
    #[arg(long)]
    manifest: Option<PathBuf>,
    /// The public key the export must be signed with (base64 or hex, as `vigil key show`
    /// prints it) [default: this machine's installation key, when it has one].
    #[arg(long)]
    key: Option<String>,
    /// Print JSON instead of sentences.
    #[arg(long)]
    json: bool,
}

pub fn run(data_dir: &Path, args: &VerifyArgs) -> anyhow::Result<ExitCode> {
    let trusted = match &args.key {
        Some(text) => TrustedKey::Given(parse_public_key(text).ok_or_else(|| {
            anyhow::anyhow!("--key is not an Ed25519 public key: give the 32 bytes in base64 or hex, as `vigil key show` prints them")
        })?),
        // Only the key file is read: no library is opened (or made).
        None => InstallationKey::load(data_dir)
            .map(|k| TrustedKey::Installation(k.public_key()))
            .unwrap_or(TrustedKey::None),
    };
    let verdict = verify(&args.video, args.manifest.as_deref(), &trusted);
    if args.json {
        super::print_json(&as_json(&verdict))?;
    } else {
        print_text(&args.video, &verdict);
    }
    Ok(match verdict.outcome() {
        Outcome::Authentic => ExitCode::SUCCESS,
        Outcome::Failed => ExitCode::from(1),
        Outcome::Intact => ExitCode::from(2),
    })
}

fn print_text(video: &Path, v: &Verdict) {
    let shown = video.display();
    let signer = v.signed_by.as_deref().unwrap_or("?");
    match v.outcome() {
        Outcome::Authentic => {
            let (_, whose) = v.trusted.clone().unwrap_or_default();
            println!("authentic: {shown} is the export its manifest describes, signed by {whose} (fingerprint {signer})");
        }
        Outcome::Intact => {
            println!("intact: {shown} matches its manifest, and the manifest is signed by the key with fingerprint {signer}");
            println!("this machine has no key to compare it with: compare that fingerprint with the one the site published (`vigil key show` there), or pass --key");
        }
        Outcome::Failed => {
            println!("NOT authentic: {shown}");
            for p in &v.problems {
                println!("- {p}");
            }
        }
    }
    if let Some(m) = &v.manifest {
        let trust = if v.outcome() == Outcome::Failed {
            ", which cannot be trusted,"
        } else {
            ""
        };
        println!(
            "manifest {}{trust} says: camera {} ({}), {} to {}, exported {} by {}{}",
            v.manifest_path.display(),
            m.camera.display_name,
            m.camera.name,
            m.actual.from,
            m.actual.to,
            m.exported_at.utc,
            m.exported_by,
            if m.watermarked {
                "; watermarked (the picture was re-encoded)"
            } else {
                ""
            }
        );
    }
}

fn as_json(v: &Verdict) -> serde_json::Value {
    let outcome = match v.outcome() {
        Outcome::Authentic => "authentic",
        Outcome::Intact => "intact",
        Outcome::Failed => "failed",
    };
    let problems: Vec<serde_json::Value> = v
        .problems
        .iter()
        .map(|p| serde_json::json!({"code": p.code(), "message": p.to_string()}))
        .collect();
    serde_json::json!({
        "outcome": outcome,
        "problems": problems,
        "manifest_path": v.manifest_path,
        "signed_by": v.signed_by,
        "trusted_key": v.trusted.as_ref().map(|(fp, whose)| serde_json::json!({"fingerprint": fp, "whose": whose})),
        "manifest": v.manifest,
    })
}
