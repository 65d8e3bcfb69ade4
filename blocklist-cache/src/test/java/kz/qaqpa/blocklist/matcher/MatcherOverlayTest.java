package kz.qaqpa.blocklist.matcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * A matcher with an overlay of changed names answers every query exactly as a matcher built whole
 * from the same entries: what a filtering node swaps in after a small change must never block a
 * name the list no longer holds, nor let through one it now holds.
 */
class MatcherOverlayTest {

    /** A list state: name → {directive restricting it exactly, directive restricting its subtree}, either null. */
    private static Map<String, String[]> randomList(Random random, List<String> names, int size) {
        Map<String, String[]> list = new HashMap<>();
        for (int i = 0; i < size; i++) {
            restrict(list, names.get(random.nextInt(names.size())), random.nextBoolean(), "D-" + random.nextInt(20));
        }
        return list;
    }

    private static void restrict(Map<String, String[]> list, String name, boolean subtree, String directive) {
        list.computeIfAbsent(name, key -> new String[2])[subtree ? 1 : 0] = directive;
    }

    private static Matcher whole(Map<String, String[]> list) {
        Matcher.Builder builder = Matcher.builder();
        list.forEach((name, restrictions) -> {
            if (restrictions[0] != null) {
                builder.addDomain(name, false, restrictions[0]);
            }
            if (restrictions[1] != null) {
                builder.addDomain(name, true, restrictions[1]);
            }
        });
        return builder.build();
    }

    /** Names in a small tree, so that changes land above, below and beside each other. */
    private static List<String> names() {
        List<String> names = new ArrayList<>();
        for (String tld : List.of("kz", "xn--80ao21a")) {
            names.add(tld);
            for (String second : List.of("a", "b", "c", "d")) {
                String name = second + "." + tld;
                names.add(name);
                for (String third : List.of("www", "m", "x")) {
                    names.add(third + "." + name);
                    names.add("deep." + third + "." + name);
                }
            }
        }
        return names;
    }

