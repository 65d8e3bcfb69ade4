package kz.qaqpa.gateway.pull;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.sql.DataSource;
import kz.qaqpa.blocklist.model.BlocklistChange;
import kz.qaqpa.directives.blocklist.ChangeLog;
import kz.qaqpa.pull.Canonical;
import kz.qaqpa.pull.FeedFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Canonical snapshots of the list at given serials, made once and kept on disk
 * ({@code data/snapshots/<serial>.jsonl}, with each format rendered beside it on first request),
 * so that serving the list to many operators costs a file transfer each and memory stays flat.
 *
 * <p>The snapshot at the current serial is made from the last one kept by replaying the change log
 * from its serial, or — when there is none, or the changes in between are too many or pruned —
 * from the database's current set without stopping intakes: read the head (S0), read every entry in
 * one statement (some state between S0 and the head after it, S1), read the head again (S1), and
 * replay the changes (S0, S1] over what was read. Adding, updating and removing a target are
 * idempotent, so every entry ends as it stands at S1. The last {@value #KEEP} snapshots are kept,
 * for operators asking for the manifest of the serial they hold; a serial between two kept ones
 * is replayed from the one before it.
 */
public final class SnapshotStore {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotStore.class);
    static final int KEEP = 8;
    /** Beyond this many changes a snapshot is made from the database rather than replayed. */
    private static final long MAX_REPLAY = 200_000;

    private final DataSource dataSource;
    private final Path dir;
    private final String rpzOrigin;
    /** Kept snapshots by serial. */
    private final TreeMap<Long, Snapshot> kept = new TreeMap<>();

    /** A canonical snapshot at a serial. */
    public record Snapshot(long serial, Canonical canonical) {
    }

    public SnapshotStore(DataSource dataSource, Path dir, String rpzOrigin) {
        this.dataSource = dataSource;
        this.dir = dir;
        this.rpzOrigin = rpzOrigin;
        clear();
    }

    /** The snapshot at the current serial, made when it is not kept yet. */
    public synchronized Snapshot current() throws Exception {
        long head = ChangeLog.currentSerial(dataSource);
        Optional<Snapshot> made = made(head);
        if (made.isPresent()) {
            return made.get();
        }
        Snapshot fresh = fromDatabase();
        keep(fresh);
        return fresh;
    }

    /**
     * The snapshot at {@code serial}: a kept one, or one replayed from the newest kept one before
     * it, or the current one; empty when the serial is older than every kept snapshot.
     */
    public synchronized Optional<Snapshot> at(long serial) throws Exception {
        long head = ChangeLog.currentSerial(dataSource);
        if (serial > head) {
            return Optional.empty();
        }
        Optional<Snapshot> made = made(serial);
        return made.isPresent() || serial != head ? made : Optional.of(current());
    }

    /** A kept snapshot at {@code serial}, or one replayed to it from the newest kept one before it. */
    private Optional<Snapshot> made(long serial) throws Exception {
        Snapshot exact = kept.get(serial);
        if (exact != null) {
            return Optional.of(exact);
        }
        var base = kept.lowerEntry(serial);
        if (base == null || serial - base.getKey() > MAX_REPLAY) {
            return Optional.empty();
        }
        Optional<Snapshot> replayed = replayed(base.getValue(), serial);
        if (replayed.isPresent()) {
            keep(replayed.get());
        }
        return replayed;
    }

    /** The serials whose snapshots are kept, oldest first. */
    public synchronized List<Long> keptSerials() {
        return List.copyOf(kept.keySet());
    }

    /** The snapshot in {@code format}, rendered to a file on first request. */
    public synchronized Path rendered(Snapshot snapshot, FeedFormat format) throws IOException {
        if (format == FeedFormat.JSONL) {
            return snapshot.canonical().file();
        }
        Path file = dir.resolve(snapshot.serial() + "." + format.formatName());
        if (!Files.exists(file)) {
            Path temporary = Files.createTempFile(dir, "." + file.getFileName(), ".part");
            try (BufferedWriter out = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
                format.render(snapshot.canonical().file(), snapshot.serial(), rpzOrigin, out);
            }
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        return file;
    }

    private Optional<Snapshot> replayed(Snapshot base, long head) throws Exception {
        List<BlocklistChange> changes = new ArrayList<>();
        long last = ChangeLog.forEachChange(dataSource, base.serial(), head, changes::add);
        if (last != head || changes.get(0).serial() != base.serial() + 1) {
            return Optional.empty(); // pruned meanwhile
        }
        return Optional.of(new Snapshot(head, Canonical.apply(base.canonical().file(), changes, file(head))));
    }

    private Snapshot fromDatabase() throws Exception {
        long before = ChangeLog.currentSerial(dataSource);
        Path read = dir.resolve("reading.jsonl");
        Canonical entries = Canonical.write(read, sink -> ChangeLog.entries(dataSource, sink));
        long after = ChangeLog.currentSerial(dataSource);
        List<BlocklistChange> between = new ArrayList<>();
        long last = ChangeLog.forEachChange(dataSource, before, after, between::add);
        if (last != after) {
            throw new IllegalStateException("changes after " + last + " are gone");
        }
        Canonical canonical;
        if (between.isEmpty()) {
            Files.move(read, file(after), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            canonical = new Canonical(file(after), entries.count(), entries.sha256());
        } else {
            canonical = Canonical.apply(entries.file(), between, file(after));
            Files.deleteIfExists(read);
        }
        LOG.info("Blocklist snapshot at serial {} made from the database: {} entries", after, canonical.count());
        return new Snapshot(after, canonical);
    }

    private Path file(long serial) {
        return dir.resolve(serial + ".jsonl");
    }

    private void keep(Snapshot snapshot) throws IOException {
        kept.put(snapshot.serial(), snapshot);
        while (kept.size() > KEEP) {
            long gone = kept.pollFirstEntry().getKey();
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : files.filter(f -> f.getFileName().toString().startsWith(gone + ".")).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    /** Snapshots of an earlier run are not trusted: the database may have been replaced meanwhile. */
    private void clear() {
        try {
            Files.createDirectories(dir);
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : files.toList()) {
                    Files.deleteIfExists(file);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use " + dir + " for blocklist snapshots", e);
        }
    }
}
