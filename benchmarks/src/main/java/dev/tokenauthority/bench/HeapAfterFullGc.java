package dev.tokenauthority.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Another JVM's live heap: {@code jcmd <pid> GC.run} (a full collection, twice, so that what the
 * first one freed through finalisation and reference processing is gone too), then one
 * {@code jstat -gc <pid>} line of used eden + survivors + old generation.
 */
final class HeapAfterFullGc {

    private HeapAfterFullGc() {
    }

    /** Used heap in KiB after full collections of JVM {@code pid}. */
    static double usedKb(long pid) throws IOException, InterruptedException {
        for (int i = 0; i < 2; i++) {
            run("jcmd", Long.toString(pid), "GC.run");
        }
        String[] lines = run("jstat", "-gc", Long.toString(pid)).strip().split("\n");
        List<String> header = Arrays.asList(lines[0].trim().split("\\s+"));
        return ProcessMemorySampler.heapUsedKb(header, lines[lines.length - 1].trim().split("\\s+"));
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out.strip());
        }
        return out;
    }
}
