package kz.qaqpa.gateway.pull;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import kz.qaqpa.blocklist.model.BlocklistChange;
import kz.qaqpa.blocklist.model.BlocklistLines;
import kz.qaqpa.directives.document.DirectiveJson;
import kz.qaqpa.gateway.SigningGateway;
import kz.qaqpa.gateway.config.DeliverySettings;
import kz.qaqpa.pull.Canonical;
import kz.qaqpa.pull.FeedFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * For random sequences of RESTRICT and RESTORE directives (seeded, so a failure can be replayed):
 * the snapshot at N with the changes from N to M applied is the snapshot at M, byte for byte, in
 * every format.
 */
class FeedConsistencyTest {

    private static final String[] NAMES = {"a.kz", "b.kz", "c.kz", "shop.b.kz", "сайт.қаз", "d.kz"};
    private static final String[] ADDRESSES = {"192.0.2.1", "198.51.100.0/24", "2001:db8::7"};

    @TempDir
    Path dir;

    private SigningGateway authority;
    private String token;
    private final List<String> active = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        authority = new SigningGateway(dir, DeliverySettings.defaults());
        token = authority.register("consistent", "OPERATOR", "PULL_ONLY", null);
    }

    @AfterEach
    void stop() {
        authority.close();
    }

    @Test
    void snapshotThenChangesEqualsTheLaterSnapshotInEveryFormat() throws Exception {
        for (long seed : new long[] {1, 2, 3}) {
            Random random = new Random(seed);
            List<Long> snapshotSerials = new ArrayList<>();
            List<Path> snapshots = new ArrayList<>();
            for (int step = 0; step < 12; step++) {
                directive(random, seed + "-" + step);
                if (random.nextInt(3) == 0 || step == 0) {
                    long serial = serialOfTheList();
                    Path file = dir.resolve("snapshot-" + seed + "-" + step + ".jsonl");
                    Files.writeString(file, body("/api/v1/blocklist?format=jsonl"));
                    snapshotSerials.add(serial);
                    snapshots.add(file);
                }
            }
            long latest = serialOfTheList();
            for (int i = 0; i < snapshots.size(); i++) {
                long since = snapshotSerials.get(i);
                List<BlocklistChange> changes = body("/api/v1/blocklist/changes?since=" + since).lines().map(BlocklistLines::change).toList();
                Path applied = dir.resolve("applied-" + seed + "-" + i + ".jsonl");
                Canonical canonical = Canonical.apply(snapshots.get(i), changes, applied);

                String seedAndSerial = "seed " + seed + ", from serial " + since + " to " + latest;
                assertThat(Files.readString(applied)).as(seedAndSerial).isEqualTo(body("/api/v1/blocklist?format=jsonl"));
                JsonObject manifest = new JsonObject(body("/api/v1/blocklist/manifest?serial=" + latest));
                assertThat(canonical.sha256()).as(seedAndSerial).isEqualTo(manifest.getString("sha256"));
                for (FeedFormat format : FeedFormat.values()) {
                    StringWriter rendered = new StringWriter();
                    format.render(applied, latest, "rpz.qaqpa.", rendered);
                    assertThat(rendered.toString()).as(seedAndSerial + ", " + format)
                            .isEqualTo(body("/api/v1/blocklist?format=" + format.formatName()));
                }
            }
        }
    }

    /** A RESTRICT of a few random targets, or — one time in three, when there is one — the RESTORE of an active one. */
    private void directive(Random random, String number) throws Exception {
        if (!active.isEmpty() && random.nextInt(3) == 0) {
            String cancelled = active.remove(random.nextInt(active.size()));
            authority.submit(DirectiveJson.restore("R-" + number, cancelled));
            return;
        }
        DirectiveJson restrict = DirectiveJson.restrict("D-" + number);
        Set<String> used = new HashSet<>();
        int targets = 1 + random.nextInt(3);
        for (int i = 0; i < targets; i++) {
            boolean address = random.nextInt(4) == 0;
            String value = address ? ADDRESSES[random.nextInt(ADDRESSES.length)] : NAMES[random.nextInt(NAMES.length)];
            if (!used.add(value)) {
                continue; // a directive names a target once
            }
            if (address) {
                restrict.target(value.contains("/") ? "CIDR" : "IP", value);
            } else {
                restrict.domain(value, random.nextBoolean());
            }
        }
        authority.submit(restrict);
        active.add("D-" + number);
    }

    private long serialOfTheList() throws Exception {
        return Long.parseLong(authority.as(token, "GET", "/api/v1/blocklist?format=domains", null).headers()
                .firstValue("Blocklist-Serial").orElseThrow());
    }

    private String body(String path) throws Exception {
        var response = authority.as(token, "GET", path, null);
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return new String(response.body().getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    }
}
