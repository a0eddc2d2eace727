//! The audit trail for admins: `GET /api/audit?limit=N&action=A` answers the latest lines
//! (logins, failed logins, logouts, user and token changes, exports, deletions), newest
//! first, each with who, when (UTC microseconds) and from where. Viewers and operators 403.

use axum::extract::{Query, State};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;

use super::refusal::Refusal;
use super::session::SignedIn;
use super::state::{blocking, Shared};
use crate::library::accounts::AuditEntry;

/// Lines answered when the request does not say.
pub const DEFAULT_LIMIT: usize = 200;
/// Most lines in one answer.
pub const MAX_LIMIT: usize = 2000;

pub fn routes() -> Router<Shared> {
    Router::new().route("/api/audit", get(audit))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    limit: Option<usize>,
    /// Only lines of this action (e.g. `login failed`).
    action: Option<String>,
}

#[derive(Debug, serde::Serialize)]
pub struct AuditAnswer {
    pub entries: Vec<AuditEntry>,
}

async fn audit(
    me: SignedIn,
    State(state): State<Shared>,
    query: Result<Query<AuditQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<AuditAnswer>, Refusal> {
    me.may(me.user.role.can_manage_users(), "see the audit trail")?;
    let Query(q) = query.map_err(|e| Refusal::bad_request(e.body_text()))?;
    let limit = q.limit.unwrap_or(DEFAULT_LIMIT);
    if limit == 0 || limit > MAX_LIMIT {
        return Err(Refusal::bad_request(format!(
            "limit must be between 1 and {MAX_LIMIT}"
        )));
    }
    // Filtered here: the trail is short and read by one admin at a time.
    let scan = if q.action.is_some() {
        MAX_LIMIT * 10
    } else {
        limit
    };
    let found = blocking(&state, move |s| s.accounts().audit_log(scan)).await?;
    let mut entries = found.map_err(|e| Refusal::unavailable("reading the audit trail", &e))?;
    if let Some(action) = &q.action {
        entries.retain(|e| &e.action == action);
    }
    entries.truncate(limit);
    Ok(Json(AuditAnswer { entries }))
}

#[cfg(test)]
mod tests {
    use std::io::{Read, Write};
    use std::net::TcpStream;

    use crate::web::accounts::Actor;
    use crate::web::options::WebOptions;
    use crate::web::server::WebServer;
    use crate::web::{Accounts, Role};

    fn get(addr: std::net::SocketAddr, path: &str, token: &str) -> (u16, String) {
        let mut s = TcpStream::connect(addr).unwrap();
        let req = format!(
            "GET {path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n\
             Connection: close\r\n\r\n"
        );
        s.write_all(req.as_bytes()).unwrap();
        let mut out = String::new();
        s.read_to_string(&mut out).unwrap();
        let status = out.split_whitespace().nth(1).unwrap().parse().unwrap();
        (status, out.split_once("\r\n\r\n").unwrap().1.to_string())
    }

    #[test]
    fn admins_read_the_trail_newest_first_and_others_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let mut acc = Accounts::new(crate::library::Library::open(dir.path()).unwrap());
        let cli = Actor::COMMAND_LINE;
        acc.add_user("root", Role::Admin, "admin pass 1", cli)
            .unwrap();
        acc.add_user("op", Role::Operator, "operator pass", cli)
            .unwrap();
        let (_, admin) = acc.add_api_token("root", None, cli).unwrap();
        let (_, op) = acc.add_api_token("op", None, cli).unwrap();
        let from = Actor {
            user: Some("op"),
            address: Some("192.0.2.9"),
        };
        acc.audit(from, "export", "cam 10:00-10:05").unwrap();
        let opts = WebOptions::new("127.0.0.1:0", None, true).unwrap();
        let web = WebServer::start(&opts, crate::web::state::test_engine(dir.path())).unwrap();

        let (status, body) = get(web.addr(), "/api/audit", admin.as_str());
        assert_eq!(status, 200, "{body}");
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        let first = &v["entries"][0];
        assert_eq!(first["action"], "export", "newest first: {body}");
        assert_eq!(first["user_name"], "op");
        assert_eq!(first["address"], "192.0.2.9");
        assert!(first["at_us"].as_i64().unwrap() > 0);
        let (_, body) = get(
            web.addr(),
            "/api/audit?action=user.add&limit=1",
            admin.as_str(),
        );
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(v["entries"].as_array().unwrap().len(), 1, "{body}");
        assert_eq!(v["entries"][0]["action"], "user.add");
        assert!(!body.contains("operator pass") && !body.contains("admin pass"));

        let (status, body) = get(web.addr(), "/api/audit", op.as_str());
        assert_eq!(status, 403, "{body}");
        assert!(body.contains("may not see the audit trail"), "{body}");
        for bad in [
            "/api/audit?limit=0",
            "/api/audit?limit=x",
            "/api/audit?since=1",
        ] {
            assert_eq!(get(web.addr(), bad, admin.as_str()).0, 400, "{bad}");
        }
        web.stop();
    }
}
