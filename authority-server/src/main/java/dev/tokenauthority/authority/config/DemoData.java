package dev.tokenauthority.authority.config;

import dev.tokenauthority.authority.Transaction;
import dev.tokenauthority.authority.client.Client;
import dev.tokenauthority.authority.client.ClientRegistration;
import dev.tokenauthority.authority.client.ClientStore;
import dev.tokenauthority.authority.server.Authority;
import dev.tokenauthority.authority.user.User;
import dev.tokenauthority.authority.user.UserStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * The demo data {@code --demo} seeds: a public client {@code demo-app} (audience {@code demo-api},
 * scopes {@code read write}), a confidential client {@code demo-sidecar} allowed to subscribe to
 * the revocation feed (its secret written to {@code <data-dir>/demo-sidecar.secret}), users alice
 * and bob, and an admin. Seeding again changes nothing, and the secret file stays valid.
 */
public final class DemoData {

    public static final String APP_CLIENT = "demo-app";
    public static final String SIDECAR_CLIENT = "demo-sidecar";
    public static final String AUDIENCE = "demo-api";
    public static final String USER_PASSWORD = "demo-password";
    public static final String ADMIN_EMAIL = "admin@example.com";
    public static final String ADMIN_PASSWORD = "demo-admin-password";
    public static final List<String> USERS = List.of("alice@example.com", "bob@example.com");
    public static final String SECRET_FILE = "demo-sidecar.secret";

    private DemoData() {}

    /** Seeds what is missing and returns the path of the sidecar's secret file. */
    public static Path seed(Authority authority, Path dataDir, Clock clock) {
        Path secretFile = dataDir.resolve(SECRET_FILE);
        boolean secretFileExists = Files.exists(secretFile);
        Optional<String> newSecret = authority.transactor().inTransaction(tx -> {
            Optional<String> secret = seedClients(tx, authority.clientRegistration(), secretFileExists, clock);
            for (String email : USERS) {
                seedUser(tx, authority, email, USER_PASSWORD, List.of(), clock);
            }
            seedUser(tx, authority, ADMIN_EMAIL, ADMIN_PASSWORD, List.of("admin"), clock);
            return secret;
        });
        // Written after the commit, so the file never holds a secret the database does not know.
        newSecret.ifPresent(secret -> writeSecret(secretFile, secret));
        return secretFile;
    }

    /** Registers the clients that are missing; returns the sidecar's new secret if one was made. */
    private static Optional<String> seedClients(Transaction tx, ClientRegistration registration, boolean secretFileExists,
            Clock clock) {
        ClientStore clients = tx.store(ClientStore.class);
        if (clients.findById(APP_CLIENT).isEmpty()) {
            registration.register(tx, new ClientRegistration.Spec(APP_CLIENT, "Demo application", false,
                    List.of(AUDIENCE), List.of("read", "write"), List.of()), clock.instant());
        }
        if (clients.findById(SIDECAR_CLIENT).isEmpty()) {
            return Optional.of(registration.register(tx, new ClientRegistration.Spec(SIDECAR_CLIENT,
                    "Demo validator sidecar", true, List.of(AUDIENCE), List.of(), List.of(Client.SUBSCRIBE_FEED)),
                    clock.instant()).secret());
        }
        if (!secretFileExists) {
            // The database was seeded with another data directory: issue a new secret for this one.
            return Optional.of(registration.rotateSecret(tx, SIDECAR_CLIENT, clock.instant()));
        }
        return Optional.empty();
    }

    private static void seedUser(Transaction tx, Authority authority, String email, String password, List<String> roles,
            Clock clock) {
        if (tx.store(UserStore.class).findByEmail(User.normalizeEmail(email)).isEmpty()) {
            authority.userAccounts().create(tx, email, password, roles, clock.instant());
        }
    }

    private static void writeSecret(Path file, String secret) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path temp = Files.createTempFile(file.toAbsolutePath().getParent(), ".secret", ".tmp");
            try {
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // best effort on non-POSIX file systems
            }
            Files.writeString(temp, secret + System.lineSeparator());
            Files.move(temp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
