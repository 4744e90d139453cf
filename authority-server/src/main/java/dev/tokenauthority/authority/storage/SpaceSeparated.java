package dev.tokenauthority.authority.storage;

import java.util.Arrays;
import java.util.List;

/** Lists of names (roles, scopes, audiences, permissions) stored as one space-separated column. */
public final class SpaceSeparated {

    private SpaceSeparated() {}

    public static String join(List<String> values) {
        return String.join(" ", values);
    }

    public static List<String> split(String column) {
        if (column == null || column.isBlank()) {
            return List.of();
        }
        return Arrays.stream(column.trim().split(" +")).toList();
    }
}
