package no.lofavor.core.android

import no.lofavor.core.LofavorException
import no.lofavor.core.LogoutReason
import no.lofavor.core.Member
import no.lofavor.core.SessionEvent

// Pure Kotlin, like CoreSettings: shared by the app and the JVM tests.

/** What the account screen shows: the session as the core last reported it. */
sealed interface SessionState {
    /** The core has not said yet (the first event arrives right after subscribing). */
    data object Unknown : SessionState

    /** Nobody is logged in; [reason] says why, for a message ("you were logged out"). */
    data class LoggedOut(val reason: LogoutReason) : SessionState

    /** [member] is logged in. */
    data class LoggedIn(val member: Member) : SessionState
}

/** The state after [event]: a profile refresh is a login that is still on. */
fun SessionEvent.toSessionState(): SessionState = when (this) {
    is SessionEvent.LoggedIn -> SessionState.LoggedIn(member)
    is SessionEvent.ProfileRefreshed -> SessionState.LoggedIn(member)
    is SessionEvent.LoggedOut -> SessionState.LoggedOut(reason)
}

/**
 * Whether a failed logout should ask the member to confirm a forced one: the core refused
 * because changes are not yet synced, and forcing would lose them.
 */
fun logoutNeedsConfirmation(error: Throwable): Boolean = error is LofavorException.UnsyncedChanges

/**
 * Whether a failed login is the member's own choice (cancelled at the provider), which the
 * app shows without an error message.
 */
fun loginWasCancelled(error: Throwable): Boolean = error is LofavorException.LoginCancelled
