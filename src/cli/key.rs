//! `vigil key show`: this installation's signing key (the public half), its fingerprint and
//! where the private key is kept, for publishing to whoever receives exports.

use std::path::Path;
use std::process::ExitCode;

use clap::{Args, Subcommand};

use vigil_core::evidence::digest::{base64, hex};
use vigil_core::evidence::{InstallationKey, KeyError};

#[derive(Subcommand, Debug)]
pub enum KeyCmd {
    /// Print this installation's public key and fingerprint (made now if there is none).
    Show(ShowArgs),
}

#[derive(Args, Debug)]
pub struct ShowArgs {
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

pub fn run(data_dir: &Path, cmd: KeyCmd) -> anyhow::Result<ExitCode> {
    match cmd {
        KeyCmd::Show(args) => show(data_dir, &args),
    }
}

fn show(data_dir: &Path, args: &ShowArgs) -> anyhow::Result<ExitCode> {
    let key = match InstallationKey::load(data_dir) {
        Ok(key) => key,
        Err(KeyError::Missing { .. }) => {
            // Opening the library makes the data directory (and says why it cannot).
            drop(super::open_library(data_dir)?);
            InstallationKey::load_or_create(data_dir)?
        }
        Err(e) => return Err(e.into()),
    };
    let public = key.public_key();
    let how = "give the fingerprint to whoever receives exports (e.g. print it on the hand-over form): `vigil verify` prints the fingerprint of the key that signed an export, and the two must be the same";
    if args.json {
        super::print_json(&serde_json::json!({
            "public_key_base64": base64(&public),
            "public_key_hex": hex(&public),
            "fingerprint": key.fingerprint(),
            "key_file": key.path(),
            "how_to_use": how,
        }))?;
    } else {
        println!("public key (base64): {}", base64(&public));
        println!("public key (hex):    {}", hex(&public));
        println!("fingerprint:         {}", key.fingerprint());
        println!("private key file:    {}", key.path().display());
        println!("{how}");
    }
    Ok(ExitCode::SUCCESS)
}
