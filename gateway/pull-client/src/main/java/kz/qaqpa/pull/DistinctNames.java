package kz.qaqpa.pull;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import kz.qaqpa.blocklist.model.BlocklistEntry;
import kz.qaqpa.blocklist.model.BlocklistLines;

/**
 * The names a canonical snapshot makes, each given once, whatever combination of entries makes it:
 * {@code dup.kz} alone and with its subdomains both make {@code dup.kz CNAME .}; the address
 * {@code 203.0.113.99} and the network {@code 203.0.113.99/32} make the same {@code rpz-ip}
 * trigger. PowerDNS Recursor refuses a whole zone, or a whole update, that holds a record twice.
 *
 * <p>Two passes over the file and no list in memory: the first keeps a 64-bit hash of every name
 * that may repeat (8 bytes each, sorted — a wildcard {@code *.name} is made by one entry only and
 * is not kept); the second gives each name whose hash is unique at once, and a name whose hash is
 * not the first time it comes — an exact set holds those, which are few: the real duplicates and
 * the rare hash collision. Names come in the order of the snapshot.
 */
public final class DistinctNames {

    /** Takes a name; may fail with an I/O error. */
    @FunctionalInterface
    public interface Sink {
        void accept(String name) throws IOException;
    }

    private DistinctNames() {
    }

    public static void forEach(Path canonical, Function<BlocklistEntry, List<String>> namesOf, Sink out) throws IOException {
        long[] hashes = new long[1024];
        int count = 0;
        try (BufferedReader in = Files.newBufferedReader(canonical, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                for (String name : namesOf.apply(BlocklistLines.entry(line))) {
                    if (isWildcard(name)) {
                        continue;
                    }
                    if (count == hashes.length) {
                        hashes = Arrays.copyOf(hashes, count * 2);
                    }
                    hashes[count++] = hash(name);
                }
            }
        }
        Arrays.sort(hashes, 0, count);
        Set<String> given = new HashSet<>();
        try (BufferedReader in = Files.newBufferedReader(canonical, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                for (String name : namesOf.apply(BlocklistLines.entry(line))) {
                    if (isWildcard(name) || unique(hashes, count, hash(name)) || given.add(name)) {
                        out.accept(name);
                    }
                }
            }
        }
    }

    /** {@code *.name}: only the entry restricting name with its subdomains makes it. */
    private static boolean isWildcard(String name) {
        return name.startsWith("*.");
    }

    /** Whether {@code hash} occurs once in the sorted {@code hashes[0..count)}. */
    private static boolean unique(long[] hashes, int count, long hash) {
        int at = Arrays.binarySearch(hashes, 0, count, hash);
        return (at == 0 || hashes[at - 1] != hash) && (at == count - 1 || hashes[at + 1] != hash);
    }

    /** FNV-1a over the name's characters, mixed by MurmurHash3's finaliser. */
    static long hash(String name) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < name.length(); i++) {
            h ^= name.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        return h ^ (h >>> 33);
    }
}
