//! Walking one camera's chain: every entry must follow the previous (sequence and link), its
//! link must be the hash of its content, and its signature this installation's.

use std::collections::HashSet;

use crate::evidence::key::verify;
use crate::library::chain::{hex, link_of, ChainEntry, GENESIS};

use super::compare::Camera;
use super::{Problem, ProblemKind};

/// The head of a chain and the entries whose content does not match their link.
pub(super) struct Walked {
    pub head_seq: i64,
    /// The newest link, lowercase hex (empty for an empty chain).
    pub head_link: String,
    /// Entries edited: what they say cannot be trusted, so rows are not compared with them.
    pub edited: HashSet<i64>,
}

/// Checks the chain's links and signatures.
pub(super) fn walk(
    cam: &Camera<'_>,
    chain: &[ChainEntry],
    public_key: Option<&[u8; 32]>,
    problems: &mut Vec<Problem>,
) -> Walked {
    let mut edited = HashSet::new();
    let mut expected_seq = 1;
    let mut expected_prev = GENESIS.to_vec();
    for e in chain {
        let what = cam.recording(e.body.start_us, &e.body.path);
        let mut broken = |why: String| {
            problems.push(cam.problem(ProblemKind::ChainBroken, Some(e), why));
        };
        if e.seq != expected_seq {
            let gone = match e.seq - expected_seq {
                1 => format!("entry {expected_seq} was removed"),
                _ => format!("entries {expected_seq} to {} were removed", e.seq - 1),
            };
            broken(format!(
                "the integrity chain is broken before entry {} ({what}): {gone}",
                e.seq
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
            edited.insert(e.seq);
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
    Walked {
        head_seq: chain.last().map_or(0, |e| e.seq),
        head_link: chain.last().map_or(String::new(), |e| hex(&e.link)),
        edited,
    }
}
