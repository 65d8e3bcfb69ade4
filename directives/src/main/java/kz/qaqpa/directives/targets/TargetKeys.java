package kz.qaqpa.directives.targets;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import kz.qaqpa.blocklist.model.BlocklistKey;

/** The blocklist keys a free text may mean, for look-ups by people (the public look-up, appeals). */
public final class TargetKeys {

    private TargetKeys() {
    }

    /**
     * The keys a person may mean by {@code text}: a name (alone or with its subdomains), a URL, an
     * address or a network — whichever of these it normalises as. Empty when it is none of them.
     */
    public static List<String> candidates(String text) {
        Set<String> keys = new LinkedHashSet<>();
        add(keys, () -> TargetNormaliser.domain(text, false));
        add(keys, () -> TargetNormaliser.domain(text, true));
        add(keys, () -> TargetNormaliser.url(text));
        add(keys, () -> TargetNormaliser.ip(text));
        add(keys, () -> TargetNormaliser.cidr(text));
        return List.copyOf(keys);
    }

    private static void add(Set<String> keys, Supplier<Target> normalise) {
        try {
            keys.add(normalise.get().key());
        } catch (InvalidTargetException e) {
            // Not this kind of target; the others are tried.
        }
    }

    /**
     * The blocklist keys that would restrict a resource: the resource itself in every form it may
     * mean, and each name above its host restricted with its subdomains ({@code *.casino.kz}
     * covers {@code www.casino.kz} and a URL on it).
     */
    public static Set<String> covering(String resource) {
        Set<String> keys = new LinkedHashSet<>(candidates(resource));
        Optional<String> host = Optional.empty();
        try {
            host = Optional.of(TargetNormaliser.domain(resource, false).name());
        } catch (InvalidTargetException notADomain) {
            try {
                host = Optional.ofNullable(TargetNormaliser.url(resource).host());
            } catch (InvalidTargetException notAUrl) {
                // an address or network: its candidates say it all
            }
        }
        host.ifPresent(name -> {
            keys.add(BlocklistKey.domain(name, false));
            String suffix = name;
            while (true) {
                keys.add(BlocklistKey.domain(suffix, true));
                int dot = suffix.indexOf('.');
                if (dot < 0) {
                    break;
                }
                suffix = suffix.substring(dot + 1);
            }
        });
        return keys;
    }
}
