//! The transfers a consent allows, each through the gate: the newsletter sign-up and
//! sharing with a partner.

use super::error::ConsentError;
use super::service::{Consent, new_id};
use super::wire::{ME_PATH, NEWSLETTER_PATH, NewsletterSignup, Profile, ShareRequest, share_path};
use crate::net::{ApiError, ApiRequest, DataCategory, Disclosure, Partner};

/// The newsletter purpose.
pub const NEWSLETTER_PURPOSE: &str = "newsletter";

/// The member's profile from the member API (reading it discloses nothing).
pub(crate) async fn profile(consent: &Consent) -> Result<Profile, ConsentError> {
    Ok(consent
        .api
        .send(ApiRequest::get(ME_PATH, Disclosure::Nothing))
        .await?)
}

/// Signs the member up for the newsletter with their e-mail address.
pub(crate) async fn subscribe_newsletter(consent: &Consent) -> Result<(), ConsentError> {
    let disclosure = Disclosure::to_lofavor(NEWSLETTER_PURPOSE, &[DataCategory::Contact]);
    // Asked before the profile is even read: without consent nothing is looked up either.
    consent
        .gate
        .check(&disclosure)
        .map_err(|r| ConsentError::Api(ApiError::NotPermitted(r)))?;
    let email = profile(consent)
        .await?
        .email
        .ok_or(ConsentError::MissingField)?;
    let request = ApiRequest::post_json(NEWSLETTER_PATH, &NewsletterSignup { email }, disclosure)
        .map_err(ApiError::from)?;
    consent.api.send::<serde_json::Value>(request).await?;
    Ok(())
}

/// Stops the newsletter (discloses nothing: the token says who).
pub(crate) async fn unsubscribe_newsletter(consent: &Consent) -> Result<(), ConsentError> {
    consent
        .api
        .send::<serde_json::Value>(ApiRequest::delete(NEWSLETTER_PATH, Disclosure::Nothing))
        .await?;
    Ok(())
}

/// Asks LOfavør to share the member's data with `partner`, as the partner purpose allows.
/// Pending decisions are synced first, so the server knows of the consent before it shares.
pub(crate) async fn share_with_partner(
    consent: &Consent,
    partner: Partner,
) -> Result<(), ConsentError> {
    consent.sync().await?;
    let purpose_id = format!("partner_sharing.{}", partner.id());
    let catalogue = consent.catalogue();
    let purpose = catalogue
        .purpose(&purpose_id)
        .ok_or(ConsentError::UnknownPurpose)?;
    let categories: Vec<DataCategory> = purpose.categories();
    let disclosure = Disclosure::to_partner(&purpose_id, partner, &categories);
    let body = ShareRequest {
        id: new_id(),
        categories: categories.iter().map(|c| c.id().to_owned()).collect(),
    };
    let path = share_path(partner.id());
    let request = ApiRequest::post_json(&path, &body, disclosure).map_err(ApiError::from)?;
    consent.api.send::<serde_json::Value>(request).await?;
    Ok(())
}
