package dev.tokenauthority.authority.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenauthority.authority.crypto.PasswordHashPool;
import dev.tokenauthority.cli.EnvironmentDefaults;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every option's built-in default, each one's environment variable, and flags winning over the environment. */
class EnvironmentDefaultsTest {

    private static ServeCommand parse(Map<String, String> environment, String... args) {
        ServeCommand command = new ServeCommand();
        new CommandLine(command)
                .setDefaultValueProvider(new EnvironmentDefaults("TOKENAUTHORITY_", environment))
                .parseArgs(args);
        return command;
    }

    @Test
    void withoutFlagsOrEnvironmentEveryOptionHasItsStatedDefault() {
        ServeCommand c = parse(Map.of());

        assertThat(c.grpcPort).isEqualTo(7070);
        assertThat(c.storage.dataDir).isEqualTo(Path.of("./data"));
        assertThat(c.storage.dbUrl).isNull();
        assertThat(c.storage.dbUser).isNull();
        assertThat(c.storage.dbPasswordFile).isNull();
        assertThat(c.storage.keyEncryptionKeyFiles).as("generated in the data directory, or refused").isNull();
        assertThat(c.dbPoolSize).isEqualTo(16);
        assertThat(c.issuer).isEqualTo("http://localhost:7070");
        assertThat(c.maxAccessTokenTtl).isEqualTo(Duration.ofHours(1));
        assertThat(c.clockSkew).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.signingKeyMaxAge).isEqualTo(Duration.ofDays(30));
        assertThat(c.tlsCert).isNull();
        assertThat(c.tlsKey).isNull();
        assertThat(c.tlsClientCa).isNull();
        assertThat(c.bootstrapAdminEmail).isNull();
        assertThat(c.bootstrapAdminPasswordFile).isNull();
        assertThat(c.demo).isFalse();
        assertThat(c.shutdownGrace).isEqualTo(Duration.ofSeconds(20));
        assertThat(c.metricsPort).as("metrics off").isZero();
        assertThat(c.passwordHashThreads).as("one per core but one").isNull();
        assertThat(c.passwordHashQueue).as("four per hashing thread").isNull();
        assertThat(c.passwordHashLimits()).isEqualTo(PasswordHashPool.Limits.forThisMachine());
    }

    @Test
    void aHashThreadCountAloneBringsItsDefaultQueue() {
        assertThat(parse(Map.of(), "--password-hash-threads", "3").passwordHashLimits())
                .isEqualTo(new PasswordHashPool.Limits(3, 12));
        assertThat(parse(Map.of(), "--password-hash-queue", "0").passwordHashLimits().queue()).isZero();
    }

    @Test
    void everyOptionCanBeSetFromItsEnvironmentVariable() {
        Map<String, String> env = Map.ofEntries(
                Map.entry("TOKENAUTHORITY_GRPC_PORT", "9090"),
                Map.entry("TOKENAUTHORITY_DATA_DIR", "/var/lib/authority"),
                Map.entry("TOKENAUTHORITY_DB_URL", "jdbc:postgresql://db:5432/authority"),
                Map.entry("TOKENAUTHORITY_DB_USER", "authority"),
                Map.entry("TOKENAUTHORITY_DB_PASSWORD_FILE", "/run/secrets/db"),
                Map.entry("TOKENAUTHORITY_KEY_ENCRYPTION_KEY_FILE", "/run/secrets/kek-new,/run/secrets/kek-old"),
                Map.entry("TOKENAUTHORITY_DB_POOL_SIZE", "4"),
                Map.entry("TOKENAUTHORITY_ISSUER", "https://auth.example.com"),
                Map.entry("TOKENAUTHORITY_MAX_ACCESS_TOKEN_TTL", "15m"),
                Map.entry("TOKENAUTHORITY_CLOCK_SKEW", "5s"),
                Map.entry("TOKENAUTHORITY_SIGNING_KEY_MAX_AGE", "7d"),
                Map.entry("TOKENAUTHORITY_TLS_CERT", "/tls/cert.pem"),
                Map.entry("TOKENAUTHORITY_TLS_KEY", "/tls/key.pem"),
                Map.entry("TOKENAUTHORITY_TLS_CLIENT_CA", "/tls/ca.pem"),
                Map.entry("TOKENAUTHORITY_BOOTSTRAP_ADMIN_EMAIL", "root@example.com"),
                Map.entry("TOKENAUTHORITY_BOOTSTRAP_ADMIN_PASSWORD_FILE", "/run/secrets/admin"),
                Map.entry("TOKENAUTHORITY_DEMO", "true"),
                Map.entry("TOKENAUTHORITY_SHUTDOWN_GRACE", "PT1M"),
                Map.entry("TOKENAUTHORITY_METRICS_PORT", "9464"),
                Map.entry("TOKENAUTHORITY_PASSWORD_HASH_THREADS", "6"),
                Map.entry("TOKENAUTHORITY_PASSWORD_HASH_QUEUE", "10"),
                Map.entry("UNRELATED_GRPC_PORT", "1"));

        ServeCommand c = parse(env);

        assertThat(c.grpcPort).isEqualTo(9090);
        assertThat(c.storage.dataDir).isEqualTo(Path.of("/var/lib/authority"));
        assertThat(c.storage.dbUrl).isEqualTo("jdbc:postgresql://db:5432/authority");
        assertThat(c.storage.dbUser).isEqualTo("authority");
        assertThat(c.storage.dbPasswordFile).isEqualTo(Path.of("/run/secrets/db"));
        assertThat(c.storage.keyEncryptionKeyFiles)
                .containsExactly(Path.of("/run/secrets/kek-new"), Path.of("/run/secrets/kek-old"));
        assertThat(c.dbPoolSize).isEqualTo(4);
        assertThat(c.issuer).isEqualTo("https://auth.example.com");
        assertThat(c.maxAccessTokenTtl).isEqualTo(Duration.ofMinutes(15));
        assertThat(c.clockSkew).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.signingKeyMaxAge).isEqualTo(Duration.ofDays(7));
        assertThat(c.tlsCert).isEqualTo(Path.of("/tls/cert.pem"));
        assertThat(c.tlsKey).isEqualTo(Path.of("/tls/key.pem"));
        assertThat(c.tlsClientCa).isEqualTo(Path.of("/tls/ca.pem"));
        assertThat(c.bootstrapAdminEmail).isEqualTo("root@example.com");
        assertThat(c.bootstrapAdminPasswordFile).isEqualTo(Path.of("/run/secrets/admin"));
        assertThat(c.demo).isTrue();
        assertThat(c.shutdownGrace).isEqualTo(Duration.ofMinutes(1));
        assertThat(c.metricsPort).isEqualTo(9464);
        assertThat(c.passwordHashLimits()).isEqualTo(new PasswordHashPool.Limits(6, 10));
    }

    @Test
    void aFlagOnTheCommandLineWinsOverTheEnvironment() {
        Map<String, String> env = Map.of(
                "TOKENAUTHORITY_GRPC_PORT", "9090",
                "TOKENAUTHORITY_ISSUER", "https://from-env.example.com",
                "TOKENAUTHORITY_CLOCK_SKEW", "5s",
                "TOKENAUTHORITY_DB_POOL_SIZE", "4");

        ServeCommand c = parse(env, "--grpc-port", "9191", "--issuer", "https://from-flag.example.com",
                "--clock-skew", "2m");

        assertThat(c.grpcPort).isEqualTo(9191);
        assertThat(c.issuer).isEqualTo("https://from-flag.example.com");
        assertThat(c.clockSkew).isEqualTo(Duration.ofMinutes(2));
        assertThat(c.dbPoolSize).as("no flag given: the environment still applies").isEqualTo(4);
    }

    @Test
    void anUnreadableDurationInTheEnvironmentFailsParsingAndNamesTheOption() {
        assertThatThrownBy(() -> parse(Map.of("TOKENAUTHORITY_CLOCK_SKEW", "soon")))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("--clock-skew")
                .hasMessageContaining("'soon' is not a duration");
    }
}
