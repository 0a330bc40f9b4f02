package no.lofavor.app

import androidx.lifecycle.SavedStateHandle
import androidx.lifecycle.ViewModel
import androidx.lifecycle.viewModelScope
import kotlinx.coroutines.flow.SharingStarted
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.map
import kotlinx.coroutines.flow.stateIn
import no.lofavor.app.model.Route
import no.lofavor.app.model.backFrom
import no.lofavor.app.model.routeFrom

/**
 * The app's navigation: the current screen, kept in the [SavedStateHandle] by name, so that
 * rotation and process death come back to the same screen; and whether the consent screen
 * was already opened after this login.
 */
class AppViewModel(private val saved: SavedStateHandle) : ViewModel() {
    /** The screen to show. */
    val route: StateFlow<Route> = saved.getStateFlow<String?>(KEY_ROUTE, null)
        .map(::routeFrom)
        .stateIn(viewModelScope, SharingStarted.Eagerly, routeFrom(saved.get<String>(KEY_ROUTE)))

    /** Shows [route]. */
    fun go(route: Route) {
        saved[KEY_ROUTE] = route.name
    }

    /**
     * Whether the consent screen was already opened for the member with [subject] since they
     * logged in. Kept as a hash of the subject, so the saved state holds no member's id.
     */
    fun consentAskedFor(subject: String): Boolean = saved.get<Int>(KEY_CONSENT_ASKED) == subject.hashCode()

    /** Notes that the consent screen was opened for [subject]; null when nobody is logged in. */
    fun markConsentAsked(subject: String?) {
        saved[KEY_CONSENT_ASKED] = subject?.hashCode()
    }

    /** Goes back one screen; false when back should leave the app. */
    fun back(): Boolean {
        val to = backFrom(route.value) ?: return false
        go(to)
        return true
    }

    private companion object {
        const val KEY_ROUTE = "route"
        const val KEY_CONSENT_ASKED = "consent_asked"
    }
}
