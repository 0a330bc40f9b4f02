//! The gate: the one function that answers whether a category of the member's data may go to
//! a recipient for a purpose right now ([`ConsentGate::check`]). The authorised request path
//! asks it before every request (it is the `TransferGate` the consent capability puts in
//! charge of `MemberApi`), so no transfer can be written without it.
//!
//! The rules, from the catalogue, the ledger and the reservation:
//!
//! - Nothing disclosed: goes.
//! - [`SERVICE_PURPOSE`] to LOfavør, no special category: goes (the member's agreement and
//!   LOfavør's legal duties: consent decisions, privacy requests).
//! - [`ORDER_PURPOSE`] to a partner: goes only with the id of a preview the member confirmed
//!   and that has not expired (the contract is its basis, the confirmation its trigger).
//! - A catalogue purpose: goes only while its consent is given on the current major notice
//!   version, to a recipient the purpose names, with categories the purpose names; special
//!   categories only with the explicit confirmation; a marketing purpose never while the
//!   member is reserved against marketing.
//! - Anything else: refused.
//!
//! The state is a snapshot rebuilt after every change (decision, sync, catalogue), so a
//! check is a few hash lookups: it sits on every request.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, RwLock};

use super::catalogue::{Catalogue, PurposeKind};
use super::ledger::{Decision, Effective};
use super::screen::{PurposeState, state_of};
use crate::net::{
    Disclosure, ORDER_PURPOSE, Recipient, Refusal, SERVICE_PURPOSE, Transfer, TransferGate,
};

/// What the gate decides from.
#[derive(Debug, Clone)]
pub struct GateState {
    catalogue: Arc<Catalogue>,
    effective: HashMap<String, Effective>,
    confirmed_orders: HashSet<String>,
}

impl GateState {
    /// The state for `catalogue` and the decisions that count.
    pub fn new(catalogue: Arc<Catalogue>, effective: HashMap<String, Effective>) -> Self {
        Self {
            catalogue,
            effective,
            confirmed_orders: HashSet::new(),
        }
    }

    /// Whether the decision that counts for `purpose` is a yes on the current major version:
    /// the same rule the screens show ([`state_of`]), so the switch the member sees and what
    /// the gate lets out can never disagree.
    pub fn is_given(&self, purpose: &str) -> bool {
        self.catalogue.purpose(purpose).is_some_and(|current| {
            state_of(current, self.effective.get(purpose)).0 == PurposeState::Given
        })
    }

    /// Whether the member is reserved against direct marketing now. A reservation counts
    /// whatever notice version it was made on: it is the member's objection, never weakened
    /// by a new text.
    pub fn is_reserved(&self) -> bool {
        self.catalogue.reservation().is_some_and(|r| {
            self.effective
                .get(&r.id)
                .is_some_and(|e| e.decision == Decision::Given)
        })
    }

    fn check_transfer(&self, transfer: &Transfer) -> Result<(), Refusal> {
        if transfer.purpose == SERVICE_PURPOSE {
            return match transfer.recipient {
                Recipient::Lofavor
                    if !transfer.categories.iter().any(|c| c.is_special_category()) =>
                {
                    Ok(())
                }
                _ => Err("a service request goes only to LOfavør, without special-category data"),
            };
        }
        if transfer.purpose == ORDER_PURPOSE {
            let confirmed = transfer
                .confirmation
                .as_ref()
                .is_some_and(|id| self.confirmed_orders.contains(id));
            return match transfer.recipient {
                Recipient::Partner(_) if confirmed => Ok(()),
                _ => Err("an order goes to a partner only after the member confirms it"),
            };
        }
        let purpose = self
            .catalogue
            .purpose(&transfer.purpose)
            .ok_or("no such purpose in the consent catalogue")?;
        if purpose.kind == PurposeKind::Reservation {
            return Err("the reservation is not a purpose data goes out for");
        }
        let recipient_named = match transfer.recipient {
            Recipient::Lofavor => purpose.kind != PurposeKind::PartnerSharing,
            Recipient::Partner(p) => purpose.partner() == Some(p),
        };
        if !recipient_named {
            return Err("the purpose does not name this recipient");
        }
        let allowed = purpose.categories();
        if transfer.categories.iter().any(|c| !allowed.contains(c)) {
            return Err("the purpose does not cover this kind of data");
        }
        if !self.is_given(&purpose.id) {
            return Err("the member has not consented to this purpose");
        }
        let special = transfer.categories.iter().any(|c| c.is_special_category());
        if special && !self.effective.get(&purpose.id).is_some_and(|e| e.explicit) {
            return Err("special-category data needs the member's explicit consent");
        }
        if purpose.marketing && self.is_reserved() {
            return Err("the member is reserved against marketing");
        }
        Ok(())
    }
}

/// The consent gate, shared by the consent capability (which updates its state) and the
/// authorised request path (which asks it).
#[derive(Debug)]
pub struct ConsentGate {
    state: RwLock<Arc<GateState>>,
}

impl ConsentGate {
    /// A gate deciding from `state`.
    pub fn new(state: GateState) -> Self {
        Self {
            state: RwLock::new(Arc::new(state)),
        }
    }

    /// The state now.
    pub fn state(&self) -> Option<Arc<GateState>> {
        self.state.read().ok().map(|s| s.clone())
    }

    /// Replaces the catalogue and decisions the gate decides from, keeping confirmed orders.
    pub(crate) fn update(&self, catalogue: Arc<Catalogue>, effective: HashMap<String, Effective>) {
        if let Ok(mut state) = self.state.write() {
            let confirmed = state.confirmed_orders.clone();
            let mut next = GateState::new(catalogue, effective);
            next.confirmed_orders = confirmed;
            *state = Arc::new(next);
        }
    }

