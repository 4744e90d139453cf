package dev.tokenauthority.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Samples another JVM's memory once a second (or every given interval): resident set size from
 * {@code /proc/<pid>/status} and heap use from one long-running {@code jstat -gc <pid> 1000} (one
 * extra JVM for the whole run; a {@code jcmd} per sample would start a JVM every second and take
 * one of the two cores).
 */
final class ProcessMemorySampler implements AutoCloseable {

    /** One sample: seconds since start, RSS and used heap (eden + survivors + old) in MiB, GC counts. */
    record Sample(double atSeconds, double rssMib, double heapUsedMib, double heapCommittedMib, long youngGcs,
            long fullGcs) {
    }

    private final long pid;
    private final long start = System.nanoTime();
    private final List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
    private final Process jstat;
    private final Thread reader;

    private ProcessMemorySampler(long pid, Duration interval) throws IOException {
        this.pid = pid;
        this.jstat = new ProcessBuilder("jstat", "-gc", Long.toString(pid), Long.toString(interval.toMillis()))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        this.reader = new Thread(this::read, "jstat-reader");
        reader.setDaemon(true);
        reader.start();
    }

    static ProcessMemorySampler start(long pid) throws IOException {
        return start(pid, Duration.ofSeconds(1));
    }

    static ProcessMemorySampler start(long pid, Duration interval) throws IOException {
        return new ProcessMemorySampler(pid, interval);
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(jstat.getInputStream(), StandardCharsets.UTF_8))) {
            List<String> header = null;
            String line;
            while ((line = in.readLine()) != null) {
                String[] f = line.trim().split("\\s+");
                if (f.length == 0 || f[0].isEmpty()) {
                    continue;
                }
                if (!Character.isDigit(f[0].charAt(0))) {
                    header = Arrays.asList(f);
                    continue;
                }
                if (header == null || f.length != header.size()) {
                    continue;
                }
                double committedKb = 0;
                for (String col : List.of("S0C", "S1C", "EC", "OC")) {
                    committedKb += value(header, f, col);
                }
                samples.add(new Sample((System.nanoTime() - start) / 1e9, rssMib(), heapUsedKb(header, f) / 1024,
                        committedKb / 1024,
                        (long) value(header, f, "YGC"), (long) value(header, f, "FGC")));
            }
        } catch (IOException e) {
            // jstat ended (close() or the target exited): no more samples
        }
    }

    /** Used heap in KiB (eden + survivors + old) of one {@code jstat -gc} line under its header. */
    static double heapUsedKb(List<String> header, String[] fields) {
        double usedKb = 0;
        for (String col : List.of("S0U", "S1U", "EU", "OU")) {
            usedKb += value(header, fields, col);
        }
        return usedKb;
    }

    private static double value(List<String> header, String[] fields, String column) {
        int i = header.indexOf(column);
        return i < 0 || fields[i].equals("-") ? 0 : Double.parseDouble(fields[i]);
    }

    private double rssMib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // process gone
        }
        return -1;
    }

    List<Sample> samples() {
        synchronized (samples) {
            return List.copyOf(samples);
        }
    }

    /** Seconds since this sampler started. */
    double now() {
        return (System.nanoTime() - start) / 1e9;
    }

    @Override
    public void close() {
        jstat.destroy();
        try {
            reader.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
