package no.lofavor.app

import android.Manifest
import android.content.Context
import android.content.Intent
import android.content.pm.PackageManager
import android.net.Uri
import android.provider.Settings
import android.util.Size
import androidx.activity.compose.rememberLauncherForActivityResult
import androidx.activity.result.contract.ActivityResultContracts
import androidx.camera.core.CameraSelector
import androidx.camera.core.ImageAnalysis
import androidx.camera.core.Preview
import androidx.camera.core.resolutionselector.ResolutionSelector
import androidx.camera.core.resolutionselector.ResolutionStrategy
import androidx.camera.lifecycle.ProcessCameraProvider
import androidx.camera.view.PreviewView
import androidx.compose.foundation.background
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.aspectRatio
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.layout.widthIn
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.shape.RoundedCornerShape
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.Button
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Scaffold
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.DisposableEffect
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.saveable.rememberSaveable
import androidx.compose.runtime.setValue
import androidx.compose.ui.ExperimentalComposeUiApi
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.graphics.Color
import androidx.compose.ui.platform.LocalConfiguration
import androidx.compose.ui.platform.LocalContext
import androidx.compose.ui.res.pluralStringResource
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.semantics.LiveRegionMode
import androidx.compose.ui.semantics.clearAndSetSemantics
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.liveRegion
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.text.font.FontWeight
import androidx.compose.ui.unit.dp
import androidx.compose.ui.viewinterop.AndroidView
import androidx.core.content.ContextCompat
import androidx.lifecycle.compose.LifecycleStartEffect
import androidx.lifecycle.compose.LocalLifecycleOwner
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import androidx.lifecycle.viewmodel.compose.viewModel
import java.time.Instant
import java.time.ZoneId
import java.time.format.DateTimeFormatter
import java.time.format.FormatStyle
import java.util.Locale
import no.lofavor.app.model.Age
import no.lofavor.app.model.AgeUnit
import no.lofavor.app.model.CameraPanel
import no.lofavor.app.model.ErrorText
import no.lofavor.app.model.ScanVerdict
import no.lofavor.app.model.ScannerState
import no.lofavor.app.model.VerdictKind
import no.lofavor.app.model.VerdictTone
import no.lofavor.app.model.cameraPanel
import no.lofavor.app.model.trustAges
import no.lofavor.core.AppLocale
import no.lofavor.core.TrustMaterial
import no.lofavor.core.cameraPermissionRequest

/**
 * The roadside worker's field scanner: the camera reads the member's QR code and the core
 * checks it offline against the cached trust and revocation lists.
 *
 * The camera is asked for here and nowhere else, and only after the core's reason is shown;
 * the camera runs only while this screen is visible (bound to its lifecycle). The verdict is
 * shown large, in colour and with a symbol and words, so it is never told by colour alone.
 *
 * @param locale The language of the core's texts (the app's language).
 * @param onBack Leaves the screen.
 */
