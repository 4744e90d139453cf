package dev.tokenauthority.authority.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenauthority.api.v1.IntrospectRequest;
import dev.tokenauthority.api.v1.RewrapSigningKeysRequest;
import dev.tokenauthority.api.v1.RewrapSigningKeysResponse;
import dev.tokenauthority.api.v1.RotateSigningKeyRequest;
import dev.tokenauthority.api.v1.TokenPair;
import dev.tokenauthority.authority.config.DemoData;
import dev.tokenauthority.authority.testing.AuthorityFixture;
import dev.tokenauthority.authority.testing.KeyMaterial;
import dev.tokenauthority.authority.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.jose4j.jwk.PublicJsonWebKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Private signing keys at rest: sealed under the key-encryption key in every row, bound to their
 * row, re-encrypted by RewrapSigningKeys for a KEK rotation, and plaintext rows from before V12
 * sealed at start-up. Run on H2 and on PostgreSQL.
 */
abstract class SigningKeysAtRestContract {

    protected abstract TestDatabase.Kind kind();

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeInReverse() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private <T extends AutoCloseable> T closing(T resource) {
        open.add(resource);
        return resource;
    }

    @Test
    void theSigningKeysRowHoldsNoPrivateKeyBytes() throws Exception {
        AuthorityFixture fx = closing(new AuthorityFixture(kind()));
        SigningKey key = fx.authority.signingKeys().current();

        String row = rowText(fx.database, key.kid());

        assertNoPrivateKeyIn(row, key);
        assertThat(column(fx.database, key.kid(), "private_key")).isNull();
        assertThat(column(fx.database, key.kid(), "kek_id")).isEqualTo(fx.keks.primary().id());
    }

    @Test
    void aCiphertextMovedToAnotherKeysRowFailsToOpenAndNamesThatKey() throws Exception {
        AuthorityFixture fx = closing(new AuthorityFixture(kind()));
        String oldKid = fx.authority.signingKeys().current().kid();
        String newKid = fx.keysAs(fx.loginAdmin().getAccessToken())
                .rotateSigningKey(RotateSigningKeyRequest.newBuilder().setReason("test").build()).getKid();

        execute(fx.database, """
                UPDATE signing_keys SET private_key_sealed =
                    (SELECT private_key_sealed FROM signing_keys WHERE kid = '%s') WHERE kid = '%s'
                """.formatted(oldKid, newKid));

        assertThatThrownBy(() -> fx.authority.signingKeys().reload())
                .isInstanceOf(KeyEncryptionException.class)
                .hasMessageContaining("signing key " + newKid)
                .hasMessageContaining("fails authentication");
    }

    @Test
    void aKekRotationRewrapsEveryKeySoTheNewKekAloneOpensThemAndTheOldAloneNoLonger() throws Exception {
        AuthorityFixture first = closing(new AuthorityFixture(kind()));
        KeyEncryptionKey a = first.keks.primary();
        KeyEncryptionKey b = KeyEncryptionKey.generate();
        TokenPair beforeRotation = first.login(AuthorityFixture.ALICE);
        String kid = first.authority.signingKeys().current().kid();

        AuthorityFixture rotating = closing(AuthorityFixture.reopen(first.database, KeyEncryptionKeys.of(b, a)));
        var keys = rotating.keysAs(rotating.loginAdmin().getAccessToken());
        RewrapSigningKeysResponse rewrapped = keys.rewrapSigningKeys(
                RewrapSigningKeysRequest.newBuilder().setReason("KEK rotation").build());
        RewrapSigningKeysResponse again = keys.rewrapSigningKeys(RewrapSigningKeysRequest.getDefaultInstance());

        assertThat(rewrapped.getRewrappedCount()).as("the signing key and the successor key").isEqualTo(2);
        assertThat(rewrapped.getKekId()).isEqualTo(b.id());
        assertThat(again.getRewrappedCount()).as("nothing left under the old KEK").isZero();
        assertThat(column(first.database, kid, "kek_id")).isEqualTo(b.id());
        assertThat(successorKeyColumn(first.database, "kek_id")).isEqualTo(b.id());
        assertThat(auditedRewraps(first.database)).containsExactly(b.id() + " KEK rotation", b.id() + " ");

        AuthorityFixture onlyB = closing(AuthorityFixture.reopen(first.database, KeyEncryptionKeys.of(b)));
        TokenPair afterRotation = onlyB.login(AuthorityFixture.ALICE);
        assertThat(introspect(onlyB, first.sidecarSecret, afterRotation.getAccessToken())).isTrue();
        assertThat(introspect(onlyB, first.sidecarSecret, beforeRotation.getAccessToken()))
                .as("a token signed before the rotation, by the same signing key").isTrue();

        assertThatThrownBy(() -> AuthorityFixture.reopen(first.database, KeyEncryptionKeys.of(a)))
                .isInstanceOf(KeyEncryptionException.class)
                .hasMessageContaining("signing key " + kid)
                .hasMessageContaining("sealed by key-encryption key " + b.id())
                .hasMessageContaining("tried " + a.id());
    }

