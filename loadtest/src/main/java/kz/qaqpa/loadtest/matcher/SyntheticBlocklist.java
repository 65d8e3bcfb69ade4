package kz.qaqpa.loadtest.matcher;

import java.util.Random;
import kz.qaqpa.blocklist.matcher.Matcher;
import kz.qaqpa.loadtest.SyntheticNames;

/**
 * The synthetic list ({@link SyntheticNames}) as a matcher, and a query stream of which one in ten
 * is restricted (the name or a name below it) and nine in ten are not.
 */
final class SyntheticBlocklist {

    private SyntheticBlocklist() {
    }

    static Matcher build(int size) {
        Matcher.Builder builder = Matcher.builder();
        for (int i = 0; i < size; i++) {
            builder.addDomain(SyntheticNames.name(i), SyntheticNames.withSubdomains(i), "D-" + (i % 50_000));
        }
        return builder.build();
    }

    static String[] queries(int size, int count, long seed) {
        Random random = new Random(seed);
        String[] queries = new String[count];
        for (int i = 0; i < count; i++) {
            int site = random.nextInt(size);
            if (random.nextInt(10) == 0) {
                queries[i] = SyntheticNames.restrictedQuery(site);
            } else {
                queries[i] = SyntheticNames.allowedQuery(random.nextInt(10 * size));
            }
        }
        return queries;
    }
}
