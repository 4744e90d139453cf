package dev.tokenauthority.authority.storage;

import dev.tokenauthority.authority.testing.TestDatabase;
import java.net.InetSocketAddress;

class DatabaseOutagePostgresTest extends DatabaseOutageContract {

    @Override
    TestDatabase database() {
        return TestDatabase.postgres();
    }

    @Override
    String proxiedUrl(TestDatabase database, int proxyPort) {
        return "jdbc:postgresql://127.0.0.1:" + proxyPort + "/" + database.name() + "?connectTimeout=2&socketTimeout=10";
    }

    @Override
    InetSocketAddress target() {
        String[] hostPort = TestDatabase.POSTGRES_HOST.split(":");
        return new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1]));
    }
}
