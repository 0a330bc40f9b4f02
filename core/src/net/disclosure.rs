//! What a request to the member API tells about the member: the description every call on
//! the authorised path carries, so the one gate that decides whether personal data may leave
//! the device (the consent capability's) sees every transfer before it happens.

/// A kind of personal data, as the privacy notice names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DataCategory {
    /// Name, date of birth, member number.
    Identity,
    /// Address, e-mail, telephone.
    Contact,
    /// Union membership: special-category data (GDPR art. 9).
    UnionMembership,
    /// The member benefits and products the member has.
    Products,
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
    /// Every category, in the order the privacy notice lists them.
    pub const ALL: [DataCategory; 8] = [
        DataCategory::Identity,
        DataCategory::Contact,
        DataCategory::UnionMembership,
        DataCategory::Products,
        DataCategory::Vehicle,
        DataCategory::Location,
        DataCategory::Inventory,
        DataCategory::Usage,
    ];

    /// Whether the category is special-category data (GDPR art. 9), which only an explicit
    /// consent lets the app share with anyone but LOfavør itself.
    pub fn is_special_category(self) -> bool {
        matches!(self, DataCategory::UnionMembership)
    }

    /// The stable id the consent catalogue and the member API use.
    pub fn id(self) -> &'static str {
        match self {
            DataCategory::Identity => "identity",
            DataCategory::Contact => "contact",
            DataCategory::UnionMembership => "union_membership",
            DataCategory::Products => "products",
            DataCategory::Vehicle => "vehicle",
            DataCategory::Location => "location",
            DataCategory::Inventory => "inventory",
            DataCategory::Usage => "usage",
        }
    }

    /// The category with the stable id `id`.
    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.id() == id)
    }
}

/// A company that may receive the member's data when the member has consented or ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
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

impl Partner {
    /// Every partner.
    pub const ALL: [Partner; 4] = [
        Partner::SpareBank1,
        Partner::Fremtind,
        Partner::HelpForsikring,
        Partner::NorskFolkehjelp,
    ];

    /// The stable id the consent catalogue and the member API use.
    pub fn id(self) -> &'static str {
        match self {
            Partner::SpareBank1 => "sparebank1",
            Partner::Fremtind => "fremtind",
            Partner::HelpForsikring => "help",
            Partner::NorskFolkehjelp => "norsk_folkehjelp",
        }
    }

    /// The partner with the stable id `id`.
    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.id() == id)
    }

    /// The name members know.
    pub fn display_name(self) -> &'static str {
        match self {
            Partner::SpareBank1 => "SpareBank 1",
            Partner::Fremtind => "Fremtind",
            Partner::HelpForsikring => "Help Forsikring",
            Partner::NorskFolkehjelp => "Norsk Folkehjelp",
        }
    }
}

/// Who receives personal data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Recipient {
    /// LOfavør itself, the controller.
    Lofavor,
    /// A partner company.
    Partner(Partner),
}

/// The purpose id of the member's own service requests to LOfavør (consent decisions, privacy
/// requests, the certificate): the member's agreement and LOfavør's legal duties are their
/// basis, so no consent is asked; they never go to a partner.
pub const SERVICE_PURPOSE: &str = "service";

/// The purpose id of an order the member placed with a partner: the contract is its basis,
/// and it goes only with the member's confirmation.
pub const ORDER_PURPOSE: &str = "order";

/// One transfer of personal data: for which purpose, to whom, of which categories.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transfer {
    /// A purpose id of the consent catalogue, [`SERVICE_PURPOSE`] or [`ORDER_PURPOSE`].
    pub purpose: String,
    /// Who receives the data.
    pub recipient: Recipient,
    /// What is sent.
    pub categories: Vec<DataCategory>,
    /// For an order: the id of the preview the member confirmed.
    pub confirmation: Option<String>,
}

/// What one request discloses about the member beyond the bearer token that identifies them
/// to LOfavør.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Disclosure {
    /// Nothing: the request reads the member's own data from LOfavør, or asks LOfavør to
    /// make something for them from what it already holds (a certificate).
    Nothing,
    /// Personal data leaves the device.
    Transfer(Transfer),
}

impl Disclosure {
    /// Personal data of `categories` to LOfavør for `purpose`.
    pub fn to_lofavor(purpose: &str, categories: &[DataCategory]) -> Self {
        Disclosure::Transfer(Transfer {
            purpose: purpose.to_owned(),
            recipient: Recipient::Lofavor,
            categories: categories.to_vec(),
            confirmation: None,
        })
    }

    /// Personal data of `categories` to `partner` for `purpose`.
    pub fn to_partner(purpose: &str, partner: Partner, categories: &[DataCategory]) -> Self {
        Disclosure::Transfer(Transfer {
            purpose: purpose.to_owned(),
            recipient: Recipient::Partner(partner),
            categories: categories.to_vec(),
            confirmation: None,
        })
    }
}

/// Why the gate refused a transfer: a fixed text, never the data itself.
pub type Refusal = &'static str;

/// Decides whether a request may carry what its [`Disclosure`] says. Every request on the
/// authorised path asks it first; a refusal means nothing is sent.
pub trait TransferGate: Send + Sync {
    /// `Ok` when the member's consents or another legal basis allow the transfer; otherwise
    /// the reason it is refused.
    fn permit(&self, disclosure: &Disclosure) -> Result<(), Refusal>;

    /// The member confirmed the preview `id`: let a transfer naming it through until
    /// [`TransferGate::forget`]. A gate without confirmations ignores it.
    fn confirm(&self, _id: &str) {}

    /// Closes what [`TransferGate::confirm`] opened.
    fn forget(&self, _id: &str) {}
}

/// The gate until the consent capability puts its own in charge: the member's own service
/// requests go; nothing else does, because nothing on the device yet says the member agreed.
#[derive(Debug, Default, Clone, Copy)]
pub struct ServiceOnly;

impl TransferGate for ServiceOnly {
    fn permit(&self, disclosure: &Disclosure) -> Result<(), Refusal> {
        match disclosure {
            Disclosure::Nothing => Ok(()),
            Disclosure::Transfer(t)
                if t.purpose == SERVICE_PURPOSE
                    && t.recipient == Recipient::Lofavor
                    && !t.categories.iter().any(|c| c.is_special_category()) =>
            {
                Ok(())
            }
            Disclosure::Transfer(_) => Err("no consent on this device allows this transfer"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn until_consents_exist_only_service_requests_go() {
        let gate = ServiceOnly;
        assert!(gate.permit(&Disclosure::Nothing).is_ok());
        assert!(
            gate.permit(&Disclosure::to_lofavor(
                SERVICE_PURPOSE,
                &[DataCategory::Identity]
            ))
            .is_ok()
        );
        assert!(
            gate.permit(&Disclosure::to_lofavor(
                SERVICE_PURPOSE,
                &[DataCategory::UnionMembership]
            ))
            .is_err()
        );
        assert!(
            gate.permit(&Disclosure::to_lofavor("analytics", &[DataCategory::Usage]))
                .is_err()
        );
        for partner in Partner::ALL {
            assert!(
                gate.permit(&Disclosure::to_partner(
                    SERVICE_PURPOSE,
                    partner,
                    &[DataCategory::Contact]
                ))
                .is_err()
            );
            assert_eq!(Partner::from_id(partner.id()), Some(partner));
        }
        for category in DataCategory::ALL {
            assert_eq!(DataCategory::from_id(category.id()), Some(category));
        }
        assert!(DataCategory::UnionMembership.is_special_category());
        assert!(!DataCategory::Contact.is_special_category());
    }
}
