package dev.tokenauthority.authority.keys;

import dev.tokenauthority.authority.AuthorityException;
import dev.tokenauthority.authority.Transaction;
import dev.tokenauthority.authority.Transactions;
import dev.tokenauthority.authority.audit.AuditLog;
import dev.tokenauthority.authority.audit.CallContext;
import dev.tokenauthority.authority.keys.SigningKeyStore.SigningKeyRow;
import dev.tokenauthority.authority.token.RevocationKind;
import dev.tokenauthority.authority.token.RevocationLog;
import dev.tokenauthority.authority.token.TokenPolicy;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jose4j.jwk.PublicJsonWebKey;

/**
 * The authority's signing keys: the current one signs, every key whose tokens may still be alive
 * is published. A retired key stays published until the last token it signed has expired
 * (retired_at + max access-token lifetime + skew), or until an admin revokes it. Readers use an
 * immutable snapshot swapped on every change; replicas sharing a database pick up each other's
 * changes via {@link #reload()}.
 *
 * <p>Every change of the published set is a SIGNING_KEYS entry on the revocation log, carrying
 * the whole new set, in the transaction that makes the change: a rotation, a revocation (with its
 * audit event), and the end of a retired key's publication window ({@link #withdrawExpiredKeys},
 * run by housekeeping). A sidecar replaces its set with each entry, so a key leaves every sidecar
 * within one feed event. The newest such entry never expires from the log (earlier ones do once
 * superseded), so a sidecar that resumes after a long disconnection still receives the last set.
 *
 * <p>Private keys are stored sealed under the primary key-encryption key ({@link KeyEncryptionKeys})
 * and opened with whichever configured KEK sealed them; a key none opens stops the start-up (or
 * the reload) with a {@link KeyEncryptionException} naming the kid and the KEK ids tried.
 */
public final class SigningKeys {

    private final Transactions transactor;
    private final RevocationLog revocationLog;
    private final AuditLog auditLog;
    private final TokenPolicy policy;
    private final Clock clock;
    private final KeyEncryptionKeys keks;
    /** At most one database reload per this interval is triggered by unknown kids (anyone can send one). */
    private static final long UNKNOWN_KID_RELOAD_INTERVAL_MILLIS = 1000;
    /** Expiry of the newest SIGNING_KEYS log entry: never compacted until a newer one supersedes it. */
    private static final Instant LATEST_KEY_SET_EXPIRY = Instant.parse("9999-12-31T00:00:00Z");

    private volatile KeyRing ring = new KeyRing(List.of());
    private final AtomicLong lastUnknownKidReload = new AtomicLong(Long.MIN_VALUE / 2);
    /** Set when the feed publishes a key-set change, perhaps another replica's; the next lookup reloads. */
    private final AtomicBoolean changed = new AtomicBoolean();

    public SigningKeys(Transactions transactor, RevocationLog revocationLog, AuditLog auditLog, TokenPolicy policy,
            KeyEncryptionKeys keks, Clock clock) {
        this.transactor = transactor;
        this.keks = keks;
        this.revocationLog = revocationLog;
        this.auditLog = auditLog;
        this.policy = policy;
        this.clock = clock;
    }

    /**
     * Seals any plaintext private key left from before V12, then loads the keys, creating the first
     * one on an empty database.
     *
     * @throws KeyEncryptionException when a stored key cannot be opened with the configured KEKs
     */
    public void initialize() {
        transactor.useTransaction(tx -> {
            SigningKeyStore stored = tx.store(SigningKeyStore.class);
            stored.lockAuthorityState();
            SigningKeyRewrap.sealPlaintext(tx, keks);
            if (stored.findAll().stream().noneMatch(row -> row.retiredAt() == null)) {
                createKey(tx, clock.instant());
            }
        });
        reload();
    }

    /** Rotates to a new key now; the previous one is retired but stays published. */
    public SigningKey rotate(CallContext context, String reason) {
        Instant now = clock.instant();
        String kid = transactor.inTransaction(tx -> {
            tx.store(SigningKeyStore.class).lockAuthorityState();
            String newKid = createKey(tx, now);
            appendKeySet(tx, newKid, now);
            auditLog.record(tx, context, now, "signing_key.rotate", "signing_key", newKid, reason, Map.of());
            return newKid;
        });
        reload();
        return ring.byKid.get(kid);
    }

