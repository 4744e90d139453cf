package dev.tokenauthority.authority.config;

import java.nio.file.Path;

/** What --demo prints once the server is up: the seeded accounts and commands to try. */
final class DemoInstructions {

    private DemoInstructions() {}

    static void print(int port, int webPort, Path sidecarSecret, String issuer) {
        String target = "localhost:" + port;
        System.out.println("""

                Token Authority is running on %1$s (issuer %5$s) with demo data:
                  public client      demo-app       (audience demo-api, scopes read write)
                  admin client       admin-cli      (audience token-authority-admin: admin tokens, for grpcurl)
                  confidential       demo-sidecar   (secret in %2$s)
                  users              alice@example.com, bob@example.com   password %3$s
                  admin              admin@example.com                    password %4$s

                Try (grpcurl uses the server's reflection):
                  grpcurl -plaintext -d '{"client_id":"demo-app","username":"alice@example.com","password":"%3$s"}' \\
                      %1$s tokenauthority.v1.AuthService/Login
                  grpcurl -plaintext -d '{"client_id":"demo-app","refresh_token":"<refresh_token from Login>"}' \\
                      %1$s tokenauthority.v1.AuthService/Refresh
                  grpcurl -plaintext -d "{\\"client_id\\":\\"demo-sidecar\\",\\"client_secret\\":\\"$(cat %2$s)\\",\\"token\\":\\"<access_token>\\"}" \\
                      %1$s tokenauthority.v1.AuthService/Introspect
                  grpcurl -plaintext -d '{"client_id":"admin-cli","username":"admin@example.com","password":"%4$s","audience":"token-authority-admin"}' \\
                      %1$s tokenauthority.v1.AuthService/Login
                  grpcurl -plaintext -H "authorization: Bearer <access_token from the admin-cli Login>" -d '{"page_size":5}' \\
                      %1$s tokenauthority.v1.AdminService/ListTokens
                  grpcurl -plaintext %1$s tokenauthority.v1.KeyService/GetJwks
                  grpcurl -plaintext %1$s list

                A validator sidecar for the demo app's tokens (.ci/run-demo starts one):
                  java -jar validator-sidecar/target/validator-sidecar.jar --authority %1$s --issuer %5$s \\
                      --audience %6$s --client-id demo-sidecar --client-secret-file %2$s
                """.formatted(target, sidecarSecret, DemoData.USER_PASSWORD, DemoData.ADMIN_PASSWORD, issuer,
                DemoData.AUDIENCE));
        if (webPort != 0) {
            System.out.printf("""
                    Admin console (gRPC-web): http://localhost:%d/admin/   sign in as admin@example.com / %s
                    %n""", webPort, DemoData.ADMIN_PASSWORD);
        }
    }
}
