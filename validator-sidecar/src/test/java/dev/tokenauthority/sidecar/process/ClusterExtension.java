package dev.tokenauthority.sidecar.process;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Hands a test method a {@link LoopbackCluster} (its logs in a directory of its own) and closes it after the test,
 * every child killed whatever the test did: what each process test otherwise wires by hand with a field, a
 * {@code @TempDir} and an {@code @AfterEach}.
 */
final class ClusterExtension implements ParameterResolver, AfterEachCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ClusterExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == LoopbackCluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        try {
            Path dir = Files.createTempDirectory("loopback-cluster");
            LoopbackCluster cluster = new LoopbackCluster(dir);
            context.getStore(NAMESPACE).put("dir", dir);
            context.getStore(NAMESPACE).put("cluster", cluster);
            return cluster;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        LoopbackCluster cluster = context.getStore(NAMESPACE).remove("cluster", LoopbackCluster.class);
        if (cluster != null) {
            cluster.close();
        }
        Path dir = context.getStore(NAMESPACE).remove("dir", Path.class);
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }
}