    /**
     * Revokes a retired key now: it is no longer published, the authority no longer verifies its
     * tokens, and the revocation log carries the new set to every sidecar. Revoking a revoked key
     * changes nothing (no log entry, no audit event) and returns it as it is.
     *
     * @throws AuthorityException NOT_FOUND for an unknown kid; FAILED_PRECONDITION for the current
     *     key, which must be rotated out first
     */
    public SigningKey revoke(CallContext context, String kid, String reason) {
        Instant now = clock.instant();
        transactor.useTransaction(tx -> {
            SigningKeyStore stored = tx.store(SigningKeyStore.class);
            stored.lockAuthorityState();
            SigningKeyRow row = stored.find(kid).orElseThrow(() -> AuthorityException.notFound("signing key", kid));
            if (row.retiredAt() == null) {
                throw AuthorityException.failedPrecondition("signing key " + kid
                        + " is the current key and still signs every new token: rotate first (RotateSigningKey),"
                        + " then revoke it");
            }
            if (row.revokedAt() == null) {
                stored.revoke(kid, now);
                appendKeySet(tx, kid, now);
                auditLog.record(tx, context, now, "signing_key.revoke", "signing_key", kid, reason, Map.of());
            }
        });
        reload();
        return ring.byKid.get(kid);
    }

    /**
     * Announces the end of every retired key's publication window that has passed and was not
     * announced yet (by this replica or another), as one SIGNING_KEYS entry with the set that is
     * now published; returns whether there was one. Run periodically by housekeeping.
     */
    public boolean withdrawExpiredKeys() {
        Instant now = clock.instant();
        boolean withdrew = transactor.inTransaction(tx -> {
            SigningKeyStore stored = tx.store(SigningKeyStore.class);
            stored.lockAuthorityState();
            List<SigningKeyRow> due = stored.findAll().stream()
                    .filter(row -> row.retiredAt() != null && row.withdrawnAt() == null
                            && !policy.revocationHorizon(row.retiredAt()).isAfter(now))
                    .toList();
            if (due.isEmpty()) {
                return false;
            }
            due.forEach(row -> stored.markWithdrawn(row.kid(), now));
            appendKeySet(tx, due.get(0).kid(), now);
            return true;
        });
        if (withdrew) {
            reload();
        }
        return withdrew;
    }

    /** The longest access-token lifetime this authority issues; sidecars refuse tokens claiming more. */
    public Duration maxAccessTokenLifetime() {
        return policy.maxAccessTokenTtl();
    }

    /** Appends the set published from now on; earlier SIGNING_KEYS entries may then be compacted. */
    private void appendKeySet(Transaction tx, String subject, Instant now) {
        tx.store(SigningKeyStore.class).supersedeKeySetEntries(policy.revocationHorizon(now));
        revocationLog.append(tx, now, RevocationKind.SIGNING_KEYS, subject, now, LATEST_KEY_SET_EXPIRY,
                jwksJson(loadRing(tx), now));
    }

    /** Rotates when the current key is older than the policy allows; returns whether it did. */
    public boolean rotateIfDue(CallContext context) {
        SigningKey current = current();
        if (current.createdAt().plus(policy.signingKeyMaxAge()).isAfter(clock.instant())) {
            return false;
        }
        rotate(context, "automatic rotation: key older than " + policy.signingKeyMaxAge());
        return true;
    }

    private boolean mayReloadForUnknownKid() {
        long now = clock.millis();
        long last = lastUnknownKidReload.get();
        return now - last >= UNKNOWN_KID_RELOAD_INTERVAL_MILLIS && lastUnknownKidReload.compareAndSet(last, now);
    }

    /**
     * Called for every SIGNING_KEYS entry the revocation feed publishes (from any replica): a key
     * revoked elsewhere must stop verifying here before the next periodic reload. Only sets a
     * flag: the feed's publishing thread may hold a database connection and must not block.
     */
    public void keySetChanged() {
        changed.set(true);
    }

    private void reloadIfChanged() {
        if (changed.compareAndSet(true, false)) {
            try {
                reload();
            } catch (RuntimeException e) {
                changed.set(true);
                throw e;
            }
        }
    }

    public void reload() {
        ring = transactor.read(this::loadRing);
    }

    public SigningKey current() {
        return ring.current().orElseThrow(() -> new IllegalStateException("no current signing key"));
    }

