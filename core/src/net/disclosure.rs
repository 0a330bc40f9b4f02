//! What a request to the member API tells about the member: the description every call on
//! the authorised path carries, so the one gate that decides whether personal data may leave
//! the device (the consent capability's, once it exists) sees every transfer.

/// A kind of personal data, as the privacy notice names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DataCategory {
    /// Name, date of birth, member number.
    Identity,
    /// Address, e-mail, telephone.
    Contact,
    /// Union membership: special-category data (GDPR art. 9).
    UnionMembership,
    /// The member's car (registration) and cover.
    Vehicle,
    /// Where the member is.
    Location,
    /// The member's belongings, photos and receipts.
    Inventory,
    /// How the member uses the apps.
    Usage,
}

impl DataCategory {
    /// Whether the category is special-category data (GDPR art. 9), which only an explicit
    /// consent lets the app share with anyone but LOfavør itself.
    pub fn is_special_category(self) -> bool {
        matches!(self, DataCategory::UnionMembership)
    }
}

/// A company that may receive the member's data when the member has consented.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Partner {
    /// SpareBank 1 (banking).
    SpareBank1,
    /// Fremtind (insurance).
    Fremtind,
    /// Help Forsikring (legal-expenses insurance).
    HelpForsikring,
    /// Norsk Folkehjelp.
    NorskFolkehjelp,
}

/// What one request discloses about the member beyond the bearer token that identifies them
/// to LOfavør.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Disclosure {
    /// Nothing: the request reads the member's own data from LOfavør, or asks LOfavør to
    /// make something for them from what it already holds (a certificate).
    Nothing,
    /// Personal data of `categories` sent to LOfavør itself, the controller.
    ToLofavor {
        /// What is sent.
        categories: &'static [DataCategory],
    },
    /// Personal data of `categories` sent on to `partner`.
    ToPartner {
        /// Who receives it.
        partner: Partner,
        /// What is sent.
        categories: &'static [DataCategory],
    },
}

/// Decides whether a request may carry what its [`Disclosure`] says. Every request on the
/// authorised path asks it first; a refusal means nothing is sent.
pub trait TransferGate: Send + Sync {
    /// `Ok` when the member's consents or another legal basis allow the transfer; otherwise
    /// the reason it is refused (a fixed text, never the data itself).
    fn permit(&self, disclosure: &Disclosure) -> Result<(), &'static str>;
}

/// The gate until the member has given consents through the app: the member's own requests
/// to LOfavør go (contract and membership follow-up are their legal basis); nothing goes to a
/// partner, because sharing with a partner reveals union membership and needs the member's
/// explicit consent, which only the consent capability can record.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoPartnerTransfers;

impl TransferGate for NoPartnerTransfers {
    fn permit(&self, disclosure: &Disclosure) -> Result<(), &'static str> {
        match disclosure {
            Disclosure::Nothing | Disclosure::ToLofavor { .. } => Ok(()),
            Disclosure::ToPartner { .. } => {
                Err("no consent on this device allows sharing with a partner")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_consents_nothing_goes_to_a_partner() {
        let gate = NoPartnerTransfers;
        assert!(gate.permit(&Disclosure::Nothing).is_ok());
        assert!(
            gate.permit(&Disclosure::ToLofavor {
                categories: &[DataCategory::Vehicle]
            })
            .is_ok()
        );
        for partner in [
            Partner::SpareBank1,
            Partner::Fremtind,
            Partner::HelpForsikring,
            Partner::NorskFolkehjelp,
        ] {
            assert!(
                gate.permit(&Disclosure::ToPartner {
                    partner,
                    categories: &[DataCategory::Contact],
                })
                .is_err()
            );
        }
        assert!(DataCategory::UnionMembership.is_special_category());
        assert!(!DataCategory::Contact.is_special_category());
    }
}
