package dev.tokenauthority.authority.storage;

import java.util.ArrayList;
import java.util.List;

/** Splits a long list of ids for {@code IN (<ids>)}: each part well under every database's parameter limit. */
public final class InLists {

    public static final int SIZE = 500;

    private InLists() {}

    public static <T> List<List<T>> of(List<T> ids) {
        List<List<T>> parts = new ArrayList<>();
        for (int from = 0; from < ids.size(); from += SIZE) {
            parts.add(ids.subList(from, Math.min(ids.size(), from + SIZE)));
        }
        return parts;
    }
}
