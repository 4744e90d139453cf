package dev.tokenauthority.authority.testing;

import dev.tokenauthority.authority.crypto.PasswordHasher;
import dev.tokenauthority.authority.login.LoginLimits;
import dev.tokenauthority.authority.server.Authority;
import dev.tokenauthority.authority.server.AuthorityServer;
import dev.tokenauthority.authority.storage.Database;
import dev.tokenauthority.authority.token.TokenPolicy;
import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Another authority replica on the database of an {@link AuthorityFixture} (its keys, its clock), with a pool of its
 * own, served over in-process gRPC: what a second process on the same PostgreSQL would be.
 */
public final class SecondReplica implements AutoCloseable {

    public final Database database;
    public final Authority authority;
    private final AuthorityServer server;
    private final ManagedChannel channel;

    public SecondReplica(AuthorityFixture first) throws Exception {
        TestDatabase db = first.database;
        database = Database.open(db.url(), db.user(), db.password(), 4);
        authority = new Authority(database, TokenPolicy.withIssuer(AuthorityFixture.ISSUER), first.keks,
                new PasswordHasher(1024, 1), LoginLimits.DEFAULTS, first.clock);
        authority.start();
        String name = InProcessServerBuilder.generateName();
        server = new AuthorityServer(InProcessServerBuilder.forName(name), authority).start();
        channel = InProcessChannelBuilder.forName(name).build();
    }

    public ManagedChannel channel() {
        return channel;
    }

    @Override
    public void close() throws Exception {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.stop(Duration.ofSeconds(1));
        authority.close();
        database.close();
    }
}
