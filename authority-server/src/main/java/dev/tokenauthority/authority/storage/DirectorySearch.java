package dev.tokenauthority.authority.storage;

import dev.tokenauthority.authority.listing.PageCursor;
import dev.tokenauthority.authority.user.User;
import java.util.List;

/**
 * The SQL behind the user directory listing (by email). Keyset pages like {@link TokenSearch}: each
 * page continues strictly after the last row of the previous one, so rows added meanwhile are
 * neither repeated nor skipped.
 */
public final class DirectorySearch {

    private DirectorySearch() {}

    /** Users whose email contains {@code text} (null: all), after {@code cursor}, by normalized email then id. */
    public static List<User> users(Tx tx, String text, PageCursor cursor, int limit) {
        SqlConditions where = userConditions(text);
        if (cursor != null) {
            where.add("(email_normalized > :cursorSort OR (email_normalized = :cursorSort AND id > :cursorId))");
            where.bind("cursorSort", cursor.sortValue());
            where.bind("cursorId", cursor.id());
        }
        return where.bindTo(tx.createQuery("SELECT * FROM users" + where.where()
                + " ORDER BY email_normalized, id LIMIT :limit")).bind("limit", limit)
                .map(new Rows.UserMapper()).list();
    }

    public static long countUsers(Tx tx, String text) {
        SqlConditions where = userConditions(text);
        return where.bindTo(tx.createQuery("SELECT COUNT(*) FROM users" + where.where())).mapTo(Long.class).one();
    }

    private static SqlConditions userConditions(String text) {
        SqlConditions where = new SqlConditions();
        where.contains(text, "email_normalized");
        return where;
    }
}
