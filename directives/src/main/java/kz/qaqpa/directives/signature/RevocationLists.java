package kz.qaqpa.directives.signature;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.cert.X509CRL;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CRLs a gateway honours, kept in step with their files: {@link #reloadIfChanged} reads a file
 * again when its modification time or size changed (an operator, or a cron job fetching the CA's
 * CRL, replaced it), and keeps the CRLs it had when the new file cannot be read, so a half-written
 * file revokes nothing less. A CRL past its {@code nextUpdate} plus a grace is stale: a revocation
 * made since may be missing from it, and {@link #stale} names it, for readiness to fail on.
 */
public final class RevocationLists {

    private static final Logger LOG = LoggerFactory.getLogger(RevocationLists.class);

    /** One file's CRLs and what the file looked like when they were read. */
    private record Loaded(List<X509CRL> crls, FileTime modified, long size) {
    }

    private final Map<Path, Loaded> files = new LinkedHashMap<>();
    private volatile List<X509CRL> current;

    /** Reads every file now; a file that cannot be read is a configuration error. */
    public RevocationLists(List<Path> crlFiles) {
        for (Path file : crlFiles) {
            files.put(file, read(file));
        }
        current = all();
    }

    /** The CRLs in force. */
    public List<X509CRL> current() {
        return current;
    }

    /** Reads again the files that changed since they were read; returns whether any did. */
    public synchronized boolean reloadIfChanged() {
        boolean changed = false;
        for (Map.Entry<Path, Loaded> entry : files.entrySet()) {
            Path file = entry.getKey();
            try {
                if (!Files.getLastModifiedTime(file).equals(entry.getValue().modified())
                        || Files.size(file) != entry.getValue().size()) {
                    entry.setValue(read(file));
                    changed = true;
                    LOG.info("Read the CRL file {} again", file);
                }
            } catch (IOException | IllegalArgumentException e) {
                LOG.warn("Cannot read the CRL file {} again; the CRLs read before stay in force: {}", file, e.getMessage());
            }
        }
        if (changed) {
            current = all();
        }
        return changed;
    }

    /** The CRLs whose {@code nextUpdate} passed more than {@code grace} ago, each named with its file and issuer. */
    public synchronized List<String> stale(Instant now, Duration grace) {
        List<String> stale = new ArrayList<>();
        files.forEach((file, loaded) -> loaded.crls().forEach(crl -> nextUpdate(crl)
                .filter(next -> next.plus(grace).isBefore(now))
                .ifPresent(next -> stale.add("the CRL of " + crl.getIssuerX500Principal().getName() + " in " + file
                        + " was due for renewal at " + next))));
        return stale;
    }

    /** The earliest moment a CRL falls due, so that a check can be made then. */
    public synchronized Optional<Instant> nextDue() {
        return current.stream().map(RevocationLists::nextUpdate).flatMap(Optional::stream).min(Instant::compareTo);
    }

    private static Optional<Instant> nextUpdate(X509CRL crl) {
        return Optional.ofNullable(crl.getNextUpdate()).map(java.util.Date::toInstant);
    }

    private List<X509CRL> all() {
        return files.values().stream().flatMap(loaded -> loaded.crls().stream()).toList();
    }

    private static Loaded read(Path file) {
        try {
            FileTime modified = Files.getLastModifiedTime(file);
            long size = Files.size(file);
            return new Loaded(TrustSettings.crls(file), modified, size);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the CRL file " + file + ": " + e.getMessage(), e);
        }
    }
}
