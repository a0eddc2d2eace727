//! The certificate: made once, kept private, reused; the user's files checked in words.

use std::net::IpAddr;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use super::*;

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

fn names() -> Vec<String> {
    names_for(Some("127.0.0.1".parse().unwrap()))
}

#[test]
fn made_on_first_start_private_and_reused_after() {
    let dir = tempfile::tempdir().unwrap();
    let first = load_or_create(dir.path(), &names()).unwrap();
    let (cert, key) = (dir.path().join(CERT_FILE), dir.path().join(KEY_FILE));
    assert_eq!(mode(&key), 0o600, "the key is its owner's only");
    assert!(std::fs::read_to_string(&cert)
        .unwrap()
        .starts_with("-----BEGIN CERTIFICATE-----"));
    let pem_before = std::fs::read(&cert).unwrap();
    let again = load_or_create(dir.path(), &names()).unwrap();
    assert_eq!(again.fingerprint, first.fingerprint, "the same certificate");
    assert!(again.renewed_for.is_empty() && first.renewed_for.is_empty());
    assert_eq!(std::fs::read(&cert).unwrap(), pem_before, "not rewritten");
    // Fewer names than it has (e.g. `--web 127.0.0.1` after the host name changed back).
    let fewer = load_or_create(dir.path(), &["localhost".to_string()]).unwrap();
    assert_eq!(fewer.fingerprint, first.fingerprint, "still names them all");
    let other = tempfile::tempdir().unwrap();
    let fresh = load_or_create(other.path(), &names()).unwrap();
    assert_ne!(fresh.fingerprint, first.fingerprint, "a new one elsewhere");
}

#[test]
fn the_fingerprint_is_the_sha256_of_the_der_in_colon_hex() {
    let dir = tempfile::tempdir().unwrap();
    let made = load_or_create(dir.path(), &names()).unwrap();
    let f = &made.fingerprint;
    assert_eq!(f.len(), 32 * 3 - 1, "{f}");
    assert!(f.split(':').all(|b| b.len() == 2
        && b.chars()
            .all(|c| c.is_ascii_digit() || ('A'..='F').contains(&c))));
    let bytes = std::fs::read(dir.path().join(CERT_FILE)).unwrap();
    let der = CertificateDer::from_pem_slice(&bytes).unwrap();
    let digest = ring::digest::digest(&ring::digest::SHA256, der.as_ref());
    assert_eq!(
        f.replace(':', ""),
        digest
            .as_ref()
            .iter()
            .map(|b| format!("{b:02X}"))
            .collect::<String>()
    );
}

#[test]
fn the_users_files_are_checked_and_refused_in_words() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    load_or_create(a.path(), &names()).unwrap();
    load_or_create(b.path(), &names()).unwrap();
    let cert_a = a.path().join(CERT_FILE);
    let key_b = b.path().join(KEY_FILE);
    let ok = load_files(&cert_a, &a.path().join(KEY_FILE)).unwrap();
    assert!(!ok.fingerprint.is_empty());

    let mismatch = load_files(&cert_a, &key_b).err().unwrap().to_string();
    assert!(mismatch.contains("does not match"), "{mismatch}");
    assert!(
        mismatch.contains(&key_b.display().to_string()),
        "{mismatch}"
    );

    let missing = a.path().join("nope.pem");
    let err = load_files(&missing, &key_b).err().unwrap().to_string();
    assert!(
        err.contains("cannot read the TLS certificate") && err.contains("not found"),
        "{err}"
    );
    let garbage = a.path().join("garbage.pem");
    std::fs::write(&garbage, "hello").unwrap();
    let err = load_files(&garbage, &key_b).err().unwrap().to_string();
    assert!(err.contains("holds no PEM certificate"), "{err}");
    let err = load_files(&cert_a, &garbage).err().unwrap().to_string();
    assert!(
        err.contains("cannot read the TLS private key") && err.contains("no PEM private key"),
        "{err}"
    );
    // The key given as the certificate: no certificate in it.
    let err = load_files(&key_b, &key_b).err().unwrap().to_string();
    assert!(err.contains("holds no PEM certificate"), "{err}");
}

#[test]
fn names_are_localhost_the_host_and_a_specific_address() {
    let any = names_for(Some("0.0.0.0".parse().unwrap()));
    assert_eq!(any[0], "localhost");
    assert!(!any.iter().any(|n| n == "0.0.0.0"), "{any:?}");
    let bound = names_for(Some("192.0.2.7".parse().unwrap()));
    assert!(bound.iter().any(|n| n == "192.0.2.7"), "{bound:?}");
    assert!(names_for(None).len() <= 2);
}

#[test]
fn a_certificate_that_does_not_name_the_address_served_is_made_anew_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    // First started on 0.0.0.0: this machine's names and addresses, then `--web 192.0.2.7:…`
    // (an address it did not have then, as after a new DHCP lease).
    let any = names_for(Some("0.0.0.0".parse().unwrap()));
    let first = load_or_create(dir.path(), &any).unwrap();
    let bytes = std::fs::read(dir.path().join(CERT_FILE)).unwrap();
    let der = CertificateDer::from_pem_slice(&bytes).unwrap();
    assert!(unnamed(&der, &any).is_empty());
    let wanted = names_for(Some("192.0.2.7".parse().unwrap()));
    assert_eq!(unnamed(&der, &wanted), ["192.0.2.7"]);

    let renewed = load_or_create(dir.path(), &wanted).unwrap();
    assert_eq!(renewed.renewed_for, ["192.0.2.7"]);
    assert_ne!(renewed.fingerprint, first.fingerprint, "a new certificate");
    let bytes = std::fs::read(dir.path().join(CERT_FILE)).unwrap();
    let der = CertificateDer::from_pem_slice(&bytes).unwrap();
    assert!(unnamed(&der, &wanted).is_empty(), "the new one names it");
    assert_eq!(
        mode(&dir.path().join(KEY_FILE)),
        0o600,
        "its key is private too"
    );
    let again = load_or_create(dir.path(), &wanted).unwrap();
    assert_eq!(again.fingerprint, renewed.fingerprint, "then kept");
    assert!(again.renewed_for.is_empty());
}

#[test]
fn on_every_address_the_names_are_this_machines_own_addresses_but_loopback() {
    let names = names_for(Some("0.0.0.0".parse().unwrap()));
    assert_eq!(names[0], "localhost");
    for n in &names[1..] {
        if let Ok(ip) = n.parse::<IpAddr>() {
            assert!(!ip.is_loopback() && !ip.is_unspecified(), "{n}");
        }
    }
    assert!(!names.contains(&"0.0.0.0".to_string()));
    eprintln!("{names:?}");
}
