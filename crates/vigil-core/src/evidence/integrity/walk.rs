//! Walking one camera's chain: every entry must follow the previous (sequence and link), its
//! link must be the hash of its content, and its signature this installation's.

use crate::evidence::key::verify;
use crate::library::chain::{hex, link_of, ChainEntry, GENESIS};

use super::compare::Camera;
use super::{Problem, ProblemKind};

/// Checks the chain's links and signatures; answers its head (seq, link in hex).
pub(super) fn walk(
    cam: &Camera<'_>,
    chain: &[ChainEntry],
    public_key: Option<&[u8; 32]>,
    problems: &mut Vec<Problem>,
) -> (i64, String) {
    let mut expected_seq = 1;
    let mut expected_prev = GENESIS.to_vec();
    for e in chain {
        let what = cam.recording(e.body.start_us, &e.body.path);
        let mut broken = |why: String| {
            problems.push(cam.problem(ProblemKind::ChainBroken, Some(e), why));
        };
        if e.seq != expected_seq {
            broken(format!(
                "the integrity chain is broken before entry {} ({what}): entries {expected_seq} to {} were removed",
                e.seq,
                e.seq - 1
            ));
        } else if e.prev != expected_prev {
            broken(format!(
                "the integrity chain is broken at entry {} ({what}): it does not follow entry {} (an entry was replaced)",
                e.seq,
                e.seq - 1
            ));
        }
        let recomputed = link_of(&e.prev, e.camera_id, e.seq, &e.body);
        if e.entry.is_none() || recomputed[..] != e.link[..] {
            broken(format!(
                "the integrity chain is broken at entry {} ({what}): the entry was edited (its link does not match its content)",
                e.seq
            ));
        }
        if let Some(pk) = public_key {
            if e.signature.is_empty() {
                problems.push(cam.problem(
                    ProblemKind::Unsigned,
                    Some(e),
                    format!(
                        "entry {} of the integrity chain ({what}) was stored without a signature (the signing key could not be read then)",
                        e.seq
                    ),
                ));
            } else if !verify(pk, &e.link, &e.signature) {
                problems.push(cam.problem(
                    ProblemKind::SignatureInvalid,
                    Some(e),
                    format!(
                        "entry {} of the integrity chain ({what}) is not signed by this installation's key: the chain was rewritten",
                        e.seq
                    ),
                ));
            }
        }
        expected_seq = e.seq + 1;
        expected_prev = e.link.clone();
    }
    match chain.last() {
        Some(e) => (e.seq, hex(&e.link)),
        None => (0, String::new()),
    }
}
