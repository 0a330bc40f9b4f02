package no.lofavor.app

import android.content.ActivityNotFoundException
import android.content.ClipData
import android.content.Intent
import androidx.compose.material3.HorizontalDivider
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.platform.LocalConfiguration
import androidx.compose.ui.platform.LocalContext
import androidx.compose.ui.res.stringResource
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import androidx.lifecycle.viewmodel.compose.viewModel
import java.time.Instant
import java.time.ZoneId
import java.time.format.DateTimeFormatter
import java.time.format.FormatStyle
import java.util.Locale
import no.lofavor.core.AppLocale

/**
 * The inventory's sync status (changes waiting, the last sync on this phone, "sync now") and
 * its claim report, as PDF or CSV, handed to the share sheet.
 *
 * @param locale The report's language (the app's language).
 */
@Composable
fun InventorySyncSection(locale: AppLocale) {
    val model: InventorySyncViewModel = viewModel()
    val pending by model.pending.collectAsStateWithLifecycle()
    val lastSync by model.lastSync.collectAsStateWithLifecycle()
    val result by model.result.collectAsStateWithLifecycle()
    val busy by model.busy.collectAsStateWithLifecycle()
    val problem by model.problem.collectAsStateWithLifecycle()
    val share by model.share.collectAsStateWithLifecycle()
    val context = LocalContext.current
    var noShareApp by remember { mutableStateOf(false) }
    LaunchedEffect(model) { model.load() }

    val chooserTitle = stringResource(R.string.inventory_share_chooser)
    LaunchedEffect(share) {
        val file = share ?: return@LaunchedEffect
        val send = Intent(Intent.ACTION_SEND)
            .setType(file.kind.mimeType)
            .putExtra(Intent.EXTRA_STREAM, file.uri)
            // The receiving app may read this one file, for this one send.
            .addFlags(Intent.FLAG_GRANT_READ_URI_PERMISSION)
            .apply { clipData = ClipData.newRawUri("", file.uri) }
        noShareApp = try {
            context.startActivity(Intent.createChooser(send, chooserTitle))
            false
        } catch (e: ActivityNotFoundException) {
            true
        }
        model.shared()
    }

    SectionHeading(stringResource(R.string.inventory_sync_title))
    when (val waiting = pending) {
        null -> Unit
        0uL -> Text(stringResource(R.string.inventory_all_sent))
        else -> Text(stringResource(R.string.inventory_pending, waiting.toString()))
    }
    val last = lastSync
    Text(if (last == null) stringResource(R.string.inventory_never_synced) else stringResource(R.string.inventory_last_sync, formatTime(last)))
    result?.let { Text(stringResource(R.string.inventory_sync_result, it.uploaded.toString(), it.downloaded.toString())) }
    OutlinedButton(onClick = model::sync, enabled = !busy) { Text(stringResource(R.string.inventory_sync_now)) }
    problem?.let { Text(errorMessage(it), color = MaterialTheme.colorScheme.error) }

    HorizontalDivider()
    SectionHeading(stringResource(R.string.inventory_report))
    Text(stringResource(R.string.inventory_report_text))
    OutlinedButton(onClick = { model.report(ReportKind.PDF, locale) }, enabled = !busy) {
        Text(stringResource(R.string.inventory_report_pdf))
    }
    OutlinedButton(onClick = { model.report(ReportKind.CSV, locale) }, enabled = !busy) {
        Text(stringResource(R.string.inventory_report_csv))
    }
    if (noShareApp) Text(stringResource(R.string.privacy_no_share_app))
}

/** A moment as the phone's language and zone write it. */
@Composable
private fun formatTime(unixMs: Long): String {
    val locale = LocalConfiguration.current.locales[0] ?: Locale.getDefault()
    return DateTimeFormatter.ofLocalizedDateTime(FormatStyle.MEDIUM, FormatStyle.SHORT).withLocale(locale)
        .format(Instant.ofEpochMilli(unixMs).atZone(ZoneId.systemDefault()))
}
