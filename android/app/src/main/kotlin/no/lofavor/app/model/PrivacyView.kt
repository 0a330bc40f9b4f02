package no.lofavor.app.model

import no.lofavor.core.HistoryEntry
import no.lofavor.core.PrivacyRequest

// Platform-free (no android.*): compiled and tested on the JVM with the binding tests.

/** Seconds in a day, for deadlines counted in days. */
private const val DAY_SECONDS = 86_400L

/** Statuses of a privacy request that are answered: no deadline runs any more. */
private val ANSWERED = setOf("completed", "refused")

/** Where a request's deadline stands. */
enum class Deadline {
    /** Not sent yet (offline): no deadline runs until LOfavør has received it. */
    NOT_SENT,

    /** Answered (completed or refused). */
    ANSWERED,

    /** Open, the deadline ahead. */
    OPEN,

    /** Open, and the deadline has passed: the member may complain to Datatilsynet. */
    OVERDUE,
}

/**
 * One line of the privacy requests list. The texts are the core's ([kindLabel],
 * [statusLabel], [dueLabel]: "Answer by 3 March 2027"); the shell adds only the overdue or
 * not-sent chrome by [deadline] and the days left.
 */
data class RequestLine(
    /** The request's id. */
    val id: String,
    /** The kind, for people. */
    val kindLabel: String,
    /** The status, for people. */
    val statusLabel: String,
    /** "Answer by …", or null before LOfavør has received it. */
    val dueLabel: String?,
    /** Where the deadline stands. */
    val deadline: Deadline,
    /** Whole days until the deadline for an open request (0 on its last day), else null. */
    val daysLeft: Long?,
)

/** The requests list at [nowUnix], in the core's order (newest first). */
fun requestLines(requests: List<PrivacyRequest>, nowUnix: Long): List<RequestLine> = requests.map { r ->
    val due = r.dueAt
    val deadline = when {
        r.status in ANSWERED -> Deadline.ANSWERED
        r.status == "queued" || due == null -> Deadline.NOT_SENT
        nowUnix > due -> Deadline.OVERDUE
        else -> Deadline.OPEN
    }
    val daysLeft = if (deadline == Deadline.OPEN && due != null) (due - nowUnix) / DAY_SECONDS else null
    RequestLine(r.id, r.kindLabel, r.statusLabel, r.dueLabel, deadline, daysLeft)
}

/** Whether any open request is past its deadline (the screen says so at the top). */
fun anyOverdue(lines: List<RequestLine>): Boolean = lines.any { it.deadline == Deadline.OVERDUE }

/** The kinds of privacy request the member can send, by the core's stable names. */
val REQUEST_KINDS = listOf("access", "rectification", "erasure", "restriction", "objection", "portability", "human_review")

/** A decision in the history, for the shell's own word. */
enum class HistoryDecision {
    /** `given`. */
    GIVEN,

    /** `refused`. */
    REFUSED,

    /** `withdrawn`. */
    WITHDRAWN,

    /** A decision this version does not know. */
    OTHER,
}

/** Where a decision's receipt stands. */
enum class ReceiptState {
    /** Not on the server yet: no receipt. */
    PENDING,

    /** The server refused the decision: it does not count. */
    REJECTED,

    /** On the server, the receipt checked against its published key. */
    VERIFIED,

    /** On the server, but the receipt does not verify (or is missing): not to be trusted. */
    INVALID,
}

/** One line of the history. */
data class HistoryLine(
    /** The record id. */
    val recordId: String,
    /** The purpose's title, in the core's language. */
    val title: String,
    /** The decision. */
    val decision: HistoryDecision,
    /** When (Unix seconds, device clock). */
    val decidedAt: Long,
    /** The notice version decided on. */
    val noticeVersion: String,
    /** Made on this device. */
    val madeHere: Boolean,
    /** Where its receipt stands. */
    val receipt: ReceiptState,
)

/**
 * The history lines, newest first as the core gives them. [verify] checks a receipt and
 * returns whether it verified (the shell calls the core's `verifyReceipt`; any failure counts
 * as not verified).
 */
fun historyLines(entries: List<HistoryEntry>, verify: (ByteArray) -> Boolean): List<HistoryLine> = entries.map { e ->
    val decision = when (e.decision) {
        "given" -> HistoryDecision.GIVEN
        "refused" -> HistoryDecision.REFUSED
        "withdrawn" -> HistoryDecision.WITHDRAWN
        else -> HistoryDecision.OTHER
    }
    val receipt = e.receipt
    val state = when {
        e.state == "rejected" -> ReceiptState.REJECTED
        e.state == "pending" -> ReceiptState.PENDING
        receipt == null -> ReceiptState.INVALID
        verify(receipt) -> ReceiptState.VERIFIED
        else -> ReceiptState.INVALID
    }
    HistoryLine(e.recordId, e.title, decision, e.decidedAt, e.noticeVersion, e.madeHere, state)
}

/** What the member shares from the privacy screen. */
enum class ExportKind(val stem: String) {
    /** The whole archive (`export()`). */
    ARCHIVE("lofavor-data"),

    /** The consent receipts (`exportReceipts()`). */
    RECEIPTS("lofavor-consent-receipts"),
}

/**
 * The file name of an export made at [nowUnix] (UTC date): no member's name or id in it,
 * only letters, digits and dashes, so any app it is shared to can store it.
 */
fun exportFileName(kind: ExportKind, nowUnix: Long): String {
    val days = Math.floorDiv(nowUnix, DAY_SECONDS)
    val date = java.time.LocalDate.ofEpochDay(days)
    return "${kind.stem}-$date.json"
}
