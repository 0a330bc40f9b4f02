//! What the member sends by SMS, and the `geo:` URI (RFC 5870) that opens a map.

use super::formats::{FormatKind, LabelledFormat};

/// `geo:62.07420,9.12540;u=35`: five decimals (about a metre) and, when the accuracy is
/// known, its radius in whole metres rounded up as the `u` (uncertainty) parameter.
pub fn geo_uri(latitude: f64, longitude: f64, accuracy_m: f64) -> String {
    // "-0.00000" would be a valid but odd URI
    let clean = |v: f64| if v == 0.0 { 0.0 } else { v };
    let mut uri = format!("geo:{:.5},{:.5}", clean(latitude), clean(longitude));
    if accuracy_m > 0.0 {
        uri.push_str(&format!(";u={}", accuracy_m.ceil() as u64));
    }
    uri
}

/// The SMS: a heading with the accuracy, each format on its own line (values only: the
/// notation shows which is which and labels would double the length), the nearest place,
/// any warnings, and the `geo:` URI last so phones make it a link.
///
/// With the characters °, ′, ″ and Ø the message is sent as UCS-2; it stays within about
/// 300 characters, five SMS segments at most, which every phone joins.
pub(crate) fn sms(
    heading: &str,
    accuracy_m: f64,
    formats: &[LabelledFormat],
    place: Option<&str>,
    warnings: &[String],
    geo_uri: &str,
) -> String {
    let mut lines = vec![format!("{heading} (±{} m):", accuracy_m.round() as u64)];
    for kind in [
        FormatKind::DecimalDegrees,
        FormatKind::DegreesMinutesSeconds,
        FormatKind::DegreesDecimalMinutes,
    ] {
        if let Some(f) = formats.iter().find(|f| f.kind == kind) {
            lines.push(f.value.clone());
        }
    }
    if let Some(utm) = formats.iter().find(|f| f.kind == FormatKind::Utm) {
        lines.push(format!("UTM {}", utm.value));
    }
    if let Some(place) = place {
        lines.push(place.to_owned());
    }
    lines.extend(warnings.iter().cloned());
    lines.push(geo_uri.to_owned());
    lines.join("\n")
}
