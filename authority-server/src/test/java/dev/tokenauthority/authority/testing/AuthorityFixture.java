package dev.tokenauthority.authority.testing;

import dev.tokenauthority.api.v1.AdminServiceGrpc;
import dev.tokenauthority.api.v1.AuthServiceGrpc;
import dev.tokenauthority.api.v1.IssueTokensRequest;
import dev.tokenauthority.api.v1.KeyServiceGrpc;
import dev.tokenauthority.api.v1.LoginRequest;
import dev.tokenauthority.api.v1.TokenPair;
import dev.tokenauthority.authority.access.AdminAccess;
import dev.tokenauthority.authority.client.Client;
import dev.tokenauthority.authority.client.ClientRegistration;
import dev.tokenauthority.authority.config.DemoData;
import dev.tokenauthority.authority.crypto.PasswordHasher;
import dev.tokenauthority.authority.crypto.Secrets;
import dev.tokenauthority.authority.keys.KeyEncryptionKey;
import dev.tokenauthority.authority.keys.KeyEncryptionKeys;
import dev.tokenauthority.authority.login.LoginLimits;
import dev.tokenauthority.authority.server.Authority;
import dev.tokenauthority.authority.server.AuthorityServer;
import dev.tokenauthority.authority.storage.Database;
import dev.tokenauthority.authority.token.TokenPolicy;
import dev.tokenauthority.authority.user.User;
import dev.tokenauthority.authority.user.UserStore;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A whole authority on a fresh database behind an in-process gRPC server, with the demo data,
 * a confidential {@code backend} client holding tokens:issue, a controllable clock and a cheap
 * password hash (the production cost is tested on its own).
 */
public final class AuthorityFixture implements AutoCloseable {

    public static final String ISSUER = "https://authority.test";
    public static final String BACKEND_CLIENT = "backend";
    public static final String OTHER_PUBLIC_CLIENT = "other-app";
    public static final String ALICE = "alice@example.com";
    public static final String BOB = "bob@example.com";

    public final MutableClock clock = MutableClock.startingNow();
    /** The key-encryption keys sealing this authority's signing keys; another replica on the database needs them. */
    public final KeyEncryptionKeys keks;
    public final TestDatabase database;
    public final Database db;
    public final Authority authority;
    public final String sidecarSecret;
    public final String backendSecret;
    private final AuthorityServer server;
    private final ManagedChannel channel;
    private final Path dataDir;
    /** Whether closing the fixture drops the database: not for one reopened on a database another fixture made. */
    private final boolean ownsDatabase;

    public AuthorityFixture(TestDatabase.Kind kind) {
        this(TestDatabase.create(kind), Database::open);
    }

    /**
     * Another authority on the database a first fixture made and seeded (a restart, or a second replica),
     * sealing and opening its signing keys with {@code keks}; it seeds nothing ({@link #sidecarSecret} and
     * {@link #backendSecret} are null) and closing it leaves the database to the first.
     */
    public static AuthorityFixture reopen(TestDatabase database, KeyEncryptionKeys keks) {
        return new AuthorityFixture(database, Database::open, new PasswordHasher(1024, 1), keks, false, ISSUER);
    }

    /** An authority whose tokens name {@code issuer}: the URL its web port is reached at, for discovery. */
    public static AuthorityFixture withIssuer(TestDatabase.Kind kind, String issuer) {
        return new AuthorityFixture(TestDatabase.create(kind), Database::open, new PasswordHasher(1024, 1),
                KeyEncryptionKeys.of(KeyEncryptionKey.generate()), true, issuer);
    }

    /** How the fixture opens the database; a test may route it through a proxy. */
    public interface DatabaseOpener {
        Database open(String url, String user, String password, int poolSize);
    }

    public AuthorityFixture(TestDatabase database, DatabaseOpener opener) {
        this(database, opener, new PasswordHasher(1024, 1));
    }

    /** With a password hasher of the test's (one that counts its verifications, say). */
    public AuthorityFixture(TestDatabase database, DatabaseOpener opener, PasswordHasher passwords) {
        this(database, opener, passwords, KeyEncryptionKeys.of(KeyEncryptionKey.generate()), true, ISSUER);
    }