    /// Lets the order preview `id` through (the member confirmed it), until [`Self::forget_order`].
    pub(crate) fn confirm_order(&self, id: &str) {
        if let Ok(mut state) = self.state.write() {
            let mut next = (**state).clone();
            next.confirmed_orders.insert(id.to_owned());
            *state = Arc::new(next);
        }
    }

    /// Closes the door an order confirmation opened.
    pub(crate) fn forget_order(&self, id: &str) {
        if let Ok(mut state) = self.state.write() {
            let mut next = (**state).clone();
            next.confirmed_orders.remove(id);
            *state = Arc::new(next);
        }
    }

    /// Whether `disclosure` may be sent now.
    pub fn check(&self, disclosure: &Disclosure) -> Result<(), Refusal> {
        match disclosure {
            Disclosure::Nothing => Ok(()),
            Disclosure::Transfer(transfer) => self
                .state()
                .ok_or("the consent state is unavailable")?
                .check_transfer(transfer),
        }
    }
}

impl TransferGate for ConsentGate {
    fn permit(&self, disclosure: &Disclosure) -> Result<(), Refusal> {
        let answer = self.check(disclosure);
        if let (Err(reason), Disclosure::Transfer(t)) = (&answer, disclosure) {
            // Purpose ids are not personal data; the member's data never reaches this line.
            log::info!(target: "lofavor_core::consent", "transfer for {} refused: {reason}", t.purpose);
        }
        answer
    }

    fn confirm(&self, id: &str) {
        self.confirm_order(id);
    }

    fn forget(&self, id: &str) {
        self.forget_order(id);
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::net::{DataCategory, Partner};

    fn given(version: &str, explicit: bool) -> Effective {
        Effective {
            decision: Decision::Given,
            notice_version: version.into(),
            explicit,
            decided_at: 0,
            pending: false,
        }
    }

    fn gate(decisions: &[(&str, Effective)]) -> ConsentGate {
        let catalogue = Arc::new(Catalogue::bundled().unwrap());
        let effective = decisions
            .iter()
            .map(|(p, e)| ((*p).to_owned(), e.clone()))
            .collect();
        ConsentGate::new(GateState::new(catalogue, effective))
    }

    const SHARE: &[DataCategory] = &[
        DataCategory::Identity,
        DataCategory::Contact,
        DataCategory::UnionMembership,
    ];

    #[test]
    fn a_partner_gets_union_data_only_with_the_explicit_consent_for_that_partner() {
        let to_fremtind =
            Disclosure::to_partner("partner_sharing.fremtind", Partner::Fremtind, SHARE);
        assert!(gate(&[]).check(&to_fremtind).is_err());
        let without_explicit = gate(&[("partner_sharing.fremtind", given("1.0", false))]);
        assert!(without_explicit.check(&to_fremtind).is_err());
        let with = gate(&[("partner_sharing.fremtind", given("1.0", true))]);
        assert!(with.check(&to_fremtind).is_ok());
        // The consent for Fremtind is not one for SpareBank 1, nor under Fremtind's purpose.
        let to_bank =
            Disclosure::to_partner("partner_sharing.fremtind", Partner::SpareBank1, SHARE);
        assert!(with.check(&to_bank).is_err());
        // Nor does it cover a category the purpose does not name.
        let location = Disclosure::to_partner(
            "partner_sharing.fremtind",
            Partner::Fremtind,
            &[DataCategory::Location],
        );
        assert!(with.check(&location).is_err());
    }

    #[test]
    fn a_reservation_stops_marketing_but_not_analytics_and_lifting_it_restores() {
        let newsletter = Disclosure::to_lofavor("newsletter", &[DataCategory::Contact]);
        let analytics = Disclosure::to_lofavor("analytics", &[DataCategory::Usage]);
        let mut decisions = vec![
            ("newsletter", given("1.0", false)),
            ("analytics", given("1.0", false)),
            ("reservation.direct_marketing", given("1.0", false)),
        ];
        let reserved = gate(&decisions);
        assert!(reserved.check(&newsletter).is_err());
        assert!(reserved.check(&analytics).is_ok());
        decisions[2].1.decision = Decision::Withdrawn;
        assert!(gate(&decisions).check(&newsletter).is_ok());
    }

    #[test]
    fn a_consent_on_an_older_major_version_counts_as_refused() {
        let analytics = Disclosure::to_lofavor("analytics", &[DataCategory::Usage]);
        assert!(
            gate(&[("analytics", given("1.7", false))])
                .check(&analytics)
                .is_ok()
        );
        assert!(
            gate(&[("analytics", given("0.9", false))])
                .check(&analytics)
                .is_err()
        );
    }

    #[test]
    fn orders_need_a_confirmed_preview_and_service_requests_never_reach_partners() {
        let g = gate(&[]);
        let mut order = Transfer {
            purpose: ORDER_PURPOSE.into(),
            recipient: Recipient::Partner(Partner::HelpForsikring),
            categories: vec![DataCategory::Identity, DataCategory::UnionMembership],
            confirmation: Some("p1".into()),
        };
        assert!(g.check(&Disclosure::Transfer(order.clone())).is_err());
        g.confirm_order("p1");
        assert!(g.check(&Disclosure::Transfer(order.clone())).is_ok());
        order.confirmation = Some("p2".into());
        assert!(g.check(&Disclosure::Transfer(order.clone())).is_err());
        g.forget_order("p1");
        order.confirmation = Some("p1".into());
        assert!(g.check(&Disclosure::Transfer(order)).is_err());

        let service = Disclosure::to_partner(SERVICE_PURPOSE, Partner::Fremtind, &[]);
        assert!(g.check(&service).is_err());
        assert!(
            g.check(&Disclosure::to_lofavor("no.such.purpose", &[]))
                .is_err()
        );
    }
}
