package no.lofavor.app

import android.annotation.SuppressLint
import android.content.ActivityNotFoundException
import android.content.Context
import android.content.Intent
import android.content.pm.PackageManager
import android.location.Location
import android.location.LocationManager
import android.net.Uri
import android.os.Build
import android.os.SystemClock
import android.provider.Settings
import androidx.activity.compose.rememberLauncherForActivityResult
import androidx.activity.result.contract.ActivityResultContracts
import androidx.compose.foundation.Canvas
import androidx.compose.foundation.background
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.BoxWithConstraints
import androidx.compose.ui.ExperimentalComposeUiApi
import androidx.compose.ui.res.pluralStringResource
import androidx.compose.ui.text.font.FontWeight
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import androidx.lifecycle.viewmodel.compose.viewModel
import java.time.ZoneId
import java.time.format.DateTimeFormatter
import java.time.format.FormatStyle
import java.util.Locale
import no.lofavor.app.model.CertificateView
import no.lofavor.app.model.StatusKind
import no.lofavor.app.model.StatusLine
import no.lofavor.app.model.expiryDay
import no.lofavor.core.android.toQrModules
import androidx.compose.foundation.layout.aspectRatio
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.layout.widthIn
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.text.selection.SelectionContainer
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.Button
import androidx.compose.material3.CircularProgressIndicator
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Scaffold
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.geometry.Offset
import androidx.compose.ui.geometry.Size
import androidx.compose.ui.graphics.Color
import androidx.compose.ui.platform.LocalConfiguration
import androidx.compose.ui.platform.LocalContext
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.unit.dp
import androidx.core.content.ContextCompat
import androidx.core.location.LocationListenerCompat
import androidx.core.location.LocationManagerCompat
import androidx.core.location.LocationRequestCompat
import androidx.lifecycle.Lifecycle
import androidx.lifecycle.compose.LifecycleStartEffect
import androidx.lifecycle.compose.LocalLifecycleOwner
import androidx.lifecycle.repeatOnLifecycle
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.delay
import kotlinx.coroutines.withContext
import no.lofavor.core.AppLocale
import no.lofavor.core.LocationFix
import no.lofavor.core.LocationReport
import no.lofavor.core.locationPermissionRequest
import no.lofavor.core.android.LocationAccess
import no.lofavor.core.android.LocationPanel
import no.lofavor.core.android.LocationPermissions
import no.lofavor.core.android.QrModules
import no.lofavor.core.android.REDESCRIBE_EVERY_MS
import no.lofavor.core.android.describePanel
import no.lofavor.core.android.locationAccess
import no.lofavor.core.android.locationFix
import no.lofavor.core.android.locationPanel

/** How often the platform is asked for a new position while the screen is visible. */
private const val UPDATE_INTERVAL_MS = 5_000L

/**
 * The roadside-assistance certificate: its QR code for the assistance worker to scan, beside
 * it the holder, the cover, the expiry and the status (valid, expires in N days, expired) with
 * a renewal button, and under it where the member is, in the formats a rescue dispatcher uses.
 *
 * Location is asked for here and nowhere else: when the screen opens without access, it
 * shows the core's reason and a button; only that button brings up the platform's prompt
 * (fine and coarse, never background). Positions are read only while the screen is started
 * (visible): updates stop in `onStop` and when the screen leaves. There is no background
 * location and no foreground service.
 *
 * @param locale The language of the core's texts (the app's language).
 * @param onBack Leaves the screen.
 */
