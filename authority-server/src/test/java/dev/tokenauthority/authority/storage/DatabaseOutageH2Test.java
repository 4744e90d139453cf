package dev.tokenauthority.authority.storage;

import dev.tokenauthority.authority.testing.TestDatabase;
import java.net.InetSocketAddress;
import java.sql.SQLException;
import org.h2.tools.Server;
import org.junit.jupiter.api.AfterEach;

/** H2 in server mode, so its connections cross the proxy like PostgreSQL's. */
class DatabaseOutageH2Test extends DatabaseOutageContract {

    private Server h2Server;

    @Override
    TestDatabase database() {
        return TestDatabase.h2();
    }

    @Override
    String proxiedUrl(TestDatabase database, int proxyPort) {
        return "jdbc:h2:tcp://127.0.0.1:" + proxyPort + "/mem:" + database.name() + ";DB_CLOSE_DELAY=-1";
    }

    @Override
    InetSocketAddress target() {
        try {
            h2Server = Server.createTcpServer("-tcpPort", "0", "-ifNotExists").start();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return new InetSocketAddress("127.0.0.1", h2Server.getPort());
    }

    @AfterEach
    void stopH2() {
        h2Server.stop();
    }
}
