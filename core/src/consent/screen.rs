//! The models of the consent screens, built here so both shells show the same thing: a
//! first layer (summary; "accept all" and "refuse all" with equal weight; "choose") and a
//! second layer with one row per purpose and per partner, nothing pre-ticked.
//!
//! A purpose whose notice changed in a major version since the member answered shows as
//! [`PurposeState::NeedsAnswer`] and counts as refused until answered; a minor change shows
//! as `updated` and asks nothing. A purpose answered on the current text is never asked again.

use std::collections::HashMap;

use super::catalogue::{Catalogue, NoticeVersion, Purpose, PurposeKind};
use super::ledger::{Decision, Effective};
use super::text::{text, text_with};
use crate::config::Locale;

/// Where a purpose stands for the member.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PurposeState {
    /// Never answered: off, and the first layer is shown.
    NotAsked,
    /// Consent given on the current major version.
    Given,
    /// Refused.
    Refused,
    /// Given once, then withdrawn.
    Withdrawn,
    /// Answered on an older major version: counts as refused until answered again.
    NeedsAnswer,
}

/// One purpose on the second layer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PurposeRow {
    /// The stable purpose id.
    pub id: String,
    /// Whether it is sharing with a partner.
    pub partner_sharing: bool,
    /// The partner's name, for a partner purpose.
    pub partner_name: Option<String>,
    /// Title.
    pub title: String,
    /// Summary for the row.
    pub summary: String,
    /// The full notice text (what the member agrees to).
    pub notice_text: String,
    /// The notice's version.
    pub notice_version: String,
    /// The full notice on the web.
    pub notice_url: String,
    /// "Read the full text".
    pub read_more_label: String,
    /// The legal basis, for people.
    pub legal_basis: String,
    /// Who receives the data.
    pub recipients: Vec<String>,
    /// The kinds of data, for people.
    pub data_categories: Vec<String>,
    /// How long it is kept.
    pub retention: String,
    /// What changes if the member says no.
    pub if_refused: String,
    /// Whether special-category data is involved.
    pub special_category: bool,
    /// Where it stands.
    pub state: PurposeState,
    /// The state, for people.
    pub state_label: String,
    /// Whether the switch shows on. Never on unless the member said yes.
    pub switched_on: bool,
    /// The text changed in a minor way since the member answered.
    pub updated: bool,
    /// The member's latest choice is not on the server yet.
    pub pending_sync: bool,
    /// A marketing purpose the reservation stops while it stands.
    pub stopped_by_reservation: bool,
    /// For a partner purpose: the second, explicit confirmation to show before saying yes.
    pub explicit_confirmation: Option<ExplicitConfirmation>,
}

/// The explicit confirmation a partner purpose needs (GDPR art. 9(2)(a)).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExplicitConfirmation {
    /// Title of the dialog.
    pub title: String,
    /// What the member confirms.
    pub body: String,
    /// The confirming button.
    pub confirm_label: String,
    /// The button that leaves the consent off.
    pub cancel_label: String,
}

/// The reservation against direct marketing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReservationRow {
    /// Title.
    pub title: String,
    /// What it does.
    pub text: String,
    /// Whether it stands.
    pub reserved: bool,
    /// Its state, for people.
    pub state_label: String,
    /// Not yet on the server.
    pub pending_sync: bool,
}

/// The first layer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FirstLayer {
    /// Title.
    pub title: String,
    /// Summary.
    pub summary: String,
    /// One line per purpose: its title and summary.
    pub purposes: Vec<String>,
    /// What LOfavør does without consent (legitimate interest).
    pub without_consent_heading: String,
    /// The legitimate-interest texts.
    pub without_consent: Vec<String>,
    /// "Accept all" (same weight as refuse).
    pub accept_all_label: String,
    /// "Refuse all".
    pub refuse_all_label: String,
    /// "Let me choose".
    pub choose_label: String,
}

