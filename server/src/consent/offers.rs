//! The partners' offers a member can order through the app: what each partner needs to
//! know. Only the offers whose price depends on the member's union ask for `union`.

use serde::Serialize;

/// Text in the app's three languages.
#[derive(Debug, Clone, Copy, Serialize)]
pub(crate) struct Text {
    nb: &'static str,
    nn: &'static str,
    en: &'static str,
}

/// One offer.
#[derive(Debug, Clone, Copy, Serialize)]
pub(crate) struct Offer {
    /// Its id, as an order names it.
    pub(crate) id: &'static str,
    /// The partner who receives the order.
    pub(crate) partner: &'static str,
    title: Text,
    summary: Text,
    /// Exactly the fields an order must carry.
    pub(crate) fields: &'static [&'static str],
}

/// Every offer, at least one per partner.
pub(crate) const OFFERS: [Offer; 4] = [
    Offer {
        id: "sparebank1-lofavor-card",
        partner: "sparebank1",
        title: Text {
            nb: "LOfavør Mastercard",
            nn: "LOfavør Mastercard",
            en: "LOfavør Mastercard",
        },
        summary: Text {
            nb: "Kredittkort med medlemsfordeler fra SpareBank 1.",
            nn: "Kredittkort med medlemsfordelar frå SpareBank 1.",
            en: "Credit card with member benefits from SpareBank 1.",
        },
        fields: &[
            "name",
            "email",
            "phone",
            "birth_date",
            "member_number",
            "union",
        ],
    },
    Offer {
        id: "fremtind-home-insurance",
        partner: "fremtind",
        title: Text {
            nb: "Innboforsikring",
            nn: "Innbuforsikring",
            en: "Home contents insurance",
        },
        summary: Text {
            nb: "Innboforsikring til medlemspris fra Fremtind.",
            nn: "Innbuforsikring til medlemspris frå Fremtind.",
            en: "Home contents insurance at the member price from Fremtind.",
        },
        fields: &[
            "name",
            "email",
            "phone",
            "birth_date",
            "member_number",
            "union",
        ],
    },
    Offer {
        id: "help-legal-advice",
        partner: "help",
        title: Text {
            nb: "Juridisk rådgivning",
            nn: "Juridisk rådgjeving",
            en: "Legal advice",
        },
        summary: Text {
            nb: "Advokathjelp i private saker fra HELP.",
            nn: "Advokathjelp i private saker frå HELP.",
            en: "A lawyer's help with private matters from HELP.",
        },
        fields: &["name", "email", "phone", "member_number"],
    },
    Offer {
        id: "norsk-folkehjelp-first-aid",
        partner: "norsk_folkehjelp",
        title: Text {
            nb: "Førstehjelpskurs",
            nn: "Førstehjelpskurs",
            en: "First aid course",
        },
        summary: Text {
            nb: "Kurs i førstehjelp med Norsk Folkehjelp.",
            nn: "Kurs i førstehjelp med Norsk Folkehjelp.",
            en: "A first aid course with Norsk Folkehjelp.",
        },
        fields: &["name", "email", "phone"],
    },
];

/// The offer `id`, if there is one.
pub(crate) fn find(id: &str) -> Option<&'static Offer> {
    OFFERS.iter().find(|o| o.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::consent::catalogue::PARTNERS;

    /// The fields a partner may ask for.
    const FIELDS: [&str; 6] = [
        "name",
        "email",
        "phone",
        "birth_date",
        "member_number",
        "union",
    ];

    #[test]
    fn every_partner_has_an_offer_and_only_some_need_the_union() {
        for partner in PARTNERS {
            assert!(OFFERS.iter().any(|o| o.partner == partner), "{partner}");
        }
        let with_union = OFFERS
            .iter()
            .filter(|o| o.fields.contains(&"union"))
            .count();
        assert!(with_union > 0 && with_union < OFFERS.len());
        for offer in OFFERS {
            assert!(offer.fields.iter().all(|f| FIELDS.contains(f)));
            assert!(crate::consent::valid_id(offer.id));
        }
    }
}
