package dev.tokenauthority.authority.tokens;

import dev.tokenauthority.authority.JsonStrings;
import dev.tokenauthority.authority.Transactions;
import dev.tokenauthority.authority.audit.AuditLog;
import dev.tokenauthority.authority.audit.CallContext;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Exports every token matching a query as CSV (RFC 4180) or JSON lines, streamed in chunks:
 * rows come from a database cursor and leave in chunks of about {@link #CHUNK_BYTES}, so memory
 * stays flat whatever the number of tokens.
 */
public final class TokenExport {

    /** Bytes per chunk handed to the transport. */
    static final int CHUNK_BYTES = 64 * 1024;
    private static final String[] COLUMNS = {"token_id", "user_id", "user_email", "client_id", "session_id",
        "issued_at", "last_used_at", "expires_at", "status", "note", "tags"};

    public enum Format { CSV, JSON_LINES }

    private final Transactions transactor;
    private final AuditLog audit;
    private final Clock clock;

    public TokenExport(Transactions transactor, AuditLog audit, Clock clock) {
        this.transactor = transactor;
        this.audit = audit;
        this.clock = clock;
    }

    /** Streams the export to {@code chunks}, which may block for flow control; returns the row count. */
    public long export(TokenQuery query, Format format, Consumer<byte[]> chunks, CallContext context) {
        Instant now = clock.instant();
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(CHUNK_BYTES + 1024);
        long[] rows = {0};
        if (format == Format.CSV) {
            write(buffer, String.join(",", COLUMNS) + "\r\n");
        }
        // A transaction, so PostgreSQL streams the rows through a cursor instead of loading them all.
        transactor.useTransaction(tx -> tx.store(TokenSearch.class).forEach(query, now, item -> {
            write(buffer, format == Format.CSV ? csv(item, now) : json(item, now));
            rows[0]++;
            if (buffer.size() >= CHUNK_BYTES) {
                chunks.accept(buffer.toByteArray());
                buffer.reset();
            }
        }));
        if (buffer.size() > 0) {
            chunks.accept(buffer.toByteArray());
        }
        transactor.useTransaction(tx -> audit.record(tx, context, clock.instant(), "tokens.export", "tokens", null,
                null, Map.of("rows", rows[0], "format", format.name())));
        return rows[0];
    }

    private static String[] values(TokenListItem item, Instant now) {
        var t = item.token();
        return new String[] {t.id(), t.userId(), item.userEmail(), t.clientId(), t.sessionId(),
            t.issuedAt().toString(), t.lastUsedAt() == null ? "" : t.lastUsedAt().toString(), t.expiresAt().toString(),
            item.statusAt(now).name(), t.note() == null ? "" : t.note(), String.join(" ", t.tags())};
    }

    private static String csv(TokenListItem item, Instant now) {
        StringBuilder line = new StringBuilder(256);
        String[] values = values(item, now);
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                line.append(',');
            }
            line.append(csvField(values[i]));
        }
        return line.append("\r\n").toString();
    }

    /** RFC 4180 quoting; a leading =, +, - or @ is prefixed with ' so spreadsheets do not run it as a formula. */
    static String csvField(String value) {
        String safe = !value.isEmpty() && "=+-@".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        if (safe.contains(",") || safe.contains("\"") || safe.contains("\n") || safe.contains("\r")) {
            return "\"" + safe.replace("\"", "\"\"") + "\"";
        }
        return safe;
    }

    private static String json(TokenListItem item, Instant now) {
        StringBuilder line = new StringBuilder(320).append('{');
        String[] values = values(item, now);
        for (int i = 0; i < COLUMNS.length; i++) {
            if (i > 0) {
                line.append(',');
            }
            line.append('"').append(COLUMNS[i]).append("\":");
            JsonStrings.appendQuoted(line, values[i]);
        }
        return line.append("}\n").toString();
    }

    private static void write(ByteArrayOutputStream buffer, String text) {
        buffer.writeBytes(text.getBytes(StandardCharsets.UTF_8));
    }
}