@Composable
fun CertificateScreen(locale: AppLocale, onBack: () -> Unit, modifier: Modifier = Modifier) {
    val model: CertificateViewModel = viewModel()
    val view by model.view.collectAsStateWithLifecycle()
    val renewing by model.renewing.collectAsStateWithLifecycle()
    val renewProblem by model.renewProblem.collectAsStateWithLifecycle()
    LaunchedEffect(model) { model.load() }
    val context = LocalContext.current
    val request = remember(locale) { locationPermissionRequest(locale) }
    var access by remember { mutableStateOf(grantedAccess(context)) }
    var refusedHere by remember { mutableStateOf(false) }
    var updatesStarted by remember { mutableStateOf(true) }
    var lastFix by remember { mutableStateOf<LocationFix?>(null) }
    var described by remember { mutableStateOf<LocationPanel?>(null) }

    val askForLocation = rememberLauncherForActivityResult(ActivityResultContracts.RequestMultiplePermissions()) { grants ->
        access = locationAccess(grants)
        refusedHere = access == LocationAccess.DENIED
    }

    // Positions only between onStart and onStop. The access is read again at each start: the
    // member may have changed it in the settings meanwhile (a change re-runs this effect).
    LifecycleStartEffect(access) {
        val current = grantedAccess(context)
        if (current != access) {
            // The new key re-runs this effect with the access as it is now.
            access = current
            return@LifecycleStartEffect onStopOrDispose {}
        }
        val manager = context.getSystemService(LocationManager::class.java)
        val listener = LocationListenerCompat { location -> location.toFix()?.let { lastFix = it } }
        val started = access != LocationAccess.DENIED && manager != null &&
            startUpdates(context, manager, access, listener)
        updatesStarted = started || access == LocationAccess.DENIED
        onStopOrDispose {
            if (started && manager != null) LocationManagerCompat.removeUpdates(manager, listener)
        }
    }

    // Each new fix is described at once and then every few seconds while the screen is
    // visible, so its age and the stale warning stay true.
    val lifecycleOwner = LocalLifecycleOwner.current
    LaunchedEffect(lastFix, locale) {
        val fix = lastFix ?: return@LaunchedEffect
        lifecycleOwner.repeatOnLifecycle(Lifecycle.State.STARTED) {
            while (true) {
                // The first call parses the embedded place names: off the main thread.
                described = withContext(Dispatchers.Default) { describePanel(fix, System.currentTimeMillis(), locale) }
                delay(REDESCRIBE_EVERY_MS)
            }
        }
    }

    val panel = locationPanel(access, refusedHere, updatesStarted, described, request)

    Scaffold(modifier = modifier.fillMaxSize()) { insets ->
        Column(
            modifier = Modifier.padding(insets).verticalScroll(rememberScrollState()).padding(24.dp),
            verticalArrangement = Arrangement.spacedBy(12.dp),
        ) {
            TextButton(onClick = onBack) { Text(stringResource(R.string.back)) }
            ScreenHeading(stringResource(R.string.certificate_title))
            CertificatePart(
                view = view,
                renewing = renewing,
                renewProblem = renewProblem?.let { errorMessage(it) },
                onRenew = model::renew,
                onRetry = model::load,
            )
            SectionHeading(stringResource(R.string.location_title))
            LocationPart(
                panel = panel,
                approximate = access == LocationAccess.APPROXIMATE,
                onAllow = { askForLocation.launch(LocationPermissions.REQUESTED) },
            )
        }
    }
}

/**
 * The certificate, or what stands in its place: loading, none yet, log in first, or an error
 * with its message and "try again". On a wide screen the details stand beside the QR code.
 */
@Composable
private fun CertificatePart(
    view: CertificateView,
    renewing: Boolean,
    renewProblem: String?,
    onRenew: () -> Unit,
    onRetry: () -> Unit,
) {
    when (view) {
        CertificateView.Loading -> CircularProgressIndicator()
        CertificateView.NoCertificate -> {
            Text(stringResource(R.string.certificate_missing))
            OutlinedButton(onClick = onRetry) { Text(stringResource(R.string.try_again)) }
        }
        CertificateView.NeedsLogin -> Text(stringResource(R.string.certificate_log_in_first))
        is CertificateView.Failed -> {
            Text(errorMessage(view.text), color = MaterialTheme.colorScheme.error)
            OutlinedButton(onClick = onRetry) { Text(stringResource(R.string.try_again)) }
        }
        is CertificateView.Shown -> {
            val qr = remember(view.certificate.certificateId) { view.certificate.qr.toQrModules() }
            BoxWithConstraints {
                if (maxWidth >= 600.dp) {
                    Row(horizontalArrangement = Arrangement.spacedBy(24.dp)) {
                        Box(Modifier.weight(1f)) { QrCode(qr) }
                        Column(Modifier.weight(1f), verticalArrangement = Arrangement.spacedBy(8.dp)) {
                            CertificateDetails(view, renewing, renewProblem, onRenew)
                        }
                    }
                } else {
                    Column(verticalArrangement = Arrangement.spacedBy(12.dp)) {
                        QrCode(qr)
                        CertificateDetails(view, renewing, renewProblem, onRenew)
                    }
                }
            }
        }
    }
}

