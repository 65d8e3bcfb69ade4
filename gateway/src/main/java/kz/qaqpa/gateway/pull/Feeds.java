package kz.qaqpa.gateway.pull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Deque;
import java.util.Optional;
import kz.qaqpa.adapters.recipient.RecipientReceipts;
import kz.qaqpa.directives.blocklist.BlocklistLog;
import kz.qaqpa.directives.signature.DocumentSigner;
import kz.qaqpa.directives.store.Database;
import kz.qaqpa.gateway.StartupException;
import kz.qaqpa.gateway.config.GatewayConfig;
import kz.qaqpa.gateway.log.LogHandlers;
import kz.qaqpa.gateway.log.TreeHeads;

/**
 * What operators pull, started: the snapshots and the feeds over HTTP (JSON lines, CSV, RPZ, the
 * signed manifest), the blocklist's Merkle log with its signed tree heads and proofs, and the zone
 * transfers of the policy zone unless {@code xfr-port} is -1.
 *
 * @param handlers      the feeds' routes
 * @param log           the log's routes
 * @param heads         the log's signed tree heads, which the publisher also puts into the cluster
 * @param zoneTransfers the AXFR/IXFR service, when it runs
 */
public record Feeds(BlocklistHandlers handlers, LogHandlers log, TreeHeads heads, Optional<ZoneTransfers> zoneTransfers) {

    /**
     * Starts the feeds; manifests and tree heads are signed by {@code signer}; what has to be stopped
     * is pushed on {@code started}. A database from before the Merkle log has it built first.
     */
    public static Feeds start(GatewayConfig config, Database database, DocumentSigner signer, Clock clock,
                              Deque<AutoCloseable> started) {
        try {
            BlocklistLog.complete(database.dataSource());
        } catch (SQLException | IllegalStateException e) {
            throw new StartupException("cannot start: " + e.getMessage(), e);
        }
        TreeHeads heads = new TreeHeads(database.dataSource(), signer, clock, config.feed().sthInterval(),
                config.feed().maxStaleness());
        SnapshotStore snapshots = new SnapshotStore(database.dataSource(), config.dataDir().resolve("snapshots"),
                config.feed().rpzOrigin());
        BlocklistHandlers handlers = new BlocklistHandlers(snapshots, database.dataSource(), signer, scratch(config), heads);
        Optional<ZoneTransfers> transfers = Optional.empty();
        if (config.feed().xfrPort() >= 0) {
            transfers = Optional.of(zoneTransfers(config, snapshots, database));
            started.push(transfers.get());
        }
        return new Feeds(handlers, new LogHandlers(heads, database.dataSource(),
                new RecipientReceipts(database.dataSource()), clock), heads, transfers);
    }

    private static ZoneTransfers zoneTransfers(GatewayConfig config, SnapshotStore snapshots, Database database) {
        try {
            return ZoneTransfers.start(config.feed(), snapshots, database.dataSource());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartupException("interrupted while starting zone transfers", e);
        } catch (IllegalArgumentException e) {
            throw new StartupException("cannot start zone transfers: xfr-tsig-keys: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new StartupException("cannot start zone transfers on " + config.feed().xfrHost() + ":"
                    + config.feed().xfrPort() + " (xfr-port; -1 turns them off): " + e.getMessage(), e);
        }
    }

    /** A directory for files made for one answer (change pages), emptied at every start. */
    private static Path scratch(GatewayConfig config) {
        Path dir = config.dataDir().resolve("tmp");
        try {
            Files.createDirectories(dir);
            try (var files = Files.list(dir)) {
                for (Path file : files.toList()) {
                    Files.deleteIfExists(file);
                }
            }
            return dir;
        } catch (IOException e) {
            throw new StartupException("cannot use " + dir + ": " + e, e);
        }
    }
}
