package dev.tokenauthority.authority;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/** Lists of names (roles, scopes, audiences, permissions) stored as one space-separated column. */
public final class SpaceSeparated {

    /** Compiled once: String.split compiles a multi-character pattern on every call, six times per refresh. */
    private static final Pattern SPACES = Pattern.compile(" +");

    private SpaceSeparated() {}

    public static String join(List<String> values) {
        return String.join(" ", values);
    }

    public static List<String> split(String column) {
        if (column == null || column.isBlank()) {
            return List.of();
        }
        return Arrays.stream(SPACES.split(column.trim())).toList();
    }
}