    @Test
    void plaintextKeysFromBeforeV12AreSealedAtStartUpOnceAndStillSign() throws Exception {
        TestDatabase database = TestDatabase.create(kind());
        migrateUpTo(database, "10");
        KeyPair pair = Ed25519Keys.generate();
        PublicJsonWebKey jwk = Ed25519Keys.publicJwk(pair);
        String kid = jwk.getKeyId();
        try (Connection c = connect(database); PreparedStatement insert = c.prepareStatement(
                "INSERT INTO signing_keys (kid, alg, private_key, public_jwk, created_at) VALUES (?, ?, ?, ?, ?)")) {
            insert.setString(1, kid);
            insert.setString(2, Ed25519Keys.ALG);
            insert.setString(3, Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded()));
            insert.setString(4, Ed25519Keys.toPublicJson(jwk));
            insert.setObject(5, OffsetDateTime.ofInstant(Instant.now(), ZoneOffset.UTC));
            insert.executeUpdate();
        }
        AuthorityFixture fx = closing(new AuthorityFixture(database, dev.tokenauthority.authority.storage.Database::open));

        SigningKey key = fx.authority.signingKeys().current();
        assertThat(key.kid()).as("the key from before V12 is still the current one").isEqualTo(kid);
        assertThat(key.privateKey().getEncoded()).isEqualTo(pair.getPrivate().getEncoded());
        assertNoPrivateKeyIn(rowText(database, kid), key);
        assertThat(column(database, kid, "private_key")).isNull();
        assertThat(column(database, kid, "kek_id")).isEqualTo(fx.keks.primary().id());
        TokenPair alice = fx.login(AuthorityFixture.ALICE);
        assertThat(new String(Base64.getUrlDecoder().decode(alice.getAccessToken().split("\\.")[0]),
                StandardCharsets.UTF_8)).contains("\"kid\":\"" + kid + "\"");
        assertThat(introspect(fx, fx.sidecarSecret, alice.getAccessToken())).isTrue();

