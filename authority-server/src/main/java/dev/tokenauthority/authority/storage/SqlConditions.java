package dev.tokenauthority.authority.storage;

import dev.tokenauthority.authority.listing.ListOrder;
import dev.tokenauthority.authority.listing.PageCursor;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/** A WHERE clause built condition by condition, every value a bound parameter; shared by the listings. */
final class SqlConditions {

    private final List<String> conditions = new ArrayList<>();
    private final Map<String, Object> params = new LinkedHashMap<>();
    private final Map<String, List<?>> lists = new LinkedHashMap<>();

    void add(String condition) {
        conditions.add(condition);
    }

    void bind(String name, Object value) {
        params.put(name, value);
    }

    /** Binds a list for an {@code IN (<name>)} in a condition. */
    void bindList(String name, List<?> values) {
        lists.put(name, values);
    }

    void equal(String column, String name, String value) {
        if (value != null && !value.isEmpty()) {
            add(column + " = :" + name);
            bind(name, value);
        }
    }

    void range(String column, String name, Instant after, Instant before) {
        if (after != null) {
            add(column + " >= :" + name + "After");
            bind(name + "After", after);
        }
        if (before != null) {
            add(column + " < :" + name + "Before");
            bind(name + "Before", before);
        }
    }

    /** Case-insensitive substring match of {@code text} in any of the (lower-cased) expressions. */
    void contains(String text, String... lowerCasedExpressions) {
        if (text == null || text.isBlank()) {
            return;
        }
        List<String> alternatives = new ArrayList<>();
        for (String expression : lowerCasedExpressions) {
            // '!' as the escape character: Jdbi's statement parser reads a backslash before a quote as an escape.
            alternatives.add(expression + " LIKE :text ESCAPE '!'");
        }
        add("(" + String.join(" OR ", alternatives) + ")");
        bind("text", likePattern(text));
    }

    /** The LIKE pattern (escape character '!') for a case-insensitive substring match of {@code text}. */
    static String likePattern(String text) {
        String escaped = text.trim().toLowerCase(Locale.ROOT).replace("!", "!!").replace("%", "!%").replace("_", "!_");
        return "%" + escaped + "%";
    }

    /** Rows strictly after the cursor in the listing's order (keyset pagination). */
    private void after(PageCursor cursor, ListOrder<?> order, String idColumn) {
        if (cursor == null) {
            return;
        }
        String op = order.descending() ? "<" : ">";
        String sort = SortExpressions.of(order.column());
        // The first, redundant bound lets the database seek the sort index instead of filtering every row
        // from the top, so a deep page costs what the first one does.
        add(sort + " " + op + "= :cursorSort AND (" + sort + " " + op + " :cursorSort OR (" + sort + " = :cursorSort AND "
                + idColumn + " " + op + " :cursorId))");
        bind("cursorSort", order.column().isTime() ? cursor.sortInstant() : cursor.sortValue());
        bind("cursorId", cursor.id());
    }

    /**
     * One keyset page of {@code selectFrom} (a SELECT with its FROM clause): these conditions, the
     * rows after {@code cursor}, in {@code order} and then by {@code idColumn}, at most {@code limit}.
     */
    Query page(Handle handle, String selectFrom, ListOrder<?> order, PageCursor cursor, String idColumn, int limit) {
        after(cursor, order, idColumn);
        return bindTo(handle.createQuery(selectFrom + where() + " ORDER BY " + SortExpressions.orderBy(order, idColumn)
                + " LIMIT :limit")).bind("limit", limit);
    }

    String where() {
        return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
    }

    Query bindTo(Query query) {
        query.addCustomizer(CustomPlans.INSTANCE);
        params.forEach(query::bind);
        lists.forEach(query::bindList);
        return query;
    }
}
