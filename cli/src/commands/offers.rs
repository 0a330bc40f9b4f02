//! `lofavor offers` and `lofavor order OFFER [--yes]`: partner offers, and orders that send
//! nothing before the member confirms.

use lofavor_core::consent::OrderPreview;
use serde_json::json;

use crate::args::Args;
use crate::error::CliError;
use crate::output::Output;
use crate::session;

/// Lists the partner offers.
pub async fn list(args: &Args, out: &Output) -> Result<(), CliError> {
    let (core, _backend) = session::open_for_command(args).await?;
    let offers = core.consent().offers().await?;
    for offer in &offers {
        out.line(format!("{}  ({})", offer.title, offer.id));
        out.line(format!("    {} — {}", offer.partner_name, offer.summary));
        out.line(format!("    sends: {}", offer.fields.join(", ")));
    }
    out.document(&json!({ "offers": offers.iter().map(|o| json!({
        "id": o.id, "partner": o.partner, "title": o.title, "summary": o.summary, "fields": o.fields,
    })).collect::<Vec<_>>() }));
    Ok(())
}

fn print_preview(out: &Output, preview: &OrderPreview) {
    out.line(format!("{}: {}", preview.heading, preview.offer_title));
    for field in &preview.fields {
        let mark = if field.special_category {
            " (special category)"
        } else {
            ""
        };
        out.line(format!("  {:<16} {}{mark}", field.label, field.value));
    }
}

/// Shows what an order sends; with `yes`, sends it.
pub async fn order(args: &Args, offer: &str, yes: bool, out: &Output) -> Result<(), CliError> {
    let (core, _backend) = session::open_for_command(args).await?;
    let preview = core.consent().prepare_order(offer).await?;
    print_preview(out, &preview);
    let fields: Vec<_> = preview
        .fields
        .iter()
        .map(|f| json!({ "key": f.key, "value": f.value, "special_category": f.special_category }))
        .collect();
    if !yes {
        out.line(&preview.nothing_sent_yet);
        out.line("Run again with --yes to send it.");
        out.document(&json!({ "sent": false, "partner": preview.partner, "fields": fields }));
        return Ok(());
    }
    let confirmation = core.consent().confirm_order(&preview.id).await?;
    out.line(format!(
        "Order {} sent to {} ({})",
        confirmation.order_id, confirmation.partner, confirmation.status
    ));
    out.document(&json!({
        "sent": true,
        "order_id": confirmation.order_id,
        "partner": confirmation.partner,
        "status": confirmation.status,
        "fields": fields,
    }));
    Ok(())
}