        String sealed = column(database, kid, "private_key_sealed");
        closing(AuthorityFixture.reopen(database, fx.keks));
        assertThat(column(database, kid, "private_key_sealed")).as("a second start seals nothing again")
                .isEqualTo(sealed);
    }

    @Test
    void theRefreshSuccessorKeyIsSealedTooAndAPlaintextOneFromBeforeV13IsSealedAtStartUp() throws Exception {
        TestDatabase database = TestDatabase.create(kind());
        migrateUpTo(database, "12");
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        String plaintext = Base64.getUrlEncoder().encodeToString(key);
        try (Connection c = connect(database); PreparedStatement insert = c.prepareStatement(
                "INSERT INTO refresh_successor_key (id, secret, created_at) VALUES (1, ?, ?)")) {
            insert.setString(1, plaintext);
            insert.setObject(2, OffsetDateTime.ofInstant(Instant.now(), ZoneOffset.UTC));
            insert.executeUpdate();
        }
        AuthorityFixture fx = closing(new AuthorityFixture(database, dev.tokenauthority.authority.storage.Database::open));

        assertThat(successorKeyColumn(database, "secret")).isNull();
        assertThat(successorKeyColumn(database, "kek_id")).isEqualTo(fx.keks.primary().id());
        String sealed = successorKeyColumn(database, "secret_sealed");
        for (String form : List.of(plaintext, Base64.getEncoder().encodeToString(key), hex(key))) {
            assertThat(sealed.toLowerCase(Locale.ROOT)).doesNotContain(form.toLowerCase(Locale.ROOT));
        }
        // The key opened is the key that was stored: a retry within the reuse grace derives the same successor.
        fx.setReuseGrace(DemoData.APP_CLIENT, java.time.Duration.ofSeconds(30));
        TokenPair first = fx.login(AuthorityFixture.ALICE);
        TokenPair rotated = refresh(fx, first);
        AuthorityFixture restarted = closing(AuthorityFixture.reopen(database, fx.keks));
        assertThat(refresh(restarted, first).getRefreshToken()).isEqualTo(rotated.getRefreshToken());
        assertThat(successorKeyColumn(database, "secret_sealed")).as("a second start seals nothing again")
                .isEqualTo(sealed);
    }

    private static TokenPair refresh(AuthorityFixture fx, TokenPair pair) {
        return fx.auth().refresh(dev.tokenauthority.api.v1.RefreshRequest.newBuilder().setClientId(DemoData.APP_CLIENT)
                .setRefreshToken(pair.getRefreshToken()).build());
    }

    private static String hex(byte[] bytes) {
        StringBuilder text = new StringBuilder();
        for (byte b : bytes) {
            text.append(String.format("%02x", b));
        }
        return text.toString();
    }

    private static String successorKeyColumn(TestDatabase database, String column) throws SQLException {
        try (Connection c = connect(database); Statement st = c.createStatement();
             ResultSet rows = st.executeQuery("SELECT " + column + " FROM refresh_successor_key WHERE id = 1")) {
            assertThat(rows.next()).isTrue();
            return rows.getString(1);
        }
    }

    @Test
    void twoReplicasStartingAtOnceOnPlaintextKeysBothOpenThemAndLeaveNoPlaintext() throws Exception {
        AuthorityFixture fx = closing(new AuthorityFixture(kind()));
        SigningKey key = fx.authority.signingKeys().current();
        execute(fx.database, """
                UPDATE signing_keys SET private_key = '%s', private_key_sealed = NULL, kek_id = NULL
                """.formatted(Base64.getEncoder().encodeToString(key.privateKey().getEncoded())));

        CyclicBarrier start = new CyclicBarrier(2);
        List<CompletableFuture<AuthorityFixture>> replicas = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            replicas.add(CompletableFuture.supplyAsync(() -> {
                try {
                    start.await(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                return AuthorityFixture.reopen(fx.database, fx.keks);
            }));
        }
        for (CompletableFuture<AuthorityFixture> replica : replicas) {
            AuthorityFixture started = closing(replica.get(60, TimeUnit.SECONDS));
            assertThat(started.authority.signingKeys().current().privateKey().getEncoded())
                    .isEqualTo(key.privateKey().getEncoded());
        }
        assertThat(column(fx.database, key.kid(), "private_key")).isNull();
        assertNoPrivateKeyIn(rowText(fx.database, key.kid()), key);
    }

    private static boolean introspect(AuthorityFixture fx, String sidecarSecret, String token) {
        return fx.auth().introspect(IntrospectRequest.newBuilder().setClientId(DemoData.SIDECAR_CLIENT)
                .setClientSecret(sidecarSecret).setToken(token).build()).getActive();
    }

    static void assertNoPrivateKeyIn(String text, SigningKey key) {
        String lowerCase = text.toLowerCase(Locale.ROOT);
        for (String form : KeyMaterial.privateKeyForms(key)) {
            assertThat(lowerCase).doesNotContain(form.toLowerCase(Locale.ROOT));
        }
    }

    /** The row's every column as text, as a dump of the table would show it. */
    private static String rowText(TestDatabase database, String kid) throws SQLException {
        try (Connection c = connect(database);
             PreparedStatement select = c.prepareStatement("SELECT * FROM signing_keys WHERE kid = ?")) {
            select.setString(1, kid);
            try (ResultSet rows = select.executeQuery()) {
                assertThat(rows.next()).isTrue();
                StringBuilder text = new StringBuilder();
                for (int i = 1; i <= rows.getMetaData().getColumnCount(); i++) {
                    text.append(rows.getString(i)).append('|');
                }
                return text.toString();
            }
        }
    }

    private static String column(TestDatabase database, String kid, String column) throws SQLException {
        try (Connection c = connect(database);
             PreparedStatement select = c.prepareStatement("SELECT " + column + " FROM signing_keys WHERE kid = ?")) {
            select.setString(1, kid);
            try (ResultSet rows = select.executeQuery()) {
                assertThat(rows.next()).isTrue();
                return rows.getString(1);
            }
        }
    }

    private static List<String> auditedRewraps(TestDatabase database) throws SQLException {
        try (Connection c = connect(database); Statement st = c.createStatement();
             ResultSet rows = st.executeQuery("SELECT target_id, reason FROM audit_events"
                     + " WHERE action = 'signing_key.rewrap' AND target_type = 'key_encryption_key' ORDER BY id")) {
            List<String> events = new ArrayList<>();
            while (rows.next()) {
                events.add(rows.getString(1) + " " + rows.getString(2));
            }
            return events;
        }
    }

    private static void execute(TestDatabase database, String sql) throws SQLException {
        try (Connection c = connect(database); Statement st = c.createStatement()) {
            st.executeUpdate(sql);
        }
    }

    private static Connection connect(TestDatabase database) throws SQLException {
        return DriverManager.getConnection(database.url(), database.user(), database.password());
    }

    /** The schema as an authority from before V12 left it. */
    private static void migrateUpTo(TestDatabase database, String version) {
        Flyway.configure()
                .dataSource(database.url(), database.user(), database.password())
                .locations("classpath:db/migration",
                        "classpath:db/vendor/" + database.kind().name().toLowerCase(Locale.ROOT))
                .target(version)
                .load()
                .migrate();
    }
}
