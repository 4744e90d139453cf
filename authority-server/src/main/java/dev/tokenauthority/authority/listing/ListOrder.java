package dev.tokenauthority.authority.listing;

import dev.tokenauthority.authority.AuthorityException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The sort of a listing: a column and a direction, from {@code order_by} such as {@code "expires_at desc"}. */
public record ListOrder<C extends SortColumn>(C column, boolean descending) {

    /** Parses {@code order_by}; INVALID_ARGUMENT naming the field for an unknown column or direction. */
    public static <C extends Enum<C> & SortColumn> ListOrder<C> parse(String orderBy, Class<C> columns,
            ListOrder<C> fallback) {
        if (orderBy == null || orderBy.isBlank()) {
            return fallback;
        }
        String[] parts = orderBy.trim().toLowerCase(Locale.ROOT).split("\\s+");
        if (parts.length > 2 || (parts.length == 2 && !parts[1].equals("asc") && !parts[1].equals("desc"))) {
            throw AuthorityException.invalidArgument("order_by", "expected '<column> [asc|desc]'");
        }
        for (C column : columns.getEnumConstants()) {
            if (column.label().equals(parts[0])) {
                return new ListOrder<>(column, parts.length == 2 && parts[1].equals("desc"));
            }
        }
        throw AuthorityException.invalidArgument("order_by", "unknown column '" + parts[0] + "'; sortable: "
                + Arrays.stream(columns.getEnumConstants()).map(SortColumn::label).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return column.label() + (descending ? " desc" : " asc");
    }
}
