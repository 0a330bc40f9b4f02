package no.lofavor.core.tests

import no.lofavor.core.LofavorException
import no.lofavor.core.LogoutReason
import no.lofavor.core.Member
import no.lofavor.core.Membership
import no.lofavor.core.SessionEvent
import no.lofavor.core.android.SessionState
import no.lofavor.core.android.loginWasCancelled
import no.lofavor.core.android.logoutNeedsConfirmation
import no.lofavor.core.android.toSessionState
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

/** The Android shell's platform-free session logic, over the generated binding types. */
class SessionStateTest {
    private val kari = Member("kari", "Kari Nordmann", Membership("Fellesforbundet", true))

    @Test
    fun `session events become what the account screen shows`() {
        assertEquals(SessionState.LoggedIn(kari), SessionEvent.LoggedIn(kari).toSessionState())
        assertEquals(SessionState.LoggedIn(kari), SessionEvent.ProfileRefreshed(kari).toSessionState())
        assertEquals(
            SessionState.LoggedOut(LogoutReason.SESSION_ENDED),
            SessionEvent.LoggedOut(LogoutReason.SESSION_ENDED).toSessionState(),
        )
    }

    @Test
    fun `only unsynced changes ask before a forced logout, only a cancel is silent`() {
        assertTrue(logoutNeedsConfirmation(LofavorException.UnsyncedChanges("3 changes")))
        assertFalse(logoutNeedsConfirmation(LofavorException.Network("offline")))
        assertTrue(loginWasCancelled(LofavorException.LoginCancelled("declined")))
        assertFalse(loginWasCancelled(LofavorException.LoginInvalid("state")))
    }
}
