package dev.tokenauthority.authority.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenauthority.api.v1.IntrospectRequest;
import dev.tokenauthority.api.v1.LoginRequest;
import dev.tokenauthority.api.v1.RefreshRequest;
import dev.tokenauthority.api.v1.RewrapSigningKeysRequest;
import dev.tokenauthority.api.v1.RotateClientSecretRequest;
import dev.tokenauthority.api.v1.RotateSigningKeyRequest;
import dev.tokenauthority.api.v1.TokenPair;
import dev.tokenauthority.authority.config.DemoData;
import dev.tokenauthority.authority.testing.AuthorityFixture;
import dev.tokenauthority.authority.testing.KeyMaterial;
import dev.tokenauthority.authority.testing.TestDatabase;
import io.grpc.StatusRuntimeException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Everything the authority prints (its log is Logback on standard error) while it starts, logs
 * users and an admin in, refreshes, sees a rotated refresh token replayed, refuses a wrong password
 * and a stale client secret, rotates a client secret and a signing key and re-encrypts the keys:
 * none of the secrets it handled on the way.
 */
class NoSecretInLogsTest {

    @Test
    void noSecretTheAuthorityHandlesAppearsInWhatItPrints() throws Exception {
        List<String> secrets = new ArrayList<>();
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream originalOut = System.out;
        PrintStream originalErr = System.err;
        PrintStream capture = new PrintStream(captured, true, StandardCharsets.UTF_8);
        System.setOut(capture);
        System.setErr(capture);
        try (AuthorityFixture fx = new AuthorityFixture(TestDatabase.Kind.H2)) {
            secrets.addAll(List.of(fx.sidecarSecret, fx.backendSecret,
                    Base64.getEncoder().encodeToString(fx.keks.primary().material())));
            secrets.addAll(KeyMaterial.privateKeyForms(fx.authority.signingKeys().current()));

            TokenPair alice = fx.login(AuthorityFixture.ALICE);
            TokenPair refreshed = fx.auth().refresh(RefreshRequest.newBuilder().setClientId(DemoData.APP_CLIENT)
                    .setRefreshToken(alice.getRefreshToken()).build());
            assertThatThrownBy(() -> fx.auth().refresh(RefreshRequest.newBuilder().setClientId(DemoData.APP_CLIENT)
                    .setRefreshToken(alice.getRefreshToken()).build()))
                    .as("reuse of a rotated refresh token").isInstanceOf(StatusRuntimeException.class);
            assertThatThrownBy(() -> fx.auth().login(LoginRequest.newBuilder().setClientId(DemoData.APP_CLIENT)
                    .setUsername(AuthorityFixture.BOB).setPassword("not-" + DemoData.USER_PASSWORD).build()))
                    .isInstanceOf(StatusRuntimeException.class);
            TokenPair admin = fx.loginAdmin();
            String newSidecarSecret = fx.admin(admin.getAccessToken()).rotateClientSecret(RotateClientSecretRequest
                    .newBuilder().setClientId(DemoData.SIDECAR_CLIENT).setReason("test").build()).getClientSecret();
            assertThatThrownBy(() -> fx.auth().introspect(IntrospectRequest.newBuilder()
                    .setClientId(DemoData.SIDECAR_CLIENT).setClientSecret(fx.sidecarSecret)
                    .setToken(refreshed.getAccessToken()).build())).isInstanceOf(StatusRuntimeException.class);
            fx.keysAs(admin.getAccessToken()).rotateSigningKey(RotateSigningKeyRequest.newBuilder()
                    .setReason("test").build());
            fx.keysAs(admin.getAccessToken()).rewrapSigningKeys(RewrapSigningKeysRequest.getDefaultInstance());
            fx.authority.signingKeys().published().forEach(key -> secrets.addAll(KeyMaterial.privateKeyForms(key)));
            for (TokenPair pair : List.of(alice, refreshed, admin)) {
                secrets.addAll(List.of(pair.getAccessToken(), pair.getRefreshToken()));
            }
            secrets.add(newSidecarSecret);
        } finally {
            System.setOut(originalOut);
            System.setErr(originalErr);
        }
        String output = captured.toString(StandardCharsets.UTF_8);
        originalErr.print(output);

        assertThat(output).as("the log was captured").contains("re-encrypted 0 signing keys");
        assertThat(secrets).hasSizeGreaterThan(20).allSatisfy(secret -> assertThat(output).doesNotContain(secret));
        assertThat(output).doesNotContain("ta_cs_", "ta_rt_", "$argon2id$", DemoData.USER_PASSWORD,
                DemoData.ADMIN_PASSWORD);
    }
}