    private static String answer(Matcher matcher, String query) {
        int ordinal = matcher.matchDomain(query);
        return ordinal == Matcher.NO_MATCH ? "-" : matcher.directive(ordinal);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void overlaidMatcherAnswersAsTheOneBuiltWhole(long seed) {
        Random random = new Random(seed);
        List<String> names = names();
        Map<String, String[]> list = randomList(random, names, 25);
        Matcher base = whole(list);

        // Changes after the base was built: restrict, lift, re-cite, each exact or subtree.
        Set<String> touched = new HashSet<>();
        for (int change = 0; change < 30; change++) {
            String name = names.get(random.nextInt(names.size()));
            int kind = random.nextInt(2);
            String[] restrictions = list.computeIfAbsent(name, key -> new String[2]);
            restrictions[kind] = random.nextInt(3) == 0 ? null : "D-" + random.nextInt(40);
            if (restrictions[0] == null && restrictions[1] == null) {
                list.remove(name);
            }
            touched.add(name);
        }
        Matcher.Builder changed = Matcher.builder();
        for (String name : touched) {
            String[] now = list.get(name);
            if (now == null) {
                changed.removeDomain(name);
                continue;
            }
            if (now[0] == null || now[1] == null) {
                changed.removeDomain(name);
            }
            if (now[0] != null) {
                changed.addDomain(name, false, now[0]);
            }
            if (now[1] != null) {
                changed.addDomain(name, true, now[1]);
            }
        }
        Matcher overlaid = base.withDomainOverlay(changed.build());
        Matcher rebuilt = whole(list);

        assertThat(overlaid.domainCount()).isEqualTo(rebuilt.domainCount());
        for (String name : names) {
            for (String query : List.of(name, "other." + name, name.toUpperCase() + ".")) {
                assertThat(answer(overlaid, query)).as("%s (seed %d)", query, seed).isEqualTo(answer(rebuilt, query));
            }
        }
        assertThat(answer(overlaid, "unrelated.org")).isEqualTo("-");
    }

    /**
     * A node makes each overlay from the last one and the names changed since. Round after round
     * — names restricted, lifted and re-cited again, the overlay growing past the size its filter
     * was made for — the result answers as a matcher built whole, and the overlay it was made from
     * still answers as before: queries are still reading it while the next one is built.
     */
    @ParameterizedTest
    @ValueSource(longs = {11, 12, 13, 14, 15, 16})
    void anOverlayMadeFromTheLastOneAndTheChangesSinceAnswersAsTheOneBuiltWhole(long seed) {
        Random random = new Random(seed);
        List<String> names = names();
        Map<String, String[]> list = randomList(random, names, 20);
        Matcher base = whole(list);
        Matcher lastOverlay = null;
        Matcher lastOverlaid = base;
        Map<String, String> lastAnswers = answers(base, names);
        for (int round = 0; round < 8; round++) {
            Set<String> touched = new HashSet<>();
            for (int change = 0; change < 8; change++) {
                String name = names.get(random.nextInt(names.size()));
                String[] restrictions = list.computeIfAbsent(name, key -> new String[2]);
                restrictions[random.nextInt(2)] = random.nextInt(3) == 0 ? null : "D-" + random.nextInt(40);
                if (restrictions[0] == null && restrictions[1] == null) {
                    list.remove(name);
                }
                touched.add(name);
            }
            Matcher.Builder next = lastOverlay == null ? Matcher.builder() : Matcher.builder(lastOverlay);
            for (String name : touched) {
                next.removeDomain(name);
                String[] now = list.getOrDefault(name, new String[2]);
                for (int kind = 0; kind < 2; kind++) {
                    if (now[kind] != null) {
                        next.addDomain(name, kind == 1, now[kind]);
                    }
                }
            }
            Matcher overlay = next.build();
            Matcher overlaid = base.withDomainOverlay(overlay);

            assertThat(answers(lastOverlaid, names)).as("the overlay made from is unchanged (seed %d, round %d)", seed, round)
                    .isEqualTo(lastAnswers);
            assertThat(answers(overlaid, names)).as("seed %d, round %d", seed, round).isEqualTo(answers(whole(list), names));
            assertThat(overlaid.domainCount()).isEqualTo(whole(list).domainCount());
            lastOverlay = overlay;
            lastOverlaid = overlaid;
            lastAnswers = answers(overlaid, names);
        }
    }

    /** Every name's answer, and a name below it's. */
    private static Map<String, String> answers(Matcher matcher, List<String> names) {
        Map<String, String> answers = new HashMap<>();
        for (String name : names) {
            answers.put(name, answer(matcher, name));
            answers.put("other." + name, answer(matcher, "other." + name));
        }
        return answers;
    }

    @Test
    void onlyAnOverlayOfDomainNamesSeedsABuilder() {
        Matcher withAddress = Matcher.builder().addDomain("a.kz", false, "D-1")
                .addNetwork(new byte[] {10, 0, 0, 1}, 32, "D-2").build();
        Matcher base = Matcher.builder().addDomain("a.kz", false, "D-1").build();
        Matcher overlaid = base.withDomainOverlay(Matcher.builder().removeDomain("a.kz").build());

        assertThatThrownBy(() -> Matcher.builder(withAddress)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Matcher.builder(overlaid)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anOverlayIsLaidOnlyOverAMatcherBuiltWhole() {
        Matcher base = Matcher.builder().addDomain("a.kz", false, "D-1").build();
        Matcher once = base.withDomainOverlay(Matcher.builder().removeDomain("a.kz").build());

        assertThat(once.matchDomain("a.kz")).isEqualTo(Matcher.NO_MATCH);
        assertThatThrownBy(() -> once.withDomainOverlay(Matcher.builder().build())).isInstanceOf(IllegalStateException.class);
    }
}
