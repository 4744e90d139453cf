package dev.tokenauthority.sidecar.validation;

import dev.tokenauthority.sidecar.jose.JwkSet;
import dev.tokenauthority.sidecar.jose.VerificationKey;
import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Tokens whose signature and format were verified, keyed by the exact token string.
 *
 * <p><b>Why the string itself is the key.</b> A hit must be exactly as trustworthy as a verification. Keying by a
 * hash would need a collision-resistant one (SHA-256 of a ~600-byte token costs about as much as the rest of a hit),
 * while {@link String#equals} on the stored token confirms the match with no collision risk at all, and the
 * hash that picks the bucket is only a hint. Flooding with colliding hash codes is limited to tokens the authority
 * signed (nothing else is ever inserted), and {@link ConcurrentHashMap} turns long bins into trees. The cost is
 * memory: the token text (~600 bytes) plus ~100 bytes of entry per cached token.
 *
 * <p><b>Why the hint covers only the token's end.</b> Every request deserialises the token into a new String, so
 * {@code String.hashCode} would run over all ~600 characters on every hit (no cached hash to reuse): in a profile of
 * Validate that was a third of the handler's time. The last {@value #HASHED_TAIL} characters are the end of the
 * signature, which differs unpredictably between any two tokens the authority signed, so they spread the entries as
 * well as the whole text would.
 *
 * <p><b>Bounds.</b> At most about {@code capacity} entries. When an insert finds the map over capacity, one thread
 * (the others skip) drops expired entries and then arbitrary ones until 90% full; {@link ConcurrentHashMap}
 * iteration order follows hash bins, so this approximates random eviction, which is adequate for a cache whose
 * entries all die within the token lifetime anyway. Expired entries are also dropped when a hit finds them.
 *
 * <p><b>Invalidation.</b> An entry remembers the {@link VerificationKey} object that verified it; the validator treats
 * it as a miss unless the current JWK set still maps the kid to that same object, so a new set that removes (or
 * changes) a key also retires every cached token it signed. A new set carries unchanged keys over as the same objects
 * ({@link JwkSet#keepingUnchanged}), so their tokens keep hitting.
 */
final class VerifiedTokenCache {

    /** Share of the capacity kept after an eviction pass, in percent: leaves room for many inserts per pass. */
    static final int EVICT_TO_PERCENT = 90;

    private final int capacity;
    /** Characters at the end of a token that its bucket is chosen by. */
    static final int HASHED_TAIL = 32;

    private final ConcurrentHashMap<Key, CachedToken> entries;
    private final AtomicBoolean evicting = new AtomicBoolean();
    /** Striped, so that counting costs a hit no contended write. */
    private final LongAdder hits = new LongAdder();

    VerifiedTokenCache(int capacity) {
        this.capacity = capacity;
        this.entries = new ConcurrentHashMap<>(Math.min(capacity, 1 << 16));
    }

    /** The entry for exactly this token, or null. */
    CachedToken get(String token) {
        return entries.get(new Key(token));
    }

    /** Counts a lookup that found a still-valid entry and so skipped verification. */
    void recordHit() {
        hits.increment();
    }

    /** Lookups answered from the cache since it was created. */
    long hitCount() {
        return hits.sum();
    }

    /** Caches a verified token, evicting first if the cache is full. */
    void put(String token, CachedToken entry, long nowMillis) {
        if (capacity == 0) {
            return;
        }
        if (entries.size() >= capacity) {
            evict(nowMillis);
        }
        entries.put(new Key(token), entry);
    }

    /** Removes the entry if it is still the one mapped to {@code token}. */
    void remove(String token, CachedToken entry) {
        entries.remove(new Key(token), entry);
    }

    int size() {
        return entries.size();
    }

    private void evict(long nowMillis) {
        if (!evicting.compareAndSet(false, true)) {
            return; // another thread is evicting; going briefly over capacity is harmless
        }
        try {
            entries.values().removeIf(cached -> nowMillis >= cached.expiredAtMillis);
            long target = (long) capacity * EVICT_TO_PERCENT / 100;
            Iterator<CachedToken> iterator = entries.values().iterator();
            while (entries.size() > target && iterator.hasNext()) {
                iterator.next();
                iterator.remove();
            }
        } finally {
            evicting.set(false);
        }
    }

    /** A token as a map key: equal only to the same text, hashed by its tail. */
    private static final class Key {
        private final String token;
        private final int hash;

        Key(String token) {
            this.token = token;
            int h = token.length();
            for (int i = Math.max(0, token.length() - HASHED_TAIL); i < token.length(); i++) {
                h = 31 * h + token.charAt(i);
            }
            this.hash = h;
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && key.hash == hash && key.token.equals(token);
        }
    }
}
