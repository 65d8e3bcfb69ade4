package kz.qaqpa.gateway.fanout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Iterator;
import java.util.Set;
import kz.qaqpa.adapters.recipient.ChannelKind;
import kz.qaqpa.adapters.recipient.InvalidRecipientException;
import kz.qaqpa.adapters.recipient.RecipientStore;
import kz.qaqpa.adapters.recipient.Role;
import kz.qaqpa.gateway.StartupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recipients listed in the configuration ({@code recipients-file}): registered at start, or brought
 * in step with the file when they exist. An entry carries the SHA-256 of the recipient's token, so
 * the token itself never passes through the gateway's configuration:
 *
 * <pre>
 * - id: kcell
 *   name: Kcell JSC
 *   bin: "990740000029"
 *   role: OPERATOR            # or STATE_TECHNICAL_SERVICE
 *   channel: WEBHOOK          # FTP, EMAIL, PULL_ONLY
 *   settings: {url: "https://qaqpa.kcell.kz/directives"}
 *   token-sha256: 5e88…      # printf %s "$TOKEN" | sha256sum
 * </pre>
 */
public final class RecipientsFile {

    private static final Logger LOG = LoggerFactory.getLogger(RecipientsFile.class);
    private static final Set<String> FIELDS = Set.of("id", "name", "bin", "role", "channel", "settings", "token-sha256");

    private RecipientsFile() {
    }

    /** @throws StartupException naming the file, the entry and what is wrong with it */
    public static void apply(Path file, RecipientStore recipients) {
        JsonNode entries;
        try {
            entries = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
        } catch (IOException e) {
            throw new StartupException("cannot read recipients-file " + file + ": " + e.getMessage(), e);
        }
        if (entries == null || !entries.isArray()) {
            throw new StartupException("recipients-file " + file + " must be a YAML list of recipients", null);
        }
        for (int i = 0; i < entries.size(); i++) {
            JsonNode entry = entries.get(i);
            String where = "recipients-file " + file + ", entry " + (i + 1);
            try {
                check(entry);
                recipients.provision(entry.path("id").asText(null), entry.path("name").asText(null),
                        entry.path("bin").asText(null), Role.valueOf(entry.path("role").asText("OPERATOR")),
                        ChannelKind.valueOf(entry.path("channel").asText("")), entry.get("settings"),
                        entry.path("token-sha256").asText(null));
            } catch (InvalidRecipientException | IllegalArgumentException e) {
                throw new StartupException(where + ": " + e.getMessage(), e);
            } catch (SQLException e) {
                throw new StartupException(where + ": cannot store it: " + e.getMessage(), e);
            }
        }
        LOG.info("Recipients from {}: {} in step", file, entries.size());
    }

    private static void check(JsonNode entry) {
        if (!entry.isObject()) {
            throw new IllegalArgumentException("not a mapping");
        }
        for (Iterator<String> names = entry.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw new IllegalArgumentException("unknown field '" + name + "'");
            }
        }
        String channel = entry.path("channel").asText("");
        try {
            ChannelKind.valueOf(channel);
            Role.valueOf(entry.path("role").asText("OPERATOR"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("channel is one of WEBHOOK, FTP, EMAIL, PULL_ONLY and role OPERATOR or"
                    + " STATE_TECHNICAL_SERVICE");
        }
    }
}
