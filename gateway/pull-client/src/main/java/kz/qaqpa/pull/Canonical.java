package kz.qaqpa.pull;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import kz.qaqpa.blocklist.model.BlocklistChange;
import kz.qaqpa.blocklist.model.BlocklistEntry;
import kz.qaqpa.blocklist.model.BlocklistKey;
import kz.qaqpa.blocklist.model.BlocklistLines;
import kz.qaqpa.blocklist.model.Sha256;
import kz.qaqpa.blocklist.model.log.SetHash;

/**
 * The canonical snapshot: one {@link BlocklistLines#line(BlocklistEntry)} per restricted target, each ending in a line
 * feed, ordered by {@link BlocklistEntry#order()}, UTF-8. Its SHA-256 and line count are what a manifest
 * states; a gateway and an operator that hold the same list hold the same bytes.
 *
 * @param file   where it is
 * @param count  how many entries
 * @param sha256 SHA-256 of the file's bytes, hex
 */
public record Canonical(Path file, long count, String sha256) {

    /** Where entries come from, in canonical order. */
    @FunctionalInterface
    public interface Source {
        void forEach(Consumer<BlocklistEntry> sink) throws Exception;
    }

    /** Writes entries that come in canonical order to {@code target}, replacing it at once when done. */
    public static Canonical write(Path target, Source ordered) throws Exception {
        try (Sink sink = new Sink(target)) {
            String[] previous = {""};
            ordered.forEach(entry -> {
                String order = entry.order();
                if (order.compareTo(previous[0]) <= 0) {
                    throw new IllegalStateException("entries out of canonical order at " + entry.key());
                }
                sink.add(entry);
                previous[0] = order;
            });
            return sink.finish();
        }
    }

    /**
     * {@code base} with {@code changes} (in serial order) applied, written to {@code target}. Memory
     * grows with the changes, not with the list.
     */
    public static Canonical apply(Path base, List<BlocklistChange> changes, Path target) throws IOException {
        TreeMap<String, List<BlocklistChange>> byOrder = new TreeMap<>();
        for (BlocklistChange change : changes) {
            byOrder.computeIfAbsent(BlocklistKey.sha256(change.key()), order -> new ArrayList<>()).add(change);
        }
        try (BufferedReader in = Files.newBufferedReader(base, StandardCharsets.UTF_8); Sink sink = new Sink(target)) {
            String line;
            while ((line = in.readLine()) != null) {
                BlocklistEntry entry = BlocklistLines.entry(line);
                String order = entry.order();
                while (!byOrder.isEmpty() && byOrder.firstKey().compareTo(order) < 0) {
                    fold(Optional.empty(), byOrder.pollFirstEntry().getValue()).ifPresent(sink::add);
                }
                List<BlocklistChange> own = byOrder.remove(order);
                (own == null ? Optional.of(entry) : fold(Optional.of(entry), own)).ifPresent(sink::add);
            }
            for (List<BlocklistChange> rest : byOrder.values()) {
                fold(Optional.empty(), rest).ifPresent(sink::add);
            }
            return sink.finish();
        }
    }

    /** The {@link SetHash} digest of the set the file holds: each target under the directive it cites. */
    public static String setHash(Path file) throws IOException {
        SetHash set = SetHash.empty();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                BlocklistEntry entry = BlocklistLines.entry(line);
                set.add(entry.key(), entry.directive());
            }
        }
        return set.digest();
    }

    /** Reads the count and SHA-256 of a file as it is now. */
    public static Canonical of(Path file) throws IOException {
        MessageDigest digest = Sha256.digest();
        long count = 0;
        try (var in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            int read;
            while ((read = in.read(buffer)) > 0) {
                digest.update(buffer, 0, read);
                for (int i = 0; i < read; i++) {
                    if (buffer[i] == '\n') {
                        count++;
                    }
                }
            }
        }
        return new Canonical(file, count, Sha256.hex(digest));
    }

    private static Optional<BlocklistEntry> fold(Optional<BlocklistEntry> entry, List<BlocklistChange> changes) {
        Optional<BlocklistEntry> state = entry;
        for (BlocklistChange change : changes) {
            state = change.applyTo(state);
        }
        return state;
    }

    /** Lines into a temporary file beside the target, digested as they are written; moved into place at the end. */
    private static final class Sink implements AutoCloseable {

        private final Path target;
        private final Path temporary;
        private final MessageDigest digest = Sha256.digest();
        private final Writer out;
        private long count;
        private boolean finished;

        Sink(Path target) throws IOException {
            this.target = target;
            Path dir = target.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            this.temporary = Files.createTempFile(dir, "." + target.getFileName(), ".part");
            this.out = new BufferedWriter(new OutputStreamWriter(
                    new DigestOutputStream(Files.newOutputStream(temporary), digest), StandardCharsets.UTF_8), 1 << 16);
        }

        void add(BlocklistEntry entry) {
            try {
                out.write(BlocklistLines.line(entry));
                out.write('\n');
                count++;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        Canonical finish() throws IOException {
            out.close();
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            finished = true;
            return new Canonical(target, count, Sha256.hex(digest));
        }

        @Override
        public void close() throws IOException {
            if (!finished) {
                out.close();
                Files.deleteIfExists(temporary);
            }
        }
    }
}