/** Holder, cover, vehicle, expiry, status, and the renewal button. */
@Composable
private fun CertificateDetails(view: CertificateView.Shown, renewing: Boolean, renewProblem: String?, onRenew: () -> Unit) {
    val certificate = view.certificate
    val locale = LocalConfiguration.current.locales[0] ?: Locale.getDefault()
    val day = DateTimeFormatter.ofLocalizedDate(FormatStyle.LONG).withLocale(locale)
        .format(expiryDay(certificate.expiresAt, ZoneId.systemDefault()))
    Text(stringResource(R.string.certificate_holder, certificate.holder), style = MaterialTheme.typography.titleLarge)
    Text(stringResource(R.string.certificate_cover, certificate.cover.productName), style = MaterialTheme.typography.bodyLarge)
    certificate.vehicle?.let { Text(stringResource(R.string.certificate_vehicle, it), style = MaterialTheme.typography.bodyLarge) }
    Text(stringResource(R.string.certificate_valid_until, day), style = MaterialTheme.typography.bodyLarge)
    StatusText(view.status)
    Button(onClick = onRenew, enabled = !renewing) {
        Text(stringResource(if (renewing) R.string.certificate_renewing else R.string.certificate_renew))
    }
    renewProblem?.let { Text(it, color = MaterialTheme.colorScheme.error) }
}

/** The status in words, with a symbol, so it is never told by colour alone. */
@OptIn(ExperimentalComposeUiApi::class)
@Composable
private fun StatusText(status: StatusLine) {
    val (text, color) = when (status.kind) {
        StatusKind.VALID -> "\u2713 " + stringResource(R.string.certificate_status_valid) to MaterialTheme.colorScheme.onSurface
        StatusKind.EXPIRES_SOON -> "! " + pluralStringResource(
            R.plurals.certificate_status_expires_in, status.days, status.days,
        ) to MaterialTheme.colorScheme.onSurface
        StatusKind.EXPIRED -> "\u2717 " + stringResource(R.string.certificate_status_expired) to MaterialTheme.colorScheme.error
    }
    Text(text, style = MaterialTheme.typography.titleMedium, color = color, fontWeight = FontWeight.Bold)
}

/** The QR code, black on white whatever the theme (scanners need the contrast). */
@Composable
private fun QrCode(qr: QrModules) {
    val description = stringResource(R.string.certificate_qr_description)
    val runs = remember(qr) { qr.darkRuns() }
    Canvas(
        modifier = Modifier
            // at most 360 dp wide: first the cap, then fill up to it
            .widthIn(max = 360.dp)
            .fillMaxWidth()
            .aspectRatio(1f)
            .background(Color.White)
            .semantics { contentDescription = description },
    ) {
        val cell = size.minDimension / qr.sideWithQuietZone
        for (run in runs) {
            drawRect(
                color = Color.Black,
                topLeft = Offset(run.x * cell, run.y * cell),
                size = Size(run.length * cell, cell),
            )
        }
    }
}

/** The location part, by the state of the panel. */
@Composable
private fun LocationPart(panel: LocationPanel, approximate: Boolean, onAllow: () -> Unit) {
    val context = LocalContext.current
    when (panel) {
        is LocationPanel.NeedsPermission -> {
            Text(panel.reason)
            Button(onClick = onAllow) { Text(stringResource(R.string.location_allow)) }
        }
        is LocationPanel.Denied -> {
            Text(panel.reason)
            Text(stringResource(R.string.location_denied))
            // Stacked, not side by side: at the largest font size two buttons do not fit a row.
            Column(verticalArrangement = Arrangement.spacedBy(8.dp)) {
                // After two refusals Android shows no prompt any more: the settings are the way.
                OutlinedButton(onClick = onAllow) { Text(stringResource(R.string.location_ask_again)) }
                OutlinedButton(onClick = { context.openAppSettings() }) {
                    Text(stringResource(R.string.location_open_settings))
                }
            }
        }
        LocationPanel.Waiting -> {
            Row(horizontalArrangement = Arrangement.spacedBy(12.dp)) {
                CircularProgressIndicator()
                Text(stringResource(R.string.location_waiting))
            }
        }
        LocationPanel.LocationOff -> {
            Text(stringResource(R.string.location_off))
            OutlinedButton(onClick = { context.startSafely(Intent(Settings.ACTION_LOCATION_SOURCE_SETTINGS)) }) {
                Text(stringResource(R.string.location_turn_on))
            }
        }
        is LocationPanel.Refused -> Text(stringResource(R.string.location_refused), color = MaterialTheme.colorScheme.error)
        is LocationPanel.Shown -> {
            if (approximate) Text(stringResource(R.string.location_approximate), color = MaterialTheme.colorScheme.error)
            LocationReportView(panel.report)
        }
    }
}

