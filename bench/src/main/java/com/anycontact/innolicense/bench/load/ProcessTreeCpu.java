package com.anycontact.innolicense.bench.load;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The CPU time a process and its children have used, from {@code /proc/<pid>/stat}: for the PostgreSQL server,
 * the postmaster and its backends, background workers and autovacuum workers. Children that have exited count
 * through the parent's {@code cutime} and {@code cstime} (PostgreSQL's postmaster waits for each of them).
 *
 * <p>Times are in clock ticks of {@code USER_HZ}, which Linux fixes at 100 per second for {@code /proc}.
 */
final class ProcessTreeCpu {

    private static final double TICKS_PER_SECOND = 100;
    private static final Path PROC = Path.of("/proc");

    private final long pid;

    /** The tree under the process {@code pid}. */
    ProcessTreeCpu(long pid) {
        this.pid = pid;
    }

    /** Whether the process can be read here (Linux, and the process exists). */
    boolean readable() {
        return Files.isReadable(PROC.resolve(Long.toString(pid)).resolve("stat"));
    }

    /**
     * User and system time of the process, of its live children and of its children that have exited, so far.
     *
     * @throws IOException when {@code /proc/<pid>/stat} cannot be read
     */
    Duration used() throws IOException {
        long ticks = ticks(pid, true);
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(PROC, "[0-9]*")) {
            for (Path process : processes) {
                long child = Long.parseLong(process.getFileName().toString());
                if (child != pid && parentOf(child) == pid) {
                    ticks += Math.max(0, ticks(child, false));
                }
            }
        }
        return Duration.ofNanos(Math.round(ticks / TICKS_PER_SECOND * 1e9));
    }

    /** The fields after the command name of {@code /proc/<pid>/stat}, or {@code null} when it is gone. */
    private static String[] fields(long pid) {
        try {
            String stat = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        } catch (IOException e) {
            return null;
        }
    }

    private static long parentOf(long pid) {
        String[] fields = fields(pid);
        return fields == null ? -1 : Long.parseLong(fields[1]);
    }

    private static long ticks(long pid, boolean withExitedChildren) throws IOException {
        String[] fields = fields(pid);
        if (fields == null) {
            if (withExitedChildren) {
                throw new IOException("cannot read /proc/" + pid + "/stat");
            }
            return 0;
        }
        // after "pid (comm) ": state(0) ppid(1) ... utime(11) stime(12) cutime(13) cstime(14)
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        if (withExitedChildren) {
            ticks += Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
        }
        return ticks;
    }
}