@Composable
fun ScannerScreen(locale: AppLocale, onBack: () -> Unit, modifier: Modifier = Modifier) {
    val context = LocalContext.current
    val model: ScannerViewModel = viewModel()
    val reason = remember(locale) { cameraPermissionRequest(locale).reason }
    var granted by remember { mutableStateOf(cameraGranted(context)) }
    var refusedHere by rememberSaveable { mutableStateOf(false) }
    val askForCamera = rememberLauncherForActivityResult(ActivityResultContracts.RequestPermission()) { ok ->
        granted = ok
        refusedHere = !ok
    }
    // Read again at each start: the worker may have changed it in the settings meanwhile.
    LifecycleStartEffect(Unit) {
        granted = cameraGranted(context)
        onStopOrDispose {}
    }
    val state by model.state.collectAsStateWithLifecycle()
    val material by model.material.collectAsStateWithLifecycle()
    val refreshing by model.refreshing.collectAsStateWithLifecycle()
    val refreshProblem by model.refreshProblem.collectAsStateWithLifecycle()

    Scaffold(modifier = modifier.fillMaxSize()) { insets ->
        Column(
            modifier = Modifier.padding(insets).verticalScroll(rememberScrollState()).padding(16.dp),
            verticalArrangement = Arrangement.spacedBy(12.dp),
        ) {
            TextButton(onClick = onBack) { Text(stringResource(R.string.back)) }
            ScreenHeading(stringResource(R.string.scanner_title))
            when (val panel = cameraPanel(granted, refusedHere, reason)) {
                is CameraPanel.Explain -> {
                    Text(panel.reason)
                    Button(onClick = { askForCamera.launch(Manifest.permission.CAMERA) }) {
                        Text(stringResource(R.string.scanner_allow_camera))
                    }
                }
                is CameraPanel.Denied -> {
                    Text(panel.reason)
                    Text(stringResource(R.string.scanner_camera_denied))
                    // Stacked, not side by side: at the largest font size two buttons do not fit a row.
                    Column(verticalArrangement = Arrangement.spacedBy(8.dp)) {
                        // After two refusals Android shows no prompt any more: the settings are the way.
                        OutlinedButton(onClick = { askForCamera.launch(Manifest.permission.CAMERA) }) {
                            Text(stringResource(R.string.scanner_ask_again))
                        }
                        OutlinedButton(onClick = { context.openAppSettings() }) {
                            Text(stringResource(R.string.location_open_settings))
                        }
                    }
                }
                CameraPanel.Ready -> {
                    ScannerStatePart(state, onScanNext = model::scanNext)
                    if (state is ScannerState.Scanning) {
                        Text(stringResource(R.string.scanner_aim))
                        Viewfinder(model)
                    }
                }
            }
            SectionHeading(stringResource(R.string.scan_lists_title))
            TrustPart(
                material = material,
                // The scanner's own notice already says to go online: not twice.
                showMissing = state !is ScannerState.NoTrustList,
                refreshing = refreshing,
                // Offline is the field's normal state, not a fault: say so plainly.
                problem = refreshProblem?.let {
                    if (it == ErrorText.NETWORK) stringResource(R.string.scan_offline) else errorMessage(it)
                },
                onRefresh = { model.refresh() },
            )
        }
    }
}

/** The verdict, the "no trust list" notice, or a failure, by the scanner's state. */
@Composable
private fun ScannerStatePart(state: ScannerState, onScanNext: () -> Unit) {
    when (state) {
        is ScannerState.Scanning -> if (state.unreadable) VerdictCard(ScanVerdict(VerdictKind.UNREADABLE))
        is ScannerState.Showing -> {
            VerdictCard(state.verdict)
            Button(onClick = onScanNext, modifier = Modifier.fillMaxWidth()) { Text(stringResource(R.string.scan_next)) }
        }
        ScannerState.NoTrustList -> Text(stringResource(R.string.error_trust_list_missing), style = MaterialTheme.typography.titleMedium)
        is ScannerState.Failed -> {
            Text(errorMessage(state.text), color = MaterialTheme.colorScheme.error)
            OutlinedButton(onClick = onScanNext) { Text(stringResource(R.string.try_again)) }
        }
    }
}

/**
 * One verdict, large: a coloured panel with a symbol and a headline in words, then who and
 * what the certificate covers. Announced by screen readers as soon as it appears.
 */
