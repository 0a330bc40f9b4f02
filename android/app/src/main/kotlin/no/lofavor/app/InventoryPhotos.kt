package no.lofavor.app

import android.content.Context
import android.graphics.Bitmap
import android.graphics.BitmapFactory
import android.graphics.ImageDecoder
import android.net.Uri
import android.os.Build
import androidx.activity.compose.rememberLauncherForActivityResult
import androidx.activity.result.PickVisualMediaRequest
import androidx.activity.result.contract.ActivityResultContracts
import androidx.compose.foundation.Image
import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.size
import androidx.compose.material3.CircularProgressIndicator
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.produceState
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.graphics.ImageBitmap
import androidx.compose.ui.layout.ContentScale
import androidx.compose.ui.unit.Dp
import java.io.File
import java.io.IOException

/** The most photos one pick takes (the picker enforces it). */
private const val MAX_PICKED = 50

/**
 * "Choose photos": the system photo picker (PickMultipleVisualMedia), images only. The picker
 * runs outside the app and hands over only what the member picked, so the app needs no
 * storage or media permission on any Android version (on older ones the picker comes from
 * Google Play services, or falls back to the document picker).
 */
@Composable
fun PickPhotosButton(label: String, enabled: Boolean, onPicked: (List<Uri>) -> Unit, modifier: Modifier = Modifier) {
    val pick = rememberLauncherForActivityResult(ActivityResultContracts.PickMultipleVisualMedia(MAX_PICKED)) { uris ->
        if (uris.isNotEmpty()) onPicked(uris)
    }
    OutlinedButton(
        onClick = { pick.launch(PickVisualMediaRequest(ActivityResultContracts.PickVisualMedia.ImageOnly)) },
        enabled = enabled,
        modifier = modifier,
    ) { Text(label) }
}

/**
 * A photo of the inventory, read and decoded off the main thread by [load] (the thumbnail
 * or the large rendition); a spinner until it is there. [description] is what TalkBack says
 * (null when the photo only decorates a row that says it all).
 */
@Composable
fun InventoryPhoto(
    photoId: String,
    description: String?,
    load: suspend (String) -> ImageBitmap?,
    size: Dp,
    modifier: Modifier = Modifier,
) {
    val bitmap by produceState<ImageBitmap?>(null, photoId) { value = load(photoId) }
    Box(modifier.size(size), contentAlignment = Alignment.Center) {
        val image = bitmap
        if (image == null) {
            CircularProgressIndicator()
        } else {
            Image(image, contentDescription = description, contentScale = ContentScale.Crop, modifier = Modifier.size(size))
        }
    }
}

/** Picked photos made ready for the core, which takes JPEG and PNG only. */
object PhotoFiles {
    /** The largest side a converted photo is decoded at: the core makes 2048 px renditions. */
    private const val MAX_DECODED = 4096
    private const val JPEG_QUALITY = 92

    /**
     * Copies the photo at [uri] to [dest] (".jpg" or ".png" added): a JPEG or PNG as it is,
     * anything else (HEIC from an iPhone or a recent camera, WebP, ...) decoded and encoded
     * as JPEG, which also leaves its metadata, location included, behind. Null when the
     * photo cannot be read or decoded. Call off the main thread.
     */
    fun copyAsJpegOrPng(context: Context, uri: Uri, dest: File): File? {
        val resolver = context.contentResolver
        return try {
            val type = resolver.getType(uri)
            if (type == "image/jpeg" || type == "image/png") {
                val out = File(dest.path + if (type == "image/png") ".png" else ".jpg")
                val copied = resolver.openInputStream(uri)?.use { input -> out.outputStream().use { input.copyTo(it) } }
                if (copied == null) null else out
            } else {
                val bitmap = decode(context, uri)
                if (bitmap == null) {
                    null
                } else {
                    val out = File(dest.path + ".jpg")
                    out.outputStream().use { bitmap.compress(Bitmap.CompressFormat.JPEG, JPEG_QUALITY, it) }
                    bitmap.recycle()
                    out
                }
            }
        } catch (e: IOException) {
            null
        } catch (e: SecurityException) {
            // The picker's grant ended (the process was restarted in between).
            null
        }
    }

    /** Decodes [uri], scaled down to at most [MAX_DECODED] px: ImageDecoder reads HEIC (API 28+). */
    private fun decode(context: Context, uri: Uri): Bitmap? {
        if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.P) {
            val source = ImageDecoder.createSource(context.contentResolver, uri)
            return ImageDecoder.decodeBitmap(source) { decoder, info, _ ->
                val largest = maxOf(info.size.width, info.size.height)
                var sample = 1
                while (largest / sample > MAX_DECODED) sample *= 2
                decoder.setTargetSampleSize(sample)
                // A software bitmap: compress() cannot read a hardware one.
                decoder.allocator = ImageDecoder.ALLOCATOR_SOFTWARE
            }
        }
        // Before Android 9 there is no HEIC decoder; other formats BitmapFactory reads.
        val bounds = BitmapFactory.Options().apply { inJustDecodeBounds = true }
        context.contentResolver.openInputStream(uri)?.use { BitmapFactory.decodeStream(it, null, bounds) }
        var sample = 1
        while (maxOf(bounds.outWidth, bounds.outHeight) / sample > MAX_DECODED) sample *= 2
        val options = BitmapFactory.Options().apply { inSampleSize = sample }
        return context.contentResolver.openInputStream(uri)?.use { BitmapFactory.decodeStream(it, null, options) }
    }
}
