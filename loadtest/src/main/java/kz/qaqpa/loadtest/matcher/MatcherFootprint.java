package kz.qaqpa.loadtest.matcher;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import kz.qaqpa.blocklist.matcher.Matcher;

/**
 * Heap bytes per domain entry of a built matcher: the GC-settled used heap after building it,
 * minus the same before, divided by the entries. Prints one table row per size.
 *
 * <pre>mvn -q -pl loadtest exec:exec -Dbenchmark=kz.qaqpa.loadtest.matcher.MatcherFootprint -Dargs="100000 1000000"</pre>
 */
public final class MatcherFootprint {

    public static void main(String[] args) throws InterruptedException {
        String[] sizes = String.join(" ", args).trim().split("\\s+");
        System.out.println("| domains | heap bytes | bytes per domain |");
        System.out.println("|---|---|---|");
        for (String size : sizes) {
            int entries = Integer.parseInt(size);
            long before = settledHeap();
            Matcher matcher = SyntheticBlocklist.build(entries);
            long after = settledHeap();
            System.out.printf("| %,d | %,d | %.1f |%n", entries, after - before, (after - before) / (double) entries);
            if (matcher.domainCount() != entries) {
                throw new IllegalStateException("built " + matcher.domainCount());
            }
        }
    }

    static long settledHeap() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 10; i++) {
            System.gc();
            Thread.sleep(50); // lets the collector finish; this measures memory, not time
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