@Composable
private fun VerdictCard(verdict: ScanVerdict) {
    val (background, foreground) = when (verdict.tone) {
        VerdictTone.GOOD -> Color(0xFF1B5E20) to Color.White
        VerdictTone.BAD -> Color(0xFFB71C1C) to Color.White
        VerdictTone.NEUTRAL -> MaterialTheme.colorScheme.surfaceVariant to MaterialTheme.colorScheme.onSurfaceVariant
    }
    val headline = stringResource(verdict.headlineRes())
    Column(
        modifier = Modifier
            .fillMaxWidth()
            .background(background, RoundedCornerShape(12.dp))
            .padding(20.dp)
            .semantics { liveRegion = LiveRegionMode.Assertive },
        verticalArrangement = Arrangement.spacedBy(8.dp),
    ) {
        Row(horizontalArrangement = Arrangement.spacedBy(16.dp), verticalAlignment = Alignment.CenterVertically) {
            // The symbol repeats the headline for sighted readers; screen readers read the words.
            Text(
                verdict.symbol,
                style = MaterialTheme.typography.displayLarge,
                color = foreground,
                modifier = Modifier.clearAndSetSemantics {},
            )
            // Takes the rest of the row and wraps there at the largest font size.
            Text(
                headline,
                style = MaterialTheme.typography.displaySmall,
                color = foreground,
                fontWeight = FontWeight.Bold,
                modifier = Modifier.weight(1f),
            )
        }
        verdict.holder?.let { Text(stringResource(R.string.scan_holder, it), style = MaterialTheme.typography.headlineSmall, color = foreground) }
        verdict.coverName?.let { Text(stringResource(R.string.scan_cover, it), style = MaterialTheme.typography.titleLarge, color = foreground) }
        verdict.vehicle?.let { Text(stringResource(R.string.scan_vehicle, it), style = MaterialTheme.typography.titleLarge, color = foreground) }
        verdict.until?.let { until ->
            val day = formatDay(until)
            val line = when {
                verdict.kind == VerdictKind.VALID -> stringResource(R.string.scan_valid_until, day)
                verdict.notYetValid -> stringResource(R.string.scan_valid_from, day)
                else -> stringResource(R.string.scan_expired_at, day)
            }
            Text(line, style = MaterialTheme.typography.titleMedium, color = foreground)
        }
        if (verdict.kind == VerdictKind.VALID) {
            Text(stringResource(R.string.scan_check_licence), style = MaterialTheme.typography.bodyLarge, color = foreground)
        }
    }
}

/** The ages of the lists the scanner judges by, and the button to fetch them again. */
@Composable
private fun TrustPart(
    material: TrustMaterial?,
    showMissing: Boolean,
    refreshing: Boolean,
    problem: String?,
    onRefresh: () -> Unit,
) {
    val ages = trustAges(material, Instant.now())
    if (ages == null) {
        if (showMissing) Text(stringResource(R.string.error_trust_list_missing))
    } else {
        Text(stringResource(R.string.scan_trust_list_age, ageText(ages.trustList)))
        val revocations = ages.revocations
        if (revocations == null) Text(stringResource(R.string.scan_revocations_missing))
        else Text(stringResource(R.string.scan_revocations_age, ageText(revocations)))
        if (ages.revocationsStale) {
            Text(stringResource(R.string.scan_revocations_stale), color = MaterialTheme.colorScheme.error)
        }
    }
    Button(onClick = onRefresh, enabled = !refreshing) {
        Text(stringResource(if (refreshing) R.string.scan_refreshing else R.string.scan_refresh))
    }
    problem?.let { Text(it, color = MaterialTheme.colorScheme.error) }
}

/** "3 hours" in the app's language. */
@OptIn(ExperimentalComposeUiApi::class)
@Composable
private fun ageText(age: Age): String {
    val count = age.count.coerceAtMost(Int.MAX_VALUE.toLong()).toInt()
    val id = when (age.unit) {
        AgeUnit.MINUTES -> R.plurals.age_minutes
        AgeUnit.HOURS -> R.plurals.age_hours
        AgeUnit.DAYS -> R.plurals.age_days
    }
    return pluralStringResource(id, count, count)
}

/**
 * The camera's picture, with the frames going to [model]'s analyser. Bound to the screen's
 * lifecycle: the camera stops when the screen stops or leaves.
 */