    private AuthorityFixture(TestDatabase database, DatabaseOpener opener, PasswordHasher passwords,
            KeyEncryptionKeys keks, boolean seed, String issuer) {
        this.database = database;
        this.keks = keks;
        this.ownsDatabase = seed;
        this.db = opener.open(database.url(), database.user(), database.password(), 8);
        this.authority = new Authority(db, TokenPolicy.withIssuer(issuer), keks, passwords, LoginLimits.DEFAULTS,
                clock);
        try {
            authority.start();
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
        try {
            dataDir = Files.createTempDirectory("authority-test");
            sidecarSecret = seed ? Files.readString(DemoData.seed(authority, dataDir, clock)).trim() : null;
            backendSecret = !seed ? null : authority.transactor().inTransaction(h -> {
                authority.clientRegistration().register(h, new ClientRegistration.Spec(OTHER_PUBLIC_CLIENT,
                        "Another app", false, List.of(DemoData.AUDIENCE), List.of("read"), List.of()), clock.instant());
                return authority.clientRegistration().register(h, new ClientRegistration.Spec(BACKEND_CLIENT,
                        "Trusted backend", true, List.of(DemoData.AUDIENCE), List.of("read", "write"),
                        List.of(Client.ISSUE_TOKENS)), clock.instant()).secret();
            });
            String name = InProcessServerBuilder.generateName();
            server = new AuthorityServer(InProcessServerBuilder.forName(name).directExecutor(), authority).start();
            channel = InProcessChannelBuilder.forName(name).directExecutor().build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public ManagedChannel channel() {
        return channel;
    }

    public AuthServiceGrpc.AuthServiceBlockingStub auth() {
        return AuthServiceGrpc.newBlockingStub(channel);
    }

    public KeyServiceGrpc.KeyServiceBlockingStub keys() {
        return KeyServiceGrpc.newBlockingStub(channel);
    }

    public AdminServiceGrpc.AdminServiceBlockingStub admin(String accessToken) {
        return AdminServiceGrpc.newBlockingStub(channel).withInterceptors(bearer(accessToken));
    }

    public KeyServiceGrpc.KeyServiceBlockingStub keysAs(String accessToken) {
        return KeyServiceGrpc.newBlockingStub(channel).withInterceptors(bearer(accessToken));
    }

    public static io.grpc.ClientInterceptor bearer(String accessToken) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + accessToken);
        return MetadataUtils.newAttachHeadersInterceptor(headers);
    }

    /** Logs in to the public demo app. */
    public TokenPair login(String email) {
        return loginTo(DemoData.APP_CLIENT, email);
    }

    /** Logs the user (the demo admin, or one with the demo users' password) in to a public client. */
    public TokenPair loginTo(String clientId, String email) {
        String password = email.equals(DemoData.ADMIN_EMAIL) ? DemoData.ADMIN_PASSWORD : DemoData.USER_PASSWORD;
        return auth().login(LoginRequest.newBuilder()
                .setClientId(clientId)
                .setUsername(email)
                .setPassword(password)
                .build());
    }

    /**
     * Issues a token pair to the user through the trusted backend client (IssueTokens): no password
     * hash on the way, so a test can make thousands of sessions.
     */
    public TokenPair issueTo(String userId) {
        return auth().issueTokens(IssueTokensRequest.newBuilder().setClientId(BACKEND_CLIENT)
                .setClientSecret(backendSecret).setUserId(userId).build());
    }

    /** Logs the demo administrator in to {@code admin-cli}: an admin token (audience token-authority-admin). */
    public TokenPair loginAdmin() {
        return loginAdmin(DemoData.ADMIN_EMAIL);
    }

    /** An admin token of a new user holding only {@code role} (viewer, operator, admin). */
    public String adminTokenOfRole(String role) {
        String email = role + "-" + Secrets.newId("") + "@example.com";
        createUser(email, List.of(role));
        return loginAdmin(email).getAccessToken();
    }

    /** An admin token for the user, with every admin scope their roles grant. */
    public TokenPair loginAdmin(String email) {
        return loginTo(AdminAccess.CLI_CLIENT, email);
    }

    public User user(String email) {
        return authority.transactor().read(h -> h.store(UserStore.class).findByEmail(User.normalizeEmail(email)))
                .orElseThrow();
    }

    public User createUser(String email, List<String> roles) {
        return authority.transactor().inTransaction(
                h -> authority.userAccounts().create(h, email, DemoData.USER_PASSWORD, roles, clock.instant()));
    }

    /** Changes a client's reuse grace directly in the store (the admin API comes later). */
    public void setReuseGrace(String clientId, Duration grace) {
        authority.transactor().useTransaction(h -> h.store(dev.tokenauthority.authority.client.ClientStore.class)
                .updateReuseGrace(clientId, grace.toSeconds(), clock.instant()));
    }

    @Override
    public void close() throws Exception {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.stop(java.time.Duration.ofSeconds(1));
        authority.close();
        db.close();
        if (ownsDatabase) {
            database.close();
        }
    }
}
