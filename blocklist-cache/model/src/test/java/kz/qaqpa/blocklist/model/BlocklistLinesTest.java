package kz.qaqpa.blocklist.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The feed's lines are a published format: operators' tools and the signed manifest's digest read every byte. */
class BlocklistLinesTest {

    @Test
    void anEntryIsWrittenInTheDocumentedOrderWithTheHostOnlyForAUrl() {
        BlocklistEntry domain = new BlocklistEntry(TargetKind.DOMAIN, "casino.kz", true, Optional.empty(), "12-3/456", 17);
        BlocklistEntry url = new BlocklistEntry(TargetKind.URL, "https://bad.kz/a", false, Optional.of("bad.kz"), "12-3/457", 18);

        assertThat(BlocklistLines.line(domain))
                .isEqualTo("{\"type\":\"DOMAIN\",\"value\":\"casino.kz\",\"includeSubdomains\":true,\"directive\":\"12-3/456\",\"since\":17}");
        assertThat(BlocklistLines.line(url)).isEqualTo("{\"type\":\"URL\",\"value\":\"https://bad.kz/a\",\"includeSubdomains\":false,"
                + "\"host\":\"bad.kz\",\"directive\":\"12-3/457\",\"since\":18}");
        assertThat(BlocklistLines.entry(BlocklistLines.line(domain))).isEqualTo(domain);
        assertThat(BlocklistLines.entry(BlocklistLines.line(url))).isEqualTo(url);
    }

    @Test
    void aChangeIsWrittenWithItsSerialAndOperationFirst() {
        BlocklistChange removed = new BlocklistChange(18, Operation.REMOVE, TargetKind.DOMAIN, "casino.kz", true,
                Optional.empty(), "12-3/457");

        assertThat(BlocklistLines.line(removed)).isEqualTo("{\"serial\":18,\"op\":\"REMOVE\",\"type\":\"DOMAIN\","
                + "\"value\":\"casino.kz\",\"includeSubdomains\":true,\"directive\":\"12-3/457\"}");
        assertThat(BlocklistLines.change(BlocklistLines.line(removed))).isEqualTo(removed);
    }

    @Test
    void linesThatAreNotTheFormatAreRefusedByName() {
        assertThatThrownBy(() -> BlocklistLines.entry("{\"type\":\"DOMAIN\"}")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("not a blocklist entry");
        assertThatThrownBy(() -> BlocklistLines.entry("not json")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("not JSON");
        assertThatThrownBy(() -> BlocklistLines.entry("{\"type\":\"PHONE\",\"value\":\"1\",\"directive\":\"d\",\"since\":1}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("unknown target type");
        assertThatThrownBy(() -> BlocklistLines.change("{\"serial\":1,\"op\":\"DROP\",\"type\":\"IP\",\"value\":\"192.0.2.1\"}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("unknown change DROP");
    }

    @Test
    void anUpdateKeepsTheSerialTheTargetEnteredAtAndARemoveEndsIt() {
        BlocklistEntry before = new BlocklistEntry(TargetKind.IP, "192.0.2.1", false, Optional.empty(), "A", 3);
        BlocklistChange update = new BlocklistChange(9, Operation.UPDATE, TargetKind.IP, "192.0.2.1", false, Optional.empty(), "B");
        BlocklistChange remove = new BlocklistChange(10, Operation.REMOVE, TargetKind.IP, "192.0.2.1", false, Optional.empty(), "C");

        assertThat(update.applyTo(Optional.of(before))).contains(new BlocklistEntry(TargetKind.IP, "192.0.2.1", false,
                Optional.empty(), "B", 3));
        assertThat(remove.applyTo(Optional.of(before))).isEmpty();
    }

    @Test
    void aDomainWithItsSubdomainsIsAnotherKeyThanTheNameAlone() {
        assertThat(BlocklistKey.domain("casino.kz", true)).isEqualTo("DOMAIN:*.casino.kz");
        assertThat(BlocklistKey.of(TargetKind.DOMAIN, "casino.kz", false)).isEqualTo("DOMAIN:casino.kz");
        assertThat(BlocklistKey.of(TargetKind.CIDR, "198.51.100.0/24", false)).isEqualTo("CIDR:198.51.100.0/24");
        assertThat(BlocklistKey.sha256("DOMAIN:casino.kz")).hasSize(64).isEqualTo(Sha256.hex("DOMAIN:casino.kz"));
    }
}
