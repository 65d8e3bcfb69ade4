package kz.qaqpa.pull;

import java.io.BufferedReader;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.function.Consumer;
import kz.qaqpa.blocklist.model.BlocklistEntry;
import kz.qaqpa.blocklist.model.BlocklistLines;
import kz.qaqpa.blocklist.model.PolicyZoneApex;
import kz.qaqpa.blocklist.model.SnapshotSource;

/**
 * A filtering node's way to the gateway's list when the cluster does not give one that verifies:
 * the operator's pull client, run into a directory of the node's own (no output files, only its
 * verified copy), read back as entries. Everything {@code qaqpa pull} checks is checked — the
 * signed manifest and the sizes it states, an unexpired head extending the history verified
 * before, the set hash — and the node checks head and set hash again itself.
 */
public final class FeedSnapshots implements SnapshotSource {

    private final PullClient client;

    /**
     * @param gateway the gateway's base URL, ending in {@code /}
     * @param dir     the node's own directory for the copy (created when missing)
     */
    public FeedSnapshots(URI gateway, String token, X509Certificate gatewayCertificate, Path dir) {
        this.client = new PullClient(gateway, token, gatewayCertificate, dir);
    }

    @Override
    public byte[] refresh() throws IOException, InterruptedException {
        return client.pull(List.of(), PolicyZoneApex.DEFAULT_ORIGIN).head();
    }

    @Override
    public void entries(Consumer<BlocklistEntry> sink) throws IOException {
        try (BufferedReader in = Files.newBufferedReader(client.verifiedCopy(), StandardCharsets.UTF_8)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                sink.accept(BlocklistLines.entry(line));
            }
        }
    }
}
