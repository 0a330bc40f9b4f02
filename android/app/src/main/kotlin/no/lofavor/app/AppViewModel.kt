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
 * rotation and process death come back to the same screen.
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

    /** Goes back one screen; false when back should leave the app. */
    fun back(): Boolean {
        val to = backFrom(route.value) ?: return false
        go(to)
        return true
    }

    private companion object {
        const val KEY_ROUTE = "route"
    }
}