@Composable
private fun Viewfinder(model: ScannerViewModel) {
    val context = LocalContext.current
    val lifecycleOwner = LocalLifecycleOwner.current
    val previewView = remember { PreviewView(context) }
    var noCamera by remember { mutableStateOf(false) }
    DisposableEffect(lifecycleOwner) {
        val future = ProcessCameraProvider.getInstance(context)
        var provider: ProcessCameraProvider? = null
        var disposed = false
        future.addListener({
            // The screen may have left before the camera service answered: bind nothing then.
            if (disposed) return@addListener
            val cameras = runCatching { future.get() }.getOrNull() ?: run { noCamera = true; return@addListener }
            provider = cameras
            val preview = Preview.Builder().build().also { it.setSurfaceProvider(previewView.surfaceProvider) }
            // 720p is enough for a QR code held up to the phone and keeps each check fast.
            val analysis = ImageAnalysis.Builder()
                .setBackpressureStrategy(ImageAnalysis.STRATEGY_KEEP_ONLY_LATEST)
                .setOutputImageFormat(ImageAnalysis.OUTPUT_IMAGE_FORMAT_YUV_420_888)
                .setResolutionSelector(
                    ResolutionSelector.Builder()
                        .setResolutionStrategy(
                            ResolutionStrategy(Size(1280, 720), ResolutionStrategy.FALLBACK_RULE_CLOSEST_HIGHER_THEN_LOWER),
                        )
                        .build(),
                )
                .build()
                .also { it.setAnalyzer(model.analysisExecutor, model.analyzer) }
            try {
                cameras.unbindAll()
                cameras.bindToLifecycle(lifecycleOwner, CameraSelector.DEFAULT_BACK_CAMERA, preview, analysis)
            } catch (e: Exception) {
                // No back camera, or the camera is in use by another app.
                noCamera = true
            }
        }, ContextCompat.getMainExecutor(context))
        onDispose {
            disposed = true
            provider?.unbindAll()
        }
    }
    if (noCamera) {
        Text(stringResource(R.string.scanner_no_camera), color = MaterialTheme.colorScheme.error)
        return
    }
    val description = stringResource(R.string.scanner_viewfinder_description)
    AndroidView(
        factory = { previewView },
        modifier = Modifier
            .widthIn(max = 480.dp)
            .fillMaxWidth()
            .aspectRatio(3f / 4f)
            .semantics { contentDescription = description },
    )
}

/** The string resource of the verdict's headline. */
private fun ScanVerdict.headlineRes(): Int = when (kind) {
    VerdictKind.VALID -> R.string.scan_valid
    VerdictKind.EXPIRED -> if (notYetValid) R.string.scan_not_yet_valid else R.string.scan_expired
    VerdictKind.REVOKED -> R.string.scan_revoked
    VerdictKind.NOT_GENUINE -> R.string.scan_not_genuine
    VerdictKind.UNREADABLE -> R.string.scan_unreadable
}

/** A day as the phone's language and zone write it. */
@Composable
private fun formatDay(instant: Instant): String {
    val locale = LocalConfiguration.current.locales[0] ?: Locale.getDefault()
    return DateTimeFormatter.ofLocalizedDate(FormatStyle.MEDIUM).withLocale(locale)
        .format(instant.atZone(ZoneId.systemDefault()))
}

/** Whether the camera may be used now. */
private fun cameraGranted(context: Context): Boolean =
    ContextCompat.checkSelfPermission(context, Manifest.permission.CAMERA) == PackageManager.PERMISSION_GRANTED

/** The app's page in the system settings, where a refused permission can be given. */
private fun Context.openAppSettings() {
    try {
        startActivity(Intent(Settings.ACTION_APPLICATION_DETAILS_SETTINGS, Uri.fromParts("package", packageName, null)))
    } catch (e: android.content.ActivityNotFoundException) {
        // A trimmed-down device without the settings page: the reason is already on screen.
    }
}
