package dev.tokenauthority.authority.storage;

import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.argument.AbstractArgumentFactory;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.config.ConfigRegistry;
import org.jdbi.v3.core.mapper.ColumnMapper;

/**
 * Binds and reads {@link Instant} as {@code TIMESTAMP WITH TIME ZONE} through {@link OffsetDateTime}
 * in UTC, so that no JVM default time zone takes part in the conversion (java.sql.Timestamp would).
 */
final class InstantColumns {

    private InstantColumns() {}

    static void register(Jdbi jdbi) {
        jdbi.registerArgument(new AbstractArgumentFactory<Instant>(Types.TIMESTAMP_WITH_TIMEZONE) {
            @Override
            protected Argument build(Instant value, ConfigRegistry config) {
                return (position, statement, ctx) ->
                        statement.setObject(position, OffsetDateTime.ofInstant(value, ZoneOffset.UTC));
            }
        });
        jdbi.registerColumnMapper(Instant.class, (ColumnMapper<Instant>) (rs, column, ctx) -> {
            OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
            return value == null ? null : value.toInstant();
        });
    }
}
