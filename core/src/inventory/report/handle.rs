//! The claim report as the shells call it, on `core.inventory()`: simple types in, bytes out.

use super::preview::ReportTransferPreview;
use super::transfer::{self, ReportReceipt};
use super::{ReportFiles, ReportPhotos, ReportRequest, archive, csv, data, pages};
use crate::error::{Error, ErrorKind, Result};
use crate::inventory::InventoryHandle;
use crate::inventory::photos::Size;
use crate::net::{ApiError, ApiRequest, Disclosure};
use crate::time::now_unix;

/// `GET` the member's profile.
const ME_PATH: &str = "v1/me";

/// The fields of the member's profile the cover shows.
#[derive(Debug, serde::Deserialize)]
struct Me {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    member_number: Option<String>,
}

impl InventoryHandle {
    /// Makes the claim report: the PDF, and the CSV and the ZIP when `request` asks for them.
    /// Works offline; reads every photo shown, so a shell calls it off its main thread (or
    /// uses [`InventoryHandle::prepare_report_transfer`], which runs on the core's runtime).
    pub fn report(&self, request: &ReportRequest) -> Result<ReportFiles> {
        let data = data::gather(self, request)?;
        let inner = &self.inner;
        let size = match request.photos {
            ReportPhotos::Large => Size::Large,
            ReportPhotos::Thumbnail => Size::Thumbnail,
            ReportPhotos::Auto => {
                // About two bits a pixel: what a 2048 px JPEG at quality 85 of a photo takes.
                let estimate: u64 = data
                    .items
                    .iter()
                    .flat_map(pages::shown)
                    .map(|(p, _)| u64::from(p.width) * u64::from(p.height) / 4)
                    .sum();
                if estimate <= super::AUTO_LARGE_BUDGET_BYTES {
                    Size::Large
                } else {
                    Size::Thumbnail
                }
            }
        };
        let mut shown = 0u32;
        let (pdf, pages) = pages::render(&data, &mut |photo| {
            shown += 1;
            inner.files.read(inner.secrets.as_ref(), &photo.id, size)
        })?;
        let names = archive::photo_names(&data.items);
        let csv = (request.csv || request.zip).then(|| csv::render(&data, &names));
        let zip = match (&csv, request.zip) {
            (Some(csv), true) => Some(archive::render(
                &data.items,
                &names,
                &pdf,
                csv,
                &mut |id| inner.files.read(inner.secrets.as_ref(), id, Size::Large),
            )?),
            _ => None,
        };
        Ok(ReportFiles {
            pdf,
            csv: csv.filter(|_| request.csv),
            zip,
            items: u32::try_from(data.items.len()).unwrap_or(u32::MAX),
            photos: shown,
            pages,
        })
    }

    /// [`InventoryHandle::report`] off the caller's thread (a report with large photos takes
    /// a good part of a second).
    pub async fn make_report(&self, request: ReportRequest) -> Result<ReportFiles> {
        let this = self.clone();
        self.inner
            .runtime
            .blocking(move || this.report(&request))
            .await
    }

    /// Prepares sending the claim report to `partner` (`fremtind`): makes the report (PDF and
    /// CSV) and keeps it with a preview of exactly what would go, for ten minutes. Sends
    /// nothing; [`InventoryHandle::send_report`] with the preview's id sends it.
    pub async fn prepare_report_transfer(
        &self,
        partner: &str,
        request: ReportRequest,
    ) -> Result<ReportTransferPreview> {
        let partner = transfer::insurer(partner)?;
        let this = self.clone();
        self.inner
            .runtime
            .run(async move {
                // The member as the member API knows them goes on the cover (reading it
                // discloses nothing); offline, the shell's values stand, and the report can
                // still be prepared to send later. Logged out: refused here already.
                let me: std::result::Result<Me, ApiError> = this
                    .inner
                    .api
                    .send(ApiRequest::get(ME_PATH, Disclosure::Nothing))
                    .await;
                let request = match me {
                    Ok(me) => ReportRequest {
                        member_name: me.name.or(request.member_name),
                        member_number: me.member_number.or(request.member_number),
                        ..request
                    },
                    Err(e) if e.is_transient() => request,
                    Err(e) => return Err(e.into()),
                };
                tokio::task::spawn_blocking(move || {
                    let request = ReportRequest {
                        csv: true,
                        zip: false,
                        ..request
                    };
                    let files = this.report(&request)?;
                    let totals = this.totals()?;
                    let all = (totals.all.purchase_price, totals.all.replacement_value);
                    transfer::prepare(&this.inner.store, partner, &request, files, all)
                })
                .await
                .map_err(|_| Error::new(ErrorKind::Internal, "the report task failed"))?
            })
            .await
    }

    /// Sends the report of preview `preview_id` to its partner: the member's confirmation of
    /// that preview. Expired: `expired`, nothing sent. Unknown: `not_found`. Sent before: the
    /// first answer again, nothing sent. A failure (no network, the server's 5xx) leaves it
    /// unsent, to send again.
    pub async fn send_report(&self, preview_id: &str) -> Result<ReportReceipt> {
        self.send_report_at(preview_id, now_unix()).await
    }

    /// [`InventoryHandle::send_report`] as if the time were `now` (to test expiry).
    #[doc(hidden)]
    pub async fn send_report_at(&self, preview_id: &str, now: i64) -> Result<ReportReceipt> {
        let this = self.clone();
        let id = preview_id.to_owned();
        self.inner
            .runtime
            .run(async move { transfer::send(&this.inner.store, &this.inner.api, &id, now).await })
            .await
    }
}
