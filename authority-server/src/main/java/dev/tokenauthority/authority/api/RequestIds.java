package dev.tokenauthority.authority.api;

import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The id a call is logged under: the trace-id of the caller's W3C {@code traceparent} header when it is valid, so
 * the request log joins the caller's trace; otherwise a new random id of the same shape (32 lowercase hex digits).
 */
final class RequestIds {

    /**
     * version "-" trace-id "-" parent-id "-" trace-flags (W3C Trace Context, section 3.2.2). A future version may
     * append fields after another dash; version 00 may not.
     */
    private static final Pattern TRACEPARENT =
            Pattern.compile("([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?");
    private static final String ZERO_TRACE_ID = "0".repeat(32);
    private static final String ZERO_PARENT_ID = "0".repeat(16);

    private RequestIds() {}

    static String of(String traceparent) {
        return traceIdOf(traceparent).orElseGet(RequestIds::generate);
    }

    /** The trace-id of a valid header; empty for a missing, malformed or invalid one (section 3.2.2.x). */
    static Optional<String> traceIdOf(String traceparent) {
        if (traceparent == null) {
            return Optional.empty();
        }
        Matcher m = TRACEPARENT.matcher(traceparent.strip());
        if (!m.matches()) {
            return Optional.empty();
        }
        String version = m.group(1);
        boolean invalid = version.equals("ff") || (version.equals("00") && m.group(5) != null)
                || m.group(2).equals(ZERO_TRACE_ID) || m.group(3).equals(ZERO_PARENT_ID);
        return invalid ? Optional.empty() : Optional.of(m.group(2));
    }

    /** Not a secret and not a trace-id of ours to vouch for: a fast random is enough to tell calls apart. */
    static String generate() {
        byte[] id = new byte[16];
        ThreadLocalRandom.current().nextBytes(id);
        return HexFormat.of().formatHex(id);
    }
}