/** Every format with its label, the nearest place, warnings, and the share and map buttons. */
@Composable
private fun LocationReportView(report: LocationReport) {
    val context = LocalContext.current
    var noMapApp by remember { mutableStateOf(false) }
    for (warning in report.quality.warnings) {
        Text(warning, color = MaterialTheme.colorScheme.error)
    }
    SelectionContainer {
        Column(verticalArrangement = Arrangement.spacedBy(8.dp)) {
            for (format in report.formats) {
                Column {
                    Text(format.label, style = MaterialTheme.typography.labelMedium)
                    Text(format.value, style = MaterialTheme.typography.bodyLarge)
                }
            }
            report.nearestPlace?.let { place ->
                Column {
                    Text(place.label, style = MaterialTheme.typography.labelMedium)
                    Text(place.text, style = MaterialTheme.typography.bodyLarge)
                    Text(report.attribution, style = MaterialTheme.typography.bodySmall)
                }
            }
        }
    }
    // Stacked, not side by side: at the largest font size two buttons do not fit a row.
    Column(verticalArrangement = Arrangement.spacedBy(8.dp)) {
        val chooserTitle = stringResource(R.string.location_share_chooser)
        Button(onClick = {
            val send = Intent(Intent.ACTION_SEND)
                .setType("text/plain")
                .putExtra(Intent.EXTRA_TEXT, report.shareText)
            context.startSafely(Intent.createChooser(send, chooserTitle))
        }) { Text(stringResource(R.string.location_share)) }
        OutlinedButton(onClick = {
            noMapApp = !context.startSafely(Intent(Intent.ACTION_VIEW, Uri.parse(report.geoUri)))
        }) { Text(stringResource(R.string.location_open_map)) }
    }
    if (noMapApp) Text(stringResource(R.string.location_no_map_app))
}

/** What the member has allowed, as the platform says now. */
private fun grantedAccess(context: Context): LocationAccess = locationAccess(
    LocationPermissions.REQUESTED.associateWith {
        ContextCompat.checkSelfPermission(context, it) == PackageManager.PERMISSION_GRANTED
    },
)

/**
 * Starts location updates on the main thread from the best provider the access allows:
 * fused where the platform has it (Android 12+), else GPS for precise access, else the
 * network. Returns false when location is off or no provider is usable.
 */
@SuppressLint("MissingPermission") // the caller checked the access; a late revoke is caught
private fun startUpdates(
    context: Context,
    manager: LocationManager,
    access: LocationAccess,
    listener: LocationListenerCompat,
): Boolean {
    if (!LocationManagerCompat.isLocationEnabled(manager)) return false
    val provider = when {
        Build.VERSION.SDK_INT >= Build.VERSION_CODES.S && manager.hasProvider(LocationManager.FUSED_PROVIDER) ->
            LocationManager.FUSED_PROVIDER
        access == LocationAccess.PRECISE && manager.isProviderEnabled(LocationManager.GPS_PROVIDER) ->
            LocationManager.GPS_PROVIDER
        manager.isProviderEnabled(LocationManager.NETWORK_PROVIDER) -> LocationManager.NETWORK_PROVIDER
        else -> return false
    }
    val request = LocationRequestCompat.Builder(UPDATE_INTERVAL_MS)
        .setQuality(LocationRequestCompat.QUALITY_HIGH_ACCURACY)
        .setMinUpdateIntervalMillis(1_000)
        .build()
    return try {
        LocationManagerCompat.requestLocationUpdates(
            manager, provider, request, ContextCompat.getMainExecutor(context), listener,
        )
        // The last known position shows at once while a new one comes; the core flags it
        // as stale when it is old.
        manager.getLastKnownLocation(provider)?.let { listener.onLocationChanged(it) }
        true
    } catch (e: SecurityException) {
        false
    }
}

/**
 * The fix to hand to the core. Its time is the moment of measurement by the system clock,
 * from the monotonic age (`elapsedRealtimeNanos`): `Location.time` may come from the
 * satellite clock, which differs from the phone's by up to seconds or, after a GPS week
 * rollover bug, by years.
 */
private fun Location.toFix(): LocationFix? {
    val ageMs = (SystemClock.elapsedRealtimeNanos() - elapsedRealtimeNanos) / 1_000_000
    return locationFix(
        latitude = latitude,
        longitude = longitude,
        accuracyM = if (hasAccuracy()) accuracy else null,
        timeUnixMs = System.currentTimeMillis() - ageMs,
        provider = provider,
    )
}

/** The app's page in the system settings, where a refused permission can be given. */
private fun Context.openAppSettings() {
    startSafely(Intent(Settings.ACTION_APPLICATION_DETAILS_SETTINGS, Uri.fromParts("package", packageName, null)))
}

/** Starts [intent]; false when no app handles it (no map app, a trimmed-down device). */
private fun Context.startSafely(intent: Intent): Boolean = try {
    startActivity(intent)
    true
} catch (e: ActivityNotFoundException) {
    false
}
