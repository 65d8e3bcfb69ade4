package kz.qaqpa.loadtest.matcher;

import java.util.Random;
import kz.qaqpa.blocklist.matcher.Matcher;

/**
 * A synthetic blocklist and query stream for the matcher benchmarks: {@code size} restricted
 * names ({@code site<i>.<tld>}, every other one with its subdomains) and queries of which one in
 * ten is restricted (the name or a name below it) and nine in ten are not.
 */
final class SyntheticBlocklist {

    private static final String[] TLDS = {"kz", "xn--80ao21a", "com", "net", "org", "ru", "info"};

    private SyntheticBlocklist() {
    }

    static String name(int i) {
        return "site" + i + "." + TLDS[i % TLDS.length];
    }

    static Matcher build(int size) {
        Matcher.Builder builder = Matcher.builder();
        for (int i = 0; i < size; i++) {
            builder.addDomain(name(i), i % 2 == 0, "D-" + (i % 50_000));
        }
        return builder.build();
    }

    static String[] queries(int size, int count, long seed) {
        Random random = new Random(seed);
        String[] queries = new String[count];
        for (int i = 0; i < count; i++) {
            int site = random.nextInt(size);
            if (random.nextInt(10) == 0) {
                queries[i] = site % 2 == 0 ? "www." + name(site) : name(site);
            } else {
                queries[i] = "www.allowed" + random.nextInt(10 * size) + "." + TLDS[random.nextInt(TLDS.length)];
            }
        }
        return queries;
    }
}
