package dev.tokenauthority.bench;

import com.google.protobuf.Timestamp;
import dev.tokenauthority.api.v1.RevocationEntry;
import dev.tokenauthority.api.v1.RevokedToken;
import dev.tokenauthority.sidecar.state.TokenIds;
import dev.tokenauthority.sidecar.state.InMemoryRevocationState;
import dev.tokenauthority.sidecar.state.RevocationSnapshotBuilder;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Heap bytes per revoked entry with 1,000,000 revoked jtis in {@link InMemoryRevocationState} (target: at most 64),
 * and the time to apply a 1,000,000-entry snapshot (target: under 3 s).
 *
 * <p>Memory is measured as used heap (totalMemory - freeMemory after repeated System.gc()) with the state alive,
 * minus the same with it dropped; the proto entries are built beforehand and released before measuring, so only the
 * state's own tables count. Timing covers {@link RevocationSnapshotBuilder#add} for every entry (hashing and insert)
 * plus {@link InMemoryRevocationState#applySnapshot}, i.e. what the feed client pays once the chunks are decoded;
 * it is repeated five times and each run is printed (the first includes JIT warm-up). The jtis are the authority's
 * format: "at_" plus 22 random base64url characters.
 *
 * <p>Run: {@code mvn -B -pl benchmarks -am package -DskipTests && java -Xmx2g -cp benchmarks/target/benchmarks.jar
 * dev.tokenauthority.bench.RevocationStateBenchmark}
 */
public final class RevocationStateBenchmark {

    private static final int ENTRIES = 1_000_000;
    private static final int RUNS = 5;

    public static void main(String[] args) {
        List<RevocationEntry> entries = snapshotEntries();

        long[] millis = new long[RUNS];
        InMemoryRevocationState state = null;
        for (int run = 0; run < RUNS; run++) {
            state = null;
            usedHeapAfterGc();
            long start = System.nanoTime();
            state = new InMemoryRevocationState();
            RevocationSnapshotBuilder snapshot = new RevocationSnapshotBuilder(run + 1, 0);
            for (RevocationEntry entry : entries) {
                snapshot.add(entry);
            }
            state.applySnapshot(snapshot);
            millis[run] = (System.nanoTime() - start) / 1_000_000;
            System.out.printf("apply 1M-entry snapshot, run %d: %d ms%n", run + 1, millis[run]);
        }
        entries = null;

        long withState = usedHeapAfterGc();
        if (state.counts().revokedTokens() != ENTRIES
                || state.revocationReason(new TokenIds("absent", "", ""), Long.MAX_VALUE).isPresent()) {
            throw new IllegalStateException("unexpected state");
        }
        state = null;
        long withoutState = usedHeapAfterGc();
        System.out.printf("heap with state: %d bytes, without: %d bytes%n", withState, withoutState);
        System.out.printf("heap per revoked entry: %.1f bytes%n", (double) (withState - withoutState) / ENTRIES);
    }

    private static List<RevocationEntry> snapshotEntries() {
        SecureRandom random = new SecureRandom();
        Timestamp expiry = Timestamp.newBuilder().setSeconds(System.currentTimeMillis() / 1000 + 3_600).build();
        List<RevocationEntry> entries = new ArrayList<>(ENTRIES);
        byte[] id = new byte[16];
        for (int i = 0; i < ENTRIES; i++) {
            random.nextBytes(id);
            String jti = "at_" + Base64.getUrlEncoder().withoutPadding().encodeToString(id).substring(0, 22);
            entries.add(RevocationEntry.newBuilder()
                    .setRevokedToken(RevokedToken.newBuilder().setJti(jti).setExpiresAt(expiry))
                    .build());
        }
        return entries;
    }

    private static long usedHeapAfterGc() {
        Runtime runtime = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            used = Math.min(used, runtime.totalMemory() - runtime.freeMemory());
        }
        return used;
    }
}