/// Everything the consent screens show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentScreen {
    /// The language of the texts.
    pub locale: Locale,
    /// The catalogue's sequence.
    pub catalogue_sequence: u64,
    /// Whether the first layer must be shown now: a purpose was never answered, or its
    /// text changed in a major way.
    pub needs_answer: bool,
    /// The first layer.
    pub first_layer: FirstLayer,
    /// Title of the second layer.
    pub second_layer_title: String,
    /// Save button of the second layer.
    pub save_label: String,
    /// One row per purpose and per partner.
    pub purposes: Vec<PurposeRow>,
    /// The reservation.
    pub reservation: ReservationRow,
}

/// The state of `purpose` from the decision that counts.
pub(crate) fn state_of(purpose: &Purpose, effective: Option<&Effective>) -> (PurposeState, bool) {
    let Some(effective) = effective else {
        return (PurposeState::NotAsked, false);
    };
    let current = NoticeVersion::parse(&purpose.notice.version);
    let answered = NoticeVersion::parse(&effective.notice_version);
    let (Some(current), Some(answered)) = (current, answered) else {
        return (PurposeState::NeedsAnswer, false);
    };
    if answered.major != current.major {
        return (PurposeState::NeedsAnswer, false);
    }
    let updated = answered.minor != current.minor;
    let state = match effective.decision {
        Decision::Given => PurposeState::Given,
        Decision::Refused => PurposeState::Refused,
        Decision::Withdrawn => PurposeState::Withdrawn,
    };
    (state, updated)
}

fn state_label(locale: Locale, state: PurposeState) -> String {
    text(
        locale,
        match state {
            PurposeState::NotAsked => "state-not-asked",
            PurposeState::Given => "state-given",
            PurposeState::Refused => "state-refused",
            PurposeState::Withdrawn => "state-withdrawn",
            PurposeState::NeedsAnswer => "state-needs-answer",
        },
    )
}

