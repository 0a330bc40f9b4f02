//! Orders of partner products: nothing goes to the partner before the member confirms.
//!
//! [`prepare`] reads the offer and the member's profile and keeps a preview on the device
//! that names every field and its value, for [`PREVIEW_LIFETIME`]; nothing is sent. [`confirm`]
//! opens the gate for that one preview and sends it (the contract is the legal basis); a
//! second confirmation of the same preview returns the first answer and sends nothing new
//! (the server keys the order on the preview's id, so a retry after a lost answer is one
//! order too).

use std::collections::BTreeMap;

use rusqlite::{OptionalExtension, params};

use super::error::ConsentError;
use super::service::{Consent, new_id};
use super::text::{text, text_with};
use super::transfers::profile;
use super::wire::{OFFERS_PATH, ORDERS_PATH, OfferList, OrderAnswer, OrderBody, WireOffer};
use crate::config::Locale;
use crate::net::{
    ApiError, ApiRequest, DataCategory, Disclosure, ORDER_PURPOSE, Partner, Recipient, Transfer,
};
use crate::time::now_unix;

/// How long a preview may be confirmed.
pub const PREVIEW_LIFETIME_SECS: i64 = 10 * 60;

/// A partner offer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offer {
    /// Stable id.
    pub id: String,
    /// The partner's id.
    pub partner: String,
    /// The partner's name.
    pub partner_name: String,
    /// Title.
    pub title: String,
    /// Summary.
    pub summary: String,
    /// The data fields an order sends, for people.
    pub fields: Vec<String>,
}

/// One field of an order preview.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderField {
    /// Stable key (`name`, `email`, ...).
    pub key: String,
    /// For people.
    pub label: String,
    /// The value that will be sent.
    pub value: String,
    /// Whether it is special-category data (the union).
    pub special_category: bool,
}

/// What an order would send, to whom; nothing has been sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderPreview {
    /// The preview's id, to confirm it.
    pub id: String,
    /// The offer.
    pub offer_id: String,
    /// Title of the offer.
    pub offer_title: String,
    /// The partner's id.
    pub partner: String,
    /// "This goes to {partner}".
    pub heading: String,
    /// Every field that would go, with its value.
    pub fields: Vec<OrderField>,
    /// When the preview stops being confirmable (Unix seconds).
    pub expires_at: i64,
    /// The confirm button.
    pub confirm_label: String,
    /// "Nothing is sent before you confirm."
    pub nothing_sent_yet: String,
}

/// A sent order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderConfirmation {
    /// The order's id.
    pub order_id: String,
    /// The partner's id.
    pub partner: String,
    /// The server's status (`sent`).
    pub status: String,
    /// When the server received it.
    pub received_at: i64,
}

fn category_of(field: &str) -> Option<DataCategory> {
    match field {
        "name" | "birth_date" | "member_number" => Some(DataCategory::Identity),
        "email" | "phone" => Some(DataCategory::Contact),
        "union" => Some(DataCategory::UnionMembership),
        _ => None,
    }
}

async fn wire_offers(consent: &Consent) -> Result<Vec<WireOffer>, ConsentError> {
    let list: OfferList = consent
        .api
        .send(ApiRequest::get(OFFERS_PATH, Disclosure::Nothing))
        .await?;
    Ok(list.offers)
}

fn offer_view(offer: &WireOffer, locale: Locale) -> Option<Offer> {
    let partner = Partner::from_id(&offer.partner)?;
    let pick = |t: &super::wire::WireText| match locale {
        Locale::Nb => t.nb.clone(),
        Locale::Nn => t.nn.clone(),
        Locale::En => t.en.clone(),
    };
    Some(Offer {
        id: offer.id.clone(),
        partner: offer.partner.clone(),
        partner_name: partner.display_name().to_owned(),
        title: pick(&offer.title),
        summary: pick(&offer.summary),
        fields: offer
            .fields
            .iter()
            .map(|f| text(locale, &format!("field-{f}")))
            .collect(),
    })
}

/// The partner offers (reading them discloses nothing). Offers of an unknown partner, or
/// asking for a field the app does not know, are left out.
pub(crate) async fn offers(consent: &Consent) -> Result<Vec<Offer>, ConsentError> {
    Ok(wire_offers(consent)
        .await?
        .iter()
        .filter(|o| o.fields.iter().all(|f| category_of(f).is_some()))
        .filter_map(|o| offer_view(o, consent.locale))
        .collect())
}

