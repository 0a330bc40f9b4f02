package no.lofavor.app

import android.Manifest
import android.content.ActivityNotFoundException
import android.content.Context
import android.content.Intent
import android.content.pm.PackageManager
import android.net.Uri
import android.provider.Settings
import androidx.activity.compose.rememberLauncherForActivityResult
import androidx.activity.result.contract.ActivityResultContracts
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.material3.AlertDialog
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.saveable.rememberSaveable
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.LocalContext
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.unit.dp
import androidx.core.content.ContextCompat

/**
 * "Take photo": the system camera app takes the photo (ACTION_IMAGE_CAPTURE through the
 * TakePicture contract) and writes it to a content URI of the app's cache ([newUri]); the app
 * itself never opens the camera.
 *
 * Why the camera permission is still asked for here: the app declares CAMERA for the field
 * scanner, and Android refuses ACTION_IMAGE_CAPTURE to an app that declares CAMERA without
 * holding it. So the permission is asked at the tap, after the inventory's own reason is
 * shown, and only then; a member who refuses can still choose photos in the picker.
 *
 * @param onTaken Called when the camera app returns: true if it wrote a photo.
 */
@Composable
fun TakePhotoButton(enabled: Boolean, newUri: () -> Uri, onTaken: (Boolean) -> Unit, modifier: Modifier = Modifier) {
    val context = LocalContext.current
    var explaining by rememberSaveable { mutableStateOf(false) }
    var refused by rememberSaveable { mutableStateOf(false) }
    var noCameraApp by rememberSaveable { mutableStateOf(false) }
    val camera = rememberLauncherForActivityResult(ActivityResultContracts.TakePicture()) { taken -> onTaken(taken) }
    val open = {
        noCameraApp = try {
            camera.launch(newUri())
            false
        } catch (e: ActivityNotFoundException) {
            onTaken(false)
            true
        }
    }
    val askForCamera = rememberLauncherForActivityResult(ActivityResultContracts.RequestPermission()) { ok ->
        refused = !ok
        if (ok) open()
    }

    Column(modifier, verticalArrangement = Arrangement.spacedBy(8.dp)) {
        OutlinedButton(
            onClick = { if (cameraAllowed(context)) open() else explaining = true },
            enabled = enabled,
        ) { Text(stringResource(R.string.inventory_take_photo)) }
        if (refused) {
            Text(stringResource(R.string.inventory_camera_refused))
            OutlinedButton(onClick = { context.openSettings() }) { Text(stringResource(R.string.location_open_settings)) }
        }
        if (noCameraApp) Text(stringResource(R.string.inventory_no_camera_app))
    }

    if (explaining) {
        AlertDialog(
            onDismissRequest = { explaining = false },
            title = { Text(stringResource(R.string.inventory_camera_title)) },
            text = { Text(stringResource(R.string.inventory_camera_reason)) },
            confirmButton = {
                TextButton(onClick = {
                    explaining = false
                    askForCamera.launch(Manifest.permission.CAMERA)
                }) { Text(stringResource(R.string.inventory_camera_continue)) }
            },
            dismissButton = { TextButton(onClick = { explaining = false }) { Text(stringResource(R.string.erase_cancel)) } },
        )
    }
}

/** Whether the camera may be used now (the member may change it in the settings any time). */
private fun cameraAllowed(context: Context): Boolean =
    ContextCompat.checkSelfPermission(context, Manifest.permission.CAMERA) == PackageManager.PERMISSION_GRANTED

/** The app's page in the system settings, where a refused permission can be given. */
private fun Context.openSettings() {
    try {
        startActivity(Intent(Settings.ACTION_APPLICATION_DETAILS_SETTINGS, Uri.fromParts("package", packageName, null)))
    } catch (e: ActivityNotFoundException) {
        // A trimmed-down device without the settings page: the text above says what to do.
    }
}
