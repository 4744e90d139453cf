package dev.tokenauthority.sidecar.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.tokenauthority.authority.testing.Eventually;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A child JVM on this test's class path (the classes under test, not the shaded jars: tests run
 * before {@code package}), its stdout and stderr in files beside each other so a failure can show
 * them. {@link #terminate()} is SIGTERM, {@link #kill()} SIGKILL, {@link #pause()} and {@link #resume()}
 * SIGSTOP and SIGCONT; whoever launches one closes it,
 * which kills it if it still runs.
 */
final class ChildProcess implements AutoCloseable {

    /** How long a child may take to exit after a signal. */
    private static final Duration EXIT_LIMIT = Duration.ofSeconds(30);

    private final String name;
    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private ChildProcess(String name, Process process, Path stdout, Path stderr) {
        this.name = name;
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** Starts {@code mainClass} in a new JVM, working directory and log files in {@code dir}. */
    static ChildProcess launch(Path dir, String name, Class<?> mainClass, List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // Several JVMs share two cores: a small heap and the serial collector keep them out of each other's way.
                "-Xmx256m", "-XX:+UseSerialGC",
                "-Dorg.slf4j.simpleLogger.showDateTime=true",
                "-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS",
                "-cp", System.getProperty("java.class.path"),
                mainClass.getName()));
        command.addAll(args);
        return start(dir, name, command);
    }

    /** Starts {@code command} (a JVM, or a server of another project such as Prometheus), logs in {@code dir}. */
    static ChildProcess start(Path dir, String name, List<String> command) throws IOException {
        Path stdout = dir.resolve(name + ".out");
        Path stderr = dir.resolve(name + ".err");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile());
        // Only the test's arguments configure the child, not the variables of whoever runs the build.
        builder.environment().keySet().removeIf(key -> key.startsWith("TOKENAUTHORITY_"));
        return new ChildProcess(name, builder.start(), stdout, stderr);
    }

    String name() {
        return name;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Both streams, labelled, for assertion messages. */
    String output() {
        return "--- " + name + " stderr ---\n" + read(stderr) + "--- " + name + " stdout ---\n" + read(stdout);
    }

    /** The log (Logback writes it to stderr). */
    String log() {
        return read(stderr);
    }

    String stdout() {
        return read(stdout);
    }

    /** Waits until the child has logged {@code line} and accepts connections on {@code port}. */
    void awaitListening(String line, int port, Duration limit) {
        await(limit, "%s to log \"%s\" and accept connections on port %d".formatted(name, line, port),
                () -> log().contains(line) && accepts(port));
    }

    /** SIGTERM, then waits (bounded) for the exit. */
    int terminate() throws InterruptedException {
        process.destroy();
        return awaitExit();
    }

    /** SIGTERM, without waiting: the test watches what the child does meanwhile, then {@link #awaitOwnExit}. */
    void signalTerminate() {
        process.destroy();
    }

    /** SIGKILL, then waits (bounded) for the exit: no shutdown hook runs. */
    int kill() throws InterruptedException {
        process.destroyForcibly();
        return awaitExit();
    }

    /**
     * SIGSTOP: the child freezes where it is, sockets open, timers not firing, as a JVM does in a long GC pause or
     * on a suspended VM, until {@link #resume()}. {@link #close()} kills a frozen child as well.
     */
    void pause() throws IOException, InterruptedException {
        signal("STOP");
    }

    /** SIGCONT: a child frozen by {@link #pause()} runs on. */
    void resume() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
                .redirectErrorStream(true).start();
        assertThat(kill.waitFor(EXIT_LIMIT.toSeconds(), TimeUnit.SECONDS) && kill.exitValue() == 0)
                .as("kill -%s %s: %s", signal, name, new String(kill.getInputStream().readAllBytes())).isTrue();
    }

    /** Waits (bounded) for a child that stops by itself, e.g. one that refuses its arguments, and returns its exit code. */
    int awaitOwnExit(Duration limit) throws InterruptedException {
        assertThat(process.waitFor(limit.toSeconds(), TimeUnit.SECONDS))
                .as("%s exited by itself within %s:%n%s", name, limit, output()).isTrue();
        return process.exitValue();
    }

    private int awaitExit() throws InterruptedException {
        assertThat(process.waitFor(EXIT_LIMIT.toSeconds(), TimeUnit.SECONDS))
                .as("%s exited within %s of the signal", name, EXIT_LIMIT).isTrue();
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(EXIT_LIMIT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    /**
     * Polls {@code condition} until it holds, or fails after {@code limit} with the child's output. A child that
     * exits meanwhile fails at once, with its output.
     */
    void await(Duration limit, String what, BooleanSupplier condition) {
        Eventually.until(limit, what, () -> {
            if (condition.getAsBoolean()) {
                return true;
            }
            if (!process.isAlive()) {
                fail("%s exited with %d while waiting for %s%n%s", name, process.exitValue(), what, output());
            }
            return false;
        }, this::output);
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** How many lines of the log contain {@code text}. */
    long logLinesContaining(String text) {
        return log().lines().filter(line -> line.contains(text)).count();
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