/// Prepares an order of `offer_id`: the preview, kept on the device. Sends nothing.
pub(crate) async fn prepare(
    consent: &Consent,
    offer_id: &str,
) -> Result<OrderPreview, ConsentError> {
    let offer = wire_offers(consent)
        .await?
        .into_iter()
        .find(|o| o.id == offer_id)
        .ok_or(ConsentError::UnknownOffer)?;
    let partner = Partner::from_id(&offer.partner).ok_or(ConsentError::UnknownOffer)?;
    let me = profile(consent).await?;
    let mut fields = BTreeMap::new();
    for key in &offer.fields {
        category_of(key).ok_or(ConsentError::UnknownOffer)?;
        let value = match key.as_str() {
            "name" => me.name.clone(),
            "email" => me.email.clone(),
            "phone" => me.phone.clone(),
            "birth_date" => me.birth_date.clone(),
            "member_number" => me.member_number.clone(),
            "union" => me.membership.as_ref().map(|m| m.union.clone()),
            _ => None,
        }
        .ok_or(ConsentError::MissingField)?;
        fields.insert(key.clone(), value);
    }
    let body = OrderBody {
        id: new_id(),
        offer: offer.id.clone(),
        fields,
    };
    let now = now_unix();
    let expires_at = now + PREVIEW_LIFETIME_SECS;
    let json = serde_json::to_string(&body).map_err(|_| ConsentError::Protocol("order"))?;
    consent.db(|c| {
        // Stale previews go as new ones are made: they hold the member's data.
        c.execute(
            "DELETE FROM consent_order WHERE answer_json IS NULL AND expires_at < ?1",
            [now],
        )?;
        c.execute(
            "INSERT INTO consent_order (id, offer, partner, body_json, created_at, expires_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![body.id, offer.id, offer.partner, json, now, expires_at],
        )?;
        Ok(())
    })?;
    Ok(preview_of(
        &body,
        &offer,
        partner,
        expires_at,
        consent.locale,
    ))
}

fn preview_of(
    body: &OrderBody,
    offer: &WireOffer,
    partner: Partner,
    expires_at: i64,
    locale: Locale,
) -> OrderPreview {
    let view = offer_view(offer, locale);
    OrderPreview {
        id: body.id.clone(),
        offer_id: offer.id.clone(),
        offer_title: view.map(|v| v.title).unwrap_or_default(),
        partner: offer.partner.clone(),
        heading: text_with(
            locale,
            "order-title",
            &[("partner", partner.display_name())],
        ),
        fields: body
            .fields
            .iter()
            .map(|(key, value)| OrderField {
                key: key.clone(),
                label: text(locale, &format!("field-{key}")),
                value: value.clone(),
                special_category: category_of(key).is_some_and(|c| c.is_special_category()),
            })
            .collect(),
        expires_at,
        confirm_label: text(locale, "order-confirm"),
        nothing_sent_yet: text(locale, "order-nothing-sent"),
    }
}

/// Sends the order the member confirmed. Expired: [`ConsentError::PreviewExpired`] and the
/// preview is deleted, nothing sent. Already sent: the first answer again.
pub(crate) async fn confirm(
    consent: &Consent,
    preview_id: &str,
) -> Result<OrderConfirmation, ConsentError> {
    confirm_at(consent, preview_id, now_unix()).await
}

/// [`confirm`] as if the time were `now`.
pub(crate) async fn confirm_at(
    consent: &Consent,
    preview_id: &str,
    now: i64,
) -> Result<OrderConfirmation, ConsentError> {
    let row: Option<(String, String, i64, Option<String>)> = consent.db(|c| {
        Ok(c.query_row(
            "SELECT partner, body_json, expires_at, answer_json FROM consent_order WHERE id = ?1",
            [preview_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?)
    })?;
    let (partner, body_json, expires_at, answer) = row.ok_or(ConsentError::UnknownPreview)?;
    if let Some(answer) = answer {
        return confirmation_of(&answer);
    }
    if now > expires_at {
        consent.db(|c| {
            c.execute("DELETE FROM consent_order WHERE id = ?1", [preview_id])?;
            Ok(())
        })?;
        return Err(ConsentError::PreviewExpired);
    }
    let partner = Partner::from_id(&partner).ok_or(ConsentError::UnknownPreview)?;
    let body: OrderBody =
        serde_json::from_str(&body_json).map_err(|_| ConsentError::UnknownPreview)?;
    let mut categories: Vec<DataCategory> =
        body.fields.keys().filter_map(|k| category_of(k)).collect();
    categories.sort();
    categories.dedup();
    let disclosure = Disclosure::Transfer(Transfer {
        purpose: ORDER_PURPOSE.to_owned(),
        recipient: Recipient::Partner(partner),
        categories,
        confirmation: Some(preview_id.to_owned()),
    });
    let request = ApiRequest::post_json(ORDERS_PATH, &body, disclosure).map_err(ApiError::from)?;
    consent.gate.confirm_order(preview_id);
    let sent = consent.api.send::<OrderAnswer>(request).await;
    consent.gate.forget_order(preview_id);
    let answer = sent?;
    let json = serde_json::to_string(&answer).map_err(|_| ConsentError::Protocol("order"))?;
    consent.db(|c| {
        c.execute(
            "UPDATE consent_order SET answer_json = ?2 WHERE id = ?1",
            params![preview_id, json],
        )?;
        Ok(())
    })?;
    confirmation_of(&json)
}

fn confirmation_of(json: &str) -> Result<OrderConfirmation, ConsentError> {
    let answer: OrderAnswer =
        serde_json::from_str(json).map_err(|_| ConsentError::Protocol("order answer"))?;
    Ok(OrderConfirmation {
        order_id: answer.order_id,
        partner: answer.partner,
        status: answer.status,
        received_at: answer.received_at,
    })
}
