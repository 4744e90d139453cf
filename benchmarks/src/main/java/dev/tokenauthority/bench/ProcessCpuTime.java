package dev.tokenauthority.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A process's user + system CPU time from {@code /proc/<pid>/stat} (Linux): the figure of a
 * benchmark that co-tenant load disturbs least, since it counts only the process's own work.
 */
final class ProcessCpuTime {

    /** Linux USER_HZ: /proc/<pid>/stat counts CPU time in these ticks. */
    private static final long TICKS_PER_SECOND = 100;

    private final Path stat;

    ProcessCpuTime(long pid) {
        this.stat = Path.of("/proc", Long.toString(pid), "stat");
    }

    static ProcessCpuTime self() {
        return new ProcessCpuTime(ProcessHandle.current().pid());
    }

    /** CPU time used so far, in microseconds (10 ms resolution). */
    long micros() {
        try {
            String line = Files.readString(stat);
            // Fields after the command name, which is in parentheses and may itself contain spaces.
            String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime (fields 14 and 15)
            return ticks * (1_000_000 / TICKS_PER_SECOND);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + stat, e);
        }
    }
}
