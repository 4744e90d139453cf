package dev.tokenauthority.authority.listing;

/** A column a listing can be sorted by, by the name clients use (storage knows the expression behind it). */
public interface SortColumn {

    /** The name in {@code order_by}, e.g. {@code expires_at}: the enum constant's name in lower case. */
    default String label() {
        return ((Enum<?>) this).name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Whether the values are timestamps (bound as instants in page cursors). */
    boolean isTime();
}
