package dev.tokenauthority.bench;

import static dev.tokenauthority.bench.ReportFormat.ms;

import dev.tokenauthority.api.v1.AdminServiceGrpc.AdminServiceBlockingStub;
import dev.tokenauthority.api.v1.ExportChunk;
import dev.tokenauthority.api.v1.ExportFormat;
import dev.tokenauthority.api.v1.ExportTokensRequest;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The ExportTokens step of {@link AdminApiBenchmark}: everything as CSV, read as fast as the
 * client can; total time, bytes and rows, and the authority's RSS and heap once a second
 * ({@link ProcessMemorySampler}).
 */
final class ExportTokensMeasurement {

    private final Supplier<AdminServiceBlockingStub> adminLogin;
    private final long authorityPid;

    ExportTokensMeasurement(Supplier<AdminServiceBlockingStub> adminLogin, long authorityPid) {
        this.adminLogin = adminLogin;
        this.authorityPid = authorityPid;
    }

    void run() throws Exception {
        AdminServiceBlockingStub admin = adminLogin.get();
        long bytes = 0;
        long newlines = 0;
        long firstChunkNanos = -1;
        long chunks = 0;
        double startedAt;
        double endedAt;
        long t0;
        long elapsed;
        try (ProcessMemorySampler sampler = ProcessMemorySampler.start(authorityPid)) {
            Thread.sleep(3000);
            startedAt = sampler.now();
            t0 = System.nanoTime();
            Iterator<ExportChunk> stream = admin.withDeadlineAfter(600, TimeUnit.SECONDS).exportTokens(
                    ExportTokensRequest.newBuilder().setFormat(ExportFormat.EXPORT_FORMAT_CSV).build());
            while (stream.hasNext()) {
                var data = stream.next().getData();
                if (firstChunkNanos < 0) {
                    firstChunkNanos = System.nanoTime() - t0;
                }
                chunks++;
                bytes += data.size();
                for (int i = 0; i < data.size(); i++) {
                    if (data.byteAt(i) == '\n') {
                        newlines++;
                    }
                }
            }
            elapsed = System.nanoTime() - t0;
            endedAt = sampler.now();
            Thread.sleep(3000);
            printExport(sampler.samples(), startedAt, endedAt);
        }
        System.out.printf(Locale.ROOT, "%nExport: %,d rows (+ header), %,d bytes in %,d chunks; first chunk after %.0f ms; "
                + "total %.1f s (%.1f MB/s, %,.0f rows/s)%n", newlines - 1, bytes, chunks, ms(firstChunkNanos),
                elapsed / 1e9, bytes / 1e6 / (elapsed / 1e9), (newlines - 1) / (elapsed / 1e9));
    }

    private static void printExport(List<ProcessMemorySampler.Sample> samples, double startedAt, double endedAt) {
        System.out.println("\n### ExportTokens of everything as CSV: the authority's memory, one sample a second\n");
        System.out.println("| t s | phase | RSS MiB | heap used MiB | heap committed MiB | young GCs | full GCs |");
        System.out.println("|---:|---|---:|---:|---:|---:|---:|");
        int every = Math.max(1, samples.size() / 25);
        double maxRss = 0;
        double maxHeap = 0;
        double minRssDuring = Double.MAX_VALUE;
        for (int i = 0; i < samples.size(); i++) {
            var s = samples.get(i);
            String phase = s.atSeconds() < startedAt ? "before" : s.atSeconds() <= endedAt ? "export" : "after";
            if (phase.equals("export")) {
                maxRss = Math.max(maxRss, s.rssMib());
                minRssDuring = Math.min(minRssDuring, s.rssMib());
                maxHeap = Math.max(maxHeap, s.heapUsedMib());
            }
            if (i % every == 0 || i == samples.size() - 1) {
                System.out.printf(Locale.ROOT, "| %.0f | %s | %.0f | %.0f | %.0f | %d | %d |%n", s.atSeconds(), phase,
                        s.rssMib(), s.heapUsedMib(), s.heapCommittedMib(), s.youngGcs(), s.fullGcs());
            }
        }
        if (maxRss == 0) {
            System.out.println("\nThe export ended between two samples.");
            return;
        }
        System.out.printf(Locale.ROOT, "%nDuring the export: RSS %.0f..%.0f MiB, heap used at most %.0f MiB (%d samples).%n",
                minRssDuring, maxRss, maxHeap, samples.size());
    }
}
