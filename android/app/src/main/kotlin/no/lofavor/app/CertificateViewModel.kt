package no.lofavor.app

import android.app.Application
import androidx.lifecycle.AndroidViewModel
import androidx.lifecycle.viewModelScope
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.launch
import no.lofavor.app.model.CertificateView
import no.lofavor.app.model.ErrorText
import no.lofavor.app.model.certificateView
import no.lofavor.app.model.errorText

/**
 * The member's certificate for the certificate screen, kept across rotation: read when the
 * screen opens (the core gives the cached one while valid long enough, else a new one),
 * renewed on request.
 * A failure is shown as an error with its message; only the core's "unavailable" reads as
 * "no certificate yet".
 */
class CertificateViewModel(application: Application) : AndroidViewModel(application) {
    private val app = application as LofavorApp

    private val _view = MutableStateFlow<CertificateView>(CertificateView.Loading)

    /** What the screen shows where the QR code goes. */
    val view: StateFlow<CertificateView> = _view.asStateFlow()

    private val _renewing = MutableStateFlow(false)

    /** True while a renewal runs. */
    val renewing: StateFlow<Boolean> = _renewing.asStateFlow()

    private val _renewProblem = MutableStateFlow<ErrorText?>(null)

    /** Why the last renewal failed, or null; the certificate on screen stays. */
    val renewProblem: StateFlow<ErrorText?> = _renewProblem.asStateFlow()

    private var loading = false

    /**
     * Reads the certificate: each time the screen opens (the member may have logged in or out
     * since) and after a failure. A certificate on screen stays while it is read again.
     */
    fun load() {
        if (loading) return
        loading = true
        if (_view.value !is CertificateView.Shown) _view.value = CertificateView.Loading
        viewModelScope.launch {
            // certificate() suspends on the core's own runtime.
            _view.value = certificateView(runCatching { app.core.await().roadside().certificate() })
            loading = false
        }
    }

    /** Fetches a new certificate now; needs the network. */
    fun renew() {
        if (_renewing.value) return
        _renewing.value = true
        _renewProblem.value = null
        viewModelScope.launch {
            val outcome = runCatching { app.core.await().roadside().renewCertificate() }
            if (outcome.isSuccess || _view.value !is CertificateView.Shown) {
                _view.value = certificateView(outcome)
            }
            _renewProblem.value = outcome.exceptionOrNull()?.let { errorText(it) }
            _renewing.value = false
        }
    }
}
