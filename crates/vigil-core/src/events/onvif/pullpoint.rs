//! A PullPoint subscription to the camera's event service: CreatePullPointSubscription
//! with an initial termination time, PullMessages (a long poll answering the notifications
//! that arrived), Renew before the termination time, Unsubscribe.

use std::time::Duration;

use super::soap::{Session, NS_EVENTS};
use super::topics::Notification;
use super::{xml, OnvifError};
use crate::model::time::{now_us, parse_rfc3339};

const WSN: &str = "http://docs.oasis-open.org/wsn/bw-2";

/// A live subscription: where to pull, and when the camera will drop it (our clock, µs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscription {
    pub address: String,
    pub terminates_us: i64,
    /// How long the camera granted at the last create or renew, µs.
    pub granted_us: i64,
}

/// `PT60S` for 60 s.
fn xs_duration(d: Duration) -> String {
    format!("PT{}S", d.as_secs().max(1))
}

/// When the subscription ends in our clock: the camera's TerminationTime less its
/// CurrentTime from now (the camera's clock may be off), else `ttl` from now.
fn termination(body: &str, ttl: Duration) -> Result<i64, OnvifError> {
    let doc = xml::parse(body)?;
    let root = doc.root_element();
    let at = |local: &str| xml::text(root, local).and_then(|t| parse_rfc3339(&t).ok());
    let now = now_us();
    Ok(match (at("CurrentTime"), at("TerminationTime")) {
        (Some(cur), Some(end)) if end > cur => now + (end - cur),
        _ => now + ttl.as_micros() as i64,
    })
}

/// Subscribes at the events service `events_url`, to end after `ttl` unless renewed.
pub fn create(
    s: &mut Session,
    events_url: &str,
    ttl: Duration,
) -> Result<Subscription, OnvifError> {
    let body = format!(
        "<tev:CreatePullPointSubscription><tev:InitialTerminationTime>{}</tev:InitialTerminationTime>\
         </tev:CreatePullPointSubscription>",
        xs_duration(ttl)
    );
    let answer = s.call(
        events_url,
        &format!("{NS_EVENTS}/EventPortType/CreatePullPointSubscriptionRequest"),
        &body,
    )?;
    let doc = xml::parse(&answer)?;
    let address = xml::find(doc.root_element(), "SubscriptionReference")
        .and_then(|r| xml::text(r, "Address"))
        .filter(|a| !a.is_empty())
        .ok_or_else(|| OnvifError::BadAnswer("the subscription has no address".into()))?;
    let terminates_us = termination(&answer, ttl)?;
    Ok(Subscription {
        address,
        terminates_us,
        granted_us: terminates_us - now_us(),
    })
}

/// Waits up to `wait` (camera side) for at most `limit` notifications.
pub fn pull(
    s: &mut Session,
    sub: &Subscription,
    wait: Duration,
    limit: u32,
) -> Result<Vec<Notification>, OnvifError> {
    let body = format!(
        "<tev:PullMessages><tev:Timeout>{}</tev:Timeout><tev:MessageLimit>{limit}</tev:MessageLimit>\
         </tev:PullMessages>",
        xs_duration(wait)
    );
    let timeout = wait + s.timeout;
    let answer = s.call_timeout(
        &sub.address,
        &format!("{NS_EVENTS}/PullPointSubscription/PullMessagesRequest"),
        &body,
        timeout,
    )?;
    parse_notifications(&answer)
}

/// Extends the subscription by `ttl`.
pub fn renew(s: &mut Session, sub: &mut Subscription, ttl: Duration) -> Result<(), OnvifError> {
    let body = format!(
        "<wsnt:Renew><wsnt:TerminationTime>{}</wsnt:TerminationTime></wsnt:Renew>",
        xs_duration(ttl)
    );
    let answer = s.call(
        &sub.address,
        &format!("{WSN}/SubscriptionManager/RenewRequest"),
        &body,
    )?;
    sub.terminates_us = termination(&answer, ttl)?;
    sub.granted_us = sub.terminates_us - now_us();
    Ok(())
}

/// Ends the subscription.
pub fn unsubscribe(s: &mut Session, sub: &Subscription) -> Result<(), OnvifError> {
    s.call(
        &sub.address,
        &format!("{WSN}/SubscriptionManager/UnsubscribeRequest"),
        "<wsnt:Unsubscribe/>",
    )
    .map(|_| ())
}

fn simple_items(node: Option<roxmltree::Node<'_, '_>>) -> Vec<(String, String)> {
    node.map(|n| {
        xml::find_all(n, "SimpleItem")
            .into_iter()
            .filter_map(|i| {
                Some((
                    xml::attr(i, "Name")?.to_string(),
                    xml::attr(i, "Value")?.to_string(),
                ))
            })
            .collect()
    })
    .unwrap_or_default()
}

/// The notifications in a PullMessages answer.
pub fn parse_notifications(body: &str) -> Result<Vec<Notification>, OnvifError> {
    let doc = xml::parse(body)?;
    let root = doc.root_element();
    if xml::find(root, "PullMessagesResponse").is_none() {
        return Err(OnvifError::BadAnswer("not a PullMessages answer".into()));
    }
    Ok(xml::find_all(root, "NotificationMessage")
        .into_iter()
        .map(|m| Notification {
            topic: xml::text(m, "Topic").unwrap_or_default(),
            operation: xml::find_all(m, "Message")
                .into_iter()
                .find_map(|n| xml::attr(n, "PropertyOperation"))
                .map(str::to_string),
            source: simple_items(xml::find(m, "Source")),
            data: simple_items(xml::find(m, "Data")),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notifications_are_read_with_their_topic_source_and_data() {
        let body = r#"<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"
          xmlns:tev="http://www.onvif.org/ver10/events/wsdl" xmlns:wsnt="http://docs.oasis-open.org/wsn/b-2"
          xmlns:tt="http://www.onvif.org/ver10/schema" xmlns:tns1="http://www.onvif.org/ver10/topics">
          <env:Body><tev:PullMessagesResponse><tev:CurrentTime>2026-12-05T03:00:00Z</tev:CurrentTime>
          <tev:TerminationTime>2026-12-05T03:01:00Z</tev:TerminationTime>
          <wsnt:NotificationMessage><wsnt:Topic Dialect="http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet">tns1:Device/Trigger/DigitalInput</wsnt:Topic>
          <wsnt:Message><tt:Message UtcTime="2026-12-05T03:00:00Z" PropertyOperation="Changed">
          <tt:Source><tt:SimpleItem Name="InputToken" Value="1"/></tt:Source>
          <tt:Data><tt:SimpleItem Name="LogicalState" Value="true"/></tt:Data></tt:Message></wsnt:Message>
          </wsnt:NotificationMessage></tev:PullMessagesResponse></env:Body></env:Envelope>"#;
        let n = parse_notifications(body).expect("notifications");
        assert_eq!(
            n,
            vec![Notification {
                topic: "tns1:Device/Trigger/DigitalInput".into(),
                operation: Some("Changed".into()),
                source: vec![("InputToken".into(), "1".into())],
                data: vec![("LogicalState".into(), "true".into())],
            }]
        );
        let before = now_us();
        let end = termination(body, Duration::from_secs(10)).expect("termination");
        assert!(
            (end - before - 60_000_000).abs() < 1_000_000,
            "{}",
            end - before
        );
        assert!(parse_notifications("<a/>").is_err());
    }
}
