package no.lofavor.app.model

// Platform-free (no android.*): compiled and tested on the JVM with the binding tests.

/**
 * The app's screens. The current one is kept in the activity's saved state by name, so that
 * rotation and process death return to it.
 */
enum class Route {
    /** Account, status, and the ways to the other screens. */
    HOME,

    /** The member's roadside certificate with its QR code and location. */
    CERTIFICATE,

    /** The roadside worker's field scanner. */
    SCANNER,

    /** The core's data cannot be opened: explain, and start again only on confirmation. */
    RECOVERY,

    /** The first-run consent screen, shown after login while the core asks for an answer. */
    CONSENT,

    /** "Personvern": every consent, the reservation, the history, export, requests, erasure. */
    PRIVACY,

    /** "Husk Hva Du Har": the rooms, the totals and insured sum, the report, the sync status. */
    INVENTORY,

    /** The items of the room chosen on [INVENTORY]. */
    INVENTORY_ROOM,

    /** One item with its photos. */
    INVENTORY_ITEM,

    /** A new item's form (back returns to the room it was added from). */
    INVENTORY_ADD,

    /** The form of the item shown on [INVENTORY_ITEM]. */
    INVENTORY_EDIT,

    /** Search as the member types. */
    INVENTORY_SEARCH,
}

/** The route saved under [name], or [Route.HOME] for none or a name this version does not know. */
fun routeFrom(name: String?): Route = Route.entries.firstOrNull { it.name == name } ?: Route.HOME

/** Where back leads from [route]; null when back leaves the app. */
fun backFrom(route: Route): Route? = when (route) {
    Route.HOME, Route.RECOVERY -> null
    // Leaving the consent screen unanswered gives no consent: everything stays off.
    Route.CERTIFICATE, Route.SCANNER, Route.CONSENT, Route.PRIVACY, Route.INVENTORY -> Route.HOME
    Route.INVENTORY_ROOM, Route.INVENTORY_SEARCH -> Route.INVENTORY
    // An item opened from search shows its own room on back (the screen sets it as chosen).
    Route.INVENTORY_ITEM, Route.INVENTORY_ADD -> Route.INVENTORY_ROOM
    Route.INVENTORY_EDIT -> Route.INVENTORY_ITEM
}
