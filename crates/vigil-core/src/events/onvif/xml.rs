//! Reading SOAP answers: roxmltree helpers that find elements and attributes by local name,
//! whatever namespace prefix the camera chose, and escaping of text written into requests.

use roxmltree::{Document, Node};

use super::OnvifError;

/// Parses an answer, or says why it is not XML.
pub fn parse(text: &str) -> Result<Document<'_>, OnvifError> {
    Document::parse(text).map_err(|e| OnvifError::BadAnswer(format!("not XML: {e}")))
}

/// The first element below `node` (depth first, `node` itself included) named `local`.
pub fn find<'a, 'i>(node: Node<'a, 'i>, local: &str) -> Option<Node<'a, 'i>> {
    node.descendants()
        .find(|n| n.is_element() && n.tag_name().name() == local)
}

/// Every element below `node` named `local`.
pub fn find_all<'a, 'i>(node: Node<'a, 'i>, local: &str) -> Vec<Node<'a, 'i>> {
    node.descendants()
        .filter(|n| n.is_element() && n.tag_name().name() == local)
        .collect()
}

/// The direct children of `node` named `local`.
pub fn children<'a, 'i>(node: Node<'a, 'i>, local: &str) -> impl Iterator<Item = Node<'a, 'i>> {
    let local = local.to_string();
    node.children()
        .filter(move |n| n.is_element() && n.tag_name().name() == local)
}

/// The trimmed text of the first element below `node` named `local`.
pub fn text(node: Node<'_, '_>, local: &str) -> Option<String> {
    find(node, local)
        .and_then(|n| n.text())
        .map(|t| t.trim().to_string())
}

/// An attribute by local name (any namespace).
pub fn attr<'a>(node: Node<'a, '_>, local: &str) -> Option<&'a str> {
    node.attributes()
        .find(|a| a.name() == local)
        .map(|a| a.value())
}

/// `text` escaped for an XML text node or attribute value.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elements_are_found_whatever_their_prefix() {
        let doc = parse(
            r#"<a:Envelope xmlns:a="urn:a" xmlns:b="urn:b"><a:Body><b:Item b:Name="x">
            v1 </b:Item><Item Name="y">v2</Item></a:Body></a:Envelope>"#,
        )
        .expect("xml");
        let root = doc.root_element();
        assert_eq!(text(root, "Item").as_deref(), Some("v1"));
        let all = find_all(root, "Item");
        assert_eq!(all.len(), 2);
        assert_eq!(attr(all[0], "Name"), Some("x"));
        assert_eq!(attr(all[1], "Name"), Some("y"));
        assert!(find(root, "Missing").is_none());
        assert_eq!(escape("a<b & \"c\""), "a&lt;b &amp; &quot;c&quot;");
    }
}
