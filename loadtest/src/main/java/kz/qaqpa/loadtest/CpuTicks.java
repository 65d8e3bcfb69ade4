package kz.qaqpa.loadtest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The time the machine's cores spent working, from {@code /proc/stat}, in its clock ticks (100 a
 * second on Linux): user, nice, system, irq and softirq — not idle, I/O wait, or the time a
 * hypervisor gave to others (steal).
 */
public record CpuTicks(long busy, long total) {

    public static final double PER_SECOND = 100;

    /** Since boot, for {@code cpu}: "cpu" for every core together, "cpu0", "cpu1"… for one. */
    public static CpuTicks of(String cpu) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/stat"))) {
            String[] fields = line.trim().split("\\s+");
            if (!fields[0].equals(cpu)) {
                continue;
            }
            long busy = 0;
            long total = 0;
            for (int i = 1; i <= 8 && i < fields.length; i++) { // user nice system idle iowait irq softirq steal
                long ticks = Long.parseLong(fields[i]);
                total += ticks;
                busy += i == 4 || i == 5 || i == 8 ? 0 : ticks;
            }
            return new CpuTicks(busy, total);
        }
        throw new IOException("/proc/stat has no line for " + cpu);
    }

    /** Seconds of work since boot. */
    public double busySeconds() {
        return busy / PER_SECOND;
    }

    /** The share of the time since {@code earlier} that the core or cores worked, 0 to 1. */
    public double busyShareSince(CpuTicks earlier) {
        long elapsed = total - earlier.total;
        return elapsed == 0 ? 0 : (busy - earlier.busy) / (double) elapsed;
    }
}