/// Builds the screens for `locale`.
pub(crate) fn build(
    catalogue: &Catalogue,
    effective: &HashMap<String, Effective>,
    locale: Locale,
) -> ConsentScreen {
    let reserved_effective = catalogue.reservation().and_then(|r| effective.get(&r.id));
    let reserved = reserved_effective.is_some_and(|e| e.decision == Decision::Given);
    let mut rows = Vec::new();
    let mut needs_answer = false;
    for purpose in catalogue.consent_purposes() {
        let found = effective.get(&purpose.id);
        let (state, updated) = state_of(purpose, found);
        needs_answer |= matches!(state, PurposeState::NotAsked | PurposeState::NeedsAnswer);
        let partner_name = purpose.partner().map(|p| p.display_name().to_owned());
        let explicit_confirmation = partner_name
            .as_ref()
            .filter(|_| purpose.needs_explicit())
            .map(|name| ExplicitConfirmation {
                title: text(locale, "explicit-title"),
                body: text_with(locale, "explicit-body", &[("partner", name)]),
                confirm_label: text_with(locale, "explicit-confirm", &[("partner", name)]),
                cancel_label: text(locale, "explicit-cancel"),
            });
        let mut state_text = state_label(locale, state);
        if updated {
            state_text = format!("{state_text} · {}", text(locale, "state-updated"));
        }
        let stopped = purpose.marketing && reserved && state == PurposeState::Given;
        if stopped {
            state_text = format!("{state_text} · {}", text(locale, "state-reserved"));
        }
        let pending = found.is_some_and(|e| e.pending);
        if pending {
            state_text = format!("{state_text} · {}", text(locale, "state-pending"));
        }
        rows.push(PurposeRow {
            id: purpose.id.clone(),
            partner_sharing: purpose.kind == PurposeKind::PartnerSharing,
            partner_name,
            title: purpose.notice.title.get(locale).to_owned(),
            summary: purpose.notice.summary.get(locale).to_owned(),
            notice_text: purpose.notice.text.get(locale).to_owned(),
            notice_version: purpose.notice.version.clone(),
            notice_url: purpose.notice.url.clone(),
            read_more_label: text(locale, "read-more"),
            legal_basis: text(locale, &format!("basis-{}", purpose.legal_basis)),
            recipients: purpose.recipients.clone(),
            data_categories: purpose
                .data_categories
                .iter()
                .map(|c| text(locale, &format!("category-{c}")))
                .collect(),
            retention: purpose.retention.get(locale).to_owned(),
            if_refused: purpose.if_refused.get(locale).to_owned(),
            special_category: purpose.special_category,
            state,
            state_label: state_text,
            switched_on: state == PurposeState::Given,
            updated,
            pending_sync: pending,
            stopped_by_reservation: stopped,
            explicit_confirmation,
        });
    }
    let reservation = catalogue.reservation().map(|r| ReservationRow {
        title: r.notice.title.get(locale).to_owned(),
        text: r.notice.text.get(locale).to_owned(),
        reserved,
        state_label: text(
            locale,
            if reserved {
                "reservation-on"
            } else {
                "reservation-off"
            },
        ),
        pending_sync: reserved_effective.is_some_and(|e| e.pending),
    });
    ConsentScreen {
        locale,
        catalogue_sequence: catalogue.sequence,
        needs_answer,
        first_layer: FirstLayer {
            title: text(locale, "first-title"),
            summary: text_with(
                locale,
                "first-summary",
                &[("controller", &catalogue.controller.name)],
            ),
            purposes: rows
                .iter()
                .map(|r| format!("{}: {}", r.title, r.summary))
                .collect(),
            without_consent_heading: text(locale, "first-without-consent"),
            without_consent: catalogue
                .legitimate_interests
                .iter()
                .map(|l| l.text.get(locale).to_owned())
                .collect(),
            accept_all_label: text(locale, "first-accept-all"),
            refuse_all_label: text(locale, "first-refuse-all"),
            choose_label: text(locale, "first-choose"),
        },
        second_layer_title: text(locale, "second-title"),
        save_label: text(locale, "second-save"),
        purposes: rows,
        reservation: reservation.unwrap_or(ReservationRow {
            title: String::new(),
            text: String::new(),
            reserved: false,
            state_label: String::new(),
            pending_sync: false,
        }),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn decided(decision: Decision, version: &str) -> Effective {
        Effective {
            decision,
            notice_version: version.into(),
            explicit: true,
            decided_at: 0,
            pending: false,
        }
    }

    #[test]
    fn a_first_start_shows_nothing_ticked_and_asks() {
        let catalogue = Catalogue::bundled().unwrap();
        let screen = build(&catalogue, &HashMap::new(), Locale::Nb);
        assert!(screen.needs_answer);
        assert_eq!(screen.purposes.len(), 7);
        assert!(
            screen
                .purposes
                .iter()
                .all(|r| !r.switched_on && r.state == PurposeState::NotAsked)
        );
        let partners: Vec<_> = screen
            .purposes
            .iter()
            .filter(|r| r.partner_sharing)
            .collect();
        assert_eq!(partners.len(), 4);
        assert!(
            partners
                .iter()
                .all(|r| r.explicit_confirmation.is_some() && r.special_category)
        );
        assert_eq!(screen.first_layer.accept_all_label, "Godta alle");
        assert_eq!(screen.first_layer.refuse_all_label, "Avslå alle");
        assert!(!screen.reservation.reserved);
    }

    #[test]
    fn only_a_major_change_asks_again() {
        let catalogue = Catalogue::bundled().unwrap();
        let mut effective: HashMap<String, Effective> = catalogue
            .consent_purposes()
            .map(|p| (p.id.clone(), decided(Decision::Refused, &p.notice.version)))
            .collect();
        let screen = build(&catalogue, &effective, Locale::En);
        assert!(!screen.needs_answer);

        effective.insert("analytics".into(), decided(Decision::Given, "1.3"));
        let screen = build(&catalogue, &effective, Locale::En);
        let row = screen
            .purposes
            .iter()
            .find(|r| r.id == "analytics")
            .unwrap();
        assert!(row.updated && row.switched_on && !screen.needs_answer);

        effective.insert("analytics".into(), decided(Decision::Given, "0.9"));
        let screen = build(&catalogue, &effective, Locale::En);
        let row = screen
            .purposes
            .iter()
            .find(|r| r.id == "analytics")
            .unwrap();
        assert_eq!(row.state, PurposeState::NeedsAnswer);
        assert!(!row.switched_on && screen.needs_answer);
    }
}
