package kz.qaqpa.blocklist.matcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class MatcherTest {

    private final Matcher matcher = Matcher.builder()
            .addDomain("example.kz", false, "D-EXACT")
            .addDomain("casino.kz", true, "D-SUBTREE")
            .addDomain("deep.casino.kz", false, "D-DEEP")
            .addDomain("xn--e1anb.xn--80ao21a", true, "D-IDN")
            .addUrl("http://video.example.com/watch?v=1", "video.example.com", "D-URL")
            .addNetwork(bytes("203.0.113.7"), 32, "D-ADDRESS")
            .addNetwork(bytes("198.51.100.0"), 24, "D-NET24")
            .addNetwork(bytes("198.51.100.128"), 25, "D-NET25")
            .addNetwork(bytes("2001:db8::"), 32, "D-NET6")
            .build();

    @Test
    void exactEntryCoversTheNameOnly() {
        assertThat(directive(matcher.matchDomain("example.kz"))).isEqualTo("D-EXACT");
        assertThat(matcher.matchDomain("www.example.kz")).isEqualTo(Matcher.NO_MATCH);
    }

    @Test
    void subtreeEntryCoversTheNameAndEverythingBelowIt() {
        assertThat(directive(matcher.matchDomain("casino.kz"))).isEqualTo("D-SUBTREE");
        assertThat(directive(matcher.matchDomain("a.b.c.casino.kz"))).isEqualTo("D-SUBTREE");
    }

    @ParameterizedTest
    @ValueSource(strings = {"notcasino.kz", "casino.kz.evil.com", "kz", "asino.kz", "casino.com", "ample.kz"})
    void onlyWholeLabelsMatch(String name) {
        assertThat(matcher.matchDomain(name)).isEqualTo(Matcher.NO_MATCH);
    }

    @Test
    void mostSpecificEntryIsCited() {
        assertThat(directive(matcher.matchDomain("deep.casino.kz"))).isEqualTo("D-DEEP");
        assertThat(directive(matcher.matchDomain("x.deep.casino.kz"))).isEqualTo("D-SUBTREE");
    }

    @Test
    void caseAndTrailingDotDoNotMatter() {
        assertThat(directive(matcher.matchDomain("WWW.Casino.KZ."))).isEqualTo("D-SUBTREE");
        assertThat(directive(matcher.matchDomain("Sub.XN--E1ANB.xn--80ao21a"))).isEqualTo("D-IDN");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "..", "a..casino.kz", ".casino.kz"})
    void malformedNamesMatchNothing(String name) {
        // An empty label makes it no name at all, even below a restricted one.
        assertThat(matcher.matchDomain(name)).isEqualTo(Matcher.NO_MATCH);
    }

    @Test
    void urlHostsAreAHintOfTheirOwn() {
        assertThat(directive(matcher.matchUrlHost("video.example.com"))).isEqualTo("D-URL");
        assertThat(matcher.matchDomain("video.example.com")).isEqualTo(Matcher.NO_MATCH);
    }

    @Test
    void aUrlMatchesWholeAndExactly() {
        assertThat(directive(matcher.matchUrl("http://video.example.com/watch?v=1"))).isEqualTo("D-URL");
        assertThat(matcher.matchUrl("http://video.example.com/watch?v=2")).isEqualTo(Matcher.NO_MATCH);
        assertThat(matcher.matchUrl("http://video.example.com/watch")).isEqualTo(Matcher.NO_MATCH);
    }

    @Test
    void addressesMatchByLongestPrefix() {
        assertThat(directive(matcher.matchAddress(bytes("203.0.113.7")))).isEqualTo("D-ADDRESS");
        assertThat(matcher.matchAddress(bytes("203.0.113.8"))).isEqualTo(Matcher.NO_MATCH);
        assertThat(directive(matcher.matchAddress(bytes("198.51.100.5")))).isEqualTo("D-NET24");
        assertThat(directive(matcher.matchAddress(bytes("198.51.100.200")))).isEqualTo("D-NET25");
        assertThat(directive(matcher.matchAddress(bytes("2001:db8:ffff::1")))).isEqualTo("D-NET6");
        assertThat(matcher.matchAddress(bytes("2001:db9::1"))).isEqualTo(Matcher.NO_MATCH);
        assertThat(matcher.matchAddress(new byte[5])).isEqualTo(Matcher.NO_MATCH);
    }

    @Test
    void aNameOfManyOctetsIsHeldWhole() {
        String label = "a".repeat(63);
        String longest = String.join(".", label, label, label, "b".repeat(61)); // 253 octets, as long as a name gets
        String beyond = "c".repeat(300) + ".kz"; // no DNS name, but a host may be written so
        Matcher built = Matcher.builder().addDomain(longest, false, "D-LONG").addDomain(beyond, true, "D-BEYOND").build();
        assertThat(built.directive(built.matchDomain(longest.toUpperCase()))).isEqualTo("D-LONG");
        assertThat(built.matchDomain(longest.substring(1))).isEqualTo(Matcher.NO_MATCH);
        assertThat(built.matchDomain(longest.substring(0, 252) + "c")).isEqualTo(Matcher.NO_MATCH);
        assertThat(built.directive(built.matchDomain("www." + beyond))).isEqualTo("D-BEYOND");
        assertThat(built.matchDomain(beyond.substring(1))).isEqualTo(Matcher.NO_MATCH);
    }

    @Test
    void emptyMatcherMatchesNothing() {
        Matcher empty = Matcher.builder().build();
        assertThat(empty.matchDomain("example.kz")).isEqualTo(Matcher.NO_MATCH);
        assertThat(empty.matchAddress(bytes("203.0.113.7"))).isEqualTo(Matcher.NO_MATCH);
    }

    /**
     * How the builder was told the list's size: not at all, exactly (the table is allocated once),
     * too small (it grows) or too large (it is trimmed). Every way builds the same matcher.
     */
    enum Sizing { NONE, EXACT, TOO_SMALL, TOO_LARGE }

    /** Many names over few labels, so suffixes are shared; compared with the obvious implementation. */
    @ParameterizedTest
    @EnumSource(Sizing.class)
    void agreesWithANaiveSuffixWalkOnRandomLists(Sizing sizing) {
        String[] labels = {"a", "b", "kz", "com", "xn--80ao21a", "www", "m", "cdn", "mail", "q1"};
        for (long seed = 1; seed <= 20; seed++) {
            Random random = new Random(seed);
            Map<String, String> exact = new HashMap<>();
            Map<String, String> subtree = new HashMap<>();
            // The same names the loop below draws, to count them first.
            Random ahead = new Random(seed);
            Set<String> distinct = new HashSet<>();
            for (int i = 0; i < 300; i++) {
                distinct.add(randomName(ahead, labels, 2 + ahead.nextInt(3)));
                ahead.nextBoolean();
            }
            int octets = distinct.stream().mapToInt(String::length).sum();
            Matcher.Builder builder = switch (sizing) {
                case NONE -> Matcher.builder();
                case EXACT -> Matcher.builder(distinct.size(), octets);
                case TOO_SMALL -> Matcher.builder(distinct.size() / 7, octets / 9);
                case TOO_LARGE -> Matcher.builder(3 * distinct.size(), 5L * octets);
            };
            List<String> names = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                String name = randomName(random, labels, 2 + random.nextInt(3));
                boolean below = random.nextBoolean();
                String directive = "D" + i;
                builder.addDomain(name, below, directive);
                (below ? subtree : exact).putIfAbsent(name, directive);
                names.add(name);
            }
            Matcher built = builder.build();
            for (int i = 0; i < 3_000; i++) {
                String query = random.nextInt(3) == 0
                        ? randomName(random, labels, 1) + "." + names.get(random.nextInt(names.size()))
                        : randomName(random, labels, 1 + random.nextInt(5));
                int found = built.matchDomain(query);
                String expected = naive(query, exact, subtree);
                assertThat(found == Matcher.NO_MATCH ? null : built.directive(found))
                        .as("seed %d query %s", seed, query).isEqualTo(expected);
            }
        }
    }

    private static String naive(String query, Map<String, String> exact, Map<String, String> subtree) {
        String found = null;
        String[] parts = query.split("\\.");
        for (int start = parts.length - 1; start >= 0; start--) {
            String suffix = String.join(".", Arrays.copyOfRange(parts, start, parts.length));
            if (start == 0 && exact.containsKey(suffix)) {
                found = exact.get(suffix);
            } else if (subtree.containsKey(suffix)) {
                found = subtree.get(suffix);
            }
        }
        return found;
    }

    private static String randomName(Random random, String[] labels, int count) {
        StringBuilder name = new StringBuilder();
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                name.append('.');
            }
            name.append(labels[random.nextInt(labels.length)]);
        }
        return name.toString();
    }

    private String directive(int ordinal) {
        assertThat(ordinal).as("matched").isNotEqualTo(Matcher.NO_MATCH);
        return matcher.directive(ordinal);
    }

    private static byte[] bytes(String address) {
        try {
            return InetAddress.getByName(address).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