    /**
     * A published key by kid. An unknown kid may come from a rotation on another replica, so it
     * triggers a reload from the database, but at most once a second: kids are attacker-controlled.
     */
    public Optional<SigningKey> find(String kid) {
        reloadIfChanged();
        SigningKey key = ring.byKid.get(kid);
        if (key == null && mayReloadForUnknownKid()) {
            reload();
            key = ring.byKid.get(kid);
        }
        return Optional.ofNullable(key).filter(k -> isPublished(k, clock.instant()));
    }

    /** How long ago the current key was created (what {@code --signing-key-max-age} bounds); empty before there is one. */
    public Optional<Duration> currentKeyAge() {
        return ring.current().map(key -> Duration.between(key.createdAt(), clock.instant()));
    }

    /** Every key whose tokens may still be alive, newest first. */
    public List<SigningKey> published() {
        reloadIfChanged();
        Instant now = clock.instant();
        return ring.keys.stream().filter(k -> isPublished(k, now)).toList();
    }

    /**
     * How long until the first published key leaves the set on schedule, at the end of the earliest retired key's
     * publication window (zero when that is due); empty while only the current key is published. A rotation only
     * adds a key, and an admin's revocation of a retired key cannot be foreseen.
     */
    public Optional<Duration> untilNextScheduledWithdrawal() {
        Instant now = clock.instant();
        return published().stream()
                .filter(key -> !key.isCurrent())
                .map(key -> Duration.between(now, policy.revocationHorizon(key.retiredAt())))
                .min(Duration::compareTo)
                .map(left -> left.isNegative() ? Duration.ZERO : left);
    }

    public String jwksJson() {
        reloadIfChanged();
        return jwksJson(ring, clock.instant());
    }

    private String jwksJson(KeyRing keys, Instant now) {
        return keys.keys.stream()
                .filter(k -> isPublished(k, now))
                .map(SigningKey::publicJwkJson)
                .collect(Collectors.joining(",", "{\"keys\":[", "]}"));
    }

    private boolean isPublished(SigningKey key, Instant now) {
        return !key.isRevoked() && (key.isCurrent() || policy.revocationHorizon(key.retiredAt()).isAfter(now));
    }

    private String createKey(Transaction tx, Instant now) {
        KeyPair pair = Ed25519Keys.generate();
        PublicJsonWebKey jwk = Ed25519Keys.publicJwk(pair);
        SigningKeyStore stored = tx.store(SigningKeyStore.class);
        KeyEncryptionKeys.Sealed sealed = keks.seal(jwk.getKeyId(), pair.getPrivate().getEncoded());
        stored.insert(jwk.getKeyId(), Ed25519Keys.ALG, sealed.ciphertext(), sealed.kekId(), Ed25519Keys.toPublicJson(jwk),
                now);
        stored.retireAllExcept(jwk.getKeyId(), now);
        return jwk.getKeyId();
    }

    private KeyRing loadRing(Transaction tx) {
        return new KeyRing(tx.store(SigningKeyStore.class).findAll().stream().map(this::toKey).toList());
    }

    private SigningKey toKey(SigningKeyRow row) {
        var jwk = Ed25519Keys.parsePublicJwk(row.publicJwk());
        if (!keks.canOpen()) {
            // A feed-only replica: it publishes and verifies, never signs, so the sealed half stays shut.
            return new SigningKey(row.kid(), row.alg(), null, jwk.getPublicKey(), row.publicJwk(), row.createdAt(),
                    row.retiredAt(), row.revokedAt(), null);
        }
        PrivateKey privateKey = Ed25519Keys.decodePrivate(SigningKeyRewrap.privateKeyOf(row, keks));
        return new SigningKey(row.kid(), row.alg(), privateKey, jwk.getPublicKey(), row.publicJwk(), row.createdAt(),
                row.retiredAt(), row.revokedAt(), Ed25519Keys.signingParameters(privateKey));
    }

    /** An immutable view of the keys at one moment. */
    private record KeyRing(List<SigningKey> keys, Map<String, SigningKey> byKid) {
        KeyRing(List<SigningKey> keys) {
            this(keys, keys.stream().collect(Collectors.toUnmodifiableMap(SigningKey::kid, Function.identity())));
        }

        Optional<SigningKey> current() {
            return keys.stream().filter(SigningKey::isCurrent).findFirst();
        }
    }
}
