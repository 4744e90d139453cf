package dev.tokenauthority.authority.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenauthority.authority.AuthorityException;
import dev.tokenauthority.authority.client.Client;
import dev.tokenauthority.authority.client.ClientAuthenticator;
import dev.tokenauthority.authority.client.ClientStore;
import dev.tokenauthority.authority.crypto.PasswordHasher;
import dev.tokenauthority.authority.keys.KeyEncryptionKey;
import dev.tokenauthority.authority.keys.KeyEncryptionKeys;
import dev.tokenauthority.authority.login.LoginLimits;
import dev.tokenauthority.authority.server.Authority;
import dev.tokenauthority.authority.storage.Database;
import dev.tokenauthority.authority.testing.MutableClock;
import dev.tokenauthority.authority.testing.TestDatabase;
import dev.tokenauthority.authority.token.TokenPolicy;
import dev.tokenauthority.authority.user.User;
import dev.tokenauthority.authority.user.UserStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --demo} seeding on H2: idempotent, and the secret file always holds a secret the database accepts. */
class DemoDataTest {

    private final MutableClock clock = MutableClock.startingNow();
    private TestDatabase database;
    private Database db;
    private Authority authority;
    private ClientAuthenticator clients;

    @TempDir
    Path dataDir;

    @BeforeEach
    void start() {
        database = TestDatabase.h2();
        db = Database.open(database.url(), database.user(), database.password(), 4);
        authority = new Authority(db, TokenPolicy.withIssuer("https://authority.test"),
                KeyEncryptionKeys.of(KeyEncryptionKey.generate()), new PasswordHasher(1024, 1), LoginLimits.DEFAULTS,
                clock);
        authority.start();
        clients = new ClientAuthenticator(authority.transactor());
    }

    @AfterEach
    void stop() {
        authority.close();
        db.close();
        database.close();
    }

    private record Seeded(Client app, Client sidecar, List<User> users, long userCount) {}

    private Seeded seeded() {
        return authority.transactor().read(h -> {
            ClientStore clientDao = h.store(ClientStore.class);
            UserStore userDao = h.store(UserStore.class);
            List<User> users = new ArrayList<>();
            for (String email : List.of("alice@example.com", "bob@example.com", DemoData.ADMIN_EMAIL)) {
                users.add(userDao.findByEmail(User.normalizeEmail(email)).orElseThrow());
            }
            return new Seeded(clientDao.findById(DemoData.APP_CLIENT).orElseThrow(),
                    clientDao.findById(DemoData.SIDECAR_CLIENT).orElseThrow(), users, userDao.count());
        });
    }

    private static String secretIn(Path file) throws IOException {
        return Files.readString(file).strip();
    }

    @Test
    void seedingTwiceKeepsTheSameClientsUsersAndSecretFile() throws IOException {
        Path secretFile = DemoData.seed(authority, dataDir, clock);
        Seeded first = seeded();
        byte[] firstSecretFile = Files.readAllBytes(secretFile);
        clock.advance(Duration.ofHours(1));

        Path again = DemoData.seed(authority, dataDir, clock);

        assertThat(again).isEqualTo(secretFile).isEqualTo(dataDir.resolve(DemoData.SECRET_FILE));
        assertThat(Files.readAllBytes(secretFile)).isEqualTo(firstSecretFile);
        assertThat(seeded()).isEqualTo(first);
        assertThat(first.userCount()).isEqualTo(3);
        assertThat(first.users().get(2).roles()).containsExactly("admin");
        assertThat(clients.authenticate(DemoData.SIDECAR_CLIENT, secretIn(secretFile)).permissions())
                .containsExactly(Client.SUBSCRIBE_FEED);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secretFile))).isEqualTo("rw-------");
        try (var leftovers = Files.list(dataDir)) {
            assertThat(leftovers).as("no temporary file is left behind").containsExactly(secretFile);
        }
    }

    @Test
    void aDeletedSecretFileIsReplacedByANewSecretAndTheOldOneStopsWorking() throws IOException {
        Path secretFile = DemoData.seed(authority, dataDir, clock);
        String oldSecret = secretIn(secretFile);
        Seeded before = seeded();
        Files.delete(secretFile);

        DemoData.seed(authority, dataDir, clock);

        String newSecret = secretIn(secretFile);
        assertThat(newSecret).startsWith("ta_cs_").isNotEqualTo(oldSecret);
        assertThat(clients.authenticate(DemoData.SIDECAR_CLIENT, newSecret).clientId())
                .isEqualTo(DemoData.SIDECAR_CLIENT);
        assertThatThrownBy(() -> clients.authenticate(DemoData.SIDECAR_CLIENT, oldSecret))
                .isInstanceOfSatisfying(AuthorityException.class,
                        e -> assertThat(e.kind()).isEqualTo(AuthorityException.Kind.UNAUTHENTICATED));
        Seeded after = seeded();
        assertThat(after.users()).isEqualTo(before.users());
        assertThat(after.app()).isEqualTo(before.app());
        assertThat(after.userCount()).isEqualTo(3);
    }
}
